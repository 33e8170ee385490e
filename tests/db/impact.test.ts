import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asService, type Tx } from '../../src/lib/server/db';
import { loadImpact, publishSnapshot, publishedSnapshot } from '../../src/lib/server/impact';
import { openDataRows } from '../../src/lib/domain/impact';
import { expectedIndicators, expectedTotals } from '../support/expected-impact';
import { type TerritoryPair, asUserOnOwnerThenRollback, asUserThenRollback, outcome, territoryPair, useTestDatabase } from './helpers';

let stop: () => Promise<void>;
let A: TerritoryPair['A'];
let B: TerritoryPair['B'];
let as: TerritoryPair['as'];

beforeAll(async () => {
	stop = useTestDatabase();
	({ A, B, as } = await territoryPair());
});
afterAll(() => stop());

const MONTHS = Array.from({ length: 10 }, (_, i) => `2026-${String(i + 2).padStart(2, '0')}-01`);
const PEOPLE = ['citizens', 'citizens_new', 'societaires', 'participations', 'participants', 'participants_new', 'societaires_new'];

describe('impact aggregates: who may call them', () => {
	const calls = {
		territories: (tx: Tx) => tx`select * from public.impact_territories('2026-02-01', '2026-11-01')`,
		totals: (tx: Tx) => tx`select * from public.impact_totals('2026-02-01', '2026-11-01')`,
		trend: (tx: Tx) => tx`select * from public.impact_trend('2026-02-01', '2026-11-01', 'calendar')`,
		breakdown: (tx: Tx) => tx`select * from public.impact_breakdown('2026-02-01', '2026-11-01', 'source')`,
		indicators: (tx: Tx) => tx`select * from public.impact_indicators('2026-02-01', '2026-11-01')`
	};

	it('funders, facilitators and admins get them; coordinators and users without a role get no row; the public is refused', async () => {
		for (const [name, call] of Object.entries(calls)) {
			for (const who of [as.funder, as.facilitator, as.admin]) {
				expect((await asUserThenRollback(who, call)).length, name).toBeGreaterThan(0);
			}
			for (const who of [as.coordA, as.outsider]) expect(await asUserThenRollback(who, call), name).toHaveLength(0);
			expect(await outcome(null, call), name).toBe(403);
		}
	});

	it('a funder reads no row of citizens, lieux, attendance, consent or indicator values, and calls no private helper', async () => {
		const rows = await asUserThenRollback(as.funder, async (tx) => ({
			citizens: (await tx`select * from public.citizens`).length,
			lieux: (await tx`select contact_name, contact_email, contact_phone from public.lieux`).length,
			attendances: (await tx`select * from public.attendances`).length,
			consents: (await tx`select * from public.consent_events`).length,
			values: (await tx`select * from public.indicator_values`).length,
			audit: (await tx`select * from public.audit_events`).length
		}));
		expect(rows).toEqual({ citizens: 0, lieux: 0, attendances: 0, consents: 0, values: 0, audit: 0 });
		for (const call of [
			(tx: Tx) => tx`select * from private.territory_months`,
			(tx: Tx) => tx`select * from private.participant_months`,
			(tx: Tx) => tx`select private.small_count(3, 11)`,
			(tx: Tx) => tx`select private.rollup_participation('[]'::jsonb)`,
			(tx: Tx) => tx`select * from private.current_cohort()`
		]) {
			expect(await outcome(as.funder, call)).toBe(403);
		}
		// the territory workspace functions give a funder nothing of a territory
		expect(await asUserThenRollback(as.funder, (tx) => tx`select * from public.territory_standing(${A.id}, '2026-11-29')`)).toHaveLength(0);
	});

	it('no filter combination gives a funder a count of people between 1 and 10', async () => {
		const offending: string[] = [];
		await asUserThenRollback(as.funder, async (tx) => {
			for (let i = 0; i < MONTHS.length; i++) {
				for (let j = i; j < MONTHS.length; j++) {
					const [from, to] = [MONTHS[i], MONTHS[j]];
					const sets = {
						territories: await tx`select * from public.impact_territories(${from}, ${to})`,
						totals: await tx`select * from public.impact_totals(${from}, ${to})`,
						calendar: await tx`select * from public.impact_trend(${from}, ${to}, 'calendar')`,
						program: await tx`select * from public.impact_trend(${from}, ${to}, 'program')`,
						source: await tx`select * from public.impact_breakdown(${from}, ${to}, 'source')`,
						age: await tx`select * from public.impact_breakdown(${from}, ${to}, 'age_band')`
					};
					for (const [name, rows] of Object.entries(sets))
						for (const row of rows)
							for (const key of [...PEOPLE, ...(name === 'source' || name === 'age' ? ['citizens'] : [])]) {
								const v = row[key];
								if (typeof v === 'number' && v > 0 && v < 11) offending.push(`${name} ${from}…${to} ${key}=${v}`);
							}
				}
			}
		});
		expect(offending).toEqual([]);
	});

	it('the small counts exist underneath (so the test above can fail), and the threshold follows the cohort', async () => {
		const [raw] = await asService(
			(tx) => tx<{ n: number }[]>`select count(*)::int as n from private.territory_months where citizens between 1 and 10`
		);
		expect(raw.n).toBeGreaterThan(0);
		const suppressed = await asUserOnOwnerThenRollback(as.funder, async (tx) => {
			const before = await tx`select count(*)::int as n from public.impact_breakdown('2026-11-01', '2026-11-01', 'source') where citizens is null`;
			await tx`reset role`;
			await tx`update public.cohorts set small_count_threshold = 2`;
			await tx`select set_config('role', 'authenticated', true)`;
			const after = await tx`select count(*)::int as n from public.impact_breakdown('2026-11-01', '2026-11-01', 'source') where citizens is null`;
			return { before: before[0].n, after: after[0].n };
		});
		expect(suppressed.before).toBeGreaterThan(0);
		expect(suppressed.after).toBeLessThan(suppressed.before);
	});
});

