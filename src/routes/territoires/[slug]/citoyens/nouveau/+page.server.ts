import { redirect } from '@sveltejs/kit';
import { CONSENT_PURPOSE, CONSENT_TEXT_VERSION, EnrolCitizenFormSchema } from '$lib/domain/citizens';
import { parseForm, postedValues } from '$lib/domain/forms';
import { route } from '$lib/routes';
import { enrolChecked } from '$lib/server/citizens';
import { asUser } from '$lib/server/db';
import { formFail, invalid, newSubmission, writeOnce } from '$lib/server/forms';
import { readTerritory, territoryContext } from '$lib/server/territories/context';
import type { Actions, PageServerLoad } from './$types';
import * as clock from '$lib/server/clock';

type Lookalike = { id: string; display_name: string; commune: string | null };

export const load: PageServerLoad = (event) =>
	readTerritory(event, async (_tx, { territory }) => ({ territory, today: clock.today(), submission: newSubmission() }));

export const actions: Actions = {
	/**
	 * Enrols a person with their consent; refuses a lookalike unless told it is someone else.
	 * Written once per submission token: a double-click or a retry leads to the same person.
	 */
	create: async (event) => {
		const { claims, territory } = await territoryContext(event);
		const form = await event.request.formData();
		const parsed = parseForm(EnrolCitizenFormSchema, form);
		if (!parsed.ok) return invalid('create', parsed);
		const { not_duplicate, submission, ...citizen } = parsed.data;
		const values = postedValues(form);

		// What the person agreed to is the text this server shows, whatever the browser sent.
		const consent = { consent: 'on' as const, consent_purpose: CONSENT_PURPOSE, consent_text_version: CONSENT_TEXT_VERSION };
		const outcome = await asUser(claims, (tx) =>
			writeOnce(tx, submission, 'citizen', async () => {
				const checked = await enrolChecked(tx, territory.id, citizen, consent, not_duplicate);
				if (checked.kind === 'enrolled') return { ok: true as const, value: { id: checked.id } };
				return { ok: false as const, failure: { lookalikes: checked.kind === 'lookalikes' ? ([...checked.lookalikes] as Lookalike[]) : [] } };
			})
		);

		if (outcome.ok) redirect(303, outcome.value.id ? route.citizen(territory.slug, outcome.value.id) : route.citizens(territory.slug));
		const { lookalikes } = outcome.failure;
		if (lookalikes.length > 0)
			return formFail(
				409,
				'create',
				{
					errors: {
						_form:
							'Une personne qui lui ressemble (même adresse e-mail, ou même nom dans la même commune) est déjà inscrite. ' +
							'Vérifiez sa fiche avant d’inscrire quelqu’un en double.'
					},
					values
				},
				{ lookalikes: lookalikes.map((l) => ({ ...l, href: route.citizen(territory.slug, l.id) })) }
			);
		return formFail(409, 'create', {
			errors: { email: 'Cette adresse e-mail est déjà celle d’une autre personne inscrite dans ce territoire.' },
			values
		});
	}
};
