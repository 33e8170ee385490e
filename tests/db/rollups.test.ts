import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tx } from '../../src/lib/server/db';
import { CONSENT_PURPOSE, CONSENT_TEXT_VERSION, type CitizenInput } from '../../src/lib/domain/citizens';
import { importCitizens } from '../../src/lib/server/import';
import { eraseCitizen, reactivateCitizen, withdrawCitizen } from '../../src/lib/server/citizens';
import { checkIn, uncheck } from '../../src/lib/server/workshops';
import { type TerritoryPair, asUserOnOwnerThenRollback, outcome, territoryPair, useTestDatabase } from './helpers';

let stop: () => Promise<void>;
let A: TerritoryPair['A'];
let as: TerritoryPair['as'];
const consent = { consent_purpose: CONSENT_PURPOSE, consent_text_version: CONSENT_TEXT_VERSION };

beforeAll(async () => {
	stop = useTestDatabase();
	({ A, as } = await territoryPair());
});
afterAll(() => stop());

/**
 * The rollups as stored, and the same figures recounted from the raw rows (written here, not
 * shared with the migration), as sorted text lines so that a difference shows which cell is wrong.
 * Reads `private` as the server's own role inside the test's transaction, then becomes the user again.
 */
async function storedAndRecounted(tx: Tx, claims: object) {
	await tx`reset role`;
	const stored = await tx<{ line: string }[]>`
		select concat_ws(' ', territory_id, month, citizens, societaires, lieux, workshops_held,
		                 participations, participants, new_participants) as line
		from private.territory_months
		where (citizens, societaires, lieux, workshops_held, participations, participants, new_participants)
		      <> (0, 0, 0, 0, 0, 0, 0)
		order by 1`;
	const recounted = await tx<{ line: string }[]>`
		with cit as (
			select territory_id, date_trunc('month', enrolled_at)::date as month, count(*) as n,
			       count(*) filter (where is_societaire) as s
			from public.citizens where status = 'active' group by 1, 2),
		lx as (
			select territory_id, date_trunc('month', enrolled_at)::date as month, count(*) as n
			from public.lieux where status = 'active' group by 1, 2),
		ws as (
			select territory_id, date_trunc('month', starts_at at time zone 'Europe/Paris')::date as month, count(*) as n
			from public.workshops where status = 'held' group by 1, 2),
		att as (
			select a.citizen_id, w.territory_id, date_trunc('month', w.starts_at at time zone 'Europe/Paris')::date as month
			from public.attendances a join public.workshops w on w.id = a.workshop_id),
		parts as (select territory_id, month, count(*) as n, count(distinct citizen_id) as people from att group by 1, 2),
		firsts as (
			select territory_id, month, count(*) as n
			from (select citizen_id, territory_id, min(month) as month from att group by 1, 2) f group by 1, 2),
		keys as (
			select territory_id, month from cit union select territory_id, month from lx
			union select territory_id, month from ws union select territory_id, month from parts)
		select concat_ws(' ', k.territory_id, k.month, coalesce(cit.n, 0), coalesce(cit.s, 0), coalesce(lx.n, 0),
		                 coalesce(ws.n, 0), coalesce(parts.n, 0), coalesce(parts.people, 0), coalesce(firsts.n, 0)) as line
		from keys k
		left join cit using (territory_id, month) left join lx using (territory_id, month)
		left join ws using (territory_id, month) left join parts using (territory_id, month)
		left join firsts using (territory_id, month)
		order by 1`;
	const storedCats = await tx<{ line: string }[]>`
		select concat_ws(' ', territory_id, month, source, age_band, citizens) as line
		from private.territory_month_citizens where citizens <> 0 order by 1`;
	const recountedCats = await tx<{ line: string }[]>`
		select concat_ws(' ', territory_id, date_trunc('month', enrolled_at)::date, source, age_band, count(*)) as line
		from public.citizens where status = 'active' group by territory_id, date_trunc('month', enrolled_at), source, age_band
		order by 1`;
	const storedDays = await tx<{ line: string }[]>`
		select concat_ws(' ', territory_id, day, citizens, lieux) as line from private.territory_days
		where (citizens, lieux) <> (0, 0) order by 1`;
	const recountedDays = await tx<{ line: string }[]>`
		select concat_ws(' ', territory_id, day, sum(c), sum(l)) as line from (
			select territory_id, enrolled_at as day, 1 as c, 0 as l from public.citizens where status = 'active'
			union all select territory_id, enrolled_at, 0, 1 from public.lieux where status = 'active') s
		group by territory_id, day order by 1`;
	await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`;
	const lines = (rows: { line: string }[]) => rows.map((r) => r.line);
	return {
		stored: { months: lines(stored), categories: lines(storedCats), days: lines(storedDays) },
		recounted: { months: lines(recounted), categories: lines(recountedCats), days: lines(recountedDays) }
	};
}

const citizen = (i: number, over: Partial<CitizenInput> = {}): CitizenInput => ({
	display_name: `Rollup Test ${i}`,
	email: `rollup.test.${i}@exemple.test`,
	phone: null,
	commune: 'Testville',
	postal_code: null,
	age_band: '26_40',
	source: 'event',
	is_societaire: i % 3 === 0,
	enrolled_at: i % 2 ? '2026-11-20' : '2026-10-03',
	...over
});

describe('per-territory × month rollups', () => {
	it('equal a recount from the raw rows after the demo seed', async () => {
		const r = await asUserOnOwnerThenRollback(as.facilitator, (tx) => storedAndRecounted(tx, as.facilitator));
		expect(r.recounted.months.length).toBeGreaterThan(100);
		expect(r.stored).toEqual(r.recounted);
		// and the comparison does see a wrong cell
		const tampered = await asUserOnOwnerThenRollback(as.facilitator, async (tx) => {
			await tx`reset role`;
			await tx`update private.territory_months set participants = participants + 1
				where (territory_id, month) = (select territory_id, month from private.territory_months limit 1)`;
			return storedAndRecounted(tx, as.facilitator);
		});
		expect(tampered.stored.months).not.toEqual(tampered.recounted.months);
	});

	it('stay equal after enrolments, CSV import, edits, withdrawals, erasures, check-ins, moves and deletions', async () => {
		const claims = as.coordA;
		const r = await asUserOnOwnerThenRollback(claims, async (tx) => {
			// a CSV import (one statement, many rows)
			await importCitizens(tx, A.id, Array.from({ length: 40 }, (_, i) => citizen(i)), consent);
			const ids = (await tx<{ id: string }[]>`select id from public.citizens where display_name like 'Rollup Test %' order by email`).map((x) => x.id);
			// one by one: enrolment, sociétaire toggled, moved to another month, source changed
			await tx`insert into public.citizens (territory_id, display_name, source, enrolled_at, is_societaire)
				values (${A.id}, 'Rollup Seul', 'online', '2026-09-15', true)`;
			await tx`update public.citizens set is_societaire = not is_societaire where id = ${ids[0]}`;
			await tx`update public.citizens set enrolled_at = '2026-03-02', source = 'partner' where id = ${ids[1]}`;
			// withdrawals, a reactivation, erasures (which keep counting)
			for (const id of ids.slice(2, 6)) await withdrawCitizen(tx, A.id, id, '2026-11-29');
			await reactivateCitizen(tx, A.id, ids[2], { ...consent, consent_given: true } as never);
			for (const id of ids.slice(6, 9)) await eraseCitizen(tx, A.id, id);
			// a bulk update of many rows in one statement
			await tx`update public.citizens set age_band = '61_75' where id = any(${ids.slice(10, 30)}::uuid[])`;
			// lieux: created, deactivated, back-dated
			await tx`insert into public.lieux (territory_id, name, kind, commune, enrolled_at)
				values (${A.id}, 'Lieu Rollup 1', 'cafe', 'Testville', '2026-10-10'),
				       (${A.id}, 'Lieu Rollup 2', 'ecole', 'Testville', '2026-11-10')`;
			await tx`update public.lieux set status = 'inactive' where name = 'Lieu Rollup 2' and territory_id = ${A.id}`;
			await tx`update public.lieux set enrolled_at = '2026-04-01'
				where territory_id = ${A.id} and id = (select id from public.lieux where territory_id = ${A.id} order by enrolled_at limit 1)`;
			// workshops: held, checked in, moved to another month, cancelled, deleted
			const [w1] = await tx<{ id: string }[]>`insert into public.workshops (territory_id, title, starts_at, ends_at, status)
				values (${A.id}, 'Atelier rollup 1', '2026-10-31 23:30+01', '2026-11-01 01:00+01', 'held') returning id`;
			const [w2] = await tx<{ id: string }[]>`insert into public.workshops (territory_id, title, starts_at, ends_at, status)
				values (${A.id}, 'Atelier rollup 2', '2026-11-05 18:00+01', '2026-11-05 20:00+01', 'planned') returning id`;
			for (const id of ids.slice(9, 25)) await checkIn(tx, A.id, w1.id, id, '2026-11-29');
			for (const id of ids.slice(15, 35)) await checkIn(tx, A.id, w2.id, id, '2026-11-29');
			await uncheck(tx, A.id, w1.id, ids[9]);
			await tx`update public.workshops set status = 'held' where id = ${w2.id}`;
			await tx`update public.workshops set starts_at = '2026-08-05 18:00+02', ends_at = '2026-08-05 20:00+02' where id = ${w1.id}`;
			// a held workshop reopened, cancelled, deleted: users may not (program-rules.test.ts), so
			// the server's own role does it — the rollups must stay right whatever the writer
			await tx`reset role`;
			await tx`update public.workshops set status = 'cancelled' where id = ${w1.id}`;
			await tx`update public.workshops set status = 'planned' where id = ${w2.id}`;
			await tx`delete from public.workshops where id = ${w2.id}`;
			await tx`select set_config('role', 'authenticated', true)`;
			// an existing workshop of the seed moved a month later, with its check-ins
			await tx`update public.workshops set starts_at = starts_at + interval '31 days', ends_at = ends_at + interval '31 days'
				where id = (select w.id from public.workshops w join public.attendances a on a.workshop_id = w.id
				            where w.territory_id = ${A.id} group by w.id order by count(*) desc, w.id limit 1)`;
			const [moved] = await tx<{ n: number }[]>`select count(*)::int as n from public.attendances where workshop_id = ${w1.id}`;
			return { moved: moved.n, ...(await storedAndRecounted(tx, claims)) };
		});
		expect(r.moved).toBe(15);
		expect(r.stored).toEqual(r.recounted);
	});

	it('answer territory_figures and program_totals exactly as a recount does', async () => {
		const r = await asUserOnOwnerThenRollback(as.funder, async (tx) => {
			const [totals] = await tx`select * from public.program_totals()`;
			const figures = await tx`select territory_id, citizens, societaires, lieux, workshops_held,
				citizens_in_pace_window, lieux_in_pace_window from public.territory_figures('2026-11-29') order by territory_id`;
			await tx`reset role`;
			const [raw] = await tx`select
				(select count(*)::int from public.citizens where status = 'active') as citizens,
				(select count(*)::int from public.citizens where status = 'active' and is_societaire) as societaires,
				(select count(*)::int from public.lieux where status = 'active') as lieux,
				(select count(*)::int from public.workshops where status = 'held') as workshops_held,
				(select count(*)::int from public.attendances) as attendances`;
			const rawFigures = await tx`select t.id as territory_id,
				(select count(*)::int from public.citizens c where c.territory_id = t.id and c.status = 'active') as citizens,
				(select count(*)::int from public.citizens c where c.territory_id = t.id and c.status = 'active' and c.is_societaire) as societaires,
				(select count(*)::int from public.lieux l where l.territory_id = t.id and l.status = 'active') as lieux,
				(select count(*)::int from public.workshops w where w.territory_id = t.id and w.status = 'held') as workshops_held,
				(select count(*)::int from public.citizens c where c.territory_id = t.id and c.status = 'active'
				   and c.enrolled_at between greatest(date '2026-11-29' - 89, coalesce(t.start_date, co.start_date)) and '2026-11-29') as citizens_in_pace_window,
				(select count(*)::int from public.lieux l where l.territory_id = t.id and l.status = 'active'
				   and l.enrolled_at between greatest(date '2026-11-29' - 89, coalesce(t.start_date, co.start_date)) and '2026-11-29') as lieux_in_pace_window
				from public.territories t join public.cohorts co on co.id = t.cohort_id order by t.id`;
			return { totals, figures, raw, rawFigures };
		});
		expect(r.figures).toEqual(r.rawFigures);
		expect({
			citizens: r.totals.citizens,
			societaires: r.totals.societaires,
			lieux: r.totals.lieux,
			workshops_held: r.totals.workshops_held,
			attendances: r.totals.attendances
		}).toEqual(r.raw);
	});

	it('are out of reach of every user role', async () => {
		for (const who of [as.funder, as.coordA, as.facilitator, null]) {
			expect(await outcome(who, (tx) => tx`select * from private.territory_months limit 1`)).toBe(403);
			expect(await outcome(who, (tx) => tx`select * from private.participant_months limit 1`)).toBe(403);
			expect(await outcome(who, (tx) => tx`select private.rollup_rebuild()`)).toBe(403);
		}
	});
});
