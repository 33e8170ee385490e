import { addDays, addMonths, differenceInCalendarDays, format, startOfMonth } from 'date-fns';
import Papa from 'papaparse';
import { BOM } from './csv';
import { compareFr } from './french';
import { FORECAST_STATUS_LABEL_FR, PACE_WINDOW_DAYS, type ForecastStatus } from './forecast';
import { summarize, type TerritoryFiguresRow, type TerritorySummary } from './figures';
import { PROGRAM_MONTHS, programEnd, programMonth, programStageFr, toCalendarDate, type DateInput } from './program';

/*
 * The facilitator cockpit's rules (/pilotage). Pure functions: the page, the CSV and the charts
 * all call these, so that a figure means the same thing everywhere it is shown.
 */

// ============ indicator reporting: completeness and timeliness ============

/** Default day of the following month by which a month's indicators count as reported on time. */
export const DEFAULT_TIMELINESS_DAY = 10;

/** One month whose indicators were all entered, and the day (Paris) the last of them was. */
export interface ReportedMonth {
	/** First day of the calendar month the values are for: 'YYYY-MM-01'. */
	month: string;
	/** Day the month became complete (its last indicator entered): 'YYYY-MM-DD'. */
	completedOn: string;
}

export interface ReportingInput {
	start: DateInput;
	today: DateInput;
	/** Day N of the following month (1…28). */
	timelinessDay: number;
	reported: readonly ReportedMonth[];
	months?: number;
}

export interface Reporting {
	/** Calendar months of the program that ended before today (the start's month included). */
	expected: number;
	/** Of those, months whose indicators were all entered (whenever). */
	reported: number;
	/** reported ÷ expected, 0…1; null when nothing is expected yet. */
	completeness: number | null;
	/** Expected months whose deadline (day N of the next month) has passed. */
	timelyExpected: number;
	/** Of those, months complete by their deadline. */
	timely: number;
	/** timely ÷ timelyExpected, 0…1; null when no deadline has passed yet. */
	timeliness: number | null;
	/** Expected months not (yet) complete, oldest first, as 'YYYY-MM-01'. */
	missing: string[];
}

const iso = (d: Date) => format(d, 'yyyy-MM-dd');

/** The deadline of a month's report: day N of the following month ('2026-10-01', 10 → '2026-11-10'). */
export function reportingDeadline(month: DateInput, timelinessDay: number): string {
	return iso(addDays(addMonths(startOfMonth(toCalendarDate(month)), 1), timelinessDay - 1));
}

/**
 * Completeness and timeliness of a territory's monthly indicator reports (DOMAIN.md « Aggregation »,
 * after DHIS2's reporting rate and reporting rate on time).
 * Expected months: every calendar month from the start's month up to the last month that ended
 * before today, never beyond the program's last month. A month counts as reported when every
 * active indicator of the catalog has a value for it; on time when that happened by day N of the
 * following month (inclusive), and timeliness only counts months whose deadline has passed.
 * @throws RangeError on an invalid date.
 */
export function reporting(input: ReportingInput): Reporting {
	const today = toCalendarDate(input.today);
	const first = startOfMonth(toCalendarDate(input.start));
	const end = programEnd(input.start, input.months ?? PROGRAM_MONTHS);
	const byMonth = new Map(input.reported.map((r) => [r.month.slice(0, 7), r.completedOn]));
	let expected = 0;
	let reported = 0;
	let timelyExpected = 0;
	let timely = 0;
	const missing: string[] = [];
	for (let m = first; addMonths(m, 1) <= today && m < end; m = addMonths(m, 1)) {
		expected++;
		const key = iso(m);
		const completedOn = byMonth.get(key.slice(0, 7));
		if (completedOn) reported++;
		else missing.push(key);
		const deadline = reportingDeadline(m, input.timelinessDay);
		if (iso(today) > deadline) {
			timelyExpected++;
			if (completedOn && completedOn <= deadline) timely++;
		}
	}
	return {
		expected,
		reported,
		completeness: expected === 0 ? null : reported / expected,
		timelyExpected,
		timely,
		timeliness: timelyExpected === 0 ? null : timely / timelyExpected,
		missing
	};
}

