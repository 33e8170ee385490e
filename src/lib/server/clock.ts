import { currentInstant, todayIso } from '$lib/domain/dates';

/** Today where the program happens (Europe/Paris) — or MARATHON_TODAY when it is pinned. */
export const today = (): string => todayIso(new Date(), process.env.MARATHON_TODAY);

/** Now: today's date as above, at the real time of day. */
export const now = (): Date => currentInstant(new Date(), process.env.MARATHON_TODAY);
