import type { Claims } from '$lib/server/auth/claims';
import { asUser, type Tx } from '$lib/server/db';
import { memoAcrossTerritories } from '$lib/server/db/memo';
import { DEFAULT_TIMELINESS_DAY, cockpitRow, type CockpitExtras, type CockpitRow } from '$lib/domain/cockpit';
import type { TerritoryFiguresRow } from '$lib/domain/figures';

export type CockpitDbRow = TerritoryFiguresRow & CockpitExtras;

/**
 * Every visible territory's figures for the cockpit, in ONE statement whatever their number:
 * `public.territory_figures()` (counts, milestones, freshness) joined with set-based extras —
 * workshops held this calendar month (Paris), check-ins and capacity of held workshops, and the
 * months whose indicators were all entered with the day (Paris) the last one was. Runs under RLS
 * as the user (staff see every territory). Archived territories are included, flagged `archived`.
 * Dates: `today` is 'YYYY-MM-DD' (Paris).
 */
export function cockpitRows(tx: Tx, today: string) {
	return tx<CockpitDbRow[]>`
		with
		t as (
			select t.id, t.archived_at is not null as archived, c.timeliness_day, c.id as cohort_id
			from public.territories t join public.cohorts c on c.id = t.cohort_id
		),
		ws as (
			select w.territory_id,
			       count(*) filter (where date_trunc('month', w.starts_at at time zone 'Europe/Paris') = date_trunc('month', ${today}::date)
			                          and (w.starts_at at time zone 'Europe/Paris')::date <= ${today}::date)::int as this_month,
			       coalesce(sum(w.capacity), 0)::int as capacity
			from public.workshops w
			where w.status = 'held'
			group by w.territory_id
		),
		att as (
			select a.territory_id, count(*)::int as attendees
			from public.attendances a join public.workshops w on w.id = a.workshop_id
			where w.status = 'held' and w.capacity is not null
			group by a.territory_id
		),
		catalog as (
			select i.cohort_id, count(*)::int as n from public.indicators i where i.active group by i.cohort_id
		),
		months as (
			select v.territory_id, v.month, count(distinct v.indicator_id)::int as n,
			       (max(v.created_at) at time zone 'Europe/Paris')::date as completed_on
			from public.indicator_values v join public.indicators i on i.id = v.indicator_id and i.active
			group by v.territory_id, v.month
		),
		reported as (
			select m.territory_id,
			       jsonb_agg(jsonb_build_object('month', m.month, 'completedOn', m.completed_on) order by m.month) as months
			from months m join t on t.id = m.territory_id join catalog k on k.cohort_id = t.cohort_id
			where m.n >= k.n
			group by m.territory_id
		)
		select f.*,
		       coalesce(ws.this_month, 0) as workshops_held_this_month,
		       coalesce(att.attendees, 0) as attendees,
		       coalesce(ws.capacity, 0) as capacity,
		       coalesce(reported.months, '[]'::jsonb) as reported_months,
		       t.timeliness_day, t.archived
		from public.territory_figures(${today}::date) f
		join t on t.id = f.territory_id
		left join ws on ws.territory_id = f.territory_id
		left join att on att.territory_id = f.territory_id
		left join reported on reported.territory_id = f.territory_id`;
}

/**
 * The cockpit's table (page, CSV): every active territory's row with the rules applied
 * (`cockpitRow`: flag, completeness, timeliness, forecasts), and the cohort's timeliness day.
 * Runs as the user under RLS; kept while the data does not change (memoAcrossTerritories): after
 * the first request of the day or after a write, one statement besides the transaction's own.
 * Read-only. `today` is 'YYYY-MM-DD' (Paris). Errors: 503 when the database is unreachable.
 */
export function activeCockpitRows(claims: Claims, today: string): Promise<{ rows: CockpitRow[]; timelinessDay: number }> {
	return asUser(claims, (tx) =>
		memoAcrossTerritories(tx, claims, `cockpit|${today}`, async (tx) => {
			const dbRows = (await cockpitRows(tx, today)).filter((r) => !r.archived);
			return {
				rows: dbRows.map((r) => cockpitRow(r, today)),
				timelinessDay: dbRows[0]?.timeliness_day ?? DEFAULT_TIMELINESS_DAY
			};
		})
	);
}

export interface DriftCell {
	territory_id: string;
	template_id: string;
	milestone_id: string;
	due_date: string;
	status: string;
	completed_at: string | null;
	/** the new date a pending date-change request asks for (accepting one moves `due_date`) */
	requested_due_date: string | null;
}

/**
 * The drift matrix's data for one page of non-archived territories (by name): the program's
 * templates, the page's territories and their template milestones — three statements whatever
 * the number of territories. Runs as the user under RLS.
 */
export async function driftMatrix(tx: Tx, offset: number, limit: number) {
	const templates = await tx<{ id: string; title: string; month_offset: number }[]>`
		select mt.id, mt.title, mt.month_offset from public.milestone_templates mt
		where mt.cohort_id = (select id from public.cohorts order by start_date desc, created_at desc limit 1)
		order by mt.sort_order, mt.month_offset, mt.code`;
	const territories = await tx<{ id: string; slug: string; name: string; total: number }[]>`
		select t.id, t.slug, t.name, count(*) over ()::int as total from public.territories t
		where t.archived_at is null order by t.name offset ${offset} limit ${limit}`;
	// An accepted request has already moved `due_date` (lateness is measured against it); a pending
	// one is shown in its cell, to be accepted or refused on the milestone's page.
	const cells = await tx<DriftCell[]>`
		select m.territory_id, m.template_id, m.id as milestone_id, m.due_date, m.status, m.completed_at,
		       r.requested_due_date
		from public.milestones m
		left join public.milestone_date_requests r on r.milestone_id = m.id and r.status = 'pending'
		where m.template_id is not null and m.territory_id = any (${territories.map((t) => t.id)}::uuid[])`;
	return { templates, territories, cells, total: territories[0]?.total ?? 0 };
}
