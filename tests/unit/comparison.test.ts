import { describe, expect, it } from 'vitest';
import {
	PROGRAM_MEASURES,
	comparisonRuleFr,
	comparisonSeries,
	idealPace,
	indicatorMeasure,
	indicatorParam,
	parseComparisonQuery,
	programMonthIndex,
	type CatalogIndicator,
	type ComparisonMonthRow,
	type ComparisonTerritory
} from '../../src/lib/domain/comparison';

const TODAY = '2026-11-29';
const territory = (id: string, start_date: string): ComparisonTerritory => ({
	id,
	slug: id,
	name: id,
	region: 'Bretagne',
	start_date
});
const row = (territory_id: string, month: string, citizens = 0, lieux = 0, value: number | string | null = null): ComparisonMonthRow => ({
	territory_id,
	month,
	citizens,
	lieux,
	value
});
const indicator = (aggregation_over_time: CatalogIndicator['aggregation_over_time'], code = 'personnes_formees'): CatalogIndicator => ({
	id: `id-${code}`,
	code,
	law: 3,
	name_fr: 'Personnes formées',
	unit: 'personnes',
	aggregation_over_time
});

describe('programMonthIndex', () => {
	it('counts calendar months from the start’s month (1), whatever the day of the start', () => {
		expect(programMonthIndex('2026-02-01', '2026-02-01')).toBe(1);
		expect(programMonthIndex('2026-02-15', '2026-02-01')).toBe(1);
		expect(programMonthIndex('2026-02-15', '2026-03-01')).toBe(2);
		expect(programMonthIndex('2026-02-01', '2027-07-01')).toBe(18);
		expect(programMonthIndex('2026-02-01', '2027-08-01')).toBe(19);
		expect(programMonthIndex('2026-02-01', '2026-01-01')).toBe(0);
		expect(programMonthIndex('2026-11-01', '2026-02-01')).toBe(-8);
	});
});

describe('idealPace', () => {
	it('is linear from 0 to the threshold at the last month, rounded', () => {
		const pace = idealPace(350);
		expect(pace).toHaveLength(18);
		expect(pace.slice(0, 3)).toEqual([19, 39, 58]);
		expect(pace[8]).toBe(175);
		expect(pace[17]).toBe(350);
		expect(idealPace(150)[17]).toBe(150);
		expect(idealPace(120, 12)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120]);
	});
});

