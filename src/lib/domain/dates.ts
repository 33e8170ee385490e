import { differenceInCalendarDays, format, parseISO } from 'date-fns';
import { fr } from 'date-fns/locale';
import { toCalendarDate, type DateInput } from './program';

/**
 * Today's date where the program happens (Europe/Paris), as YYYY-MM-DD.
 * MARATHON_TODAY (YYYY-MM-DD) pins it, for demonstrations and reproducible tests.
 */
export function todayIso(now: Date = new Date(), pinned?: string): string {
	if (pinned && /^\d{4}-\d{2}-\d{2}$/.test(pinned)) return pinned;
	return parisDay(now);
}

// Formatters are made once, never per call or per render: building an Intl.DateTimeFormat
// costs ≈ 80 µs, a format ≈ 2 µs (docs/performance.md).
/** A local calendar date (toCalendarDate), in the process's own time zone like date-fns. */
const DAY_LONG_FR = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric' });
const PARIS_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' });
const PARIS_DATE_TIME = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' });
const PARIS_SHORT_DAY_TIME = new Intl.DateTimeFormat('fr-FR', {
	weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris'
});

/**
 * The calendar day (YYYY-MM-DD) of an instant in Europe/Paris. The day of the last minute asked is
 * kept (« today » is asked several times per request; a time-zone format costs ≈ 10 µs): exact,
 * since a day in Paris starts on a whole minute. Throws RangeError for an invalid date.
 */
export function parisDay(at: Date | string): string {
	const ms = new Date(at).getTime();
	const minute = Math.floor(ms / 60_000);
	if (minute !== lastMinute) {
		lastDay = PARIS_DAY.format(ms);
		lastMinute = minute;
	}
	return lastDay;
}
let lastMinute = NaN;
let lastDay = '';

/** An instant as « 29 novembre 2026 à 14:05 » (Europe/Paris). */
export function formatDateTimeFr(at: Date | string): string {
	return PARIS_DATE_TIME.format(new Date(at));
}

/** The day of an instant as « 29 novembre 2026 » (Europe/Paris). */
export function formatInstantDateFr(at: Date | string): string {
	return formatDateFr(parisDay(at));
}

/** A coming session, short: « dim. 29 nov., 14:05 » (Europe/Paris). */
export function formatShortDayTimeFr(at: Date | string): string {
	return PARIS_SHORT_DAY_TIME.format(new Date(at));
}

/**
 * `format` for calendar days given as text ('YYYY-MM-DD'), each day formatted once: a list shows
 * the same days again and again (25 rows, a few distinct dates) and a format costs ≈ 4 µs. Bounded
 * (at most ten years of days kept, whatever the strings asked for); a value `format` throws for
 * is thrown every time, never kept.
 */
function formattedOnce(format: (day: string) => string): (day: string) => string {
	const kept = new Map<string, string>();
	return (day) => {
		let text = kept.get(day);
		if (text === undefined) {
			text = format(day);
			if (kept.size >= 3660) kept.clear();
			kept.set(day, text);
		}
		return text;
	};
}

const dayLongFr = formattedOnce((day) => DAY_LONG_FR.format(toCalendarDate(day)));

/**
 * « 29 novembre 2026 » (the calendar day as given; the same text as date-fns `d MMMM yyyy`, fr, at a
 * third of its cost; a 'YYYY-MM-DD' formatted once). Throws RangeError for an invalid date.
 */
export function formatDateFr(value: DateInput): string {
	return typeof value === 'string' ? dayLongFr(value) : DAY_LONG_FR.format(toCalendarDate(value));
}

/** « samedi 5 décembre 2026 » from 'YYYY-MM-DD' (date-fns `EEEE d MMMM yyyy`, fr; formatted once). Throws RangeError for an invalid date. */
export const formatWeekdayDateFr = formattedOnce((day) => format(toCalendarDate(day), 'EEEE d MMMM yyyy', { locale: fr }));

/**
 * The instant the app calls « now ». With MARATHON_TODAY pinned (demonstrations, tests), today's
 * date is the pinned one and the time of day is the real one.
 */
export function currentInstant(real: Date = new Date(), pinnedToday?: string): Date {
	const realToday = todayIso(real);
	if (!pinnedToday || !/^\d{4}-\d{2}-\d{2}$/.test(pinnedToday) || pinnedToday === realToday) return real;
	const days = differenceInCalendarDays(parseISO(pinnedToday), parseISO(realToday));
	return new Date(real.getTime() + days * 86_400_000);
}
