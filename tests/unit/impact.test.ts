import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import {
	buildImpact,
	monthsBetween,
	OPEN_DATA_COLUMNS,
	openDataCsv,
	openDataJson,
	parseImpactFilter,
	programBounds,
	ruleFr,
	type ImpactInput
} from '../../src/lib/domain/impact';

const bounds = programBounds('2026-02-01', '2026-11-29', 18);

describe('impact period and law filter', () => {
	it('defaults to the whole program to date, all laws', () => {
		expect(bounds).toEqual({ first: '2026-02', last: '2026-11' });
		expect(parseImpactFilter(new URLSearchParams(''), bounds).filter).toEqual({ from: '2026-02', to: '2026-11', law: null });
	});

	it('reads du, au, loi; brings months back inside the program', () => {
		expect(parseImpactFilter(new URLSearchParams('du=2026-05&au=2026-09&loi=3'), bounds).filter).toEqual({ from: '2026-05', to: '2026-09', law: 3 });
		expect(parseImpactFilter(new URLSearchParams('du=2025-01&au=2030-01'), bounds).filter).toEqual({ from: '2026-02', to: '2026-11', law: null });
	});

	it('says what is wrong, field by field, in French, and falls back to the defaults', () => {
		const bad = parseImpactFilter(new URLSearchParams('du=2026-13&au=novembre&loi=7'), bounds);
		expect(bad.errors).toEqual({
			du: 'Choisissez un mois au format AAAA-MM (par exemple 2026-03).',
			au: 'Choisissez un mois au format AAAA-MM (par exemple 2026-03).',
			loi: 'Choisissez une loi de 1 à 5.'
		});
		expect(bad.filter).toEqual({ from: '2026-02', to: '2026-11', law: null });
		const reversed = parseImpactFilter(new URLSearchParams('du=2026-09&au=2026-05'), bounds);
		expect(reversed.errors.au).toBe('Le mois de fin doit être le même que celui du début ou après.');
	});

	it('counts months, both included', () => {
		expect(monthsBetween('2026-11', '2027-02')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
	});
});

describe('aggregation rules in words', () => {
	it('says how each indicator is combined', () => {
		expect(ruleFr({ aggregation_over_time: 'sum', aggregation_across: 'sum' })).toBe(
			'somme des mois de la période, puis somme des territoires qui ont saisi'
		);
		expect(ruleFr({ aggregation_over_time: 'last', aggregation_across: 'average' })).toBe(
			'dernière valeur saisie de la période, puis moyenne des territoires qui ont saisi'
		);
	});
});

function input(): ImpactInput {
	const territory = (i: number, citizensNew: number | null) => ({
		territory_id: `t${i}`, slug: `t-${i}`, name: `T${i}`, region: 'R',
		citizens: 300, citizens_new: citizensNew, societaires: 40, lieux: 100, lieux_new: 10, workshops_held: 12,
		participations: 150, participants: 120, participants_new: 30
	});
	return {
		filter: { from: '2026-10', to: '2026-11', law: null },
		dataDate: '2026-11-29',
		totals: {
			territories: 3, citizens: 900, citizens_new: 60, societaires: 120, lieux: 300, lieux_new: 30, workshops_held: 36,
			participations: 450, participants: 360, participants_new: 90, territories_citizens_met: 0, territories_lieux_met: 0,
			citizen_threshold: 350, lieu_threshold: 150, societaire_target: 2000, small_count_threshold: 11,
			cohort_start: '2026-02-01', cohort_months: 18
		},
		territories: [territory(1, null), territory(2, 25), territory(3, 30)],
		trendCalendar: [
			{ period: 1, month: '2026-10-01', citizens_new: 20, lieux_new: 10, workshops_held: 18, participations: 200, participants_new: 40 },
			{ period: 2, month: '2026-11-01', citizens_new: 40, lieux_new: 20, workshops_held: 18, participations: 250, participants_new: 50 }
		],
		trendProgram: [],
		bySource: [
			...['workshop', 'event', 'online', 'partner'].flatMap((c, k) => [
				{ territory_id: 't1', category: c, citizens: k === 0 ? null : 0 },
				{ territory_id: 't2', category: c, citizens: k === 0 ? 25 : 0 },
				{ territory_id: 't3', category: c, citizens: k === 0 ? 30 : 0 },
				{ territory_id: null, category: c, citizens: k === 0 ? 60 : 0 }
			])
		],
		indicators: [
			{ indicator_id: 'i', law: 3, law_name: 'Encapacitation', code: 'personnes_formees', name_fr: 'Personnes formées', unit: 'personnes',
				kind: 'flow', higher_is_better: true, aggregation_over_time: 'sum', aggregation_across: 'sum', baseline: null, target: '250',
				actual: '123.5', territories_reported: 2, territories_total: 3 }
		]
	};
}

describe('the figures every view shows', () => {
	it('hides a small territory count and enough others that it cannot be recomputed, in both linked tables', () => {
		const data = buildImpact(input());
		const column = data.territories.map((t) => t.cells.citizens_new.status);
		expect(column[0]).toBe('small');
		expect(column.filter((s) => s !== 'shown').length).toBeGreaterThanOrEqual(2);
		// the source table's row totals are that same column
		expect(data.bySource.rows.map((r) => r.total.status)).toEqual(column);
		expect(data.totals.citizens_new).toEqual({ value: 60, status: 'shown' });
		expect(data.indicators[0]).toMatchObject({ actual: 123.5, target: 250, reported: 2, territories: 3 });
	});

	it('writes the open data with its documented columns: CSV with BOM and `;`, JSON with the same rows', () => {
		const data = buildImpact(input());
		const csv = openDataCsv(data);
		expect(csv.startsWith('\uFEFF')).toBe(true);
		const parsed = Papa.parse<Record<string, string>>(csv.slice(1), { header: true, delimiter: ';', skipEmptyLines: true });
		expect(parsed.meta.fields).toEqual(OPEN_DATA_COLUMNS.map((c) => c.name));
		const json = openDataJson(data);
		expect(json.lignes).toHaveLength(parsed.data.length);
		const small = parsed.data.find((r) => r.section === 'territoire' && r.territoire === 't-1' && r.mesure === 'citizens_new')!;
		expect(small).toMatchObject({ valeur: '', secret: 'moins_de_seuil', du: '2026-10', au: '2026-11' });
		const trained = parsed.data.find((r) => r.indicateur === 'personnes_formees' && r.mesure === 'realise')!;
		expect(trained).toMatchObject({ valeur: '123.5', loi: '3', territoires_declarants: '2', territoires_total: '3' });
		// no value under the threshold anywhere in the file
		for (const r of parsed.data.filter((r) => r.unite === 'personnes'))
			expect(r.valeur === '' || Number(r.valeur) === 0 || Number(r.valeur) >= 11).toBe(true);
	});
});
