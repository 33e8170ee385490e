import { z } from 'zod';

/**
 * Phone numbers and postal codes as French people write them — pure functions, no I/O.
 *
 * One function each, used by every path that takes them (forms, quick-add, CSV import, edit):
 * - `canonicalPhone(text)`: what we store — E.164 (ITU-T E.164, e.g. `+33612345678`), so that the
 *   same number typed « 06 12 34 56 78 », « +33 (0)6 12 34 56 78 » or « 0033 6 12 34 56 78 » is one
 *   value to compare (lookalikes) and to dial;
 * - `formatPhone(stored)`: how we show it — French national format in pairs, « 06 12 34 56 78 »;
 * - `canonicalPostalCode(text)`: five digits, the leading zero kept (« 01000 »).
 *
 * French numbering plan (ARCEP): 10 digits starting with 0, or +33 followed by the 9 digits without
 * that 0. Overseas departments use their own country codes in E.164 but the same 10-digit national
 * format: 0590/0690/0691 → +590 (Guadeloupe, Saint-Martin, Saint-Barthélemy), 0594/0694 → +594
 * (Guyane), 0596/0696/0697 → +596 (Martinique), 0262/0263/0692/0693 → +262 (La Réunion),
 * 0269/0639 → +262 (Mayotte). Saint-Pierre-et-Miquelon (+508), Wallis-et-Futuna (+681), Polynésie
 * (+689) and Nouvelle-Calédonie (+687) have 6- to 8-digit numbers, written with their + code.
 */

/** Spaces (incl. U+00A0 no-break and U+202F narrow no-break), dots, dashes, slashes, brackets. */
const SEPARATORS = /[\s\u00a0\u202f\u2007\u2009.\-‐‑‒–—/]/g;

/** National prefix (first 4 digits, 0 included) → E.164 country code, for overseas departments. */
const OVERSEAS_PREFIX: Record<string, string> = {
	'0590': '590', '0690': '590', '0691': '590',
	'0594': '594', '0694': '594',
	'0596': '596', '0696': '596', '0697': '596',
	'0262': '262', '0263': '262', '0692': '262', '0693': '262',
	'0269': '262', '0639': '262'
};
const NATIONAL_OF: Record<string, (rest: string) => boolean> = {
	'33': (rest) => /^[1-9]\d{8}$/.test(rest),
	'590': (rest) => /^(590|690|691)\d{6}$/.test(rest),
	'594': (rest) => /^(594|694)\d{6}$/.test(rest),
	'596': (rest) => /^(596|696|697)\d{6}$/.test(rest),
	'262': (rest) => /^(262|263|692|693|269|639)\d{6}$/.test(rest)
};
/** Other French overseas collectivities: their own plan, 6 to 8 digits after the code. */
const SMALL_PLANS: Record<string, RegExp> = { '508': /^\d{6}$/, '681': /^\d{6}$/, '687': /^\d{6}$/, '689': /^\d{8}$/ };

export const PHONE_MESSAGE_FR =
	'Ce numéro de téléphone n’est pas valide : 10 chiffres (06 12 34 56 78) ou avec l’indicatif (+33 6 12 34 56 78).';

/**
 * A phone number as typed → E.164 (`+33612345678`), or null if it is not a phone number.
 * Accepts 10-digit French numbers with any separators, `+33 6…`, `+33 (0)6…`, `0033 6…`, overseas
 * departments (national or +590/+594/+596/+262), other collectivities (+508, +681, +687, +689),
 * and foreign numbers given with `+` or `00` (E.164: country code + up to 15 digits in all).
 */
