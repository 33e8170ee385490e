import { z } from 'zod';
import { formatDateFr } from './dates';
import { submission, uuid } from './fields';
import { compareFr, listFr, monthYear, ofMonthYear, plural } from './french';
import { PROGRAM_MONTHS } from './program';

/*
 * Reminders (/pilotage/relances): which territories to nudge, and the French message to send to
 * their coordination. Pure functions: the page, the recorded summary and the tests call these.
 * The reporting rules themselves (months expected, complete, on time) are those of cockpit.ts
 * (`reporting`), so a month missing here is a month missing in the cockpit.
 */

// ============ the page's query: « not updated for N days » ============

/** Default N of « sans mise à jour depuis N jours »: the cockpit's « à aider » staleness (30 days). */
export const DEFAULT_REMINDER_DAYS = 30;
export const MAX_REMINDER_DAYS = 365;
const DAYS_MESSAGE = `Indiquez un nombre entier de jours entre 1 et ${MAX_REMINDER_DAYS}.`;

/** N of the page (URL `jours`, hidden field of the record form): an integer 1…365. */
export const reminderDays = z
	.string({ error: DAYS_MESSAGE })
	.trim()
	.regex(/^\d{1,3}$/, DAYS_MESSAGE)
	.transform(Number)
	.refine((n) => n >= 1 && n <= MAX_REMINDER_DAYS, DAYS_MESSAGE);

export interface RemindersQuery {
	/** N (days); the default when the URL's value is refused. */
	jours: number;
	/** What was typed, to show again in the field. */
	typed: string;
	/** French message at the field when `jours` was refused, else null. */
	error: string | null;
	page: number;
}

/** Reads `jours` (default {@link DEFAULT_REMINDER_DAYS}) and `page` from the URL; a bad `jours` gives a message and the default. */
export function parseRemindersQuery(params: URLSearchParams): RemindersQuery {
	const raw = params.get('jours');
	const page = Number(params.get('page'));
	const parsed = raw === null || raw.trim() === '' ? null : reminderDays.safeParse(raw);
	return {
		jours: parsed?.success ? parsed.data : DEFAULT_REMINDER_DAYS,
		typed: raw === null ? String(DEFAULT_REMINDER_DAYS) : raw.slice(0, 20),
		error: parsed && !parsed.success ? DAYS_MESSAGE : null,
		page: Number.isInteger(page) && page >= 1 && page <= 100_000 ? page : 1
	};
}

// ============ the record form ============

export const REMINDER_CHANNELS = ['email', 'message', 'phone'] as const;
export type ReminderChannel = (typeof REMINDER_CHANNELS)[number];
export const REMINDER_CHANNEL_LABEL_FR: Record<ReminderChannel, string> = {
	email: 'par courriel',
	message: 'par une autre messagerie',
	phone: 'par téléphone'
};

/** « Noter la relance envoyée »: which territory, how it went out, the page's N, the submission token. */
export const RecordReminderSchema = z.object({
	territory: uuid('Territoire inconnu : rechargez la page.'),
	channel: z.enum(REMINDER_CHANNELS, { error: 'Choisissez comment la relance a été envoyée.' }),
	jours: reminderDays,
	/** The page of the list the form was on, to come back to it (1 when absent or nonsense). */
	page: z
		.string()
		.optional()
		.transform((v) => (v && /^\d{1,6}$/.test(v) ? Number(v) : 1)),
	submission
});

// ============ what is missing ============

export interface ReminderIndicator {
	id: string;
	/** French name shown to the coordination. */
	name: string;
}

/** One territory's state, as the page reads it (cockpit row + indicator details). */
export interface ReminderTerritory {
	name: string;
	/** Effective start date, 'YYYY-MM-DD'. */
	start: string;
	started: boolean;
	ended: boolean;
	/** Program month (1…months). */
	month: number;
	months?: number;
	/** Day the last change was recorded (Paris), null when none; and days since. */
	lastChangeOn: string | null;
	freshnessDays: number | null;
	/** Months expected and not complete, oldest first ('YYYY-MM-01'): cockpit `reporting().missing`. */
	missingMonths: readonly string[];
	/** Indicators entered in those months (by month 'YYYY-MM-01'); absent month: none entered. */
	enteredByMonth: ReadonlyMap<string, ReadonlySet<string>>;
	/** Active indicators of the cohort's catalog, in catalog order. */
	catalog: readonly ReminderIndicator[];
	/** Day (Paris) an indicator value was last entered or changed; null when never. */
	indicatorsLastOn: string | null;
	milestonesLate: number;
	/** Day N of the following month by which a month's indicators are due. */
	timelinessDay: number;
}

