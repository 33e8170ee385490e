import { addMonths, differenceInCalendarMonths, isValid, parseISO, startOfDay } from 'date-fns';

/** A phase of the program, covering program months `from`…`to` (inclusive, 1-based). */
export type Phase = {
	code: 'semer' | 'germer' | 'regenerer';
	name: string;
	from: number;
	to: number;
};

/** Length of a marathon, in months. */
export const PROGRAM_MONTHS = 18;

/** Default phases: months 1–6 Semer, 7–12 Germer, 13–18 Régénérer. */
export const DEFAULT_PHASES: Phase[] = [
	{ code: 'semer', name: 'Semer', from: 1, to: 6 },
	{ code: 'germer', name: 'Germer', from: 7, to: 12 },
	{ code: 'regenerer', name: 'Régénérer', from: 13, to: 18 }
];

/** A calendar date: a `Date`, or an ISO string (`'YYYY-MM-DD'` is read as a local date). */
export type DateInput = Date | string;

/**
 * Normalises a date input to local midnight of its calendar day.
 * `'YYYY-MM-DD'` strings are parsed as local dates (no UTC shift).
 * @throws RangeError if the input is not a valid date.
 */
export function toCalendarDate(value: DateInput): Date {
	const date = typeof value === 'string' ? (calendarDay(value) ?? parseISO(value)) : value;
	if (!isValid(date)) throw new RangeError(`Invalid date: ${String(value)}`);
	return startOfDay(date);
}

const CALENDAR_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The common case of `toCalendarDate`, a plain 'YYYY-MM-DD' (what Postgres sends for a date), read
 * without date-fns's general ISO parser, which was a tenth of a list page's server time
 * (docs/performance.md): the same local date, an Invalid Date for a day that does not exist
 * ('2026-02-30'), as parseISO gives. Null for any other shape (then parseISO reads it).
 */
function calendarDay(value: string): Date | null {
	const parts = CALENDAR_DAY.exec(value);
	if (!parts) return null;
	const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
	const date = new Date(0);
	date.setFullYear(year, month - 1, day);
	date.setHours(0, 0, 0, 0);
	return date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day ? date : new Date(NaN);
}

/**
 * Exclusive end of the program: the first day after its last month (`start` + `months` months).
 * E.g. start 2026-02-01 → 2027-08-01.
 */
export function programEnd(start: DateInput, months = PROGRAM_MONTHS): Date {
	return addMonths(toCalendarDate(start), months);
}

/**
 * Program month on a date. Month 1 is the calendar-month period starting at `start`
 * (start 2026-02-01: 02-01…02-28 is month 1, 03-01 is month 2, 2026-11-29 is month 10).
 * The month is clamped to 1…`months`: before the start `started` is false and month is 1;
 * from the exclusive end onwards `ended` is true and month is `months`.
 */
export function programMonth(
	start: DateInput,
	on: DateInput,
	months = PROGRAM_MONTHS
): { month: number; started: boolean; ended: boolean } {
	const from = toCalendarDate(start);
	const day = toCalendarDate(on);
	let elapsed = differenceInCalendarMonths(day, from);
	if (addMonths(from, elapsed) > day) elapsed -= 1;
	return {
		month: Math.min(Math.max(elapsed + 1, 1), months),
		started: day >= from,
		ended: day >= addMonths(from, months)
	};
}

/**
 * Phase containing a program month (clamped to the phases' range).
 * @throws Error if `phases` is empty.
 */
export function phaseOf(month: number, phases: Phase[] = DEFAULT_PHASES): Phase {
	if (phases.length === 0) throw new Error('No phases configured');
	const sorted = [...phases].sort((a, b) => a.from - b.from);
	const found = sorted.find((phase) => month >= phase.from && month <= phase.to);
	if (found) return found;
	// Outside every phase (before the first, after the last, or in a gap): nearest preceding phase.
	const before = sorted.filter((phase) => phase.from <= month);
	return before.length > 0 ? before[before.length - 1] : sorted[0];
}

/**
 * Whole months remaining after the current program month: `months − month`
 * (month 10 of 18 → 8; month 18 or after the end → 0). Before the start the whole
 * program remains: returns `months`.
 */
export function monthsLeft(start: DateInput, on: DateInput, months = PROGRAM_MONTHS): number {
	const { month, started } = programMonth(start, on, months);
	return started ? months - month : months;
}

/** Where a territory stands in its program on a date: not started yet, in month k of a phase, or over. */
export type ProgramStage =
	| { stage: 'before'; startsOn: string }
	| { stage: 'running'; month: number; months: number; phase: Phase }
	| { stage: 'ended'; months: number };

/**
 * The program's stage on a date — the one answer every page, CSV and chart shows, so that no
 * program month ≤ 0 (nor beyond the end) is ever displayed. Before the start: `before` with the
 * start date (YYYY-MM-DD); from the exclusive end: `ended`; otherwise month 1…`months` and its phase.
 * @throws RangeError on an invalid date; Error if `phases` is empty.
 */
export function programStage(
	start: DateInput,
	on: DateInput,
	phases: Phase[] = DEFAULT_PHASES,
	months = PROGRAM_MONTHS
): ProgramStage {
	const { month, started, ended } = programMonth(start, on, months);
	if (!started) return { stage: 'before', startsOn: isoDay(toCalendarDate(start)) };
	if (ended) return { stage: 'ended', months };
	return { stage: 'running', month, months, phase: phaseOf(month, phases) };
}

const isoDay = (d: Date) =>
	`${String(d.getFullYear()).padStart(4, '0')}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

const MONTHS_FR = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

/** « 1 mars 2029 » (« 1er » for the first day, as French writes dates). */
function dayFr(iso: string): string {
	const [y, m, d] = iso.split('-').map(Number);
	return `${d === 1 ? '1er' : d} ${MONTHS_FR[m - 1]} ${y}`;
}

/**
 * A stage in French: « démarre le 1er mars 2029 », « mois 10/18 · Germer », « terminé (18 mois) ».
 * `short: true` drops the date before the start: « pas encore démarré ».
 */
export function programStageFr(s: ProgramStage, short = false): string {
	switch (s.stage) {
		case 'before':
			return short ? 'pas encore démarré' : `démarre le ${dayFr(s.startsOn)}`;
		case 'running':
			return `mois ${s.month}/${s.months} · ${s.phase.name}`;
		case 'ended':
			return `terminé (${s.months} mois)`;
	}
}

/**
 * True for a program month that may be shown: an integer 1…`months`. Figures computed elsewhere
 * (SQL) pass through it, so that « mois -37 » or « mois 0 » never reaches a page.
 */
export function isShownProgramMonth(month: number, months = PROGRAM_MONTHS): boolean {
	return Number.isInteger(month) && month >= 1 && month <= months;
}
