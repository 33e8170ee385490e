/**
 * The funder impact dashboard's figures, as one object (`ImpactData`) built from the database's
 * aggregate functions (supabase/migrations/20261129150100_create_impact_aggregates.sql) with the
 * small-count suppression applied once (./suppression.ts). The page, the CSV / JSON open data,
 * the printable report and the published transparency snapshot all render this same object, so
 * their figures agree. Pure functions, no I/O.
 */
import { z } from 'zod';
import Papa from 'papaparse';
import { BOM } from './csv';
import { SOURCE_LABEL_FR } from './citizens';
import { isMonthKey, monthOf, shiftMonth, formatMonthFr, type MonthKey } from './indicators';
import { suppressList, suppressTable, type SuppressedCell } from './suppression';
import type { TerritorySummary } from './figures';

// ============ filters (URL: ?du=AAAA-MM&au=AAAA-MM&loi=1…5) ============

const monthField = z
	.string()
	.trim()
	.refine((v) => v === '' || isMonthKey(v), { message: 'Choisissez un mois au format AAAA-MM (par exemple 2026-03).' });

export const ImpactFilterSchema = z.object({
	du: monthField.optional(),
	au: monthField.optional(),
	loi: z
		.string()
		.trim()
		.refine((v) => v === '' || /^[1-5]$/.test(v), { message: 'Choisissez une loi de 1 à 5.' })
		.optional()
});

export interface ImpactFilter {
	from: MonthKey;
	to: MonthKey;
	law: number | null;
}

export interface ProgramBounds {
	/** first month of the cohort's program */
	first: MonthKey;
	/** the latest month with data: today's month, within the program */
	last: MonthKey;
}

/** The program's months a period may cover: from the cohort's start month to today's (at most N months). */
export function programBounds(cohortStart: string, today: string, months: number): ProgramBounds {
	const first = monthOf(cohortStart);
	const end = shiftMonth(first, months - 1);
	const now = monthOf(today);
	return { first, last: now < first ? first : now > end ? end : now };
}

/**
 * Reads the filter from the URL. Empty or absent: the whole program to date, all laws. A month
 * outside the program is brought back inside it; `du` after `au` is refused.
 * @returns the filter to apply and French messages per field (the defaults replace bad values)
 */
export function parseImpactFilter(params: URLSearchParams, bounds: ProgramBounds) {
	const raw = { du: params.get('du') ?? '', au: params.get('au') ?? '', loi: params.get('loi') ?? '' };
	const parsed = ImpactFilterSchema.safeParse(raw);
	const errors: Record<string, string> = {};
	if (!parsed.success) for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
	const clamp = (m: string, fallback: MonthKey): MonthKey =>
		!m ? fallback : m < bounds.first ? bounds.first : m > bounds.last ? bounds.last : m;
	let from = errors.du ? bounds.first : clamp(raw.du.trim(), bounds.first);
	let to = errors.au ? bounds.last : clamp(raw.au.trim(), bounds.last);
	if (from > to) {
		errors.au = 'Le mois de fin doit être le même que celui du début ou après.';
		[from, to] = [bounds.first, bounds.last];
	}
	const law = !errors.loi && raw.loi ? Number(raw.loi) : null;
	return { filter: { from, to, law } satisfies ImpactFilter, errors, raw };
}

/** The months between two months, both included. */
export function monthsBetween(from: MonthKey, to: MonthKey): MonthKey[] {
	const out: MonthKey[] = [];
	for (let m = from; m <= to && out.length < 240; m = shiftMonth(m, 1)) out.push(m);
	return out;
}

// ============ what the database returns ============

export interface TotalsRow {
	territories: number;
	citizens: number | null;
	citizens_new: number | null;
	societaires: number | null;
	lieux: number;
	lieux_new: number;
	workshops_held: number;
	participations: number | null;
	participants: number | null;
	participants_new: number | null;
	territories_citizens_met: number;
	territories_lieux_met: number;
	citizen_threshold: number;
	lieu_threshold: number;
	societaire_target: number;
	small_count_threshold: number;
	cohort_start: string;
	cohort_months: number;
}

