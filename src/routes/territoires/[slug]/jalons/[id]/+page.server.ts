import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { z } from 'zod';
import { parseForm, postedValues } from '$lib/domain/forms';
import {
	BlockMilestoneSchema,
	DateDecisionSchema,
	DateRequestSchema,
	DeleteMilestoneSchema,
	EditMilestoneSchema,
	TRANSITION_REFUSED_FR,
	VersionSchema,
	canDo,
	completeMilestoneSchema,
	programPlace,
	type MilestoneAction
} from '$lib/domain/milestones';
import { asUser, type Tx } from '$lib/server/db';
import { foundOr404, versionConflict } from '$lib/server/db/conflict';
import {
	changeMilestoneStatus,
	deleteMilestone,
	getMilestone,
	milestoneHistory,
	programPhases,
	updateMilestone,
	type Milestone
} from '$lib/server/milestones';
import { dateRequestStatus, decideDateChange, listDateRequests, requestDateChange } from '$lib/server/milestones/date-requests';
import { formFail, invalid } from '$lib/server/forms';
import { isUuid } from '$lib/domain/fields';
import { readTerritory, territoryContext } from '$lib/server/territories/context';
import { route } from '$lib/routes';
import type { Actions, PageServerLoad } from './$types';
import * as clock from '$lib/server/clock';

const NOT_FOUND = 'Jalon introuvable : il n’existe pas (ou plus) dans ce territoire.';

function milestoneId(params: { id?: string }): string {
	const id = params.id ?? '';
	if (!isUuid(id)) error(404, NOT_FOUND);
	return id;
}

/** A milestone with its audit history. Queries: the guard, then milestone + phases + history (one transaction). */
export const load: PageServerLoad = (event) =>
	readTerritory(event, async (tx, { claims, territory }) => {
		const id = milestoneId(event.params);
		const [milestone, phases, history, dateRequests] = await Promise.all([
			getMilestone(tx, territory.id, id),
			programPhases(tx, territory.id),
			milestoneHistory(tx, id),
			listDateRequests(tx, territory.id, id)
		]);
		if (!milestone) error(404, NOT_FOUND);
		const day = clock.today();
		return {
			territory,
			today: day,
			milestone,
			place: programPlace(territory.start_date, milestone.due_date, phases),
			history,
			/** Own milestones may be deleted; template ones by staff only (RLS), not from this page. */
			canDelete: milestone.template_id === null,
			dateRequests,
			/** Program milestones not done: coordinators ask for a new date (one request at a time). */
			canRequestDate:
				milestone.template_id !== null &&
				milestone.status !== 'done' &&
				claims.app_role === 'coordinator' &&
				!dateRequests.some((r) => r.status === 'pending'),
			/** Facilitators and admins accept or refuse pending requests. */
			canDecideDate: claims.app_role === 'facilitator' || claims.app_role === 'admin'
		};
	});

type Event = RequestEvent<{ slug: string; id: string }>;

/**
 * Runs one write at the version the form was read at. Bad input → 400 with French field errors;
 * nothing written (stale version) → the conflict message with the current values; a status change
 * the milestone cannot make (from an old page) → 400 saying why.
 */
async function write<S extends z.ZodType<{ version: number }>>(
	event: Event,
	intent: string,
	schema: S,
	run: (tx: Tx, territoryId: string, id: string, data: z.output<S>) => Promise<boolean>,
	opts: { transition?: MilestoneAction; onDone?: (slug: string) => string } = {}
) {
	const { claims, territory } = await territoryContext(event);
	const id = milestoneId(event.params);
	const form = await event.request.formData();
	const parsed = parseForm(schema, form);
	if (!parsed.ok) return invalid(intent, parsed);
	const { done, current } = await asUser(claims, async (tx) => {
		const done = await run(tx, territory.id, id, parsed.data);
		return { done, current: done ? undefined : await getMilestone(tx, territory.id, id) };
	});
	if (done) redirect(303, opts.onDone?.(territory.slug) ?? route.milestone(territory.slug, id));
	return refused(intent, current, postedValues(form), parsed.data.version, opts.transition);
}

