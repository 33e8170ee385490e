import { monthYear } from './french';
import { z } from 'zod';
import * as field from './fields';
import { AGE_BAND_LABEL_FR, type AgeBand } from './citizens';
import { formatWeekdayDateFr, todayIso } from './dates';

// ============ labels ============

export const WORKSHOP_FORMAT_LABEL_FR = {
	atelier: 'Atelier',
	formation: 'Formation',
	evenement: 'Événement',
	reunion: 'Réunion',
	permanence: 'Permanence',
	balade: 'Balade',
	en_ligne: 'En ligne'
} as const;
export type WorkshopFormat = keyof typeof WORKSHOP_FORMAT_LABEL_FR;

export const WORKSHOP_STATUS_LABEL_FR = {
	planned: 'Prévu',
	held: 'Tenu',
	cancelled: 'Annulé'
} as const;
export type WorkshopStatus = keyof typeof WORKSHOP_STATUS_LABEL_FR;

/** The list's views (`?vue=`): upcoming is the default. */
export const WORKSHOP_VIEWS = { 'a-venir': 'À venir', passes: 'Passés', calendrier: 'Calendrier' } as const;
export type WorkshopView = keyof typeof WORKSHOP_VIEWS;

export function viewOf(v: string | null): WorkshopView {
	return v === 'passes' || v === 'calendrier' ? v : 'a-venir';
}

/** How the lists split workshops, in words (the SQL in lib/server/workshops mirrors {@link isPast}). */
export const VIEW_RULE_FR =
	'« À venir » : les ateliers pas encore terminés et pas encore clos. « Passés » : les ateliers terminés, ou clos avec leur compte rendu.';

/** Past: ended, or already closed (held) even if its planned end has not come yet. */
export function isPast(w: { status: WorkshopStatus; ends_at: Date }, now: Date): boolean {
	return w.status === 'held' || w.ends_at.getTime() <= now.getTime();
}

// ============ rows, as the pages get them ============

export interface WorkshopListRow {
	id: string;
	title: string;
	format: WorkshopFormat;
	status: WorkshopStatus;
	starts_at: Date;
	ends_at: Date;
	local_date: string;
	start_time: string;
	end_time: string;
	lieu: string | null;
	capacity: number | null;
	attendees: number;
}

export interface Workshop extends WorkshopListRow {
	lieu_id: string | null;
	lieu_label: string;
	lieu_active: boolean | null;
	laws: number[];
	law_names: string[];
	duration_minutes: number;
	facilitator_name: string;
	summary: string;
	version: number;
}

export interface Attendee {
	citizen_id: string;
	/** null once the person was erased (RGPD): shown as « Personne effacée » */
	display_name: string | null;
	commune: string | null;
}

// ============ the form ============

const TIME = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;

/**
 * An hour as French people write it, where an old phone shows a plain text box instead of a time
 * picker: « 14h30 », « 14 h », « 9h05 », « 9:05 » → « 14:30 », « 14:00 », « 09:05 », « 09:05 ».
 * Anything else is returned trimmed, for TIME to refuse.
 */
export function timeOfFrench(v: string): string {
	const m = /^(\d{1,2})\s*(?:h|H|:)\s*(\d{2})?$/.exec(v.trim());
	return m ? `${m[1].padStart(2, '0')}:${m[2] ?? '00'}` : v.trim();
}

const filled = (v: unknown) => typeof v === 'string' && v.trim() !== '';

const text = (max: number, message: string, multiline = false) => field.textOrEmpty({ max, tooLong: message, multiline });

const whole = (message: string) =>
	z
		.string({ error: message })
		.trim()
		.regex(/^-?\d+$/, message)
		.transform(Number);

const lawBox = z
	.union([z.literal('on'), z.literal('')])
	.optional()
	.transform((v) => v === 'on');

/**
 * Create and edit: date, start time and duration become `starts_at` / `ends_at` (Europe/Paris)
 * in the database. A lieu is one of the territory's active lieux OR a free label, one of them.
 */