export interface TerritoryRow {
	territory_id: string;
	slug: string;
	name: string;
	region: string;
	citizens: number | null;
	citizens_new: number | null;
	societaires: number | null;
	lieux: number;
	lieux_new: number;
	workshops_held: number;
	participations: number | null;
	participants: number | null;
	participants_new: number | null;
}

export interface TrendRow {
	period: number;
	month: string | null;
	citizens_new: number | null;
	lieux_new: number;
	workshops_held: number;
	participations: number | null;
	participants_new: number | null;
}

export interface BreakdownRow {
	territory_id: string | null;
	category: string;
	citizens: number | null;
}

export interface IndicatorRow {
	indicator_id: string;
	law: number;
	law_name: string;
	code: string;
	name_fr: string;
	unit: string;
	kind: 'flow' | 'stock';
	higher_is_better: boolean;
	aggregation_over_time: 'sum' | 'last' | 'average';
	aggregation_across: 'sum' | 'average';
	baseline: string | number | null;
	target: string | number | null;
	actual: string | number | null;
	territories_reported: number;
	territories_total: number;
}

// ============ measures ============

/** The program's measures: code (stable, used in the open data), French label, unit, people? */
export const MEASURES = {
	citizens: { fr: 'Citoyens inscrits (fin de période)', unit: 'personnes', people: true },
	citizens_new: { fr: 'Citoyens inscrits pendant la période', unit: 'personnes', people: true },
	societaires: { fr: 'Sociétaires (fin de période)', unit: 'personnes', people: true },
	lieux: { fr: 'Lieux engagés (fin de période)', unit: 'lieux', people: false },
	lieux_new: { fr: 'Lieux engagés pendant la période', unit: 'lieux', people: false },
	workshops_held: { fr: 'Ateliers tenus pendant la période', unit: 'ateliers', people: false },
	participations: { fr: 'Participations (présences pointées) pendant la période', unit: 'présences', people: true },
	participants: { fr: 'Participants distincts (depuis le début)', unit: 'personnes', people: true },
	participants_new: { fr: 'Nouveaux participants pendant la période', unit: 'personnes', people: true }
} as const;
export type Measure = keyof typeof MEASURES;
export const MEASURE_CODES = Object.keys(MEASURES) as Measure[];

/** Measures of the trend tables (flows only: monthly cumulatives would reveal hidden months). */
export const TREND_MEASURES = ['citizens_new', 'lieux_new', 'workshops_held', 'participations', 'participants_new'] as const;
export type TrendMeasure = (typeof TREND_MEASURES)[number];

export const TREND_LABEL_FR: Record<TrendMeasure, string> = {
	citizens_new: 'Citoyens inscrits',
	lieux_new: 'Lieux engagés',
	workshops_held: 'Ateliers tenus',
	participations: 'Participations',
	participants_new: 'Nouveaux participants'
};

export const OVER_TIME_FR = {
	sum: 'somme des mois de la période',
	last: 'dernière valeur saisie de la période',
	average: 'moyenne des mois saisis de la période'
} as const;
export const ACROSS_FR = {
	sum: 'somme des territoires qui ont saisi',
	average: 'moyenne des territoires qui ont saisi'
} as const;

/** An indicator's aggregation rule in words (« somme des mois de la période, puis somme des territoires qui ont saisi »). */
export function ruleFr(i: Pick<IndicatorRow, 'aggregation_over_time' | 'aggregation_across'>): string {
	return `${OVER_TIME_FR[i.aggregation_over_time]}, puis ${ACROSS_FR[i.aggregation_across]}`;
}

