import { fail, redirect } from '@sveltejs/kit';
import {
	CONSENT_PURPOSE,
	CONSENT_TEXT_VERSION,
	EnrolCitizenFormSchema,
	enrolmentDateError
} from '$lib/domain/citizens';
import { parseForm } from '$lib/domain/forms';
import { route } from '$lib/routes';
import { enrolChecked } from '$lib/server/citizens';
import { asUser } from '$lib/server/db';
import { territoryContext } from '$lib/server/territories/context';
import type { Actions, PageServerLoad } from './$types';
import * as clock from '$lib/server/clock';

export const load: PageServerLoad = async (event) => {
	const { territory } = await territoryContext(event);
	return { territory, today: clock.today() };
};

export const actions: Actions = {
	/** Enrols a person with their consent; refuses a lookalike unless told it is someone else. */
	create: async (event) => {
		const { claims, territory } = await territoryContext(event);
		const parsed = parseForm(EnrolCitizenFormSchema, await event.request.formData());
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values, lookalikes: [] });
		const { not_duplicate, ...citizen } = parsed.data;
		const values = Object.fromEntries(
			Object.entries(parsed.data).map(([k, v]) => [k, v === true ? 'on' : v === false || v === null ? '' : String(v)])
		);
		const dateError = enrolmentDateError(citizen.enrolled_at, clock.today());
		if (dateError) return fail(400, { errors: { enrolled_at: dateError }, values, lookalikes: [] });

		// What the person agreed to is the text this server shows, whatever the browser sent.
		const consent = { consent: 'on' as const, consent_purpose: CONSENT_PURPOSE, consent_text_version: CONSENT_TEXT_VERSION };
		const outcome = await asUser(claims, (tx) => enrolChecked(tx, territory.id, citizen, consent, not_duplicate));

		if (outcome.kind === 'lookalikes')
			return fail(409, {
				errors: {
					_form:
						'Une personne qui lui ressemble (même adresse e-mail, ou même nom dans la même commune) est déjà inscrite. ' +
						'Vérifiez sa fiche avant d’inscrire quelqu’un en double.'
				} as Record<string, string>,
				values,
				lookalikes: outcome.lookalikes.map((l) => ({ ...l, href: route.citizen(territory.slug, l.id) }))
			});
		if (outcome.kind === 'duplicate_email')
			return fail(409, {
				errors: {
					email: 'Cette adresse e-mail est déjà celle d’une autre personne inscrite dans ce territoire.'
				} as Record<string, string>,
				values,
				lookalikes: []
			});
		redirect(303, route.citizen(territory.slug, outcome.id));
	}
};
