import type { Tx } from '$lib/server/db';
import { enrolCitizen, findLookalikes } from '$lib/server/citizens';
import { lieuSearch } from '$lib/server/lieux';
import { CONSENT_PURPOSE, CONSENT_TEXT_VERSION } from '$lib/domain/citizens';
import { keyContains, lockIdentity, searchable } from '$lib/server/identity';
import type {
	Attendee,
	EditWorkshopInput,
	QuickAddInput,
	Workshop,
	WorkshopInput,
	WorkshopListRow,
	WorkshopStatus
} from '$lib/domain/workshops';
import { LIEU_CHOICES } from '$lib/domain/workshops';

export type { Attendee, Workshop, WorkshopListRow };

// Every function takes the territory the page is about and filters on it: a workshop id of
// another territory is « not found » here, and RLS refuses it underneath anyway. Times are
// stored as timestamptz; the Paris-local date and times are computed here, for forms and display.

const PARIS = 'Europe/Paris';

const listColumns = (tx: Tx) => tx`
	w.id, w.title, w.format, w.status, w.starts_at, w.ends_at,
	to_char(w.starts_at at time zone ${PARIS}, 'YYYY-MM-DD') as local_date,
	to_char(w.starts_at at time zone ${PARIS}, 'HH24:MI') as start_time,
	to_char(w.ends_at at time zone ${PARIS}, 'HH24:MI') as end_time,
	coalesce(l.name, nullif(w.lieu_label, '')) as lieu, w.capacity`;

/** The Paris-local date + time as a timestamptz, in SQL. */
const parisInstant = (tx: Tx, date: string, time: string) =>
	tx`((${date}::date + ${time}::time) at time zone ${PARIS})`;

/** The view's condition: the rule of `isPast` (src/lib/domain/workshops.ts). */
const viewSql = (tx: Tx, view: 'a-venir' | 'passes', now: Date) =>
	view === 'passes'
		? tx`(w.status = 'held' or w.ends_at <= ${now})`
		: tx`(w.status <> 'held' and w.ends_at > ${now})`;

/** How many workshops each list holds (for the tabs and the pager). One query. */
export async function workshopCounts(tx: Tx, territoryId: string, now: Date) {
	const [row] = await tx<{ upcoming: number; past: number }[]>`
		select count(*) filter (where ${viewSql(tx, 'a-venir', now)})::int as upcoming,
		       count(*) filter (where ${viewSql(tx, 'passes', now)})::int as past
		from public.workshops w where w.territory_id = ${territoryId}`;
	return row;
}

/**
 * One page of a list with each workshop's attendance count (a join and an aggregate, not a
 * query per row). Upcoming: soonest first; past: most recent first. One query.
 */
export function listWorkshops(
	tx: Tx,
	territoryId: string,
	view: 'a-venir' | 'passes',
	now: Date,
	page: { offset: number; limit: number }
) {
	const order = view === 'passes' ? tx`w.starts_at desc, w.id` : tx`w.starts_at, w.id`;
	return tx<WorkshopListRow[]>`
		select ${listColumns(tx)}, count(a.citizen_id)::int as attendees
		from public.workshops w
		left join public.lieux l on l.id = w.lieu_id
		left join public.attendances a on a.workshop_id = w.id
		where w.territory_id = ${territoryId} and ${viewSql(tx, view, now)}
		group by w.id, l.name
		order by ${order}
		limit ${page.limit} offset ${page.offset}`;
}

/** The workshops starting in a month (YYYY-MM, Paris time), for the calendar. One query. */
export function monthWorkshops(tx: Tx, territoryId: string, month: string, nextMonth: string) {
	return tx<WorkshopListRow[]>`
		select ${listColumns(tx)}, count(a.citizen_id)::int as attendees
		from public.workshops w
		left join public.lieux l on l.id = w.lieu_id
		left join public.attendances a on a.workshop_id = w.id
		where w.territory_id = ${territoryId}
		  and w.starts_at >= ${parisInstant(tx, `${month}-01`, '00:00')}
		  and w.starts_at < ${parisInstant(tx, `${nextMonth}-01`, '00:00')}
		group by w.id, l.name
		order by w.starts_at, w.id
		limit 300`;
}