export const PROGRAM_RULES_FR = [
	'Citoyens, sociétaires et lieux : personnes et lieux actifs (une personne retirée ne compte plus ; une personne effacée à sa demande compte toujours), rangés au mois de leur inscription.',
	'« Fin de période » : tout ce qui est inscrit depuis le début du programme jusqu’au dernier mois choisi. « Pendant la période » : seulement les mois choisis.',
	'Ateliers et participations : au mois où l’atelier commence (heure de Paris). Participants distincts : personnes pointées au moins une fois ; « nouveaux » : première présence pendant la période.',
	'Mois du programme : le mois 1 d’un territoire est le mois civil de son démarrage.',
	'Indicateurs : chaque valeur mensuelle saisie par les territoires, agrégée selon la règle écrite à côté ; « 11 / 18 » dit combien de territoires ont saisi au moins un mois de la période.'
];

// ============ the object every view renders ============

export interface IndicatorFigure {
	code: string;
	law: number;
	lawName: string;
	name: string;
	unit: string;
	kind: 'flow' | 'stock';
	rule: string;
	overTime: IndicatorRow['aggregation_over_time'];
	across: IndicatorRow['aggregation_across'];
	baseline: number | null;
	target: number | null;
	actual: number | null;
	reported: number;
	territories: number;
}

export interface Attainment {
	reached: number;
	forecast: number;
	not: number;
}

export interface ImpactData {
	/** AAAA-MM, both included */
	from: MonthKey;
	to: MonthKey;
	law: number | null;
	/** the day the figures were read */
	dataDate: string;
	threshold: number;
	targets: { citizens: number; lieux: number; societaires: number };
	totals: Record<Measure, SuppressedCell> & { territories: number };
	/** threshold attainment: at the end of the period, and today's forecast */
	metAtEnd: { citizens: number; lieux: number };
	attainment: { citizens: Attainment; lieux: Attainment } | null;
	indicators: IndicatorFigure[];
	territories: { slug: string; name: string; region: string; cells: Record<Measure, SuppressedCell> }[];
	trendCalendar: { key: MonthKey; label: string; cells: Record<TrendMeasure, SuppressedCell> }[];
	trendProgram: { key: number; label: string; cells: Record<TrendMeasure, SuppressedCell> }[];
	bySource: {
		categories: { code: string; label: string }[];
		rows: { slug: string; name: string; cells: SuppressedCell[]; total: SuppressedCell }[];
		totals: SuppressedCell[];
		grand: SuppressedCell;
	};
}

const shown = (value: number): SuppressedCell => ({ value, status: 'shown' });
const num = (v: string | number | null): number | null => (v === null ? null : Number(v));

export interface ImpactInput {
	filter: ImpactFilter;
	dataDate: string;
	totals: TotalsRow;
	territories: TerritoryRow[];
	trendCalendar: TrendRow[];
	trendProgram: TrendRow[];
	bySource: BreakdownRow[];
	indicators: IndicatorRow[];
	/** today's summaries (forecasts); omitted in a snapshot of a past period */
	summaries?: TerritorySummary[];
}

/**
 * Builds the figures shown, applying the small-count rule once: each column of people counts is
 * suppressed against its published total; the citizens-by-source table (territories × sources)
 * shares its row totals with the territories' « inscrits pendant la période » column, so both
 * are suppressed together.
 */
