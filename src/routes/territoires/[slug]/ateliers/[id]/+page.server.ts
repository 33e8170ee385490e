import { searchTermOf } from '$lib/domain/fields';
import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { parseForm } from '$lib/domain/forms';
import { paginate, pageFromUrl } from '$lib/domain/pagination';
import {
	CHECK_IN_REFUSED_FR,
	CancelWorkshopSchema,
	CheckInSchema,
	CloseWorkshopSchema,
	QuickAddSchema,
	canCancel,
	canClose,
	postedValues
} from '$lib/domain/workshops';
import { route } from '$lib/routes';
import { asUser } from '$lib/server/db';
import { versionConflict } from '$lib/server/db/conflict';
import { formFail, invalid, newSubmission, writeOnce } from '$lib/server/forms';
import { readTerritory, territoryContext } from '$lib/server/territories/context';
import { WORKSHOP_NOT_FOUND as NOT_FOUND, workshopId } from './workshop-id';
import {
	cancelWorkshop,
	checkIn,
	closeWorkshop,
	getWorkshop,
	listAttendees,
	quickAddAttendee,
	searchCheckInCandidates,
	uncheck
} from '$lib/server/workshops';
import type { Actions, PageServerLoad } from './$types';
import * as clock from '$lib/server/clock';

/**
 * A workshop, its roster (25 a page) and, with `?q=`, up to 10 people to check in.
 * Queries: the guard, then workshop + roster page (+ search) in one transaction.
 */
export const load: PageServerLoad = (event) =>
	readTerritory(event, async (tx, { territory }) => {
		const id = workshopId(event.params);
		const q = searchTermOf(event.url.searchParams, 'q');
		const workshop = await getWorkshop(tx, territory.id, id);
		if (!workshop) error(404, NOT_FOUND);
		const pagination = paginate(pageFromUrl(event.url), workshop.attendees);
		const [attendees, candidates] = await Promise.all([
			listAttendees(tx, id, pagination),
			q ? searchCheckInCandidates(tx, territory.id, id, q) : []
		]);
		const at = clock.now();
		return {
			territory,
			today: clock.today(),
			q,
			workshop,
			pagination,
			attendees,
			candidates,
			canCancel: canCancel(workshop.status),
			canClose: canClose(workshop, at),
			submission: newSubmission()
		};
	}, { oneTrip: false });

type Event = RequestEvent<{ slug: string; id: string }>;

/** Cancel and close: a status change at the version the page was read at. */
async function changeStatus(event: Event, intent: 'cancel' | 'close') {
	const { claims, territory } = await territoryContext(event);
	const id = workshopId(event.params);
	const form = await event.request.formData();
	const parsed = intent === 'cancel' ? parseForm(CancelWorkshopSchema, form) : parseForm(CloseWorkshopSchema, form);
	if (!parsed.ok) return fail(400, { intent, errors: parsed.errors, values: parsed.values });
	const at = clock.now();
	const { done, current } = await asUser(claims, async (tx) => {
		const done =
			intent === 'cancel'
				? await cancelWorkshop(tx, territory.id, id, parsed.data.version)
				: await closeWorkshop(tx, territory.id, id, parsed.data.version, (parsed.data as { summary: string }).summary, at);
		return { done, current: done ? null : await getWorkshop(tx, territory.id, id) };
	});
	if (done) redirect(303, route.workshop(territory.slug, id));
	const values = { ...postedValues(form), intent };
	if (current && current.version === parsed.data.version) {
		// Same version, yet nothing changed: the status does not allow it (any more, or yet).
		const message =
			intent === 'cancel'
				? 'Seul un atelier prévu peut être annulé.'
				: current.status !== 'planned'
					? 'Seul un atelier prévu peut être clos.'
					: 'Un atelier ne peut être clos qu’une fois commencé.';
		return fail(400, { intent, errors: { _form: message } as Record<string, string>, values });
	}
	return versionConflict(current ?? undefined, values);
}

export const actions: Actions = {
	cancel: (event) => changeStatus(event, 'cancel'),
	close: (event) => changeStatus(event, 'close'),

	/** Checks an enrolled person in, then back to the search they came from. */
	checkIn: async (event) => {
		const { claims, territory } = await territoryContext(event);
		const id = workshopId(event.params);
		const parsed = parseForm(CheckInSchema, await event.request.formData());
		if (!parsed.ok) return fail(400, { intent: 'checkIn', errors: parsed.errors, values: parsed.values });
		const result = await asUser(claims, (tx) => checkIn(tx, territory.id, id, parsed.data.citizen_id, clock.today()));
		if (result === 'not_found') error(404, NOT_FOUND);
		if (result !== 'ok')
			return fail(400, { intent: 'checkIn', errors: { _form: CHECK_IN_REFUSED_FR[result] } as Record<string, string>, values: {} });
		redirect(303, route.workshopRoster(territory.slug, id, { q: parsed.data.q || undefined }));
	},

	/** Un-checks a person (checked in by mistake). */
	uncheck: async (event) => {
		const { claims, territory } = await territoryContext(event);
		const id = workshopId(event.params);
		const parsed = parseForm(CheckInSchema, await event.request.formData());
		if (!parsed.ok) return fail(400, { intent: 'uncheck', errors: parsed.errors, values: parsed.values });
		const done = await asUser(claims, (tx) => uncheck(tx, territory.id, id, parsed.data.citizen_id));
		// Nothing removed: this workshop or this person is not in the territory (or was not checked in).
		if (!done) error(404, 'Cette présence n’existe pas (ou plus) pour cet atelier de ce territoire.');
		redirect(303, route.workshop(territory.slug, id));
	},

	/**
	 * Enrols a new attendee with their consent and checks them in, in one transaction. Someone
	 * alike already enrolled: refused, with the person(s) to check in instead.
	 */
	quickAdd: async (event) => {
		const { claims, territory } = await territoryContext(event);
		const id = workshopId(event.params);
		const form = await event.request.formData();
		const parsed = parseForm(QuickAddSchema, form);
		if (!parsed.ok) return invalid('quickAdd', parsed);
		const { submission, ...person } = parsed.data;
		const once = await asUser(claims, (tx) =>
			writeOnce(tx, submission, 'quick_add', async () => {
				const added = await quickAddAttendee(tx, territory.id, id, person, clock.today());
				return added.kind === 'added' ? { ok: true as const, value: { id: added.citizenId } } : { ok: false as const, failure: added };
			})
		);
		if (once.ok) redirect(303, route.workshop(territory.slug, id));
		const result = once.failure;
		const values = postedValues(form);
		if (result.kind === 'refused') {
			if (result.reason === 'not_found') error(404, NOT_FOUND);
			return formFail(400, 'quickAdd', { errors: { _form: CHECK_IN_REFUSED_FR[result.reason] }, values });
		}
		return formFail(
			409,
			'quickAdd',
			{
				errors: {
					_form:
						'Une personne qui lui ressemble (même adresse e-mail, ou même nom dans la même commune) est déjà inscrite : ' +
						'pointez-la plutôt que de l’inscrire en double.'
				},
				values
			},
			{ lookalikes: result.kind === 'lookalikes' ? result.lookalikes : [] }
		);
	}
};
