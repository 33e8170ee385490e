import { error, fail, redirect } from '@sveltejs/kit';
import { parseForm } from '$lib/domain/forms';
import { EditWorkshopSchema, LIEU_REFUSED_FR, postedValues, workshopFormValues } from '$lib/domain/workshops';
import { route } from '$lib/routes';
import { asUser } from '$lib/server/db';
import { versionConflict } from '$lib/server/db/conflict';
import { readTerritory, territoryContext } from '$lib/server/territories/context';
import { WORKSHOP_NOT_FOUND as NOT_FOUND, workshopId } from '../workshop-id';
import { lieuSearchOf } from '../../lieu-search';
import { getWorkshop, listLaws, selectableLieux, updateWorkshop } from '$lib/server/workshops';
import type { Actions, PageServerLoad } from './$types';

/** Editing a workshop. Queries: the guard, then workshop + laws + the lieux offered (`?lieu=`: see nouveau). */
export const load: PageServerLoad = (event) =>
	readTerritory(event, async (tx, { territory }) => {
		const workshop = await getWorkshop(tx, territory.id, workshopId(event.params));
		if (!workshop) error(404, NOT_FOUND);
		const lieuSearch = lieuSearchOf(event.url);
		const [laws, lieux] = await Promise.all([
			listLaws(tx),
			selectableLieux(tx, territory.id, { currentId: workshop.lieu_id, q: lieuSearch })
		]);
		return { territory, workshop, laws, lieux, lieuSearch, values: workshopFormValues(workshop) };
	}, { oneTrip: false });

export const actions: Actions = {
	/** Saves at the version read; a stale version → the conflict message with the current values. */
	update: async (event) => {
		const { claims, territory } = await territoryContext(event);
		const id = workshopId(event.params);
		const form = await event.request.formData();
		const parsed = parseForm(EditWorkshopSchema, form);
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values });
		const { done, current } = await asUser(claims, async (tx) => {
			const done = await updateWorkshop(tx, territory.id, id, parsed.data);
			return { done, current: done ? null : await getWorkshop(tx, territory.id, id) };
		});
		if (done) redirect(303, route.workshop(territory.slug, id));
		if (current && current.version === parsed.data.version)
			return fail(400, { errors: { lieu_id: LIEU_REFUSED_FR } as Record<string, string>, values: postedValues(form) });
		return versionConflict(current ? workshopFormValues(current) : undefined, postedValues(form));
	}
};
