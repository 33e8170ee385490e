/**
 * The cockpit's comparison by program month (/pilotage/comparaison, issue #8 point 2): territories
 * that started on different dates, put on the same axis — program month 1…18 — with, for
 * enrolments, the ideal pace to the cohort's threshold. Pure functions, no I/O: the page's table,
 * its chart and the tests all read {@link comparisonSeries}.
 *
 * Program month k of a territory is the k-th calendar month from the calendar month of its start
 * date, the month rule of the per-territory × month rollups and of the impact aggregates
 * (`public.impact_trend(…, 'program')`, `public.territory_standing`).
 */
import { z } from 'zod';
import { PROGRAM_MONTHS, programMonth, toCalendarDate, type DateInput } from './program';
import { OVER_TIME_FR } from './impact';

// ============ what is compared ============

/** How an indicator's monthly values combine over time (the catalog's `aggregation_over_time`). */
export type OverTime = 'sum' | 'last' | 'average';

/** An indicator of the catalog, as the comparison's selector lists it. */
export interface CatalogIndicator {
	id: string;
	code: string;
	law: number;
	name_fr: string;
	unit: string;
	aggregation_over_time: OverTime;
}

/** What the page compares: enrolled citizens, engaged lieux (against their threshold), or one indicator. */
export type ComparedMeasure =
	| { kind: 'citizens'; value: 'citoyens'; label: string; unit: string }
	| { kind: 'lieux'; value: 'lieux'; label: string; unit: string }
	| { kind: 'indicator'; value: string; label: string; unit: string; indicator: CatalogIndicator };

/** The two program measures, by their URL value (`?indicateur=citoyens`, `?indicateur=lieux`). */
export const PROGRAM_MEASURES = {
	citoyens: { kind: 'citizens', value: 'citoyens', label: 'Citoyens inscrits (cumul)', unit: 'personnes' },
	lieux: { kind: 'lieux', value: 'lieux', label: 'Lieux engagés (cumul)', unit: 'lieux' }
} as const satisfies Record<string, ComparedMeasure>;

/**
 * The URL value of a catalog indicator: its code, or its id when its code is taken by a program
 * measure (`citoyens`, `lieux`), so that every option of the selector is unambiguous.
 */
export function indicatorParam(i: Pick<CatalogIndicator, 'id' | 'code'>): string {
	return i.code in PROGRAM_MEASURES ? i.id : i.code;
}

export function indicatorMeasure(i: CatalogIndicator): ComparedMeasure {
	return { kind: 'indicator', value: indicatorParam(i), label: i.name_fr, unit: i.unit, indicator: i };
}

// ============ the filter form (GET: ?indicateur=…&region=…&page=…) ============

export const ComparisonQuerySchema = z.object({
	indicateur: z.string().trim().max(80, 'Choisissez une mesure dans la liste.').optional(),
	region: z.string().trim().max(100, 'Choisissez une région dans la liste.').optional(),
	page: z.string().trim().optional()
});

export interface ComparisonQuery {
	measure: ComparedMeasure;
	region: string | null;
	page: number;
}

/**
 * Reads the comparison's URL. `indicateur` is `citoyens` (default), `lieux`, or a catalog
 * indicator's code or id; `region` one of `regions`; `page` a positive integer. A bad value never
 * fails the page: it gets a French message for its field and the default in its place.
 */