// ============ when the projection crosses a threshold ============

export type Crossing =
	| { status: 'met'; month: null }
	| { status: 'projected'; month: number }
	| { status: 'beyond'; month: null }
	| { status: 'not_started'; month: null };

/**
 * The program month in which the projection reaches the threshold: the same pace as
 * {@link thresholdForecast} (enrolments in the last 90 days, or since the start, per day) carried
 * forward from today. `met` if already reached, `beyond` if it would happen after the last month
 * (or never, with no enrolment in the window), `not_started` before the start.
 */
export function crossingMonth(input: {
	threshold: number;
	current: number;
	recentEnrolments: number;
	start: DateInput;
	today: DateInput;
	months?: number;
}): Crossing {
	const months = input.months ?? PROGRAM_MONTHS;
	const start = toCalendarDate(input.start);
	const today = toCalendarDate(input.today);
	if (input.current >= input.threshold) return { status: 'met', month: null };
	if (today < start) return { status: 'not_started', month: null };
	const windowDays = Math.min(PACE_WINDOW_DAYS, differenceInCalendarDays(today, start) + 1);
	const perDay = input.recentEnrolments / windowDays;
	if (perDay <= 0) return { status: 'beyond', month: null };
	const days = Math.ceil((input.threshold - input.current) / perDay - 1e-9);
	const on = addDays(today, days);
	if (on >= programEnd(start, months)) return { status: 'beyond', month: null };
	return { status: 'projected', month: programMonth(start, on, months).month };
}

/** « atteint », « mois 14 », « après le mois 18 », « — » */
export function crossingLabelFr(c: Crossing, months = PROGRAM_MONTHS): string {
	switch (c.status) {
		case 'met':
			return 'atteint';
		case 'projected':
			return `mois ${c.month}`;
		case 'beyond':
			return `après le mois ${months}`;
		case 'not_started':
			return '—';
	}
}

/** Sort key of a crossing: reached first, then by month, then beyond, then not started. */
export function crossingRank(c: Crossing): number {
	return c.status === 'met' ? 0 : c.status === 'projected' ? c.month : c.status === 'beyond' ? 100 : 200;
}

// ============ attendance ============

/** Check-ins ÷ capacity of the held workshops that state a capacity (0…1+); null without any. */
export function attendanceRate(attendees: number, capacity: number): number | null {
	return capacity > 0 ? attendees / capacity : null;
}

// ============ the overall flag ============

export type Flag = 'on_track' | 'watch' | 'needs_help';
export const FLAGS: readonly Flag[] = ['needs_help', 'watch', 'on_track'];

export const FLAG_LABEL_FR: Record<Flag, string> = {
	on_track: 'En bonne voie',
	watch: 'À surveiller',
	needs_help: 'À aider'
};

/** The thresholds of the flag rule; changing one changes the rule's text too. */
export const FLAG_LIMITS = {
	/** Days without any recorded change. */
	staleWatch: 14,
	staleHelp: 30,
	/** Late milestones (due date passed, not done). */
	lateWatch: 1,
	lateHelp: 3,
	/** Completeness of monthly reports. */
	completenessWatch: 1,
	completenessHelp: 0.5,
	/** Timeliness of monthly reports. */
	timelinessWatch: 0.5
} as const;

const pct = (x: number) => `${Math.round(x * 100)} %`;

/** The flag rule, in the words shown beside it. */
export const FLAG_RULE_FR =
	`« À aider » dès qu’un de ces signaux apparaît : ni les citoyens ni les lieux ne sont en voie d’atteindre 80 % de leur seuil à la fin du programme ; ` +
	`${FLAG_LIMITS.lateHelp} jalons en retard ou plus ; aucune mise à jour depuis ${FLAG_LIMITS.staleHelp} jours ou plus ; ` +
	`complétude des indicateurs sous ${pct(FLAG_LIMITS.completenessHelp)}. ` +
	`« À surveiller » sinon, dès qu’un de ceux-ci apparaît : le meilleur des deux seuils seulement « à risque » (projection entre 80 et 100 %) ; ` +
	`au moins ${FLAG_LIMITS.lateWatch} jalon en retard ; aucune mise à jour depuis ${FLAG_LIMITS.staleWatch} jours ; un mois d’indicateurs manquant ; ` +
	`ponctualité sous ${pct(FLAG_LIMITS.timelinessWatch)}. « En bonne voie » sinon. Un territoire qui n’a pas commencé est en bonne voie.`;

