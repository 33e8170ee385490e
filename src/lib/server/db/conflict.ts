import type { ActionFailure } from '@sveltejs/kit';
import type { FormFailure } from '$lib/domain/forms';
import { formFail } from '$lib/server/forms';

export const CONFLICT_MESSAGE =
	'Quelqu’un d’autre a modifié cette fiche pendant que vous la modifiiez. Voici les valeurs actuelles : ' +
	'vérifiez-les, reportez vos changements si besoin, puis enregistrez à nouveau.';

/**
 * Lost-update protection. Every edit form carries the `version` it was read at; the update says
 * `where id = … and version = …`. When it touched no row, the record changed (or vanished)
 * meanwhile: the person is told and shown the current values — nothing is silently overwritten.
 * The answer has the shape of every refused form (FormFailure: intent, errors, values) plus
 * `current`; `intent` defaults to `values.intent`, else 'update'.
 */
export function versionConflict<T extends object>(
	current: T | undefined,
	values: Record<string, string>,
	intent?: string
): ActionFailure<FormFailure & { current: T | null }> {
	const now: T | null = current ?? null;
	return formFail(
		409,
		intent ?? values.intent ?? 'update',
		{ errors: { _form: current ? CONFLICT_MESSAGE : 'Cette fiche n’existe plus.' }, values },
		{ current: now }
	);
}
