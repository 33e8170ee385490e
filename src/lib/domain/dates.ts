import { differenceInCalendarDays, format, parseISO } from 'date-fns';
import { fr } from 'date-fns/locale';
import { toCalendarDate, type DateInput } from './program';

/**
 * Today's date where the program happens (Europe/Paris), as YYYY-MM-DD.
 * MARATHON_TODAY (YYYY-MM-DD) pins it, for demonstrations and reproducible tests.
 */
export function todayIso(now: Date = new Date(), pinned?: string): string {
	if (pinned && /^\d{4}-\d{2}-\d{2}$/.test(pinned)) return pinned;
	return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(now);
}

/** « 29 novembre 2026 » */
export function formatDateFr(value: DateInput): string {
	return format(toCalendarDate(value), 'd MMMM yyyy', { locale: fr });
}

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