export interface FlagInputs {
	started: boolean;
	citizenForecast: ForecastStatus;
	lieuForecast: ForecastStatus;
	milestonesLate: number;
	/** Days since the last change; null when nothing was ever recorded. */
	freshnessDays: number | null;
	/** Days since the start (to judge « nothing recorded ever »). */
	daysSinceStart: number;
	completeness: number | null;
	timeliness: number | null;
}

export interface FlagResult {
	flag: Flag;
	/** The inputs that triggered the flag, in French (empty when on track). */
	reasons: string[];
}

const FORECAST_RANK: Record<ForecastStatus, number> = { met: 4, on_track: 3, at_risk: 2, off_track: 1, not_started: 0 };

/**
 * The overall flag of a territory (rule in {@link FLAG_RULE_FR}). A marathon is carried by 350
 * citizens *or* 150 lieux (DOMAIN.md), so the better of the two forecasts counts. Reasons list every
 * input at the flag's level (not those of a lower level), so the facilitator sees why.
 */
export function territoryFlag(i: FlagInputs): FlagResult {
	if (!i.started) return { flag: 'on_track', reasons: [] };
	const L = FLAG_LIMITS;
	const help: string[] = [];
	const watch: string[] = [];
	const best = FORECAST_RANK[i.citizenForecast] >= FORECAST_RANK[i.lieuForecast] ? i.citizenForecast : i.lieuForecast;
	if (best === 'off_track') help.push('ni citoyens ni lieux en voie d’atteindre 80 % du seuil');
	else if (best === 'at_risk') watch.push('seuils seulement « à risque »');
	const late = i.milestonesLate;
	if (late >= L.lateHelp) help.push(`${late} jalons en retard`);
	else if (late >= L.lateWatch) watch.push(late === 1 ? '1 jalon en retard' : `${late} jalons en retard`);
	const stale = i.freshnessDays ?? i.daysSinceStart;
	const staleText = i.freshnessDays === null ? `aucune mise à jour depuis le début (${stale} j)` : `aucune mise à jour depuis ${stale} j`;
	if (stale >= L.staleHelp) help.push(staleText);
	else if (stale >= L.staleWatch) watch.push(staleText);
	if (i.completeness !== null) {
		if (i.completeness < L.completenessHelp) help.push(`complétude des indicateurs ${pct(i.completeness)}`);
		else if (i.completeness < L.completenessWatch) watch.push(`complétude des indicateurs ${pct(i.completeness)}`);
	}
	if (i.timeliness !== null && i.timeliness < L.timelinessWatch) watch.push(`ponctualité des indicateurs ${pct(i.timeliness)}`);
	if (help.length > 0) return { flag: 'needs_help', reasons: help };
	if (watch.length > 0) return { flag: 'watch', reasons: watch };
	return { flag: 'on_track', reasons: [] };
}

/** Percentage for display: « 83 % », « — » when null. */
export function percentFr(x: number | null): string {
	return x === null ? '—' : pct(x);
}

// ============ one cockpit row, its sort and its filters ============

/** What the cockpit query adds to `public.territory_figures()` for each territory. */
export interface CockpitExtras {
	workshops_held_this_month: number;
	attendees: number;
	capacity: number;
	reported_months: ReportedMonth[];
	timeliness_day: number;
	archived: boolean;
}

export interface CockpitRow extends TerritorySummary {
	citizenCrossing: Crossing;
	lieuCrossing: Crossing;
	workshopsThisMonth: number;
	attendance: number | null;
	reporting: Reporting;
	flag: Flag;
	reasons: string[];
}

