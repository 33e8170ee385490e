import { fail } from '@sveltejs/kit';

export const CONFLICT_MESSAGE =
	'Quelqu’un d’autre a modifié cette fiche pendant que vous la modifiiez. Voici les valeurs actuelles : ' +
	'vérifiez-les, reportez vos changements si besoin, puis enregistrez à nouveau.';

/**
 * Lost-update protection. Every edit form carries the `version` it was read at; the update says
 * `where id = … and version = …`. When it touched no row, the record changed (or vanished)
 * meanwhile: the person is told and shown the current values — nothing is silently overwritten.
 */
export function versionConflict<T extends object>(current: T | undefined, values: Record<string, string>) {
	return fail(409, {
		errors: { _form: current ? CONFLICT_MESSAGE : 'Cette fiche n’existe plus.' } as Record<string, string>,
		values,
		current: current ?? null
	});
}