export interface MissingMonth {
	month: string;
	/** Names of the indicators without a value that month, in catalog order. */
	indicators: string[];
	/** No indicator at all was entered that month. */
	all: boolean;
}

export interface ReminderNeeds {
	months: MissingMonth[];
	/** Days without any change, when ≥ N and the program is running; null otherwise. */
	staleDays: number | null;
	/** Nothing was ever recorded on the territory (and it started ≥ N days ago). */
	neverUpdated: boolean;
	/** Days since the last indicator entry (null when never), shown beside missing months. */
	indicatorsDays: number | null;
	milestonesLate: number;
}

const daysBetween = (from: string, to: string) =>
	Math.max(0, Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000));

/**
 * What a territory's coordination should be reminded of, `null` when nothing (no reminder):
 * - before the start, nothing is due (null);
 * - every expected month not complete (cockpit `reporting`), with the indicators still without a
 *   value that month (an empty catalog expects nothing);
 * - no change for `staleAfterDays` days or more (or never, `staleAfterDays` days after the start)
 *   while the program runs — after its last month only the missing months are asked for.
 * Late milestones are reported alongside, never alone.
 */
export function reminderNeeds(t: ReminderTerritory, staleAfterDays: number, today: string): ReminderNeeds | null {
	if (!t.started) return null;
	const months: MissingMonth[] =
		t.catalog.length === 0
			? []
			: t.missingMonths.map((month) => {
					const entered = t.enteredByMonth.get(month) ?? new Set<string>();
					const indicators = t.catalog.filter((i) => !entered.has(i.id)).map((i) => i.name);
					return { month, indicators, all: indicators.length === t.catalog.length };
				});
	const sinceStart = daysBetween(t.start, today);
	const staleFor = t.freshnessDays ?? sinceStart;
	const stale = !t.ended && staleFor >= staleAfterDays;
	if (months.length === 0 && !stale) return null;
	return {
		months,
		staleDays: stale ? staleFor : null,
		neverUpdated: stale && t.freshnessDays === null,
		indicatorsDays: t.indicatorsLastOn === null ? null : daysBetween(t.indicatorsLastOn, today),
		milestonesLate: t.milestonesLate
	};
}

/**
 * The short French summary of what is missing, shown on the page and stored with a recorded
 * reminder (≤ 2000 characters): « 2 mois d’indicateurs manquants (septembre 2026, octobre 2026) ;
 * aucune mise à jour depuis 45 jours ; 3 jalons en retard ».
 */
export function reminderSummary(n: ReminderNeeds): string {
	const parts: string[] = [];
	if (n.months.length > 0)
		parts.push(
			`${plural(n.months.length, 'mois', 'mois')} d’indicateurs ${n.months.length < 2 ? 'manquant' : 'manquants'} (${n.months.map((m) => monthYear(m.month)).join(', ')})`
		);
	if (n.neverUpdated) parts.push(`aucune saisie depuis le début (${plural(n.staleDays ?? 0, 'jour')})`);
	else if (n.staleDays !== null) parts.push(`aucune mise à jour depuis ${plural(n.staleDays, 'jour')}`);
	if (n.milestonesLate > 0) parts.push(`${plural(n.milestonesLate, 'jalon')} en retard`);
	const text = parts.join(' ; ');
	return text.length <= 2000 ? text : `${text.slice(0, 1999)}…`;
}

// ============ the message ============

export interface Coordinator {
	name: string;
	email: string;
}

export interface ReminderMessage {
	/** E-mail addresses of the territory's coordination (may be empty). */
	recipients: string[];
	subject: string;
	body: string;
	/** For the facilitator, not in the message: e.g. no coordination to send it to yet. */
	note: string | null;
}

/**
 * The ready-to-send French reminder for a territory's coordination: subject and body listing
 * exactly what is missing (months, and which indicators when only some were entered; days since
 * the last change; late milestones), the deadline rule (day N of the following month) and the
 * link to enter the indicators. `links` are absolute URLs. With no coordinator yet, the message
 * is still written (to forward) and `note` says so.
 */