export function buildImpact(input: ImpactInput): ImpactData {
	const t = input.totals;
	const threshold = t.small_count_threshold;
	const territories = input.territories;

	// citizens by source: territories × sources, rows = citizens_new per territory
	const categories = Object.keys(SOURCE_LABEL_FR);
	const cell = (tid: string | null, cat: string) =>
		input.bySource.find((b) => b.territory_id === tid && b.category === cat)?.citizens ?? 0;
	const source = suppressTable(
		{
			cells: territories.map((tr) => categories.map((c) => cell(tr.territory_id, c))),
			rowTotals: territories.map((tr) => tr.citizens_new),
			colTotals: categories.map((c) => cell(null, c)),
			grandTotal: t.citizens_new
		},
		threshold
	);

	const columns = {} as Record<Measure, SuppressedCell[]>;
	const totals = { territories: t.territories } as ImpactData['totals'];
	for (const m of MEASURE_CODES) {
		if (m === 'citizens_new') {
			columns[m] = source.rowTotals!;
			totals[m] = source.grandTotal!;
		} else if (MEASURES[m].people) {
			const list = suppressList(territories.map((tr) => tr[m] as number | null), t[m] as number | null, threshold);
			columns[m] = list.values;
			totals[m] = list.total;
		} else {
			columns[m] = territories.map((tr) => shown(tr[m] as number));
			totals[m] = shown(t[m] as number);
		}
	}

	const trend = <K>(rows: TrendRow[], key: (r: TrendRow) => K, label: (r: TrendRow) => string) => {
		const cols = {} as Record<TrendMeasure, SuppressedCell[]>;
		for (const m of TREND_MEASURES) {
			if (MEASURES[m].people) {
				// the period's total of the column is published (program totals): suppress against it
				const total = t[m] as number | null;
				cols[m] = suppressList(rows.map((r) => r[m] as number | null), total, threshold).values;
			} else cols[m] = rows.map((r) => shown(r[m] as number));
		}
		return rows.map((r, i) => ({
			key: key(r),
			label: label(r),
			cells: Object.fromEntries(TREND_MEASURES.map((m) => [m, cols[m][i]])) as Record<TrendMeasure, SuppressedCell>
		}));
	};

	const attainment = input.summaries
		? (['citizens', 'lieux'] as const).reduce(
				(acc, k) => {
					const status = (s: TerritorySummary) => (k === 'citizens' ? s.citizenForecast.status : s.lieuForecast.status);
					acc[k] = {
						reached: input.summaries!.filter((s) => status(s) === 'met').length,
						forecast: input.summaries!.filter((s) => status(s) === 'on_track').length,
						not: input.summaries!.filter((s) => !['met', 'on_track'].includes(status(s))).length
					};
					return acc;
				},
				{} as { citizens: Attainment; lieux: Attainment }
			)
		: null;

	return {
		from: input.filter.from,
		to: input.filter.to,
		law: input.filter.law,
		dataDate: input.dataDate,
		threshold,
		targets: { citizens: t.citizen_threshold, lieux: t.lieu_threshold, societaires: t.societaire_target },
		totals,
		metAtEnd: { citizens: t.territories_citizens_met, lieux: t.territories_lieux_met },
		attainment,
		indicators: input.indicators
			.filter((i) => input.filter.law === null || i.law === input.filter.law)
			.map((i) => ({
				code: i.code,
				law: i.law,
				lawName: i.law_name,
				name: i.name_fr,
				unit: i.unit,
				kind: i.kind,
				rule: ruleFr(i),
				overTime: i.aggregation_over_time,
				across: i.aggregation_across,
				baseline: num(i.baseline),
				target: num(i.target),
				actual: num(i.actual),
				reported: i.territories_reported,
				territories: i.territories_total
			})),
		territories: territories.map((tr, i) => ({
			slug: tr.slug,
			name: tr.name,
			region: tr.region,
			cells: Object.fromEntries(MEASURE_CODES.map((m) => [m, columns[m][i]])) as Record<Measure, SuppressedCell>
		})),
		trendCalendar: trend(input.trendCalendar, (r) => r.month!.slice(0, 7), (r) => formatMonthFr(r.month!.slice(0, 7))),
		trendProgram: trend(input.trendProgram, (r) => r.period, (r) => `Mois ${r.period}`),
		bySource: {
			categories: categories.map((c) => ({ code: c, label: SOURCE_LABEL_FR[c as keyof typeof SOURCE_LABEL_FR] })),
			rows: territories.map((tr, i) => ({ slug: tr.slug, name: tr.name, cells: source.cells[i], total: source.rowTotals![i] })),
			totals: source.colTotals!,
			grand: source.grandTotal!
		}
	};
}

