import { error, type ActionFailure } from '@sveltejs/kit';
import type { FormFailure } from '$lib/domain/forms';
import { formFail } from '$lib/server/forms';

export const CONFLICT_MESSAGE =
	'Quelqu’un d’autre a modifié cette fiche pendant que vous la modifiiez. Voici les valeurs actuelles : ' +
	'vérifiez-les, reportez vos changements si besoin, puis enregistrez à nouveau.';

/** The 404 of a write aimed at a record this person cannot see: it is not in their territory, or no longer exists. */
export const NOT_FOUND_MESSAGE = 'Fiche introuvable : elle n’existe pas (ou plus) ici, ou elle appartient à un autre territoire.';

/**
 * After a write that touched no row, the one question that decides the answer: is the record
 * visible to this person at all (read again, in the same transaction, under RLS)? No row — an id
 * of another territory, hidden by RLS, or of nothing — is « introuvable »: 404, never a 409, since
 * nothing was « changed meanwhile ». Returns the row when there is one, for the caller's 409/400.
 * @throws 404 with `message` (default {@link NOT_FOUND_MESSAGE}) when `current` is null/undefined
 */
export function foundOr404<T>(current: T | null | undefined, message: string = NOT_FOUND_MESSAGE): T {
	if (current === null || current === undefined) error(404, message);
	return current;
}

/**
 * Lost-update protection. Every edit form carries the `version` it was read at; the update says
 * `where id = … and version = …`. When it touched no row and the record is still visible, it
 * changed meanwhile: 409, the person is told and shown the current values — nothing is silently
 * overwritten. When it is not visible (`current` absent: another territory's id, or gone), 404
 * « introuvable » (see {@link foundOr404}).
 * The 409 has the shape of every refused form (FormFailure: intent, errors, values) plus
 * `current`; `intent` defaults to `values.intent`, else 'update'.
 * @throws 404 when `current` is absent
 */
export function versionConflict<T extends object>(
	current: T | null | undefined,
	values: Record<string, string>,
	intent?: string
): ActionFailure<FormFailure & { current: T }> {
	const now = foundOr404(current);
	return formFail(409, intent ?? values.intent ?? 'update', { errors: { _form: CONFLICT_MESSAGE }, values }, { current: now });
}
