import { cockpitRow } from '$lib/domain/cockpit';
import {
	reminderNeeds,
	type Coordinator,
	type ReminderChannel,
	type ReminderIndicator,
	type ReminderNeeds,
	type ReminderTerritory
} from '$lib/domain/reminders';
import type { CockpitRow } from '$lib/domain/cockpit';
import type { Tx } from '$lib/server/db';
import { cockpitRows } from '$lib/server/cockpit';

/** The last reminder recorded for a territory. */
export interface LastReminder {
	territory_id: string;
	sent_at: Date;
	channel: ReminderChannel;
	/** The sender's display name; null when their account is gone. */
	sent_by_name: string | null;
}

/** A territory the page lists: its cockpit row, what is missing, its coordination, its last reminder. */
export interface ReminderItem {
	row: CockpitRow;
	territory: ReminderTerritory;
	needs: ReminderNeeds;
	coordinators: Coordinator[];
	last: LastReminder | null;
}

/**
 * Every non-archived territory that needs a reminder (`reminderNeeds` not null) after
 * `staleAfterDays` days without change, as the signed-in staff member sees them (RLS). FIVE
 * statements whatever the number of territories: the cockpit's rows (`cockpitRows`, unchanged),
 * the active catalog, per territory its cohort, last indicator entry and partly entered months
 * (one pass over the values), the people directory (coordinators' names and e-mails: staff only,
 * empty otherwise) and the last reminder per territory. `today`: 'YYYY-MM-DD' (Paris).
 * Unsorted; see `compareNeeds`.
 */
export async function reminderItems(tx: Tx, today: string, staleAfterDays: number): Promise<ReminderItem[]> {
	const rows = (await cockpitRows(tx, today)).filter((r) => !r.archived);
	const catalog = await tx<(ReminderIndicator & { cohort_id: string })[]>`
		select i.id, i.cohort_id, i.name_fr as name from public.indicators i
		where i.active order by i.law, i.sort_order, i.code`;
	// ONE pass over the indicator values, per territory: its cohort (its catalog), the day a value
	// was last entered, and the months some but not all of whose active indicators were entered
	// (with those entered) — complete months are in the cockpit's rows, empty ones need no detail
	const territories = await tx<{ id: string; cohort_id: string; on: string | null; partial: Record<string, string[]> }[]>`
		with k as (select i.cohort_id, count(*)::int as n from public.indicators i where i.active group by i.cohort_id),
		per_month as (
			select v.territory_id, v.month, count(*) filter (where i.active)::int as n,
			       array_agg(v.indicator_id::text) filter (where i.active) as ids, max(v.created_at) as last_at
			from public.indicator_values v join public.indicators i on i.id = v.indicator_id
			group by v.territory_id, v.month
		)
		select t.id, t.cohort_id,
		       to_char(max(pm.last_at) at time zone 'Europe/Paris', 'YYYY-MM-DD') as on,
		       coalesce(jsonb_object_agg(to_char(pm.month, 'YYYY-MM-DD'), pm.ids) filter (where pm.n > 0 and pm.n < k.n), '{}'::jsonb) as partial
		from public.territories t
		left join k on k.cohort_id = t.cohort_id
		left join per_month pm on pm.territory_id = t.id
		where t.archived_at is null
		group by t.id, t.cohort_id`;
	const people = await tx<{ display_name: string; email: string; territory_ids: string[] }[]>`
		select d.display_name, d.email, d.territory_ids from public.people_directory() d where d.app_role = 'coordinator'`;
	const lasts = await tx<LastReminder[]>`
		select distinct on (r.territory_id) r.territory_id, r.sent_at, r.channel, p.display_name as sent_by_name
		from public.reminders r left join public.profiles p on p.user_id = r.sent_by
		order by r.territory_id, r.sent_at desc`;

	const catalogs = new Map<string, ReminderIndicator[]>();
	for (const i of catalog) {
		const list = catalogs.get(i.cohort_id) ?? [];
		list.push({ id: i.id, name: i.name });
		catalogs.set(i.cohort_id, list);
	}
	const entered = new Map(
		territories.map((t) => [t.id, new Map(Object.entries(t.partial).map(([month, ids]) => [month, new Set(ids)]))])
	);
	const cohortOf = new Map(territories.map((t) => [t.id, t.cohort_id]));
	const lastEntry = new Map(territories.map((t) => [t.id, t.on]));
	const coordinators = new Map<string, Coordinator[]>();
	for (const p of people)
		for (const id of p.territory_ids) coordinators.set(id, [...(coordinators.get(id) ?? []), { name: p.display_name, email: p.email }]);
	const lastReminder = new Map(lasts.map((l) => [l.territory_id, l]));

	const items: ReminderItem[] = [];
	for (const db of rows) {
		const row = cockpitRow(db, today);
		const territory: ReminderTerritory = {
			name: row.name,
			start: row.start_date,
			started: row.started,
			ended: row.ended,
			month: row.month,
			months: row.months,
			lastChangeOn: row.last_change_on,
			freshnessDays: row.freshnessDays,
			missingMonths: row.reporting.missing,
			enteredByMonth: entered.get(row.territory_id) ?? new Map(),
			catalog: catalogs.get(cohortOf.get(row.territory_id) ?? '') ?? [],
			indicatorsLastOn: lastEntry.get(row.territory_id) ?? null,
			milestonesLate: row.milestones_late,
			timelinessDay: db.timeliness_day
		};
		const needs = reminderNeeds(territory, staleAfterDays, today);
		if (needs)
			items.push({ row, territory, needs, coordinators: coordinators.get(row.territory_id) ?? [], last: lastReminder.get(row.territory_id) ?? null });
	}
	return items;
}

/**
 * Records that a reminder was sent for a territory (the sender and time come from the session,
 * set by the database). Staff only: RLS refuses anyone else (42501 → 403).
 * `missingMonths`: 'YYYY-MM-01' each; `daysSinceChange`: null when nothing was ever recorded.
 * Returns the new reminder's id.
 */
export async function recordReminder(
	tx: Tx,
	r: { territoryId: string; channel: ReminderChannel; summary: string; missingMonths: string[]; daysSinceChange: number | null }
): Promise<string> {
	const [row] = await tx<{ id: string }[]>`
		insert into public.reminders (territory_id, channel, summary, missing_months, days_since_change)
		values (${r.territoryId}, ${r.channel}, ${r.summary}, ${r.missingMonths}::date[], ${r.daysSinceChange})
		returning id`;
	return row.id;
}
