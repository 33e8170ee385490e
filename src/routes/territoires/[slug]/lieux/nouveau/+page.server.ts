import { fail, redirect } from '@sveltejs/kit';
import { parseForm } from '$lib/domain/forms';
import { LieuSchema } from '$lib/domain/lieux';
import { route } from '$lib/routes';
import { asUser } from '$lib/server/db';
import { createLieu } from '$lib/server/lieux';
import { territoryContext } from '$lib/server/territories/context';
import type { Actions, PageServerLoad } from './$types';
import * as clock from '$lib/server/clock';

export const load: PageServerLoad = async (event) => {
	const { territory } = await territoryContext(event);
	return { territory, today: clock.today() };
};

export const actions: Actions = {
	create: async (event) => {
		const { claims, territory } = await territoryContext(event);
		const parsed = parseForm(LieuSchema, await event.request.formData());
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values });
		const id = await asUser(claims, (tx) => createLieu(tx, territory.id, parsed.data));
		redirect(303, route.lieu(territory.slug, id, { ok: 'cree' }));
	}
};