describe('impact aggregates: the figures', () => {
	it('totals equal the sum of the territories and a recount from the raw rows', async () => {
		const { totals, territories } = await asUserThenRollback(as.funder, async (tx) => ({
			totals: (await tx`select * from public.impact_totals('2026-02-01', '2026-11-01')`)[0],
			territories: await tx`select * from public.impact_territories('2026-02-01', '2026-11-01')`
		}));
		const [raw] = await asService(
			(tx) => tx`select
				(select count(*)::int from public.citizens where status = 'active' and enrolled_at < '2026-12-01') as citizens,
				(select count(*)::int from public.citizens where status = 'active' and is_societaire and enrolled_at < '2026-12-01') as societaires,
				(select count(*)::int from public.lieux where status = 'active' and enrolled_at < '2026-12-01') as lieux,
				(select count(*)::int from public.workshops where status = 'held'
				   and starts_at >= '2026-02-01 00:00 Europe/Paris' and starts_at < '2026-12-01 00:00 Europe/Paris') as workshops_held,
				(select count(*)::int from public.attendances a join public.workshops w on w.id = a.workshop_id
				   where w.starts_at >= '2026-02-01 00:00 Europe/Paris' and w.starts_at < '2026-12-01 00:00 Europe/Paris') as participations,
				(select count(distinct a.citizen_id)::int from public.attendances a join public.workshops w on w.id = a.workshop_id
				   where w.starts_at < '2026-12-01 00:00 Europe/Paris') as participants`
		);
		expect({
			citizens: totals.citizens,
			societaires: totals.societaires,
			lieux: totals.lieux,
			workshops_held: totals.workshops_held,
			participations: totals.participations,
			participants: totals.participants
		}).toEqual(raw);
		expect(territories).toHaveLength(18);
		expect(territories.reduce((s, t) => s + t.lieux, 0)).toBe(totals.lieux);
		expect(territories.reduce((s, t) => s + t.workshops_held, 0)).toBe(totals.workshops_held);
	});

	it('indicators follow their rules: flows summed, stocks last value, territories summed or averaged', async () => {
		const from = '2026-05-01';
		const to = '2026-09-01';
		const got = await asUserThenRollback(as.funder, (tx) => tx`select * from public.impact_indicators(${from}, ${to})`);
		const raw = await asService(
			(tx) => tx`select i.id, i.kind, i.aggregation_over_time, i.aggregation_across, v.territory_id, v.month, v.value::float8 as value
				from public.indicators i join public.indicator_values v on v.indicator_id = i.id
				where v.month between ${from} and ${to} and i.active`
		);
		for (const ind of got) {
			const mine = raw.filter((r) => r.id === ind.indicator_id);
			const byTerritory = new Map<string, { month: string; value: number }[]>();
			for (const r of mine) byTerritory.set(r.territory_id, [...(byTerritory.get(r.territory_id) ?? []), { month: r.month as string, value: r.value as number }]);
			const perTerritory = [...byTerritory.values()].map((vs) => {
				if (ind.aggregation_over_time === 'sum') return vs.reduce((s, v) => s + v.value, 0);
				if (ind.aggregation_over_time === 'average') return vs.reduce((s, v) => s + v.value, 0) / vs.length;
				return [...vs].sort((a, b) => (a.month < b.month ? 1 : -1))[0].value;
			});
			const expected =
				perTerritory.length === 0
					? null
					: ind.aggregation_across === 'sum'
						? perTerritory.reduce((s, v) => s + v, 0)
						: perTerritory.reduce((s, v) => s + v, 0) / perTerritory.length;
			expect(ind.territories_reported, ind.code).toBe(perTerritory.length);
			expect(ind.territories_total).toBe(18);
			if (expected === null) expect(ind.actual).toBeNull();
			else expect(Number(ind.actual), ind.code).toBeCloseTo(expected, 6);
			if (ind.kind === 'stock') expect(ind.aggregation_over_time).not.toBe('sum');
		}
		expect(got.some((i) => i.kind === 'stock')).toBe(true);
		expect(got.some((i) => i.kind === 'flow')).toBe(true);
	});
});