export function parseComparisonQuery(
	params: URLSearchParams,
	catalog: readonly CatalogIndicator[],
	regions: readonly string[]
): { query: ComparisonQuery; errors: Partial<Record<'indicateur' | 'region', string>> } {
	const errors: Partial<Record<'indicateur' | 'region', string>> = {};
	// field by field, so that one bad value keeps the others
	const field = (name: 'indicateur' | 'region' | 'page'): string | undefined => {
		const parsed = ComparisonQuerySchema.shape[name].safeParse(params.get(name) ?? undefined);
		if (parsed.success) return parsed.data;
		if (name !== 'page') errors[name] = parsed.error.issues[0].message;
		return undefined;
	};
	const raw = { indicateur: field('indicateur'), region: field('region'), page: field('page') };

	let measure: ComparedMeasure = PROGRAM_MEASURES.citoyens;
	const wanted = raw.indicateur;
	if (wanted) {
		const program = (PROGRAM_MEASURES as Record<string, ComparedMeasure>)[wanted];
		const found = catalog.find((i) => i.id === wanted || indicatorParam(i) === wanted);
		if (program) measure = program;
		else if (found) measure = indicatorMeasure(found);
		else errors.indicateur = 'Cet indicateur n’existe pas dans le catalogue : choisissez-en un dans la liste.';
	}

	let region: string | null = raw.region || null;
	if (region !== null && !regions.includes(region)) {
		errors.region = 'Cette région ne compte aucun territoire : choisissez-en une dans la liste.';
		region = null;
	}
	const n = Number(raw.page);
	const page = Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
	return { query: { measure, region, page }, errors };
}

// ============ the series ============

/** A territory on the comparison's page. `start_date`: its own, or the cohort's ('YYYY-MM-DD'). */
export interface ComparisonTerritory {
	id: string;
	slug: string;
	name: string;
	region: string;
	start_date: string;
}

/**
 * One territory × calendar month, as `public.comparison_months()` returns it: citizens and lieux
 * enrolled that month (still active), and the chosen indicator's value entered for that month
 * (null: none entered, or no indicator chosen). `value` may come as a numeric string.
 */
export interface ComparisonMonthRow {
	territory_id: string;
	month: string | Date;
	citizens: number;
	lieux: number;
	value: number | string | null;
}

export interface ComparisonSeriesInput {
	territories: readonly ComparisonTerritory[];
	rows: readonly ComparisonMonthRow[];
	measure: ComparedMeasure;
	/** the cohort's threshold of the measure (350 citizens, 150 lieux); ignored for an indicator */
	threshold?: number | null;
	/** 'YYYY-MM-DD' */
	today: DateInput;
	months?: number;
}

export interface TerritorySeries extends ComparisonTerritory {
	started: boolean;
	ended: boolean;
	/** the last program month reached on `today` (0 before the start; `months` once ended) */
	reached: number;
	/** value at the end of month k (index k − 1), per the measure's rule; null: month not reached, or nothing entered yet */
	values: (number | null)[];
	/** the first month whose value reaches the threshold; null if not (yet) reached or no threshold */
	metAt: number | null;
	/** value minus ideal pace at the last month reached (positive: ahead); null before the start or without a pace */
	gap: number | null;
}

export interface ComparisonSeries {
	/** 1…months */
	months: number[];
	/** ideal cumulative at the end of month k (linear to the threshold at the last month); null without a threshold */
	pace: (number | null)[] | null;
	threshold: number | null;
	territories: TerritorySeries[];
}

/**
 * The program month (1-based) a calendar month falls in for a territory starting on `start`:
 * the start's calendar month is 1, the month before it 0, and so on (may be ≤ 0 or > 18).
 */
export function programMonthIndex(start: DateInput, month: DateInput): number {
	const s = toCalendarDate(start);
	const m = toCalendarDate(month);
	return (m.getFullYear() - s.getFullYear()) * 12 + m.getMonth() - s.getMonth() + 1;
}

/**
 * The ideal pace to a threshold: linear from 0 at the start to `threshold` at the end of the last
 * month — threshold × k / months at the end of month k, rounded to the unit (350 over 18 months:
 * 19, 39, 58 … 350). DOMAIN.md states the threshold to reach by month 18, not a curve; the
 * forecast (./forecast.ts) projects a pace, it does not prescribe one, so the straight line is
 * the neutral reading of « 350 in 18 months ».
 */
export function idealPace(threshold: number, months = PROGRAM_MONTHS): number[] {
	return Array.from({ length: months }, (_, i) => Math.round((threshold * (i + 1)) / months));
}