export function reminderMessage(
	t: Pick<ReminderTerritory, 'name' | 'start' | 'ended' | 'month' | 'months' | 'lastChangeOn' | 'catalog' | 'timelinessDay'>,
	n: ReminderNeeds,
	coordinators: readonly Coordinator[],
	links: { indicators: string; milestones: string; territory: string },
	today: string
): ReminderMessage {
	const months = t.months ?? PROGRAM_MONTHS;
	const subject =
		n.months.length === 1
			? `Marathon coopératif — ${t.name} : indicateurs ${ofMonthYear(n.months[0].month)} à saisir`
			: n.months.length > 1
				? `Marathon coopératif — ${t.name} : ${plural(n.months.length, 'mois', 'mois')} d’indicateurs à saisir`
				: `Marathon coopératif — ${t.name} : des nouvelles de votre territoire ?`;
	const lines: string[] = ['Bonjour,', ''];
	lines.push(
		t.ended
			? `Le programme de ${t.name} est terminé (${months} mois). Pour que le bilan soit complet, voici ce qui manque encore sur Marathon au ${formatDateFr(today)} :`
			: `Nous suivons ${t.name} dans le Marathon coopératif (mois ${t.month} sur ${months}). Voici ce qui manque sur Marathon au ${formatDateFr(today)} :`
	);
	if (n.months.length > 0) {
		lines.push('', 'Indicateurs mensuels non saisis :');
		n.months.forEach((m, i) => {
			const end = i === n.months.length - 1 ? '.' : ' ;';
			const what = m.all
				? t.catalog.length === 1
					? 'l’indicateur n’est pas saisi'
					: `aucun des ${t.catalog.length} indicateurs n’est saisi`
				: `${m.indicators.length < 2 ? 'manque' : 'manquent'} ${listFr(m.indicators)} (${m.indicators.length} sur ${t.catalog.length})`;
			lines.push(`- ${monthYear(m.month)} : ${what}${end}`);
		});
		if (n.indicatorsDays !== null)
			lines.push(`Dernière saisie d’indicateur il y a ${plural(n.indicatorsDays, 'jour')}.`);
		lines.push(`Les indicateurs d’un mois sont attendus au plus tard le ${t.timelinessDay} du mois suivant.`);
	}
	if (n.neverUpdated)
		lines.push('', `Aucune saisie n’a encore été enregistrée pour ${t.name} depuis le début du programme, le ${formatDateFr(t.start)} (${plural(n.staleDays ?? 0, 'jour')}).`);
	else if (n.staleDays !== null && t.lastChangeOn)
		lines.push('', `Dernière mise à jour sur Marathon il y a ${plural(n.staleDays, 'jour')} (le ${formatDateFr(t.lastChangeOn)}) : citoyens, lieux, ateliers, jalons ou indicateurs, tout ce qui a avancé depuis compte.`);
	if (n.milestonesLate > 0)
		lines.push('', `${n.milestonesLate < 2 ? 'Un jalon est' : `${n.milestonesLate} jalons sont`} par ailleurs en retard : ${links.milestones}`);
	lines.push('');
	if (n.months.length > 0) lines.push(`Pour saisir les indicateurs : ${links.indicators}`);
	lines.push(`L’espace du territoire : ${links.territory}`);
	lines.push('', 'Merci d’avance, et dites-nous si quelque chose bloque : nous sommes là pour aider.', '', 'L’équipe d’animation du Marathon coopératif');
	return {
		recipients: coordinators.map((c) => c.email),
		subject,
		body: lines.join('\n'),
		note:
			coordinators.length === 0
				? 'Aucune coordination n’est encore rattachée à ce territoire : le message n’a pas de destinataire (invitez-en une depuis « Personnes »).'
				: null
	};
}

/**
 * A `mailto:` URL (RFC 6068): addresses separated by commas, each percent-encoded but « @ »;
 * subject and body percent-encoded (UTF-8), line breaks as CRLF (%0D%0A) as the RFC asks.
 */
export function mailtoHref(m: Pick<ReminderMessage, 'recipients' | 'subject' | 'body'>): string {
	const to = m.recipients.map((r) => encodeURIComponent(r).replaceAll('%40', '@')).join(',');
	const body = m.body.replace(/\r?\n/g, '\r\n');
	return `mailto:${to}?subject=${encodeURIComponent(m.subject)}&body=${encodeURIComponent(body)}`;
}

/** The text to copy into another tool: recipients, subject, then the body. */
export function reminderCopyText(m: ReminderMessage): string {
	const to = m.recipients.length > 0 ? m.recipients.join(', ') : '(aucune coordination rattachée)';
	return `À : ${to}\nObjet : ${m.subject}\n\n${m.body}`;
}

/** Order of the page: most months missing first, then longest without change, then name. */
export function compareNeeds(a: { name: string; needs: ReminderNeeds }, b: { name: string; needs: ReminderNeeds }): number {
	return (
		b.needs.months.length - a.needs.months.length ||
		(b.needs.staleDays ?? -1) - (a.needs.staleDays ?? -1) ||
		compareFr(a.name, b.name)
	);
}