describe('where a territory stands', () => {
	it('its coordinators and staff see quartiles over every territory; another coordinator nothing', async () => {
		const mine = await asUserThenRollback(as.coordA, (tx) => tx`select * from public.territory_standing(${A.id}, '2026-11-29')`);
		expect(mine.map((r) => r.measure)).toEqual(['citizens', 'lieux', 'societaires', 'workshops_held', 'participants']);
		expect(mine[0].program_month).toBe(10);
		expect(mine[0].territories).toBe(18);
		expect(Number(mine[0].q1)).toBeLessThanOrEqual(Number(mine[0].median));
		expect(Number(mine[0].median)).toBeLessThanOrEqual(Number(mine[0].q3));
		expect(await asUserThenRollback(as.coordB, (tx) => tx`select * from public.territory_standing(${A.id}, '2026-11-29')`)).toHaveLength(0);
		expect((await asUserThenRollback(as.facilitator, (tx) => tx`select * from public.territory_standing(${B.id}, '2026-11-29')`)).length).toBe(5);
	});
});

describe('transparency snapshots', () => {
	const publish = (tx: Tx) =>
		tx`insert into public.transparency_snapshots (cohort_id, period_from, period_to, data_date, figures)
			select id, '2026-02-01', '2026-11-01', '2026-11-29', '{"totals": {"citizens": 1}}'::jsonb from public.cohorts limit 1
			returning id`;

	it('only staff publish; nobody edits the figures of a publication; the public reads only the latest published one', async () => {
		expect(await outcome(as.funder, publish)).toBe(403);
		expect(await outcome(as.coordA, publish)).toBe(403);
		expect(await outcome(null, publish)).toBe(403);
		expect(await outcome(null, (tx) => tx`select * from public.transparency_snapshots`)).toBe(403);
		expect(await asUserThenRollback(null, (tx) => tx`select * from public.published_snapshot()`)).toHaveLength(0);
		const seen = await asUserThenRollback(as.facilitator, async (tx) => {
			const [first] = await publish(tx);
			const [second] = await publish(tx);
			let editRefused = false;
			await tx`savepoint s`;
			try {
				await tx`update public.transparency_snapshots set figures = '{}'::jsonb where id = ${first.id}`;
			} catch {
				editRefused = true;
				await tx`rollback to savepoint s`;
			}
			await tx`update public.transparency_snapshots set withdrawn_at = now(), withdrawn_by = ${as.facilitator.sub} where id = ${second.id}`;
			await tx`select set_config('role', 'anon', true), set_config('request.jwt.claims', '{"role":"anon"}', true)`;
			const publicView = await tx`select id from public.published_snapshot()`;
			return { editRefused, publicView, first: first.id };
		});
		expect(seen.editRefused).toBe(true);
		expect(seen.publicView.map((r) => r.id)).toEqual([seen.first]);
	});
});

