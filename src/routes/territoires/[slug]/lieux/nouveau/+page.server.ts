import { fail, redirect } from '@sveltejs/kit';
import { parseForm } from '$lib/domain/forms';
import { LIEU_DUPLICATE_MESSAGE_FR, LieuSchema } from '$lib/domain/lieux';
import { route } from '$lib/routes';
import { asUser } from '$lib/server/db';
import { createLieuChecked } from '$lib/server/lieux';
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
		const form = await event.request.formData();
		const parsed = parseForm(LieuSchema, form);
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values, existing: [] });
		const outcome = await asUser(claims, (tx) => createLieuChecked(tx, territory.id, parsed.data));
		if (outcome.kind === 'duplicate')
			return fail(409, {
				errors: { name: LIEU_DUPLICATE_MESSAGE_FR } as Record<string, string>,
				values: Object.fromEntries([...form].filter((e): e is [string, string] => typeof e[1] === 'string')),
				existing: outcome.existing.map((l) => ({ ...l, href: route.lieu(territory.slug, l.id) }))
			});
		redirect(303, route.lieu(territory.slug, outcome.id, { ok: 'cree' }));
	}
};
