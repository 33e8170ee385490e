import { error } from '@sveltejs/kit';
import { isUuid } from '$lib/domain/fields';

export const WORKSHOP_NOT_FOUND = 'Atelier introuvable : il n’existe pas (ou plus) dans ce territoire.';

/** The workshop id of the URL; anything but a uuid is a 404, never a database error. */
export function workshopId(params: { id?: string }): string {
	const id = params.id ?? '';
	if (!isUuid(id)) error(404, WORKSHOP_NOT_FOUND);
	return id;
}
