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
 * `staleAfterDays` days without change, as the signed-in staff member sees them (RLS). SIX
 * statements whatever the number of territories: the cockpit's rows (`cockpitRows`, unchanged),
 * the active catalog, the indicators entered in incomplete months, each territory's cohort and
 * the day its indicators were last entered, the people directory (coordinators' names and e-mails: staff only,
 * empty otherwise) and the last reminder per territory. `today`: 'YYYY-MM-DD' (Paris).
 * Unsorted; see `compareNeeds`.
 */
export async function reminderItems(tx: Tx, today: string, staleAfterDays: number): Promise<ReminderItem[]> {
	const rows = (await cockpitRows(tx, today)).filter((r) => !r.archived);
	const catalog = await tx<(ReminderIndicator & { cohort_id: string })[]>`
		select i.id, i.cohort_id, i.name_fr as name from public.indicators i
		where i.active order by i.law, i.sort_order, i.code`;
	// only months some but not all of whose indicators were entered: complete months are in the
	// cockpit's rows, months with nothing entered need no detail
	const partial = await tx<{ territory_id: string; month: string; ids: string[] }[]>`
		select v.territory_id, to_char(v.month, 'YYYY-MM-DD') as month, array_agg(v.indicator_id::text) as ids
		from public.indicator_values v
		join public.indicators i on i.id = v.indicator_id and i.active
		join public.territories t on t.id = v.territory_id
		group by v.territory_id, v.month, t.cohort_id
		having count(*) < (select count(*) from public.indicators k where k.active and k.cohort_id = t.cohort_id)`;
	// each territory's cohort (its catalog) and the day its indicators were last entered or changed
	const territories = await tx<{ id: string; cohort_id: string; on: string | null }[]>`
		select t.id, t.cohort_id,
		       (select to_char(max(v.created_at) at time zone 'Europe/Paris', 'YYYY-MM-DD')
		        from public.indicator_values v where v.territory_id = t.id) as on
		from public.territories t where t.archived_at is null`;
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
	const entered = new Map<string, Map<string, Set<string>>>();
	for (const p of partial) {
		const byMonth = entered.get(p.territory_id) ?? new Map<string, Set<string>>();
		byMonth.set(p.month, new Set(p.ids));
		entered.set(p.territory_id, byMonth);
	}
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
