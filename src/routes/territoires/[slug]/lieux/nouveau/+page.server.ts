import { redirect } from '@sveltejs/kit';
import { parseForm, postedValues } from '$lib/domain/forms';
import { LIEU_DUPLICATE_MESSAGE_FR, LieuFormSchema } from '$lib/domain/lieux';
import { route } from '$lib/routes';
import { asUser } from '$lib/server/db';
import { createLieuChecked, type LieuLookalike } from '$lib/server/lieux';
import { formFail, invalid, newSubmission, writeOnce } from '$lib/server/forms';
import { readTerritory, territoryContext } from '$lib/server/territories/context';
import type { Actions, PageServerLoad } from './$types';
import * as clock from '$lib/server/clock';

export const load: PageServerLoad = (event) =>
	readTerritory(event, async (_tx, { territory }) => ({ territory, today: clock.today(), submission: newSubmission() }));

export const actions: Actions = {
	create: async (event) => {
		const { claims, territory } = await territoryContext(event);
		const form = await event.request.formData();
		const parsed = parseForm(LieuFormSchema, form);
		if (!parsed.ok) return invalid('create', parsed);
		const { submission, ...lieu } = parsed.data;
		const once = await asUser(claims, (tx) =>
			writeOnce(tx, submission, 'lieu', async () => {
				const outcome = await createLieuChecked(tx, territory.id, lieu);
				if (outcome.kind === 'duplicate') return { ok: false as const, failure: { existing: [...outcome.existing] as LieuLookalike[] } };
				return { ok: true as const, value: { id: outcome.id } };
			})
		);
		if (!once.ok)
			return formFail(
				409,
				'create',
				{ errors: { name: LIEU_DUPLICATE_MESSAGE_FR }, values: postedValues(form) },
				{ existing: once.failure.existing.map((l) => ({ ...l, href: route.lieu(territory.slug, l.id) })) }
			);
		redirect(303, once.value.id ? route.lieu(territory.slug, once.value.id, { ok: 'cree' }) : route.lieux(territory.slug));
	}
};