function refused(
	intent: string,
	current: Milestone | undefined,
	values: Record<string, string>,
	version: number,
	transition?: MilestoneAction
) {
	if (current && current.version === version) {
		// Same version, yet nothing changed: the status does not allow it, or this is a template milestone.
		const message = transition
			? canDo(transition, current.status)
				? 'Cette action n’a pas pu être faite.'
				: TRANSITION_REFUSED_FR[transition]
			: intent === 'delete' && current.template_id !== null
				? 'Les jalons du programme ne peuvent pas être supprimés ; seuls ceux ajoutés par le territoire le peuvent.'
				: 'Cette action n’a pas pu être faite.';
		return formFail(400, intent, { errors: { _form: message }, values });
	}
	return versionConflict(current, { ...values, intent });
}

export const actions: Actions = {
	update: (event) =>
		write(event, 'update', EditMilestoneSchema, (tx, t, id, data) => updateMilestone(tx, t, id, data)),
	start: (event) =>
		write(event, 'start', VersionSchema, (tx, t, id, d) => changeMilestoneStatus(tx, t, id, d.version, { action: 'start' }), {
			transition: 'start'
		}),
	complete: (event) =>
		write(
			event,
			'complete',
			completeMilestoneSchema(clock.today()),
			(tx, t, id, d) => changeMilestoneStatus(tx, t, id, d.version, { action: 'complete', input: d }),
			{ transition: 'complete' }
		),
	block: (event) =>
		write(
			event,
			'block',
			BlockMilestoneSchema,
			(tx, t, id, d) => changeMilestoneStatus(tx, t, id, d.version, { action: 'block', input: d }),
			{ transition: 'block' }
		),
	unblock: (event) =>
		write(event, 'unblock', VersionSchema, (tx, t, id, d) => changeMilestoneStatus(tx, t, id, d.version, { action: 'unblock' }), {
			transition: 'unblock'
		}),
	reopen: (event) =>
		write(event, 'reopen', VersionSchema, (tx, t, id, d) => changeMilestoneStatus(tx, t, id, d.version, { action: 'reopen' }), {
			transition: 'reopen'
		}),
	/** A coordinator asks for a new due date of a program milestone, with a reason. */
	requestDate: async (event) => {
		const { claims, territory } = await territoryContext(event);
		const id = milestoneId(event.params);
		const form = await event.request.formData();
		const parsed = parseForm(DateRequestSchema, form);
		if (!parsed.ok) return invalid('requestDate', parsed);
		const result = await asUser(claims, (tx) => requestDateChange(tx, territory.id, id, parsed.data));
		if (result.ok) redirect(303, route.milestone(territory.slug, id));
		if (result.reason === 'not_found') error(404, NOT_FOUND);
		return formFail(409, 'requestDate', {
			errors: {
				_form:
					result.reason === 'pending'
						? 'Une demande de changement de date attend déjà la décision de l’animation.'
						: 'Cette demande n’est pas possible : seule la coordination du territoire demande une nouvelle date, pour un jalon du programme pas encore fait, et différente de l’échéance actuelle.'
			},
			values: postedValues(form)
		});
	},

	/** A facilitator accepts (the due date changes) or refuses a pending request. */
	decideDate: async (event) => {
		const { claims, territory } = await territoryContext(event);
		// the facilitation decides; a coordinator (even of this territory) is not allowed to (RLS says the same)
		if (claims.app_role !== 'admin' && claims.app_role !== 'facilitator')
			error(403, 'Seule l’animation du programme accepte ou refuse une demande de nouvelle date.');
		const id = milestoneId(event.params);
		const form = await event.request.formData();
		const parsed = parseForm(DateDecisionSchema, form);
		if (!parsed.ok) return invalid('decideDate', parsed);
		const { done, pending } = await asUser(claims, async (tx) => {
			const done = await decideDateChange(tx, territory.id, id, parsed.data);
			return { done, pending: done ? null : await dateRequestStatus(tx, territory.id, id, parsed.data.request_id) };
		});
		if (done) redirect(303, route.milestone(territory.slug, id));
		// nothing decided: no such request on this milestone of this territory (404), or already decided (409)
		foundOr404(pending, 'Demande introuvable : elle n’existe pas pour ce jalon de ce territoire.');
		return formFail(409, 'decideDate', {
			errors: { _form: 'Cette demande a déjà été traitée.' },
			values: postedValues(form)
		});
	},

	delete: (event) =>
		write(event, 'delete', DeleteMilestoneSchema, (tx, t, id, d) => deleteMilestone(tx, t, id, d.version), {
			onDone: (slug) => route.milestones(slug)
		})
};