describe('comparisonSeries: citizens and lieux', () => {
	it('aligns territories that started on different dates on program months, cumulative, with the pace', () => {
		const s = comparisonSeries({
			territories: [territory('a', '2026-02-01'), territory('b', '2026-05-10')],
			rows: [
				row('a', '2026-02-01', 10, 2),
				row('a', '2026-03-01', 5, 1),
				row('b', '2026-05-01', 30, 4),
				row('b', '2026-07-01', 20, 0)
			],
			measure: PROGRAM_MEASURES.citoyens,
			threshold: 350,
			today: TODAY
		});
		expect(s.months).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
		expect(s.pace?.[0]).toBe(19);
		const [a, b] = s.territories;
		// a: month 10 on 2026-11-29; b: started 2026-05-10 → month 7 (May … November)
		expect(a.reached).toBe(10);
		expect(a.values.slice(0, 3)).toEqual([10, 15, 15]);
		expect(a.values[9]).toBe(15);
		expect(a.values[10]).toBeNull();
		expect(a.gap).toBe(15 - 194);
		expect(b.reached).toBe(7);
		expect(b.values.slice(0, 4)).toEqual([30, 30, 50, 50]);
		expect(b.values.slice(7).every((v) => v === null)).toBe(true);
		expect(b.gap).toBe(50 - 136);
		const lieux = comparisonSeries({
			territories: [territory('a', '2026-02-01')],
			rows: [row('a', '2026-02-01', 10, 2), row('a', '2026-03-01', 5, 1)],
			measure: PROGRAM_MEASURES.lieux,
			threshold: 150,
			today: TODAY
		});
		expect(lieux.territories[0].values.slice(0, 2)).toEqual([2, 3]);
		expect(lieux.pace?.[17]).toBe(150);
	});

	it('a territory not started yet has no value, no gap, and is not counted as behind', () => {
		const s = comparisonSeries({
			territories: [territory('later', '2027-01-15')],
			rows: [row('later', '2026-11-01', 4)],
			measure: PROGRAM_MEASURES.citoyens,
			threshold: 350,
			today: TODAY
		});
		const [t] = s.territories;
		expect(t.started).toBe(false);
		expect(t.reached).toBe(0);
		expect(t.values.every((v) => v === null)).toBe(true);
		expect(t.gap).toBeNull();
		expect(t.metAt).toBeNull();
	});

	it('counts enrolments before the start from month 1', () => {
		const s = comparisonSeries({
			territories: [territory('a', '2026-03-01')],
			rows: [row('a', '2026-01-01', 7), row('a', '2026-03-01', 3)],
			measure: PROGRAM_MEASURES.citoyens,
			threshold: 350,
			today: '2026-04-10'
		});
		expect(s.territories[0].values.slice(0, 3)).toEqual([10, 10, null]);
	});

	it('after month 18: all 18 months are shown, and later enrolments are left out', () => {
		const s = comparisonSeries({
			territories: [territory('a', '2025-01-01')],
			rows: [row('a', '2025-01-01', 100), row('a', '2026-06-01', 300), row('a', '2026-07-01', 50)],
			measure: PROGRAM_MEASURES.citoyens,
			threshold: 350,
			today: TODAY
		});
		const [t] = s.territories;
		expect(t.ended).toBe(true);
		expect(t.reached).toBe(18);
		expect(t.values[16]).toBe(100);
		expect(t.values[17]).toBe(400); // June 2026 is month 18; July 2026 is after the program
		expect(t.metAt).toBe(18);
		expect(t.gap).toBe(50);
	});

	it('a threshold met early: the month it was met, and the lead over the pace', () => {
		const s = comparisonSeries({
			territories: [territory('a', '2026-02-01')],
			rows: [row('a', '2026-02-01', 200), row('a', '2026-04-01', 160)],
			measure: PROGRAM_MEASURES.citoyens,
			threshold: 350,
			today: TODAY
		});
		const [t] = s.territories;
		expect(t.metAt).toBe(3);
		expect(t.values[9]).toBe(360);
		expect(t.gap).toBe(360 - 194);
	});

	it('no data at all: zeros for the months reached (nobody enrolled), nulls after', () => {
		const s = comparisonSeries({
			territories: [territory('a', '2026-02-01')],
			rows: [],
			measure: PROGRAM_MEASURES.citoyens,
			threshold: 350,
			today: TODAY
		});
		const [t] = s.territories;
		expect(t.values.slice(0, 10)).toEqual(Array(10).fill(0));
		expect(t.values[10]).toBeNull();
		expect(t.metAt).toBeNull();
		expect(t.gap).toBe(-194);
	});

	it('without a threshold there is no pace and no gap', () => {
		const s = comparisonSeries({
			territories: [territory('a', '2026-02-01')],
			rows: [row('a', '2026-02-01', 3)],
			measure: PROGRAM_MEASURES.citoyens,
			threshold: null,
			today: TODAY
		});
		expect(s.pace).toBeNull();
		expect(s.territories[0].gap).toBeNull();
	});
});