/** Builds a cockpit row from the database's counts (pure; the page and the CSV use it). */
export function cockpitRow(row: TerritoryFiguresRow & CockpitExtras, today: string): CockpitRow {
	const s = summarize(row, today); // the cohort's length and phases come with the row
	const months = s.months; // the cohort's program length
	const cross = (threshold: number, current: number, recent: number) =>
		crossingMonth({ threshold, current, recentEnrolments: recent, start: row.start_date, today, months });
	const rep = reporting({ start: row.start_date, today, timelinessDay: row.timeliness_day, reported: row.reported_months, months });
	const { flag, reasons } = territoryFlag({
		started: s.started,
		citizenForecast: s.citizenForecast.status,
		lieuForecast: s.lieuForecast.status,
		milestonesLate: row.milestones_late,
		freshnessDays: s.freshnessDays,
		daysSinceStart: Math.max(0, differenceInCalendarDays(toCalendarDate(today), toCalendarDate(row.start_date))),
		completeness: rep.completeness,
		timeliness: rep.timeliness
	});
	return {
		...s,
		citizenCrossing: cross(row.citizen_threshold, row.citizens, row.citizens_in_pace_window),
		lieuCrossing: cross(row.lieu_threshold, row.lieux, row.lieux_in_pace_window),
		workshopsThisMonth: row.workshops_held_this_month,
		attendance: attendanceRate(row.attendees, row.capacity),
		reporting: rep,
		flag,
		reasons
	};
}

const FLAG_RANK: Record<Flag, number> = { needs_help: 0, watch: 1, on_track: 2 };

/** Sortable columns (URL `tri`), each with the value it sorts by. Nulls always sort last. */
export const SORT_KEYS = {
	territoire: (r: CockpitRow) => r.name,
	region: (r: CockpitRow) => r.region,
	mois: (r: CockpitRow) => (r.started ? r.month : 0),
	citoyens: (r: CockpitRow) => r.citizens / r.citizen_threshold,
	lieux: (r: CockpitRow) => r.lieux / r.lieu_threshold,
	prevision: (r: CockpitRow) => crossingRank(r.citizenCrossing) * 1000 + crossingRank(r.lieuCrossing),
	jalons: (r: CockpitRow) => r.milestones_late,
	ateliers: (r: CockpitRow) => r.workshops_held,
	presence: (r: CockpitRow) => r.attendance,
	completude: (r: CockpitRow) => r.reporting.completeness,
	ponctualite: (r: CockpitRow) => r.reporting.timeliness,
	fraicheur: (r: CockpitRow) => r.freshnessDays,
	drapeau: (r: CockpitRow) => FLAG_RANK[r.flag]
} satisfies Record<string, (r: CockpitRow) => string | number | null>;
export type SortKey = keyof typeof SORT_KEYS;

export interface CockpitQuery {
	tri: SortKey;
	ordre: 'asc' | 'desc';
	region: string;
	drapeau: Flag | '';
	phase: string;
	page: number;
}

/** Reads sort, filters and page from the URL; anything unknown falls back to the default (flag, then name). */
export function parseCockpitQuery(params: URLSearchParams): CockpitQuery {
	const tri = params.get('tri') ?? '';
	const drapeau = params.get('drapeau') ?? '';
	const page = Number(params.get('page'));
	return {
		tri: (Object.hasOwn(SORT_KEYS, tri) ? tri : 'drapeau') as SortKey,
		ordre: params.get('ordre') === 'desc' ? 'desc' : 'asc',
		region: (params.get('region') ?? '').slice(0, 80),
		drapeau: (FLAGS as readonly string[]).includes(drapeau) ? (drapeau as Flag) : '',
		phase: (params.get('phase') ?? '').slice(0, 40),
		page: Number.isInteger(page) && page >= 1 && page <= 100_000 ? page : 1
	};
}

