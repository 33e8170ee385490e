import { redirect } from '@sveltejs/kit';
import { parseForm, postedValues } from '$lib/domain/forms';
import { CreateWorkshopSchema, LIEU_REFUSED_FR } from '$lib/domain/workshops';
import { route } from '$lib/routes';
import { asUser } from '$lib/server/db';
import { formFail, invalid, newSubmission, writeOnce } from '$lib/server/forms';
import { readTerritory, territoryContext } from '$lib/server/territories/context';
import { createWorkshop, listLaws, selectableLieux } from '$lib/server/workshops';
import { lieuSearchOf } from '../lieu-search';
import type { Actions, PageServerLoad } from './$types';
import * as clock from '$lib/server/clock';

/**
 * Planning a workshop. Queries: the guard, then laws + the lieux offered (one transaction);
 * `?lieu=` finds a lieu by name or commune when the territory has more than the form shows.
 */
export const load: PageServerLoad = (event) =>
	readTerritory(event, async (tx, { territory }) => {
		const lieuSearch = lieuSearchOf(event.url);
		const [laws, lieux] = await Promise.all([listLaws(tx), selectableLieux(tx, territory.id, { q: lieuSearch })]);
		return { territory, laws, lieux, lieuSearch, today: clock.today(), submission: newSubmission() };
	});

export const actions: Actions = {
	create: async (event) => {
		const { claims, territory } = await territoryContext(event);
		const form = await event.request.formData();
		const parsed = parseForm(CreateWorkshopSchema, form);
		if (!parsed.ok) return invalid('create', parsed);
		const { submission, ...workshop } = parsed.data;
		const once = await asUser(claims, (tx) =>
			writeOnce(tx, submission, 'workshop', async () => {
				const id = await createWorkshop(tx, territory.id, workshop);
				return id ? { ok: true as const, value: { id } } : { ok: false as const, failure: 'lieu' };
			})
		);
		if (!once.ok) return formFail(400, 'create', { errors: { lieu_id: LIEU_REFUSED_FR }, values: postedValues(form) });
		redirect(303, once.value.id ? route.workshop(territory.slug, once.value.id) : route.workshops(territory.slug));
	}
};
