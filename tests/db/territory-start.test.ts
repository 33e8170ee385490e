import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asService, type Tx } from '../../src/lib/server/db';
import { CohortSchema, EditTerritorySchema, TerritorySchema } from '../../src/lib/domain/configuration';
import { createTerritory, currentCohort, updateCohort, updateTerritory, type CohortRow } from '../../src/lib/server/configuration';
import { asUserThenRollback, outcome, territoryPair, useTestDatabase, type TerritoryPair } from './helpers';

/**
 * A territory's start date (migration 20261129182000_add_territory_start_rule): within its
 * cohort's program and never after its earliest data, through the app (a French message at the
 * field) and in raw SQL (refused by the database), as each role. Everything is rolled back.
 */

let stop: () => Promise<void>;
let pair: TerritoryPair;
let cohort: CohortRow;
/** Territory A's earliest enrolment, lieu or workshop day (Paris), YYYY-MM-DD. */
let earliest: string;

beforeAll(async () => {
	stop = useTestDatabase();
	pair = await territoryPair();
	cohort = (await asService((tx) => currentCohort(tx)))!;
	const [row] = await asService(
		(tx) => tx<{ d: string }[]>`select least(
			(select min(enrolled_at) from public.citizens where territory_id = ${pair.A.id}),
			(select min(enrolled_at) from public.lieux where territory_id = ${pair.A.id}),
			(select (min(starts_at) at time zone 'Europe/Paris')::date from public.workshops where territory_id = ${pair.A.id}))::text as d`
	);
	earliest = row.d;
});
afterAll(async () => {
	await stop();
});