/** Laws present among the indicators, in order (for the law filter and the report's sections). */
/** What the dashboard's first page shows (totals, attainment, indicators per law): its data stays small. */
export type ImpactSummary = Omit<ImpactData, 'territories' | 'trendCalendar' | 'trendProgram' | 'bySource'>;

/** `data` without the per-territory, per-month and per-source tables (shown on their own pages). */
export function impactSummary(data: ImpactData): ImpactSummary {
	const { territories: _t, trendCalendar: _c, trendProgram: _p, bySource: _s, ...summary } = data;
	return summary;
}

/** The indicators grouped by law (1…5), in the catalog's order. */
export function lawsOf(data: Pick<ImpactData, 'indicators'>): { law: number; name: string; indicators: IndicatorFigure[] }[] {
	const laws = new Map<number, { law: number; name: string; indicators: IndicatorFigure[] }>();
	for (const i of data.indicators) {
		if (!laws.has(i.law)) laws.set(i.law, { law: i.law, name: i.lawName, indicators: [] });
		laws.get(i.law)!.indicators.push(i);
	}
	return [...laws.values()].sort((a, b) => a.law - b.law);
}

// ============ open data (CSV / JSON): one flat row per figure, stable columns ============

/** The open data's columns, in order, with their meaning and unit (the data dictionary). */
export const OPEN_DATA_COLUMNS = [
	{ name: 'section', fr: 'Le tableau d’où vient la ligne : programme, indicateur, territoire, tendance_mois, tendance_mois_programme, repartition_source.', unit: 'texte' },
	{ name: 'du', fr: 'Premier mois de la période (inclus).', unit: 'AAAA-MM' },
	{ name: 'au', fr: 'Dernier mois de la période (inclus).', unit: 'AAAA-MM' },
	{ name: 'date_donnees', fr: 'Jour où les chiffres ont été lus.', unit: 'AAAA-MM-JJ' },
	{ name: 'territoire', fr: 'Identifiant (slug) du territoire ; vide pour le programme entier.', unit: 'texte' },
	{ name: 'mois', fr: 'Mois civil (tendance_mois) ou numéro du mois du programme, 1 à 18 (tendance_mois_programme) ; vide sinon.', unit: 'AAAA-MM ou entier' },
	{ name: 'loi', fr: 'Loi de la coopérative (1 à 5) de l’indicateur ; vide sinon.', unit: 'entier' },
	{ name: 'indicateur', fr: 'Code de l’indicateur ; vide sinon.', unit: 'texte' },
	{ name: 'categorie', fr: 'Source d’inscription (workshop, event, online, partner) dans repartition_source ; vide sinon.', unit: 'texte' },
	{ name: 'mesure', fr: 'Ce qui est compté : un code de mesure (voir le dictionnaire) ou, pour un indicateur, base, cible ou realise.', unit: 'texte' },
	{ name: 'valeur', fr: 'Le nombre (point décimal) ; vide quand il n’est pas publié (voir secret).', unit: 'selon unite' },
	{ name: 'secret', fr: 'Vide si publié ; moins_de_seuil : moins de 11 personnes (seuil de la cohorte) ; masque : caché pour qu’une petite case ne puisse pas être recalculée.', unit: 'texte' },
	{ name: 'unite', fr: 'Unité de la valeur.', unit: 'texte' },
	{ name: 'regle', fr: 'Règle d’agrégation de l’indicateur (dans le temps, puis entre territoires).', unit: 'texte' },
	{ name: 'territoires_declarants', fr: 'Nombre de territoires ayant saisi au moins un mois de la période (indicateurs).', unit: 'entier' },
	{ name: 'territoires_total', fr: 'Nombre de territoires du programme (indicateurs).', unit: 'entier' }
] as const;
export type OpenDataRow = Record<(typeof OPEN_DATA_COLUMNS)[number]['name'], string | number | null>;

