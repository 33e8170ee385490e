import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import {
	CONSENT_PURPOSE,
	CONSENT_TEXT_VERSION,
	EditCitizenSchema,
	EraseCitizenSchema,
	ReactivateCitizenSchema,
	enrolmentDateError,
	isUuid
} from '$lib/domain/citizens';
import { parseForm, postedValues } from '$lib/domain/forms';
import { route } from '$lib/routes';
import {
	citizenRecord,
	eraseCitizen,
	getCitizen,
	reactivateCitizen,
	updateCitizen,
	withdrawCitizen,
	type CitizenRow
} from '$lib/server/citizens';
import { foundOr404, versionConflict } from '$lib/server/db/conflict';
import { formFail, invalid } from '$lib/server/forms';
import { asUser, type Tx } from '$lib/server/db';
import { readTerritory, territoryContext } from '$lib/server/territories/context';
import type { Actions, PageServerLoad } from './$types';
import type { Claims } from '$lib/server/auth/claims';
import * as clock from '$lib/server/clock';

const NOT_FOUND = 'Personne introuvable : elle n’est pas inscrite dans ce territoire.';

/** The guard, and the person's id checked before it reaches the database. */
async function context(event: RequestEvent<{ slug: string; id: string }>) {
	const ctx = await territoryContext(event);
	if (!isUuid(event.params.id)) error(404, NOT_FOUND);
	return { ...ctx, id: event.params.id };
}

/** The editable values of a row, as the form shows them (for the conflict message). */
function editable(c: CitizenRow) {
	const { display_name, email, phone, commune, postal_code, age_band, source, is_societaire, enrolled_at, version } = c;
	return { display_name, email, phone, commune, postal_code, age_band, source, is_societaire, enrolled_at, version };
}

/** A person's data, consent history and attendance: four queries (guard, person, consents, workshops), one transaction. */
export const load: PageServerLoad = (event) =>
	readTerritory(event, async (tx, { territory }) => {
		if (!isUuid(event.params.id)) error(404, NOT_FOUND);
		const record = await citizenRecord(tx, territory.id, event.params.id);
		if (!record) error(404, NOT_FOUND);
		return { territory, today: clock.today(), ...record };
	}, { oneTrip: false });

export const actions: Actions = {
	update: async (event) => {
		const { claims, territory, id } = await context(event);
		const form = await event.request.formData();
		const parsed = parseForm(EditCitizenSchema, form);
		if (!parsed.ok) return invalid('update', parsed);
		const { version, ...citizen } = parsed.data;
		const values = postedValues(form);
		const dateError = enrolmentDateError(citizen.enrolled_at, clock.today());
		if (dateError) return formFail(400, 'update', { errors: { enrolled_at: dateError }, values });

		const result = await asUser(claims, (tx) => updateCitizen(tx, territory.id, id, version, citizen));
		if (result.ok) redirect(303, route.citizen(territory.slug, id));
		if (result.reason === 'duplicate_email')
			return formFail(409, 'update', {
				errors: { email: 'Cette adresse e-mail est déjà celle d’une autre personne inscrite dans ce territoire.' },
				values
			});
		if (result.current?.erased_at)
			return formFail(409, 'update', {
				errors: { _form: 'Les données de cette personne ont été effacées : il n’y a plus rien à modifier.' },
				values
			});
		return versionConflict(result.current ? editable(result.current) : undefined, values, 'update');
	},

	/** Withdraws the person (and their consent): they stop counting. Reversible with a new consent. */
	withdraw: async (event) => {
		const { claims, territory, id } = await context(event);
		const done = await change(claims, territory.id, id, (tx) => withdrawCitizen(tx, territory.id, id, clock.today()));
		if (!done)
			return formFail(409, 'withdraw', {
				errors: { _form: 'Cette personne est déjà retirée, ou ses données ont été effacées.' },
				values: {}
			});
		redirect(303, route.citizen(territory.slug, id));
	},

	/** Enrols a withdrawn person again: only with a consent given anew. */
	reactivate: async (event) => {
		const { claims, territory, id } = await context(event);
		const parsed = parseForm(ReactivateCitizenSchema, await event.request.formData());
		if (!parsed.ok) return invalid('reactivate', parsed);
		const consent = { consent: 'on' as const, consent_purpose: CONSENT_PURPOSE, consent_text_version: CONSENT_TEXT_VERSION };
		const done = await change(claims, territory.id, id, (tx) => reactivateCitizen(tx, territory.id, id, consent));
		if (!done)
			return formFail(409, 'reactivate', {
				errors: { _form: 'Cette personne n’est pas retirée, ou ses données ont été effacées.' },
				values: {}
			});
		redirect(303, route.citizen(territory.slug, id));
	},

	/** Erasure on request: irreversible, so it takes an explicit confirmation. */
	erase: async (event) => {
		const { claims, territory, id } = await context(event);
		const parsed = parseForm(EraseCitizenSchema, await event.request.formData());
		if (!parsed.ok) return invalid('erase', parsed);
		const done = await change(claims, territory.id, id, (tx) => eraseCitizen(tx, territory.id, id));
		if (!done)
			return formFail(409, 'erase', { errors: { _form: 'Les données de cette personne sont déjà effacées.' }, values: {} });
		redirect(303, route.citizen(territory.slug, id));
	}
};

/**
 * Runs a change of the person's state; when it changed nothing, reads the person again in the same
 * transaction: not visible (another territory's id, or nobody) → 404 « introuvable »; visible →
 * false, the state did not allow it (the caller's 409).
 * @throws 404 when the person is not in this territory
 */
async function change(claims: Claims, territoryId: string, id: string, write: (tx: Tx) => Promise<boolean>) {
	const { done, current } = await asUser(claims, async (tx) => {
		const done = await write(tx);
		return { done, current: done ? null : await getCitizen(tx, territoryId, id) };
	});
	if (!done) foundOr404(current, NOT_FOUND);
	return done;
}