/**
 * A measure's value at the end of each program month 1…months for every territory.
 * - Citizens and lieux: cumulative active enrolments (those enrolled before the start count from
 *   month 1), against the ideal pace to the threshold.
 * - An indicator: its monthly values of months 1…k combined by its rule over time,
 *   as on the impact dashboard (`public.impact_indicators`): sum of the months entered (flows,
 *   cumulative), the latest value entered (stocks), or the mean of the months entered; null until
 *   a first value is entered.
 * Months after the one reached today are null (not yet lived); data dated after the last program
 * month is ignored; a territory not started yet has only nulls.
 * @throws RangeError when a territory's start date or a row's month is not a valid date.
 */
export function comparisonSeries(input: ComparisonSeriesInput): ComparisonSeries {
	const months = input.months ?? PROGRAM_MONTHS;
	const { measure } = input;
	const threshold = measure.kind === 'indicator' ? null : (input.threshold ?? null);
	const pace = threshold !== null && threshold > 0 ? idealPace(threshold, months) : null;
	const overTime: OverTime = measure.kind === 'indicator' ? measure.indicator.aggregation_over_time : 'sum';

	const byTerritory = new Map<string, ComparisonMonthRow[]>();
	for (const row of input.rows) {
		const list = byTerritory.get(row.territory_id);
		if (list) list.push(row);
		else byTerritory.set(row.territory_id, [row]);
	}

	const territories = input.territories.map((t): TerritorySeries => {
		const { month, started, ended } = programMonth(t.start_date, input.today, months);
		const reached = started ? month : 0;
		// per program month: the measure's monthly amount (null: nothing that month)
		const monthly: (number | null)[] = Array(months).fill(null);
		for (const row of byTerritory.get(t.id) ?? []) {
			const index = programMonthIndex(t.start_date, row.month);
			if (index > months) continue;
			if (measure.kind === 'indicator') {
				// an indicator counts the program's months only, as the impact dashboard counts its period's
				if (index < 1 || row.value === null) continue;
				monthly[index - 1] = Number(row.value);
			} else {
				// enrolments before the start count from month 1 (the cumulative is everything still active)
				const k = Math.max(1, index);
				monthly[k - 1] = (monthly[k - 1] ?? 0) + (measure.kind === 'citizens' ? row.citizens : row.lieux);
			}
		}

		const values: (number | null)[] = [];
		let sum = 0;
		let entered = 0;
		let last: number | null = null;
		for (let k = 1; k <= months; k++) {
			const m = monthly[k - 1];
			if (m !== null) {
				sum += m;
				entered++;
				last = m;
			}
			if (k > reached) values.push(null);
			else if (measure.kind !== 'indicator') values.push(sum);
			else if (entered === 0) values.push(null);
			else values.push(overTime === 'sum' ? round2(sum) : overTime === 'last' ? last : round2(sum / entered));
		}

		let metAt: number | null = null;
		if (threshold !== null) {
			const i = values.findIndex((v) => v !== null && v >= threshold);
			metAt = i === -1 ? null : i + 1;
		}
		const current = reached > 0 ? values[reached - 1] : null;
		const gap = pace && reached > 0 && current !== null ? current - pace[reached - 1] : null;
		return { ...t, started, ended, reached, values, metAt, gap };
	});

	return { months: Array.from({ length: months }, (_, i) => i + 1), pace, threshold, territories };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** The rule of the compared measure, in words, shown beside the table and the chart. */
export function comparisonRuleFr(measure: ComparedMeasure, threshold: number | null, months = PROGRAM_MONTHS): string {
	if (measure.kind === 'indicator')
		return `Valeur à la fin de chaque mois du programme : ${OVER_TIME_FR[measure.indicator.aggregation_over_time].replace('de la période', 'depuis le mois 1')} (règle du catalogue, comme sur le tableau de bord d’impact). « — » : mois pas encore atteint ou rien de saisi.`;
	const what = measure.kind === 'citizens' ? 'citoyens inscrits (actifs)' : 'lieux engagés (actifs)';
	return `Cumul des ${what} à la fin de chaque mois du programme. Rythme idéal : progression régulière de 0 au seuil de ${threshold ?? '—'} à la fin du mois ${months} (seuil × mois ÷ ${months}). ▾ : sous le rythme idéal ; « — » : mois pas encore atteint.`;
}