const secretOf = (c: SuppressedCell) => (c.status === 'small' ? 'moins_de_seuil' : c.status === 'hidden' ? 'masque' : '');

/** Every figure of `data` as flat rows (what donnees.csv and donnees.json contain). */
export function openDataRows(data: ImpactData): OpenDataRow[] {
	const base = { du: data.from, au: data.to, date_donnees: data.dataDate };
	const empty = { territoire: '', mois: '', loi: '', indicateur: '', categorie: '', regle: '', territoires_declarants: '', territoires_total: '' };
	const row = (section: string, over: Partial<OpenDataRow>, mesure: string, c: SuppressedCell, unite: string): OpenDataRow => ({
		section,
		...base,
		...empty,
		...over,
		mesure,
		valeur: c.value,
		secret: secretOf(c),
		unite
	});
	const rows: OpenDataRow[] = [];
	rows.push(row('programme', {}, 'territoires', shown(data.totals.territories), 'territoires'));
	for (const m of MEASURE_CODES) rows.push(row('programme', {}, m, data.totals[m], MEASURES[m].unit));
	for (const i of data.indicators) {
		const over = { loi: i.law, indicateur: i.code, regle: i.rule, territoires_declarants: i.reported, territoires_total: i.territories };
		for (const [mesure, v] of [['base', i.baseline], ['cible', i.target], ['realise', i.actual]] as const)
			rows.push(row('indicateur', over, mesure, { value: v, status: 'shown' }, i.unit));
	}
	for (const tr of data.territories)
		for (const m of MEASURE_CODES) rows.push(row('territoire', { territoire: tr.slug }, m, tr.cells[m], MEASURES[m].unit));
	for (const r of data.trendCalendar)
		for (const m of TREND_MEASURES) rows.push(row('tendance_mois', { mois: r.key }, m, r.cells[m], MEASURES[m].unit));
	for (const r of data.trendProgram)
		for (const m of TREND_MEASURES) rows.push(row('tendance_mois_programme', { mois: r.key }, m, r.cells[m], MEASURES[m].unit));
	data.bySource.rows.forEach((r) =>
		r.cells.forEach((c, k) =>
			rows.push(row('repartition_source', { territoire: r.slug, categorie: data.bySource.categories[k].code }, 'citizens_new', c, 'personnes'))
		)
	);
	data.bySource.totals.forEach((c, k) =>
		rows.push(row('repartition_source', { categorie: data.bySource.categories[k].code }, 'citizens_new', c, 'personnes'))
	);
	return rows;
}

/** donnees.csv: UTF-8 with BOM, `;` separator, header of OPEN_DATA_COLUMNS, decimal point. */
export function openDataCsv(data: ImpactData): string {
	const fields = OPEN_DATA_COLUMNS.map((c) => c.name);
	const rows = openDataRows(data).map((r) => fields.map((f) => (r[f] === null ? '' : String(r[f]))));
	return BOM + Papa.unparse({ fields, data: rows }, { delimiter: ';', newline: '\r\n' });
}

/** donnees.json: the same rows, with what they are. */
export function openDataJson(data: ImpactData) {
	return {
		titre: 'Marathon coopératif — chiffres agrégés',
		du: data.from,
		au: data.to,
		date_donnees: data.dataDate,
		seuil_secret: data.threshold,
		colonnes: OPEN_DATA_COLUMNS.map((c) => ({ nom: c.name, sens: c.fr, unite: c.unit })),
		lignes: openDataRows(data)
	};
}

/** « de février 2026 à novembre 2026 » */
export function periodFr(from: MonthKey, to: MonthKey): string {
	return from === to ? `en ${formatMonthFr(from)}` : `de ${formatMonthFr(from)} à ${formatMonthFr(to)}`;
}
