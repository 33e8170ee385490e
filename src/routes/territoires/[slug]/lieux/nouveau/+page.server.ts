import { redirect } from '@sveltejs/kit';
import { parseForm } from '$lib/domain/forms';
import { LieuFormSchema } from '$lib/domain/lieux';
import { route } from '$lib/routes';
import { asUser } from '$lib/server/db';
import { createLieu } from '$lib/server/lieux';
import { invalid, newSubmission, writeOnce } from '$lib/server/forms';
import { territoryContext } from '$lib/server/territories/context';
import type { Actions, PageServerLoad } from './$types';
import * as clock from '$lib/server/clock';

export const load: PageServerLoad = async (event) => {
	const { territory } = await territoryContext(event);
	return { territory, today: clock.today(), submission: newSubmission() };
};

export const actions: Actions = {
	create: async (event) => {
		const { claims, territory } = await territoryContext(event);
		const parsed = parseForm(LieuFormSchema, await event.request.formData());
		if (!parsed.ok) return invalid('create', parsed);
		const { submission, ...lieu } = parsed.data;
		const once = await asUser(claims, (tx) =>
			writeOnce(tx, submission, 'lieu', async () => ({ ok: true, value: { id: await createLieu(tx, territory.id, lieu) } }))
		);
		redirect(303, once.ok && once.value.id ? route.lieu(territory.slug, once.value.id, { ok: 'cree' }) : route.lieux(territory.slug));
	}
};
