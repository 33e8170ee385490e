/**
 * Program milestones keep their program date: a territory's coordinators ask for a new due date
 * with a reason (public.milestone_date_requests), facilitators accept or refuse it on the
 * milestone page. Accepting moves the due date in the same transaction (database trigger
 * private.date_request_apply, audited on the milestone and on the request); lateness is then
 * measured against the accepted date (private.is_late on the due date in force).
 * Rules held by the database (RLS + triggers, migration 20261129110300): only coordinators of the
 * territory ask, only for a program milestone not done, one pending request per milestone; only
 * staff decide, once.
 */
import type { DateDecisionInput, DateRequestInput, DateRequestStatus } from '$lib/domain/milestones';
import type { Tx } from '$lib/server/db';

export interface DateRequest {
	id: string;
	milestone_id: string;
	current_due_date: string;
	requested_due_date: string;
	reason: string;
	status: DateRequestStatus;
	requested_at: Date;
	/** null where this user may not see the name (private.visible_display_name) */
	requested_by_name: string | null;
	decided_at: Date | null;
	decided_by_name: string | null;
	decision_note: string;
}

/** A milestone's date-change requests, newest first (20 at most). One query. */
export function listDateRequests(tx: Tx, territoryId: string, milestoneId: string) {
	return tx<DateRequest[]>`
		select r.id, r.milestone_id, r.current_due_date, r.requested_due_date, r.reason, r.status, r.requested_at,
		       private.visible_display_name(r.requested_by) as requested_by_name, r.decided_at,
		       private.visible_display_name(r.decided_by) as decided_by_name, r.decision_note
		from public.milestone_date_requests r
		where r.milestone_id = ${milestoneId} and r.territory_id = ${territoryId}
		order by r.requested_at desc, r.id
		limit 20`;
}

export type RequestResult = { ok: true; id: string } | { ok: false; reason: 'pending' | 'refused' | 'not_found' };

/**
 * Asks for a new due date of a program milestone. `pending`: a request is already waiting for a
 * decision (unique index); `refused`: the database refused it (not a program milestone, done,
 * same date, not a coordinator of the territory: 23514 / 42501 are mapped here, not thrown);
 * `not_found`: no such milestone visible in this territory (another territory's id: RLS hides it).
 */
export async function requestDateChange(
	tx: Tx,
	territoryId: string,
	milestoneId: string,
	r: DateRequestInput
): Promise<RequestResult> {
	try {
		const [row] = await tx.savepoint(
			(sp) => sp<{ id: string }[]>`
				insert into public.milestone_date_requests (milestone_id, territory_id, requested_due_date, reason, current_due_date)
				select m.id, m.territory_id, ${r.requested_due_date}::date, ${r.reason}, m.due_date
				from public.milestones m where m.id = ${milestoneId} and m.territory_id = ${territoryId}
				returning id`
		);
		// insert … select from a milestone this person cannot see inserts nothing
		return row ? { ok: true, id: row.id } : { ok: false, reason: 'not_found' };
	} catch (e) {
		const code = (e as { code?: string }).code;
		if (code === '23505') return { ok: false, reason: 'pending' };
		if (code === '23514' || code === '42501') return { ok: false, reason: 'refused' };
		throw e;
	}
}

/**
 * Accepts (the due date becomes the requested one) or refuses a pending request of this
 * milestone. False: nothing decided (already decided, not found, or not staff — RLS).
 */
export async function decideDateChange(tx: Tx, territoryId: string, milestoneId: string, d: DateDecisionInput): Promise<boolean> {
	const rows = await tx`
		update public.milestone_date_requests
		set status = ${d.decision === 'accept' ? 'accepted' : 'refused'}::public.date_request_status,
		    decision_note = ${d.decision_note}
		where id = ${d.request_id} and milestone_id = ${milestoneId} and territory_id = ${territoryId} and status = 'pending'
		returning id`;
	return rows.length === 1;
}

/**
 * The status of one request of this milestone as this person sees it (RLS); null when there is
 * none (unknown id, another milestone's or territory's). One query.
 */
export async function dateRequestStatus(
	tx: Tx,
	territoryId: string,
	milestoneId: string,
	requestId: string
): Promise<DateRequestStatus | null> {
	const [row] = await tx<{ status: DateRequestStatus }[]>`
		select status from public.milestone_date_requests
		where id = ${requestId} and milestone_id = ${milestoneId} and territory_id = ${territoryId}`;
	return row?.status ?? null;
}