export const WorkshopSchema = z
	.object({
		title: field.text({ missing: 'Indiquez le titre de l’atelier.', max: 200, tooLong: 'Le titre ne doit pas dépasser 200 caractères.' }),
		format: z.enum(Object.keys(WORKSHOP_FORMAT_LABEL_FR) as [WorkshopFormat, ...WorkshopFormat[]], {
			error: 'Choisissez un format.'
		}),
		date: field.date('planning', 'Indiquez la date (AAAA-MM-JJ).'),
		start_time: z
			.string({ error: 'Indiquez l’heure de début (HH:MM).' })
			.transform(timeOfFrench)
			.pipe(z.string().regex(TIME, 'Indiquez une heure de début valide, entre 00:00 et 23:59 (par exemple 14:30 ou 14h30).'))
			.transform((v) => v.slice(0, 5)),
		duration_minutes: whole('Indiquez la durée en minutes (un nombre entier).')
			.refine((n) => n >= 1, 'La fin doit être après le début : indiquez une durée d’au moins 1 minute.')
			.refine((n) => n <= 1440, 'Un atelier dure au plus 24 heures (1 440 minutes).'),
		lieu_id: z
			.string()
			.trim()
			.optional()
			.transform((v) => (v ? v : null))
			.refine((v) => v === null || field.isUuid(v), 'Choisissez un lieu dans la liste.'),
		lieu_label: text(200, 'Le lieu ne doit pas dépasser 200 caractères.'),
		law_1: lawBox,
		law_2: lawBox,
		law_3: lawBox,
		law_4: lawBox,
		law_5: lawBox,
		capacity: z
			.string()
			.trim()
			.optional()
			.transform((v) => v ?? '')
			.refine((v) => v === '' || /^-?\d+$/.test(v), 'Indiquez la capacité en nombre de places (un nombre entier).')
			.transform((v) => (v === '' ? null : Number(v)))
			.refine((n) => n === null || n >= 1, 'La capacité doit être d’au moins 1 place (ou laissez vide).')
			.refine((n) => n === null || n <= 10000, 'La capacité ne doit pas dépasser 10 000 places.'),
		facilitator_name: text(120, 'Le nom de l’animateur ou de l’animatrice ne doit pas dépasser 120 caractères.'),
		summary: text(8000, 'Le compte rendu ne doit pas dépasser 8 000 caractères.', true)
	})
	.superRefine((v, ctx) => {
		if (v.lieu_id && filled(v.lieu_label))
			ctx.addIssue({
				code: 'custom',
				path: ['lieu_label'],
				message: 'Choisissez un lieu dans la liste ou écrivez-en un autre, pas les deux.'
			});
		if (!v.lieu_id && !filled(v.lieu_label))
			ctx.addIssue({
				code: 'custom',
				path: ['lieu_id'],
				message: 'Indiquez où se tient l’atelier : un lieu de la liste, ou un autre lieu en texte libre (« En ligne » par exemple).'
			});
	})
	.transform(({ law_1, law_2, law_3, law_4, law_5, ...w }) => ({
		...w,
		laws: [law_1, law_2, law_3, law_4, law_5].flatMap((on, i) => (on ? [i + 1] : []))
	}));
export type WorkshopInput = z.output<typeof WorkshopSchema>;

const version = field.version;

/** Planning a workshop (`nouveau`): the workshop and its submission token (written once). */
export const CreateWorkshopSchema = z
	.object({ submission: field.submission })
	.and(WorkshopSchema)
	.transform((v) => v);

export const VersionSchema = z.object({ version });

export const EditWorkshopSchema = z
	.object({ version })
	.and(WorkshopSchema)
	.transform((v) => v);
export type EditWorkshopInput = z.output<typeof EditWorkshopSchema>;

/** Cancelling is confirmed explicitly (people may already be coming). */
export const CancelWorkshopSchema = z.object({
	version,
	confirm: z.literal('on', { error: 'Cochez « Je confirme l’annulation » pour annuler cet atelier.' })
});

/** Closing records what happened: the summary is required. */
export const CloseWorkshopSchema = z.object({
	version,
	summary: field.text({
		missing: 'Écrivez un bref compte rendu de l’atelier.',
		max: 8000,
		tooLong: 'Le compte rendu ne doit pas dépasser 8 000 caractères.',
		multiline: true
	})
});

export const CheckInSchema = z.object({
	citizen_id: field.uuid('Personne inconnue.'),
	q: z
		.string()
		.optional()
		.transform((v) => (v ?? '').trim().slice(0, 100))
});

/**
 * Quick-add at the door: the minimum to enrol someone (name, optional commune and e-mail, age
 * band) and their consent. Source 'workshop' and the enrolment date (the workshop's day) are set
 * by the server.
 */
export const QuickAddSchema = z.object({
	display_name: field.text({
		missing: 'Indiquez le nom affiché (par exemple « Camille R. »).',
		max: 120,
		tooLong: 'Le nom affiché ne doit pas dépasser 120 caractères.'
	}),
	commune: field.optionalText({ max: 120, tooLong: 'Le nom de commune ne doit pas dépasser 120 caractères.' }),
	email: z
		.string()
		.trim()
		.max(254, 'Cette adresse e-mail est trop longue.')
		.optional()
		.transform((v) => (v ? v : null))
		.refine(
			(v) => v === null || z.email().safeParse(v).success,
			'Cette adresse e-mail n’est pas valide (exemple : prenom@exemple.fr).'
		),
	age_band: z.enum(Object.keys(AGE_BAND_LABEL_FR) as [AgeBand, ...AgeBand[]], { error: 'Choisissez une tranche d’âge.' }),
	consent: z.literal('on', { error: 'La personne doit donner son consentement pour être inscrite.' }),
	submission: field.submission
});
export type QuickAddInput = Omit<z.output<typeof QuickAddSchema>, 'submission'>;