/**
 * The query with only the filters these rows can match: a région or phase no territory has (an
 * old link, a typo, a crafted value) is dropped, as an unknown sort or flag already is — the page
 * then shows what its selects say (« Toutes »), not an empty list.
 */
export function knownFilters(q: CockpitQuery, rows: readonly CockpitRow[]): CockpitQuery {
	const region = q.region && rows.some((r) => r.region === q.region) ? q.region : '';
	const phase = q.phase && rows.some((r) => r.stage.stage !== 'before' && r.phase.code === q.phase) ? q.phase : '';
	return region === q.region && phase === q.phase ? q : { ...q, region, phase };
}

/** Filters (région, flag, phase code: a territory not started is in none) then sorts (stable; ties by name, French collation). */
export function sortAndFilter(rows: readonly CockpitRow[], q: CockpitQuery): CockpitRow[] {
	const key = SORT_KEYS[q.tri];
	const dir = q.ordre === 'desc' ? -1 : 1;
	return filterRows(rows, q).sort((a, b) => {
		const x = key(a);
		const y = key(b);
		if (x === null || y === null) {
			if (x !== y) return x === null ? 1 : -1;
		} else if (x !== y) {
			const c = typeof x === 'string' ? compareFr(x, y as string) : (x as number) - (y as number);
			if (c !== 0) return c * dir;
		}
		return compareFr(a.name, b.name);
	});
}

/** The rows the filters of `q` keep (région, flag, phase), in their order. */
export function filterRows(rows: readonly CockpitRow[], q: Pick<CockpitQuery, 'region' | 'drapeau' | 'phase'>): CockpitRow[] {
	return rows.filter(
		(r) =>
			(!q.region || r.region === q.region) &&
			(!q.drapeau || r.flag === q.drapeau) &&
			// a territory not started yet is in no phase
			(!q.phase || (r.stage.stage !== 'before' && r.phase.code === q.phase))
	);
}

/** Territories per flag. */
export function countFlags(rows: readonly CockpitRow[]): Record<Flag, number> {
	const counts: Record<Flag, number> = { needs_help: 0, watch: 0, on_track: 0 };
	for (const r of rows) counts[r.flag]++;
	return counts;
}

// ============ CSV ============

const COCKPIT_CSV_HEADER = [
	'territoire', 'région', 'mois du programme', 'phase', 'citoyens', 'seuil citoyens', 'prévision citoyens', 'franchissement citoyens',
	'lieux', 'seuil lieux', 'prévision lieux', 'franchissement lieux', 'jalons', 'jalons faits', 'jalons en retard',
	'ateliers ce mois', 'ateliers tenus', 'taux de présence', 'mois attendus', 'mois complets', 'complétude',
	'mois à échéance passée', 'mois à temps', 'ponctualité', 'jours sans mise à jour', 'drapeau', 'raisons'
];

/** A territory's cockpit line as the page shows it. */
export interface CockpitCells {
	id: string;
	slug: string;
	name: string;
	/** région · program month and phase */
	where: string;
	citizens: { status: ForecastStatus; text: string };
	lieux: { status: ForecastStatus; text: string };
	milestones: string;
	workshops: string;
	reporting: string;
	fresh: string;
	flag: Flag;
	flagText: string;
}

/**
 * One row as the page's cells: text only, so that the page's data (serialized into every
 * response by SvelteKit) stays small — the CSV (`cockpitCsv`) writes the same figures.
 */
