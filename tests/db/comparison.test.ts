import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import postgres from 'postgres';
import { asService, type Tx } from '../../src/lib/server/db';
import type { Claims } from '../../src/lib/server/auth/claims';
import { comparisonMonths, comparisonOptions, comparisonTerritories } from '../../src/lib/server/cockpit/comparison';
import { PROGRAM_MEASURES, comparisonSeries, indicatorMeasure } from '../../src/lib/domain/comparison';
import { type TerritoryPair, asUserThenRollback, outcome, territoryPair, useTestDatabase } from './helpers';

/**
 * `public.comparison_months` (the comparison by program month, /pilotage/comparaison): staff
 * only, as each role; its months agree with the raw rows; the program's end bounds it; the
 * page's three statements align territories that started on different dates.
 */

let stop: () => Promise<void>;
let A: TerritoryPair['A'];
let B: TerritoryPair['B'];
let as: TerritoryPair['as'];

beforeAll(async () => {
	stop = useTestDatabase();
	({ A, B, as } = await territoryPair());
});
afterAll(() => stop());

const call = (ids: string[], indicatorId: string | null = null) => (tx: Tx) => comparisonMonths(tx, ids, indicatorId);

const ROLLBACK = Symbol('rollback');
/**
 * Moves territories' start dates the rules would refuse (20261129182000: never after the
 * territory's first data), to put territories on other program months than the demo's; then runs
 * `fn` as `claims` under RLS, in the same transaction, and rolls everything back. The move is
 * made by the embedded superuser with triggers off for this transaction only.
 */
