import type { Tx } from '$lib/server/db';

export interface HomeMilestone {
	id: string;
	title: string;
	due_date: string;
	status: 'planned' | 'in_progress' | 'done' | 'blocked';
}

export interface HomeWorkshop {
	id: string;
	title: string;
	starts_at: Date;
	lieu: string | null;
	attendees: number;
	capacity: number | null;
}

/** Open milestones: the late ones (due before today, all of them up to 10) and the next 5 to come. */
export function openMilestones(tx: Tx, territoryId: string, today: string) {
	return tx<(HomeMilestone & { late: boolean })[]>`
		(select id, title, due_date, status, true as late from public.milestones
		 where territory_id = ${territoryId} and private.is_late(due_date, status, ${today}::date)
		 order by due_date limit 10)
		union all
		(select id, title, due_date, status, false from public.milestones
		 where territory_id = ${territoryId} and status <> 'done' and not private.is_late(due_date, status, ${today}::date)
		 order by due_date limit 5)`;
}

/** The next planned workshops, with their lieu and how many are already checked in. */
export function nextWorkshops(tx: Tx, territoryId: string, now: Date, limit = 5) {
	return tx<HomeWorkshop[]>`
		select w.id, w.title, w.starts_at, coalesce(l.name, nullif(w.lieu_label, '')) as lieu, w.capacity,
		       (select count(*)::int from public.attendances a where a.workshop_id = w.id) as attendees
		from public.workshops w left join public.lieux l on l.id = w.lieu_id
		where w.territory_id = ${territoryId} and w.status = 'planned' and w.ends_at >= ${now}
		order by w.starts_at limit ${limit}`;
}