// ============ pure helpers ============

export { currentInstant } from './dates';


/** The month asked for in `?mois=` (YYYY-MM), else the month of `today`. */
export function monthOf(value: string | null, today: string): string {
	if (value && /^\d{4}-(0[1-9]|1[0-2])$/.test(value)) {
		const y = Number(value.slice(0, 4));
		if (y >= 2000 && y <= 2100) return value;
	}
	return today.slice(0, 7);
}

/** '2026-11' + 1 → '2026-12'; '2026-01' − 1 → '2025-12'. */
export function shiftMonth(month: string, by: number): string {
	const [y, m] = month.split('-').map(Number);
	const d = new Date(Date.UTC(y, m - 1 + by, 1));
	return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** « novembre 2026 » */
export function monthLabel(month: string): string {
	return monthYear(month);
}

export interface CalendarDay {
	date: string;
	day: number;
	inMonth: boolean;
}

/** The weeks (Monday to Sunday) covering a month, days of the neighbouring months included. */
export function calendarWeeks(month: string): CalendarDay[][] {
	const [y, m] = month.split('-').map(Number);
	const first = Date.UTC(y, m - 1, 1);
	const offset = (new Date(first).getUTCDay() + 6) % 7; // Monday = 0
	const last = Date.UTC(y, m, 0);
	const days = Math.ceil((offset + new Date(last).getUTCDate()) / 7) * 7;
	const weeks: CalendarDay[][] = [];
	for (let i = 0; i < days; i++) {
		const d = new Date(first + (i - offset) * 86_400_000);
		if (i % 7 === 0) weeks.push([]);
		weeks[weeks.length - 1].push({
			date: d.toISOString().slice(0, 10),
			day: d.getUTCDate(),
			inMonth: d.getUTCMonth() === m - 1
		});
	}
	return weeks;
}

export const WEEKDAYS_FR = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'] as const;

/** Checked-in people over capacity (may exceed 1: people came anyway); null without capacity. */
export function attendanceRate(count: number, capacity: number | null): number | null {
	return capacity && capacity > 0 ? count / capacity : null;
}

/** « 75 % », or « — » without capacity. */
export function formatRate(rate: number | null): string {
	return rate === null ? '—' : `${Math.round(rate * 100)} %`;
}

/** '14:00' → '14 h 00' */
export function formatTimeFr(time: string): string {
	const [h, m] = time.split(':');
	return `${Number(h)} h ${m}`;
}

/** « samedi 5 décembre 2026, 14 h 00 – 16 h 30 » from Paris-local date and times. */
export function formatWhen(w: { local_date: string; start_time: string; end_time: string }): string {
	return `${formatWeekdayDateFr(w.local_date)}, ${formatTimeFr(w.start_time)} – ${formatTimeFr(w.end_time)}`;
}

/** Only a planned workshop may be cancelled. */
export function canCancel(status: WorkshopStatus): boolean {
	return status === 'planned';
}

/** A planned workshop is closed (held, with its summary) once it has started. */
export function canClose(w: { status: WorkshopStatus; starts_at: Date }, now: Date): boolean {
	return w.status === 'planned' && w.starts_at.getTime() <= now.getTime();
}

/** People are checked in from the workshop's day on, unless it was cancelled. */
export function canCheckIn(w: { status: WorkshopStatus; local_date: string }, today: string): boolean {
	return w.status !== 'cancelled' && w.local_date <= today;
}

export const CHECK_IN_REFUSED_FR = {
	cancelled: 'Cet atelier est annulé : on ne peut pas y pointer de présence.',
	future: 'Le pointage ouvre le jour de l’atelier.',
	inactive: 'Cette personne a retiré son inscription ou ses données ont été effacées : elle ne peut pas être pointée.'
} as const;

/**
 * How many of the territory's lieux the workshop form offers at once: a territory that reaches
 * its goal has 150 lieux or more, and the form must stay under the page budget (≤ 300 DOM nodes,
 * docs/decisions.md); the others are found by name (`?lieu=`).
 */
export const LIEU_CHOICES = 30;

export const LIEU_REFUSED_FR = 'Ce lieu n’est pas (ou plus) un lieu actif du territoire : choisissez-en un autre.';

/** The text fields of a posted form, to show again after a refusal (the shared helper). */
export { postedValues } from './forms';

/** A stored workshop as the edit form's values (law_1…law_5 = 'on'). */
export function workshopFormValues(w: Workshop): Record<string, string> {
	const values: Record<string, string> = {
		title: w.title,
		format: w.format,
		date: w.local_date,
		start_time: w.start_time,
		duration_minutes: String(w.duration_minutes),
		lieu_id: w.lieu_id ?? '',
		lieu_label: w.lieu_label,
		capacity: w.capacity === null ? '' : String(w.capacity),
		facilitator_name: w.facilitator_name,
		summary: w.summary
	};
	for (const n of w.laws) values[`law_${n}`] = 'on';
	return values;
}
