import { fail, redirect } from '@sveltejs/kit';
import { parseForm } from '$lib/domain/forms';
import { LIEU_REFUSED_FR, postedValues, WorkshopSchema } from '$lib/domain/workshops';
import { route } from '$lib/routes';
import { asUser } from '$lib/server/db';
import { territoryContext } from '$lib/server/territories/context';
import { createWorkshop, listLaws, selectableLieux } from '$lib/server/workshops';
import type { Actions, PageServerLoad } from './$types';
import * as clock from '$lib/server/clock';

/** Planning a workshop. Queries: the guard, then laws + active lieux (one transaction). */
export const load: PageServerLoad = async (event) => {
	const { claims, territory } = await territoryContext(event);
	const { laws, lieux } = await asUser(claims, async (tx) => ({
		laws: await listLaws(tx),
		lieux: await selectableLieux(tx, territory.id)
	}));
	return { territory, laws, lieux, today: clock.today() };
};

export const actions: Actions = {
	create: async (event) => {
		const { claims, territory } = await territoryContext(event);
		const form = await event.request.formData();
		const parsed = parseForm(WorkshopSchema, form);
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values });
		const id = await asUser(claims, (tx) => createWorkshop(tx, territory.id, parsed.data));
		if (!id) return fail(400, { errors: { lieu_id: LIEU_REFUSED_FR } as Record<string, string>, values: postedValues(form) });
		redirect(303, route.workshop(territory.slug, id));
	}
};