describe('comparisonSeries: an indicator, by its rule over time', () => {
	const rows = [
		row('a', '2026-01-01', 0, 0, 99), // before the start: outside the program
		row('a', '2026-02-01', 0, 0, '4'),
		row('a', '2026-04-01', 0, 0, 6),
		row('a', '2026-05-01', 0, 0, 2.5),
		row('a', '2026-05-01', 3, 0, null) // a rollup month without a value
	];
	const run = (rule: CatalogIndicator['aggregation_over_time'], today = '2026-06-15') =>
		comparisonSeries({ territories: [territory('a', '2026-02-01')], rows, measure: indicatorMeasure(indicator(rule)), today, threshold: 350 })
			.territories[0];

	it('sum (flows): cumulative over the months entered', () => {
		expect(run('sum').values.slice(0, 6)).toEqual([4, 4, 10, 12.5, 12.5, null]);
	});
	it('last (stocks): the latest value entered', () => {
		expect(run('last').values.slice(0, 6)).toEqual([4, 4, 6, 2.5, 2.5, null]);
	});
	it('average: the mean of the months entered', () => {
		expect(run('average').values.slice(0, 6)).toEqual([4, 4, 5, 4.17, 4.17, null]);
	});
	it('no pace, no threshold, no gap for an indicator', () => {
		const s = comparisonSeries({ territories: [territory('a', '2026-02-01')], rows, measure: indicatorMeasure(indicator('sum')), today: TODAY, threshold: 350 });
		expect(s.pace).toBeNull();
		expect(s.threshold).toBeNull();
		expect(s.territories[0].gap).toBeNull();
		expect(s.territories[0].metAt).toBeNull();
	});
	it('nothing entered yet: null (not zero)', () => {
		const s = comparisonSeries({ territories: [territory('b', '2026-02-01')], rows: [row('b', '2026-02-01', 5)], measure: indicatorMeasure(indicator('sum')), today: TODAY });
		expect(s.territories[0].values.every((v) => v === null)).toBe(true);
	});
});

describe('parseComparisonQuery', () => {
	const catalog = [indicator('sum'), indicator('last', 'lieux')];
	const regions = ['Bretagne', 'Occitanie'];
	const parse = (qs: string) => parseComparisonQuery(new URLSearchParams(qs), catalog, regions);

	it('defaults to citizens, all régions, page 1', () => {
		const { query, errors } = parse('');
		expect(query.measure.kind).toBe('citizens');
		expect(query.region).toBeNull();
		expect(query.page).toBe(1);
		expect(errors).toEqual({});
	});
	it('reads a program measure, an indicator by code or by id, a région and a page', () => {
		expect(parse('indicateur=lieux').query.measure.kind).toBe('lieux');
		const byCode = parse('indicateur=personnes_formees&region=Occitanie&page=3');
		expect(byCode.query.measure.kind).toBe('indicator');
		expect(byCode.query.region).toBe('Occitanie');
		expect(byCode.query.page).toBe(3);
		expect(parse('indicateur=id-personnes_formees').query.measure.value).toBe('personnes_formees');
	});
	it('an indicator whose code is a program measure’s is reached by its id', () => {
		expect(indicatorParam(catalog[1])).toBe('id-lieux');
		const m = parse('indicateur=id-lieux').query.measure;
		expect(m.kind).toBe('indicator');
		expect(parse('indicateur=lieux').query.measure.kind).toBe('lieux');
	});
	it('an unknown indicator or région: a French message, and the default', () => {
		const { query, errors } = parse('indicateur=inconnu&region=Atlantide&page=-2');
		expect(query.measure.kind).toBe('citizens');
		expect(query.region).toBeNull();
		expect(query.page).toBe(1);
		expect(errors.indicateur).toMatch(/catalogue/);
		expect(errors.region).toMatch(/région/);
		const long = parse(`indicateur=${'x'.repeat(200)}&region=Bretagne`);
		expect(long.errors.indicateur).toMatch(/liste/);
		expect(long.query.region).toBe('Bretagne');
	});
});

describe('comparisonRuleFr', () => {
	it('states the pace rule with the threshold, and an indicator’s rule over time', () => {
		expect(comparisonRuleFr(PROGRAM_MEASURES.citoyens, 350)).toContain('350');
		expect(comparisonRuleFr(indicatorMeasure(indicator('last')), null)).toContain('dernière valeur saisie depuis le mois 1');
	});
});
