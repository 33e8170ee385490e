import type { Tx } from '$lib/server/db';
import type { Phase } from '$lib/domain/program';
import {
	TRANSITIONS,
	phasesFrom,
	type BlockMilestoneInput,
	type CompleteMilestoneInput,
	type EditMilestoneInput,
	type MilestoneAction,
	type MilestoneInput,
	type MilestoneStatus,
	type StatusFilter
} from '$lib/domain/milestones';

/** A territory's milestone, as the pages show it. Dates are YYYY-MM-DD strings. */
export interface Milestone {
	id: string;
	template_id: string | null;
	title: string;
	description: string;
	due_date: string;
	status: MilestoneStatus;
	completed_at: string | null;
	evidence_note: string;
	evidence_url: string | null;
	blocked_reason: string;
	laws: number[];
	version: number;
}

export interface HistoryEvent {
	id: string;
	at: Date;
	action: 'insert' | 'update' | 'delete';
	changes: Record<string, unknown>;
	actor_name: string | null;
}

const columns = (tx: Tx) => tx`
	m.id, m.template_id, m.title, m.description, m.due_date, m.status, m.completed_at,
	m.evidence_note, m.evidence_url, m.blocked_reason, m.laws::int[] as laws, m.version`;

/**
 * The status filter in SQL. `late` is THE rule, `private.is_late` (mirrored by `isLate` in
 * src/lib/domain/forecast.ts, tested to agree) — derived here only to filter and paginate.
 */
const filterSql = (tx: Tx, filter: StatusFilter | null, today: string) =>
	filter === null
		? tx`true`
		: filter === 'late'
			? tx`private.is_late(m.due_date, m.status, ${today}::date)`
			: tx`m.status = ${filter}::public.milestone_status`;

/** The phases of the territory's cohort (configurable), defaults if malformed. One query. */
export async function programPhases(tx: Tx, territoryId: string): Promise<Phase[]> {
	const [row] = await tx<{ phases: unknown }[]>`
		select c.phases from public.territories t join public.cohorts c on c.id = t.cohort_id
		where t.id = ${territoryId}`;
	return phasesFrom(row?.phases);
}

/**
 * One page of the territory's milestones (by due date) with the filtered total. One query.
 * Without `limit`, every matching milestone (the timeline), capped at 500.
 */
export async function listMilestones(
	tx: Tx,
	territoryId: string,
	opts: { filter: StatusFilter | null; today: string; limit?: number; offset?: number }
): Promise<{ total: number; rows: Milestone[] }> {
	const limit = opts.limit ?? 500;
	const rows = await tx<(Milestone & { total: number; id: string | null })[]>`
		with f as (
			select ${columns(tx)} from public.milestones m
			where m.territory_id = ${territoryId} and ${filterSql(tx, opts.filter, opts.today)}
		), n as (select count(*)::int as total from f)
		select n.total, p.* from n
		left join lateral (
			select * from f order by f.due_date, f.title, f.id limit ${limit} offset ${opts.offset ?? 0}
		) p on true`;
	const total = rows[0]?.total ?? 0;
	return {
		total,
		rows: rows.filter((r) => r.id !== null).map(({ total: _, ...m }) => m as Milestone)
	};
}

/** One milestone of the territory, or undefined (not found, or not visible to this user). */
export async function getMilestone(tx: Tx, territoryId: string, id: string): Promise<Milestone | undefined> {
	const [row] = await tx<Milestone[]>`
		select ${columns(tx)} from public.milestones m where m.id = ${id} and m.territory_id = ${territoryId}`;
	return row;
}

/**
 * The milestone's audit trail, newest first (20 at most), with who did it: a display name only
 * where this user may see it (private.visible_display_name). One query.
 */
export function milestoneHistory(tx: Tx, id: string) {
	return tx<HistoryEvent[]>`
		select a.id::text as id, a.at, a.action, a.changes,
		       private.visible_display_name(a.actor_id) as actor_name
		from public.audit_events a
		where a.entity = 'milestones' and a.entity_id = ${id}
		order by a.at desc, a.id desc
		limit 20`;
}

/** Adds one of the territory's own milestones (no template). Returns its id. */
export async function createMilestone(tx: Tx, territoryId: string, m: MilestoneInput): Promise<string> {
	const [row] = await tx<{ id: string }[]>`
		insert into public.milestones (territory_id, title, description, due_date, laws)
		values (${territoryId}, ${m.title}, ${m.description}, ${m.due_date}, ${m.laws}::smallint[])
		returning id`;
	return row.id;
}

/**
 * Edits title, description, due date and laws at the version read. False: nothing updated.
 * A program milestone keeps its due date (it changes through an accepted date-change request,
 * see ./date-requests.ts; the database refuses it otherwise).
 */
export async function updateMilestone(tx: Tx, territoryId: string, id: string, m: EditMilestoneInput): Promise<boolean> {
	const rows = await tx`
		update public.milestones set title = ${m.title}, description = ${m.description},
			due_date = case when template_id is null then ${m.due_date}::date else due_date end,
			laws = ${m.laws}::smallint[]
		where id = ${id} and territory_id = ${territoryId} and version = ${m.version}
		returning id`;
	return rows.length === 1;
}

type Change =
	| { action: 'start' | 'unblock' | 'reopen' }
	| { action: 'complete'; input: CompleteMilestoneInput }
	| { action: 'block'; input: BlockMilestoneInput };

/**
 * Changes a milestone's status at the version read, only from a status it may leave that way
 * (see TRANSITIONS). Completing records the evidence and the completion date (done ⇔ completed_at);
 * blocking records the reason; leaving `done` or `blocked` clears the date or the reason.
 * False: nothing updated (stale version, status not allowed, not visible or refused by RLS).
 */
export async function changeMilestoneStatus(
	tx: Tx,
	territoryId: string,
	id: string,
	version: number,
	change: Change
): Promise<boolean> {
	const { from, to } = TRANSITIONS[change.action as MilestoneAction];
	// text[], not milestone_status[]: independent of when postgres.js learnt the custom types
	// (custom enum arrays are learnt at connection time, which may precede the migrations).
	const set =
		change.action === 'complete'
			? tx`completed_at = ${change.input.completed_at}::date, evidence_note = ${change.input.evidence_note},
				evidence_url = ${change.input.evidence_url}, blocked_reason = ''`
			: change.action === 'block'
				? tx`completed_at = null, blocked_reason = ${change.input.blocked_reason}`
				: tx`completed_at = null, blocked_reason = ''`;
	const rows = await tx`
		update public.milestones set status = ${to}::public.milestone_status, ${set}
		where id = ${id} and territory_id = ${territoryId} and version = ${version}
		  and status::text = any (${from}::text[])
		returning id`;
	return rows.length === 1;
}

/**
 * Deletes one of the territory's own milestones at the version read. Template milestones are
 * kept: the app asks for `template_id is null`, and RLS refuses them to non-staff anyway.
 */
export async function deleteMilestone(tx: Tx, territoryId: string, id: string, version: number): Promise<boolean> {
	const rows = await tx`
		delete from public.milestones
		where id = ${id} and territory_id = ${territoryId} and version = ${version} and template_id is null
		returning id`;
	return rows.length === 1;
}
