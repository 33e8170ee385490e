import { differenceInCalendarDays, subDays } from 'date-fns';
import { PROGRAM_MONTHS, programEnd, toCalendarDate, type DateInput } from './program';

/** Milestone status as stored; *late* is derived by {@link isLate}. */
export type MilestoneStatus = 'planned' | 'in_progress' | 'done' | 'blocked';

/** Forecast status of a threshold (350 citizens, 150 lieux). */
export type ForecastStatus = 'met' | 'on_track' | 'at_risk' | 'off_track' | 'not_started';

/** Days in an average month (365.25 / 12), used to convert daily pace to monthly pace. */
export const DAYS_PER_MONTH = 365.25 / 12;

/** Length of the pace window, in calendar days (today included). */
export const PACE_WINDOW_DAYS = 90;

/** Share of the threshold the projection must reach to be "at risk" rather than "off track". */
export const AT_RISK_RATIO = 0.8;

/** The forecast rule in plain French, shown beside the figures. */
export const FORECAST_RULE_FR =
	"Projection : rythme d'inscription des 90 derniers jours (ou depuis le début si plus court) prolongé jusqu'à la fin du dernier mois du programme (le 18e, sauf durée de cohorte configurée autrement). " +
	'En bonne voie si la projection atteint le seuil, à risque si elle en atteint au moins 80 %, en retard en dessous.';

/** French labels of the forecast statuses. */
export const FORECAST_STATUS_LABEL_FR: Record<ForecastStatus, string> = {
	met: 'Seuil atteint',
	on_track: 'En bonne voie',
	at_risk: 'À risque',
	off_track: 'En retard',
	not_started: 'Pas commencé'
};

/**
 * A milestone is late when its due date (the one in force: the program's, or the date a
 * facilitator accepted) is strictly before today and it is not done. THE rule of « late », with
 * its SQL twin `private.is_late(due_date, status, today)` (migration
 * 20261129110300_create_milestone_date_requests); tests/db/program-rules.test.ts checks they agree.
 */
export function isLate(m: { dueDate: DateInput; status: MilestoneStatus }, today: DateInput): boolean {
	return m.status !== 'done' && toCalendarDate(m.dueDate) < toCalendarDate(today);
}

export type ThresholdForecastInput = {
	threshold: number;
	current: number;
	/** Enrolment dates of the currently counted items (citizens or lieux)… */
	enrolmentDates?: DateInput[];
	/** …or, counted by the database, how many of them fall inside the pace window. */
	recentEnrolments?: number;
	start: DateInput;
	today: DateInput;
	months?: number;
};

export type ThresholdForecast = {
	current: number;
	threshold: number;
	/** Length of the pace window in days: 90, or days since the start (today included) if fewer; 0 before the start. */
	windowDays: number;
	/** Enrolments per month over the window (rounded to 0.1). */
	pacePerMonth: number;
	/** current + pace × days left until the end of the last month, rounded; current once the program ended. */
	projected: number;
	status: ForecastStatus;
	/** Enrolments per month still needed to reach the threshold (rounded up; 0 when met). */
	monthlyNeeded: number;
	/** Time left until the end of the last month, in months (rounded to 0.1; 0 once ended). */
	monthsLeft: number;
};

const round1 = (n: number): number => Math.round(n * 10) / 10;
/** Rounds up, ignoring floating-point noise (19.000000000001 → 19). */
const ceil = (n: number): number => Math.ceil(n - 1e-9);

/**
 * Threshold forecast. Pace = enrolments dated within the last 90 calendar days up to and including
 * today (or since the start, if shorter) per day; projected = current + pace × days remaining after
 * today until the exclusive program end. Status: `met` if current ≥ threshold, else `not_started`
 * before the start, else `on_track` if projected ≥ threshold, `at_risk` if ≥ 80 %, `off_track` below.
 * monthlyNeeded = (threshold − current) / max(1, months left). Before the start, the whole program
 * counts as remaining time; after the end, nothing more is projected.
 */
export function thresholdForecast(input: ThresholdForecastInput): ThresholdForecast {
	const { threshold, current } = input;
	const start = toCalendarDate(input.start);
	const today = toCalendarDate(input.today);
	const end = programEnd(start, input.months ?? PROGRAM_MONTHS);
	const started = today >= start;

	let windowDays = 0;
	let perDay = 0;
	if (started) {
		windowDays = Math.min(PACE_WINDOW_DAYS, differenceInCalendarDays(today, start) + 1);
		const windowStart = subDays(today, windowDays - 1);
		const count =
			input.recentEnrolments ??
			(input.enrolmentDates ?? [])
				.map(toCalendarDate)
				.filter((date) => date >= windowStart && date <= today).length;
		perDay = count / windowDays;
	}

	const remainingDays = started
		? Math.max(0, differenceInCalendarDays(end, today) - 1)
		: differenceInCalendarDays(end, start);
	const remainingMonths = remainingDays / DAYS_PER_MONTH;
	const projected = Math.round(current + perDay * remainingDays);

	let status: ForecastStatus;
	if (current >= threshold) status = 'met';
	else if (!started) status = 'not_started';
	else if (projected >= threshold) status = 'on_track';
	else if (projected >= AT_RISK_RATIO * threshold) status = 'at_risk';
	else status = 'off_track';

	return {
		current,
		threshold,
		windowDays,
		pacePerMonth: round1(perDay * DAYS_PER_MONTH),
		projected,
		status,
		monthlyNeeded:
			current >= threshold ? 0 : ceil((threshold - current) / Math.max(1, remainingMonths)),
		monthsLeft: round1(remainingMonths)
	};
}

/** Calendar days since the last recorded change (0 if today or later); null if nothing was recorded. */
export function freshnessDays(lastChange: DateInput | null, today: DateInput): number | null {
	if (lastChange === null) return null;
	return Math.max(0, differenceInCalendarDays(toCalendarDate(today), toCalendarDate(lastChange)));
}