const dayAfter = (iso: string) => new Date(Date.parse(`${iso}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** Territory A as its edit form would post it, with `start_date`. */
async function editA(tx: Tx, start_date: string) {
	const [t] = await tx`select name, slug, region, departement, carrier_kind, description, version from public.territories where id = ${pair.A.id}`;
	if (!t) return false; // not readable: nothing to edit
	const input = EditTerritorySchema.parse({ ...t, version: String(t.version), start_date });
	return updateTerritory(tx, pair.A.id, input);
}

describe('the start date of a territory', () => {
	it('the demo territory has data from the cohort’s start (so the rule has something to hold)', () => {
		expect(earliest).toBeTruthy();
		expect(earliest >= String(cohort.start_date)).toBe(true);
	});

	it('facilitators and admins: a start after the earliest data is refused at the field, with the date', async () => {
		for (const who of [pair.as.facilitator, pair.as.admin]) {
			const result = await asUserThenRollback(who, (tx) => editA(tx, dayAfter(earliest)));
			const [y, m, d] = earliest.split('-');
			expect(result).toEqual({ refused: { start_date: expect.stringContaining(`déjà des données datées du ${d}/${m}/${y}`) } });
		}
	});

	it('facilitators and admins: years ahead is refused (outside the cohort), so is a start before the cohort', async () => {
		for (const who of [pair.as.facilitator, pair.as.admin]) {
			expect(await asUserThenRollback(who, (tx) => editA(tx, '2029-03-01'))).toEqual({
				refused: { start_date: expect.stringContaining('pendant les 18 mois de la cohorte') }
			});
			expect(await asUserThenRollback(who, (tx) => editA(tx, '2025-12-01'))).toEqual({
				refused: { start_date: expect.stringContaining('précéder celle de la cohorte (01/02/2026)') }
			});
		}
	});

	it('facilitators and admins: the earliest data day itself is accepted', async () => {
		for (const who of [pair.as.facilitator, pair.as.admin]) {
			expect(await asUserThenRollback(who, (tx) => editA(tx, earliest))).toBe(true);
		}
	});

	it('coordinators, a funder and a user with no role cannot move it at all', async () => {
		for (const who of [pair.as.coordA, pair.as.coordB, pair.as.funder, pair.as.outsider]) {
			expect([false, 403]).toContain(
				await asUserThenRollback(who, (tx) => editA(tx, earliest)).catch((e) => (e as { status?: number }).status)
			);
			expect(await outcome(who, (tx) => tx`update public.territories set start_date = '2026-02-02' where id = ${pair.A.id}`.then((r) => {
				if (r.count > 0) throw new Error('moved');
			}))).toBe('ok');
		}
	});

	it('raw SQL cannot break it: as a facilitator under RLS, and as the owner past every policy', async () => {
		expect(
			await outcome(pair.as.facilitator, (tx) => tx`update public.territories set start_date = '2029-03-01' where id = ${pair.A.id}`)
		).toBe(400);
		await expect(
			asService((tx) => tx`update public.territories set start_date = ${dayAfter(earliest)} where id = ${pair.A.id}`)
		).rejects.toMatchObject({ status: 400 });
		await expect(
			asService((tx) => tx`update public.cohorts set start_date = '2026-06-01' where id = ${cohort.id}`)
		).rejects.toMatchObject({ status: 400 });
	});

	it('an indicator month bounds it by month: a start later in that month is fine, the next month is not', async () => {
		const result = await asUserThenRollback(pair.as.facilitator, async (tx) => {
			const made = await createTerritory(tx, cohort.id, TerritorySchema.parse({
				name: 'Territoire sans données', slug: 'territoire-sans-donnees', region: 'Bretagne', departement: 'Finistère',
				carrier_kind: 'mixte', start_date: '2026-09-01'
			}));
			if (typeof made !== 'string') throw new Error(JSON.stringify(made));
			const [indicator] = await tx`select id from public.indicators where active order by code limit 1`;
			await tx`insert into public.indicator_values (indicator_id, territory_id, month, value) values (${indicator.id}, ${made}, '2026-09-01', 3)`;
			const move = async (start_date: string) => {
				const [t] = await tx`select version from public.territories where id = ${made}`;
				return updateTerritory(tx, made, EditTerritorySchema.parse({
					name: 'Territoire sans données', slug: 'territoire-sans-donnees', region: 'Bretagne', departement: 'Finistère',
					carrier_kind: 'mixte', start_date, version: String(t.version)
				}));
			};
			return { sameMonth: await move('2026-09-20'), nextMonth: await move('2026-10-01') };
		});
		expect(result.sameMonth).toBe(true);
		expect(result.nextMonth).toEqual({ refused: { start_date: expect.stringContaining('indicateurs saisis pour le mois 09/2026') } });
	});

	it('a new territory starting years ahead is refused at the field', async () => {
		const made = await asUserThenRollback(pair.as.admin, (tx) =>
			createTerritory(tx, cohort.id, TerritorySchema.parse({
				name: 'Territoire lointain', slug: 'territoire-lointain', region: 'Bretagne', departement: 'Finistère',
				carrier_kind: 'mixte', start_date: '2030-01-01'
			}))
		);
		expect(made).toEqual({ refused: { start_date: expect.stringContaining('au plus tard le 31/07/2027') } });
	});
});

describe('the start date of the cohort (the default of its territories)', () => {
	const cohortInput = (start_date: string) =>
		CohortSchema.parse({
			version: String(cohort.version), name: cohort.name, start_date, duration_months: String(cohort.duration_months),
			citizen_threshold: String(cohort.citizen_threshold), lieu_threshold: String(cohort.lieu_threshold),
			societaire_target: String(cohort.societaire_target), timeliness_day: String(cohort.timeliness_day),
			semer_to: String(cohort.phases[0].to), germer_to: String(cohort.phases[1].to)
		});

	it('facilitators and admins: moving it after a territory’s data is refused at the field, naming the territory', async () => {
		for (const who of [pair.as.facilitator, pair.as.admin]) {
			expect(await asUserThenRollback(who, (tx) => updateCohort(tx, cohort.id, cohortInput('2026-06-01')))).toEqual({
				refused: { start_date: expect.stringMatching(/^Territoire « .+ » : Ce territoire a déjà des données datées du/) }
			});
			expect(await asUserThenRollback(who, (tx) => updateCohort(tx, cohort.id, cohortInput(String(cohort.start_date))))).toBe(true);
		}
	});

	it('coordinators, a funder and a user with no role cannot change it', async () => {
		for (const who of [pair.as.coordA, pair.as.funder, pair.as.outsider]) {
			expect([false, 403]).toContain(
				await asUserThenRollback(who, (tx) => updateCohort(tx, cohort.id, cohortInput('2026-06-01'))).catch((e) => (e as { status?: number }).status)
			);
		}
	});
});