async function withStartDates<T>(starts: Record<string, string>, claims: Claims, fn: (tx: Tx) => Promise<T>): Promise<T> {
	const sql = postgres(inject('superDatabaseUrl'), { max: 1, onnotice: () => {}, types: { date: { to: 1082, from: [1082], serialize: (v: string) => v, parse: (v: string) => v } } });
	let result: T | undefined;
	try {
		await sql.begin(async (tx) => {
			await tx`set local session_replication_role = replica`;
			for (const [id, start] of Object.entries(starts)) await tx`update public.territories set start_date = ${start} where id = ${id}`;
			await tx`set local session_replication_role = origin`;
			await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`;
			result = await fn(tx as unknown as Tx);
			throw ROLLBACK;
		});
	} catch (e) {
		if (e !== ROLLBACK) throw e;
	} finally {
		await sql.end();
	}
	return result as T;
}

describe('comparison_months: who may call it', () => {
	it('facilitators and admins get the rows; coordinators (even of the territory), funders and users without a role get none; the public is refused', async () => {
		for (const who of [as.facilitator, as.admin]) expect((await asUserThenRollback(who, call([A.id, B.id]))).length).toBeGreaterThan(0);
		for (const who of [as.coordA, as.coordB, as.funder, as.outsider]) expect(await asUserThenRollback(who, call([A.id, B.id]))).toHaveLength(0);
		expect(await outcome(null, call([A.id]))).toBe(403);
	});

	it('coordinators and funders cannot read the rollups it reads, directly', async () => {
		for (const who of [as.coordA, as.funder]) expect(await outcome(who, (tx) => tx`select * from private.territory_months`)).toBe(403);
	});
});

describe('comparison_months: the figures', () => {
	it('gives each month’s active enrolments and the indicator’s values, as the raw rows count them', async () => {
		const [indicator] = await asService((tx) => tx<{ id: string }[]>`select id from public.indicators where code = 'personnes_formees'`);
		const rows = await asUserThenRollback(as.facilitator, call([A.id], indicator.id));
		const raw = await asService(
			(tx) => tx<{ month: string; citizens: number; lieux: number; value: string | null }[]>`
				with m as (
					select date_trunc('month', enrolled_at)::date as month, 1 as c, 0 as l from public.citizens where territory_id = ${A.id} and status = 'active'
					union all select date_trunc('month', enrolled_at)::date, 0, 1 from public.lieux where territory_id = ${A.id} and status = 'active'
				),
				e as (select month, sum(c)::int as citizens, sum(l)::int as lieux from m group by month),
				v as (select month, value from public.indicator_values where territory_id = ${A.id} and indicator_id = ${indicator.id})
				select coalesce(e.month, v.month)::text as month, coalesce(e.citizens, 0) as citizens, coalesce(e.lieux, 0) as lieux, v.value
				from e full join v on v.month = e.month order by 1`
		);
		expect(raw.length).toBeGreaterThan(3);
		expect(rows.map((r) => ({ month: r.month, citizens: r.citizens, lieux: r.lieux, value: r.value }))).toEqual(raw);
		expect(rows.every((r) => r.territory_id === A.id)).toBe(true);
	});

	it('stops at the end of the territory’s program (a start 18 months earlier leaves later months out)', async () => {
		const months = await withStartDates({ [A.id]: '2025-01-01' }, as.facilitator, async (tx) =>
			(await comparisonMonths(tx, [A.id], null)).map((r) => String(r.month))
		);
		expect(months.length).toBeGreaterThan(0);
		expect(months.every((m) => m < '2026-07-01')).toBe(true);
	});

	it('ignores territories of no cohort’s page: an unknown id gives nothing', async () => {
		expect(await asUserThenRollback(as.facilitator, call(['00000000-0000-4000-8000-000000000000']))).toHaveLength(0);
		expect(await asUserThenRollback(as.facilitator, call([]))).toHaveLength(0);
	});
});

describe('the comparison page’s data', () => {
	it('aligns a territory that started later on its own month 1, with the pace, in three statements', async () => {
		const result = await withStartDates({ [B.id]: '2026-05-01' }, as.facilitator, async (tx) => {
			const options = (await comparisonOptions(tx))!;
			const [region] = await tx<{ region: string }[]>`select region from public.territories where id = ${A.id}`;
			const all = await comparisonTerritories(tx, null, 0, 500);
			const some = await comparisonTerritories(tx, region.region, 0, 500);
			const page = all.territories.filter((t) => t.id === A.id || t.id === B.id);
			const rows = await comparisonMonths(tx, page.map((t) => t.id), null);
			return { options, all, some, region: region.region, page, rows };
		});
		expect(result.options.cohort.citizen_threshold).toBe(350);
		expect(result.options.regions).toContain(result.region);
		expect(result.options.catalog.map((i) => i.code)).toContain('personnes_formees');
		expect(result.all.total).toBe(18);
		expect(result.some.territories.every((t) => t.region === result.region)).toBe(true);
		expect(result.some.total).toBe(result.some.territories.length);

		const s = comparisonSeries({ territories: result.page, rows: result.rows, measure: PROGRAM_MEASURES.citoyens, threshold: 350, today: '2026-11-29' });
		const a = s.territories.find((t) => t.id === A.id)!;
		const b = s.territories.find((t) => t.id === B.id)!;
		expect(a.reached).toBe(10);
		expect(b.start_date).toBe('2026-05-01');
		expect(b.reached).toBe(7);
		// B's month 1 is May 2026: everything enrolled up to the end of May
		const upToMay = result.rows.filter((r) => r.territory_id === B.id && String(r.month) <= '2026-05-01').reduce((n, r) => n + r.citizens, 0);
		expect(b.values[0]).toBe(upToMay);
		expect(b.values[7]).toBeNull();
		expect(s.pace?.[17]).toBe(350);
	});

	it('an indicator’s values follow its rule over time', async () => {
		const options = (await asUserThenRollback(as.facilitator, comparisonOptions))!;
		const stock = options.catalog.find((i) => i.code === 'partenariats_actifs')!;
		expect(stock.aggregation_over_time).toBe('last');
		const rows = await asUserThenRollback(as.facilitator, call([A.id], stock.id));
		const s = comparisonSeries({
			territories: [{ ...A, name: 'A', region: '', start_date: '2026-02-01' }],
			rows,
			measure: indicatorMeasure(stock),
			today: '2026-11-29'
		});
		const entered = rows.filter((r) => r.value !== null).sort((x, y) => String(x.month).localeCompare(String(y.month)));
		const lastEntered = entered.at(-1)!;
		expect(s.territories[0].values[9]).toBe(Number(lastEntered.value));
	});
});
