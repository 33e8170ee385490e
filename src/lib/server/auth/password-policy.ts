/**
 * What a new password must be (ASVS 5 V6.2: at least 12 characters, any characters, no
 * composition rules, checked against a list of common passwords). The list is the one maintained
 * by zxcvbn-ts (`@zxcvbn-ts/language-common`, ~49,000 passwords from public breaches, ranked),
 * read locally: no password leaves the server.
 */
import { dictionary } from '@zxcvbn-ts/language-common';
import { DEMO_PASSWORD } from '$lib/server/demo/seed';

let common: Set<string> | null = null;

/** True when `password` (case and surrounding spaces ignored) is a common password or the demo one. */
export function isCommonPassword(password: string): boolean {
	common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
	const p = password.trim().toLowerCase();
	return common.has(p) || p === DEMO_PASSWORD;
}