/** One workshop with its lieu, laws' names and attendance count. One query. */
export async function getWorkshop(tx: Tx, territoryId: string, id: string): Promise<Workshop | null> {
	const [row] = await tx<Workshop[]>`
		select ${listColumns(tx)},
		       (select count(*)::int from public.attendances a where a.workshop_id = w.id) as attendees,
		       w.lieu_id, w.lieu_label, l.status = 'active' as lieu_active, w.laws::int[] as laws,
		       array(select lw.name_fr from public.laws lw where lw.id = any (w.laws) order by lw.id) as law_names,
		       (extract(epoch from w.ends_at - w.starts_at) / 60)::int as duration_minutes,
		       w.facilitator_name, w.summary, w.version
		from public.workshops w left join public.lieux l on l.id = w.lieu_id
		where w.id = ${id} and w.territory_id = ${territoryId}`;
	return row ?? null;
}

/** The five laws, with their French names, from public.laws. */
export function listLaws(tx: Tx) {
	return tx<{ id: number; name_fr: string }[]>`select id::int, name_fr from public.laws order by id`;
}

export interface SelectableLieux {
	/** At most LIEU_CHOICES lieux, in French order of names (`active` false: the current one, no longer active). */
	lieux: { id: string; name: string; commune: string; active: boolean }[];
	/** How many active lieux match (all of them without `q`). */
	total: number;
}

/**
 * The lieux the workshop form offers, in one query: the workshop's current one (`currentId`, even
 * if no longer active), then the territory's active lieux — those whose name or commune contains
 * `q` (`lieuSearch`: « ecole » finds « École »), else the ones its workshops used last, then
 * the last enrolled — at most LIEU_CHOICES, shown in French order of names. `total`: how many
 * active lieux match, to say how many are not shown.
 */
export async function selectableLieux(
	tx: Tx,
	territoryId: string,
	{ currentId = null, q = '' }: { currentId?: string | null; q?: string } = {}
): Promise<SelectableLieux> {
	const matching = () => (q ? lieuSearch(tx, q) : tx`true`);
	const rows = await tx<{ id: string; name: string; commune: string; active: boolean; total: number }[]>`
		select s.id, s.name, s.commune, s.active, s.total from (
			select l.id, l.name, l.commune, l.status = 'active' as active, (count(*) filter (where l.status = 'active' and ${matching()}) over ())::int as total
			from public.lieux l
			left join lateral (select max(w.starts_at) as at from public.workshops w where w.lieu_id = l.id) used on true
			where l.territory_id = ${territoryId}
			  and (l.id = ${currentId} or (l.status = 'active' and ${matching()}))
			order by l.id = ${currentId} desc nulls last, used.at desc nulls last, l.enrolled_at desc, l.id
			limit ${LIEU_CHOICES}
		) s
		order by s.name, s.commune, s.id`;
	return { lieux: rows.map(({ total: _, ...l }) => l), total: rows[0]?.total ?? 0 };
}

/** A lieu may be chosen if it is an active lieu of the territory (or, when editing, the one already set). */
const lieuAllowed = (tx: Tx, territoryId: string, lieuId: string | null, keepCurrent = false) => {
	if (lieuId === null) return tx`true`;
	const active = tx`exists (select 1 from public.lieux l where l.id = ${lieuId}::uuid
		and l.territory_id = ${territoryId} and l.status = 'active')`;
	return keepCurrent ? tx`(${active} or w.lieu_id = ${lieuId}::uuid)` : active;
};