describe('figures computed independently from the seeded rows', () => {
	for (const [from, to] of [
		['2026-02', '2026-11'],
		['2026-05', '2026-09'],
		['2026-11', '2026-11']
	]) {
		it(`agree with the dashboard's data and its open data rows, ${from} … ${to}`, async () => {
			const data = (await asUserThenRollback(as.funder, (tx) => loadImpact(tx, { from, to, law: null }, '2026-11-29')))!;
			const expected = expectedTotals(from, to);
			for (const [k, v] of Object.entries(expected)) {
				const cell = data.totals[k as keyof typeof expected];
				expect(cell.status, k).toBe('shown');
				expect(cell.value, k).toBe(v);
			}
			const rows = openDataRows(data);
			for (const [k, v] of Object.entries(expected))
				expect(rows.find((r) => r.section === 'programme' && r.mesure === k)?.valeur, k).toBe(v);
			const indicators = expectedIndicators(from, to);
			expect(data.indicators).toHaveLength(indicators.length);
			for (const e of indicators) {
				const got = data.indicators.find((i) => i.code === e.code)!;
				expect(got.actual, e.code).toBeCloseTo(e.actual!, 6);
				expect(got.reported, e.code).toBe(e.reported);
				if (e.target === null) expect(got.target).toBeNull();
				else expect(got.target, e.code).toBeCloseTo(e.target, 6);
				expect(rows.find((r) => r.section === 'indicateur' && r.indicateur === e.code && r.mesure === 'realise')?.valeur).toBe(got.actual);
			}
			// territory columns add up to the program total wherever nothing is hidden
			for (const m of ['lieux', 'workshops_held'] as const)
				expect(data.territories.reduce((s, t) => s + (t.cells[m].value ?? 0), 0)).toBe(data.totals[m].value);
		});
	}

	it('a published snapshot gives the public exactly the figures the facilitator saw', async () => {
		const seen = await asUserThenRollback(as.facilitator, async (tx) => {
			const data = (await loadImpact(tx, { from: '2026-02', to: '2026-11', law: null }, '2026-11-29'))!;
			await publishSnapshot(tx, data);
			await tx`select set_config('role', 'anon', true), set_config('request.jwt.claims', '{"role":"anon"}', true)`;
			return { data, published: await publishedSnapshot(tx) };
		});
		expect(seen.published?.figures).toEqual(JSON.parse(JSON.stringify(seen.data)));
		expect(seen.published?.figures.totals.citizens.value).toBe(expectedTotals('2026-02', '2026-11').citizens);
	});
});