export function canonicalPhone(text: string): string | null {
	let v = text.normalize('NFKC').trim().replace(SEPARATORS, '');
	// « +33 (0)6 … »: the trunk 0 in brackets is not dialled from abroad.
	v = v.replace(/^(\+|00)(\d{1,3})\(0\)/, '$1$2');
	v = v.replace(/[()]/g, '');
	// Ten digits starting with 0: a national number (its second digit is never 0).
	if (/^0\d{9}$/.test(v)) {
		if (v[1] === '0') return null;
		const code = OVERSEAS_PREFIX[v.slice(0, 4)] ?? '33';
		return `+${code}${v.slice(1)}`;
	}
	if (/^00[1-9]/.test(v)) v = `+${v.slice(2)}`;
	const m = /^\+([1-9]\d{6,14})$/.exec(v);
	if (!m) return null;
	const digits = m[1];
	// +33 0612… (trunk 0 kept by mistake): drop it.
	const fr = /^33(0?)(\d{9})$/.exec(digits);
	if (fr) {
		const national = `0${fr[2]}`;
		const code = OVERSEAS_PREFIX[national.slice(0, 4)] ?? '33';
		return NATIONAL_OF[code](fr[2]) ? `+${code}${fr[2]}` : null;
	}
	for (const code of ['590', '594', '596', '262']) {
		if (digits.startsWith(code)) {
			const rest = digits.slice(code.length).replace(/^0/, '');
			return NATIONAL_OF[code](rest) ? `+${code}${rest}` : null;
		}
	}
	for (const [code, re] of Object.entries(SMALL_PLANS)) {
		if (digits.startsWith(code)) return re.test(digits.slice(code.length)) ? `+${digits}` : null;
	}
	if (digits.startsWith('33')) return null;
	return `+${digits}`;
}

/** The E.164 country codes whose numbers are shown in the French national format. */
const NATIONAL_CODES = ['33', '590', '594', '596', '262'];

/**
 * A stored phone → « 06 12 34 56 78 » (French and overseas departments), « +508 41 23 45 »
 * (other plans, in pairs after the code). Text that is not a phone is shown as it is.
 */
export function formatPhone(stored: string | null): string {
	if (!stored) return '';
	const e164 = canonicalPhone(stored);
	if (!e164) return stored;
	const digits = e164.slice(1);
	const pairs = (s: string) => s.match(/.{1,2}/g)!.join(' ');
	for (const code of NATIONAL_CODES) {
		if (digits.startsWith(code) && NATIONAL_OF[code](digits.slice(code.length))) return pairs(`0${digits.slice(code.length)}`);
	}
	const code = Object.keys(SMALL_PLANS).find((c) => digits.startsWith(c));
	if (code) return `+${code} ${pairs(digits.slice(code.length))}`;
	return `+${digits}`;
}

/** Digits a search box may hold to find a phone: without separators, without the trunk 0. */
export function phoneSearchDigits(text: string): string {
	return text.replace(/\D/g, '').replace(/^0+/, '');
}

export const POSTAL_CODE_MESSAGE_FR =
	'Ce code postal n’est pas valide : 5 chiffres, le 0 du début compris (01000, 20000 en Corse, 97100 outre-mer).';

/**
 * A postal code as typed → five digits (« 01000 », « 25 000 » → « 25000 »), or null.
 * La Poste: the first two digits are the département (01–95; Corse 20xxx), overseas 971xx–976xx
 * (Guadeloupe, Martinique, Guyane, La Réunion, Saint-Pierre-et-Miquelon, Mayotte) and the Pacific
 * collectivities 986xx–988xx; Monaco 98000. « 00… », « 96… », « 977… » and the like do not exist.
 */
export function canonicalPostalCode(text: string): string | null {
	const v = text.normalize('NFKC').trim().replace(/[\s\u00a0\u202f.]/g, '');
	if (!/^\d{5}$/.test(v)) return null;
	const dept = Number(v.slice(0, 2));
	if (dept >= 1 && dept <= 95) return v;
	const three = v.slice(0, 3);
	if (['971', '972', '973', '974', '975', '976', '986', '987', '988'].includes(three)) return v;
	if (v === '98000') return v;
	return null;
}

// ───────────────────────── Form fields (zod) ─────────────────────────

/** An optional phone field: empty → null; otherwise stored as `canonicalPhone` gives it. */
export const phoneField = z
	.string()
	.nullable()
	.optional()
	.transform((v, ctx) => {
		const t = (v ?? '').trim();
		if (t === '') return null;
		const phone = t.length <= 40 ? canonicalPhone(t) : null;
		if (!phone) {
			ctx.addIssue({ code: 'custom', message: PHONE_MESSAGE_FR });
			return t; // refused anyway; kept so that cross-field checks still see something typed
		}
		return phone;
	});

/** An optional postal code field: empty → null; otherwise five digits, leading zero kept. */
export const postalCodeField = z
	.string()
	.nullable()
	.optional()
	.transform((v, ctx) => {
		const t = (v ?? '').trim();
		if (t === '') return null;
		const code = t.length <= 12 ? canonicalPostalCode(t) : null;
		if (!code) {
			ctx.addIssue({ code: 'custom', message: POSTAL_CODE_MESSAGE_FR });
			return t; // refused anyway; kept so that « commune or postal code » sees something typed
		}
		return code;
	});