export function cockpitCells(r: CockpitRow): CockpitCells {
	const forecast = (status: ForecastStatus, current: number, threshold: number, crossing: Crossing) => ({
		status,
		text: `${current}/${threshold} · ${FORECAST_STATUS_LABEL_FR[status]} · ${crossingLabelFr(crossing, r.months)}`
	});
	const rep = r.reporting;
	return {
		id: r.territory_id,
		slug: r.slug,
		name: r.name,
		where: `${r.region} · ${programStageFr(r.stage)}`,
		citizens: forecast(r.citizenForecast.status, r.citizens, r.citizen_threshold, r.citizenCrossing),
		lieux: forecast(r.lieuForecast.status, r.lieux, r.lieu_threshold, r.lieuCrossing),
		milestones: `${r.milestones_done}/${r.milestones} · ${r.milestones_late} en retard`,
		workshops: `${r.workshopsThisMonth} / ${r.workshops_held} · ${percentFr(r.attendance)}`,
		reporting: `${rep.reported}/${rep.expected} mois (${percentFr(rep.completeness)}) · ${rep.timely}/${rep.timelyExpected} à temps (${percentFr(rep.timeliness)})`,
		fresh: r.freshnessDays === null ? 'jamais' : r.freshnessDays === 0 ? 'aujourd’hui' : `${r.freshnessDays} j`,
		flag: r.flag,
		flagText: `${FLAG_LABEL_FR[r.flag]}${r.reasons.length ? ` : ${r.reasons.join(' ; ')}` : ''}`
	};
}

/** The cockpit as CSV (UTF-8 with BOM, `;`, CRLF, formulas guarded), the same figures as the page. */
export function cockpitCsv(rows: readonly CockpitRow[]): string {
	const data = rows.map((r) => [
		r.name, r.region, r.stage.stage === 'before' ? '' : String(r.month), r.stage.stage === 'before' ? programStageFr(r.stage) : r.phase.name,
		r.citizens, r.citizen_threshold, FORECAST_STATUS_LABEL_FR[r.citizenForecast.status], crossingLabelFr(r.citizenCrossing, r.months),
		r.lieux, r.lieu_threshold, FORECAST_STATUS_LABEL_FR[r.lieuForecast.status], crossingLabelFr(r.lieuCrossing, r.months),
		r.milestones, r.milestones_done, r.milestones_late,
		r.workshopsThisMonth, r.workshops_held, percentFr(r.attendance),
		r.reporting.expected, r.reporting.reported, percentFr(r.reporting.completeness),
		r.reporting.timelyExpected, r.reporting.timely, percentFr(r.reporting.timeliness),
		r.freshnessDays ?? '', FLAG_LABEL_FR[r.flag], r.reasons.join(' ; ')
	].map(String));
	const body = Papa.unparse({ fields: COCKPIT_CSV_HEADER, data }, { delimiter: ';', newline: '\r\n', escapeFormulae: true });
	return `${BOM}${body}\r\n`;
}

// ============ milestone drift (planned vs actual) ============

export type Drift =
	| { kind: 'early'; days: number }
	| { kind: 'on_time'; days: 0 }
	| { kind: 'late'; days: number }
	| { kind: 'overdue'; days: number }
	| { kind: 'not_due'; days: number };

/**
 * Planned vs actual of a program milestone, against its due date (the accepted date once
 * date-change requests exist): done before the due date → `early` by n days; on the day →
 * `on_time`; after → `late` by n days; not done and past due → `overdue` by n days; else
 * `not_due` (n days left).
 */
export function milestoneDrift(m: { due_date: DateInput; status: string; completed_at: DateInput | null }, today: DateInput): Drift {
	const due = toCalendarDate(m.due_date);
	if (m.status === 'done' && m.completed_at) {
		const d = differenceInCalendarDays(toCalendarDate(m.completed_at), due);
		return d < 0 ? { kind: 'early', days: -d } : d === 0 ? { kind: 'on_time', days: 0 } : { kind: 'late', days: d };
	}
	const d = differenceInCalendarDays(toCalendarDate(today), due);
	return d > 0 ? { kind: 'overdue', days: d } : { kind: 'not_due', days: Math.abs(d) };
}

/** « en avance de 3 j », « à l’heure », « fait avec 5 j de retard », « en retard de 12 j », « dans 40 j » */
export function driftLabelFr(d: Drift): string {
	switch (d.kind) {
		case 'early':
			return `fait ${d.days} j en avance`;
		case 'on_time':
			return 'fait à l’échéance';
		case 'late':
			return `fait avec ${d.days} j de retard`;
		case 'overdue':
			return `en retard de ${d.days} j`;
		case 'not_due':
			return `échéance dans ${d.days} j`;
	}
}