/** Plans a workshop. Null when the lieu is not an active lieu of the territory (nothing written). */
export async function createWorkshop(tx: Tx, territoryId: string, w: WorkshopInput): Promise<string | null> {
	const [row] = await tx<{ id: string }[]>`
		insert into public.workshops (territory_id, title, format, starts_at, ends_at, lieu_id, lieu_label, laws,
			capacity, facilitator_name, summary)
		select ${territoryId}, ${w.title}, ${w.format}::public.workshop_format,
		       ${parisInstant(tx, w.date, w.start_time)},
		       ${parisInstant(tx, w.date, w.start_time)} + make_interval(mins => ${w.duration_minutes}::int),
		       ${w.lieu_id}::uuid, ${w.lieu_label}, ${w.laws}::smallint[], ${w.capacity}::int,
		       ${w.facilitator_name}, ${w.summary}
		where ${lieuAllowed(tx, territoryId, w.lieu_id)}
		returning id`;
	return row?.id ?? null;
}

/**
 * Edits a workshop at the version read. False: nothing updated (changed meanwhile, gone, or the
 * chosen lieu is not selectable) — the caller reads the current row to tell which.
 */
export async function updateWorkshop(tx: Tx, territoryId: string, id: string, w: EditWorkshopInput): Promise<boolean> {
	const rows = await tx`
		update public.workshops w set
			title = ${w.title}, format = ${w.format}::public.workshop_format,
			starts_at = ${parisInstant(tx, w.date, w.start_time)},
			ends_at = ${parisInstant(tx, w.date, w.start_time)} + make_interval(mins => ${w.duration_minutes}::int),
			lieu_id = ${w.lieu_id}::uuid, lieu_label = ${w.lieu_label}, laws = ${w.laws}::smallint[],
			capacity = ${w.capacity}::int, facilitator_name = ${w.facilitator_name}, summary = ${w.summary}
		where w.id = ${id} and w.territory_id = ${territoryId} and w.version = ${w.version}
		  and ${lieuAllowed(tx, territoryId, w.lieu_id, true)}
		returning w.id`;
	return rows.length === 1;
}

/** Cancels a planned workshop at the version read. False: nothing updated. */
export async function cancelWorkshop(tx: Tx, territoryId: string, id: string, version: number): Promise<boolean> {
	const rows = await tx`
		update public.workshops set status = 'cancelled'
		where id = ${id} and territory_id = ${territoryId} and version = ${version} and status = 'planned'
		returning id`;
	return rows.length === 1;
}

/** Closes a planned workshop that has started (`now`), with its summary. False: nothing updated. */
export async function closeWorkshop(
	tx: Tx,
	territoryId: string,
	id: string,
	version: number,
	summary: string,
	now: Date
): Promise<boolean> {
	const rows = await tx`
		update public.workshops set status = 'held', summary = ${summary}
		where id = ${id} and territory_id = ${territoryId} and version = ${version}
		  and status = 'planned' and starts_at <= ${now}
		returning id`;
	return rows.length === 1;
}

// ───────────────────────── Attendance ─────────────────────────

/** One page of the roster (names in alphabetical order, erased people last). One query. */
export function listAttendees(tx: Tx, workshopId: string, page: { offset: number; limit: number }) {
	return tx<Attendee[]>`
		select a.citizen_id, c.display_name, c.commune
		from public.attendances a join public.citizens c on c.id = a.citizen_id
		where a.workshop_id = ${workshopId}
		order by lower(c.display_name) nulls last, a.checked_in_at, a.citizen_id
		limit ${page.limit} offset ${page.offset}`;
}

/** Up to 10 active people of the territory whose name matches, not yet checked in. One query. */
export function searchCheckInCandidates(tx: Tx, territoryId: string, workshopId: string, q: string) {
	if (!searchable(q)) return Promise.resolve([] as Attendee[]);
	return tx<Attendee[]>`
		select c.id as citizen_id, c.display_name, c.commune
		from public.citizens c
		where c.territory_id = ${territoryId} and c.status = 'active' and c.erased_at is null
		  and ${keyContains(tx, 'c.name_key', q)}
		  and not exists (select 1 from public.attendances a where a.workshop_id = ${workshopId} and a.citizen_id = c.id)
		order by lower(c.display_name), c.id
		limit 10`;
}

export type CheckInResult = 'ok' | 'not_found' | 'cancelled' | 'future' | 'inactive';

/**
 * Checks a person in (idempotent: twice is once). Refused for a cancelled workshop, before the
 * workshop's day, or a withdrawn or erased person. A person of another territory: the trigger
 * raises 23514 (→ 400). Two queries.
 */
export async function checkIn(tx: Tx, territoryId: string, workshopId: string, citizenId: string, today: string): Promise<CheckInResult> {
	const [w] = await tx<{ status: WorkshopStatus; local_date: string; inactive: boolean }[]>`
		select w.status, to_char(w.starts_at at time zone ${PARIS}, 'YYYY-MM-DD') as local_date,
		       exists (select 1 from public.citizens c where c.id = ${citizenId}
		                 and (c.status <> 'active' or c.erased_at is not null)) as inactive
		from public.workshops w where w.id = ${workshopId} and w.territory_id = ${territoryId}`;
	if (!w) return 'not_found';
	if (w.status === 'cancelled') return 'cancelled';
	if (w.local_date > today) return 'future';
	if (w.inactive) return 'inactive';
	await tx`
		insert into public.attendances (workshop_id, citizen_id, territory_id)
		values (${workshopId}, ${citizenId}, ${territoryId})
		on conflict (workshop_id, citizen_id) do nothing`;
	return 'ok';
}

/** Un-checks a person. False: they were not checked in (or not visible). */
export async function uncheck(tx: Tx, territoryId: string, workshopId: string, citizenId: string): Promise<boolean> {
	const rows = await tx`
		delete from public.attendances
		where workshop_id = ${workshopId} and citizen_id = ${citizenId} and territory_id = ${territoryId}
		returning citizen_id`;
	return rows.length === 1;
}

export type QuickAddResult =
	| { kind: 'added'; citizenId: string }
	| { kind: 'lookalikes'; lookalikes: { id: string; display_name: string; commune: string | null }[] }
	| { kind: 'refused'; reason: Exclude<CheckInResult, 'ok' | 'inactive'> };

/**
 * Enrols a new attendee (source 'workshop', enrolled on the workshop's day, with their consent)
 * and checks them in. Run inside one transaction (asUser): citizen, consent and attendance are
 * written together or not at all. Refused when someone alike is already enrolled.
 */
export async function quickAddAttendee(
	tx: Tx,
	territoryId: string,
	workshopId: string,
	person: QuickAddInput,
	today: string
): Promise<QuickAddResult> {
	const [w] = await tx<{ status: WorkshopStatus; local_date: string }[]>`
		select w.status, to_char(w.starts_at at time zone ${PARIS}, 'YYYY-MM-DD') as local_date
		from public.workshops w where w.id = ${workshopId} and w.territory_id = ${territoryId}`;
	if (!w) return { kind: 'refused', reason: 'not_found' };
	if (w.status === 'cancelled') return { kind: 'refused', reason: 'cancelled' };
	if (w.local_date > today) return { kind: 'refused', reason: 'future' };
	await lockIdentity(tx, 'citizens', territoryId, person.display_name, person.commune);
	const lookalikes = await findLookalikes(tx, territoryId, person);
	if (lookalikes.length > 0) return { kind: 'lookalikes', lookalikes };
	const citizenId = await enrolCitizen(
		tx,
		territoryId,
		{
			display_name: person.display_name,
			email: person.email,
			phone: null,
			commune: person.commune,
			postal_code: null,
			age_band: person.age_band,
			source: 'workshop',
			is_societaire: false,
			enrolled_at: w.local_date
		},
		// What the person agreed to is the text this server shows, whatever the browser sent.
		{ consent: 'on', consent_purpose: CONSENT_PURPOSE, consent_text_version: CONSENT_TEXT_VERSION }
	);
	await tx`
		insert into public.attendances (workshop_id, citizen_id, territory_id)
		values (${workshopId}, ${citizenId}, ${territoryId})`;
	return { kind: 'added', citizenId };
}
