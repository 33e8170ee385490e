import { addDays, addMonths, format, isValid, parseISO } from 'date-fns';
import { z } from 'zod';
import * as field from './fields';
import { isLate, type MilestoneStatus } from './forecast';
import {
	DEFAULT_PHASES,
	PROGRAM_MONTHS,
	phaseOf,
	programEnd,
	programMonth,
	toCalendarDate,
	type DateInput,
	type Phase
} from './program';

export type { MilestoneStatus };

// ============ labels ============

export const MILESTONE_STATUS_LABEL_FR: Record<MilestoneStatus, string> = {
	planned: 'Prévu',
	in_progress: 'En cours',
	done: 'Fait',
	blocked: 'Bloqué'
};

/** Derived, never stored: see {@link isLate}. */
export const LATE_LABEL_FR = 'en retard';

/** The five laws of the Marathon coopératif (impact is reported per law). */
export const LAWS: readonly { n: 1 | 2 | 3 | 4 | 5; name: string }[] = [
	{ n: 1, name: 'Visée régénérative' },
	{ n: 2, name: 'Ancrage' },
	{ n: 3, name: 'Encapacitation' },
	{ n: 4, name: 'Sobriété' },
	{ n: 5, name: 'Intégrité' }
];

export function lawNames(laws: readonly number[]): string {
	return laws
		.map((n) => LAWS.find((l) => l.n === n)?.name)
		.filter(Boolean)
		.join(', ');
}

// ============ status filter (?statut=) ============

export type StatusFilter = MilestoneStatus | 'late';

/** URL value → filter. French, readable slugs. */
export const STATUS_FILTERS: readonly { slug: string; filter: StatusFilter; label: string }[] = [
	{ slug: 'prevu', filter: 'planned', label: 'Prévus' },
	{ slug: 'en-cours', filter: 'in_progress', label: 'En cours' },
	{ slug: 'en-retard', filter: 'late', label: 'En retard' },
	{ slug: 'bloque', filter: 'blocked', label: 'Bloqués' },
	{ slug: 'fait', filter: 'done', label: 'Faits' }
];

/** The filter asked for in `?statut=`, null when absent or unknown (all milestones). */
export function statusFilterOf(slug: string | null): StatusFilter | null {
	return STATUS_FILTERS.find((f) => f.slug === slug)?.filter ?? null;
}

/** Does a milestone pass the filter (late: {@link isLate}, the same rule the SQL filter mirrors)? */
export function matchesFilter(
	m: { due_date: DateInput; status: MilestoneStatus },
	filter: StatusFilter | null,
	today: DateInput
): boolean {
	if (filter === null) return true;
	if (filter === 'late') return isLate({ dueDate: m.due_date, status: m.status }, today);
	return m.status === filter;
}

// ============ status changes ============

export type MilestoneAction = 'start' | 'complete' | 'block' | 'unblock' | 'reopen';

/** From which stored statuses each status change may start, and where it leads. */
export const TRANSITIONS: Record<MilestoneAction, { from: MilestoneStatus[]; to: MilestoneStatus }> = {
	start: { from: ['planned'], to: 'in_progress' },
	complete: { from: ['planned', 'in_progress', 'blocked'], to: 'done' },
	block: { from: ['planned', 'in_progress'], to: 'blocked' },
	unblock: { from: ['blocked'], to: 'in_progress' },
	reopen: { from: ['done'], to: 'in_progress' }
};

export const TRANSITION_REFUSED_FR: Record<MilestoneAction, string> = {
	start: 'Seul un jalon prévu peut être démarré.',
	complete: 'Ce jalon est déjà fait.',
	block: 'Seul un jalon prévu ou en cours peut être bloqué.',
	unblock: 'Ce jalon n’est pas bloqué.',
	reopen: 'Seul un jalon fait peut être rouvert.'
};

export function canDo(action: MilestoneAction, status: MilestoneStatus): boolean {
	return TRANSITIONS[action].from.includes(status);
}

// ============ schemas (one per form) ============

const isoDateString = /^\d{4}-\d{2}-\d{2}$/;
const validIsoDate = (v: string) => isoDateString.test(v) && isValid(parseISO(v));

const version = field.version;

const checkbox = field.checkbox;

/** Laws come as five checkboxes law_1…law_5 (a form field carries one value). */
const lawFields = {
	law_1: checkbox,
	law_2: checkbox,
	law_3: checkbox,
	law_4: checkbox,
	law_5: checkbox
};
type LawFields = { law_1: boolean; law_2: boolean; law_3: boolean; law_4: boolean; law_5: boolean };
const toLaws = (v: LawFields): number[] => LAWS.filter((l) => v[`law_${l.n}`]).map((l) => l.n);

const milestoneFields = {
	title: field.text({ missing: 'Indiquez le titre du jalon.', max: 200, tooLong: 'Le titre ne doit pas dépasser 200 caractères.' }),
	description: field.textOrEmpty({ max: 4000, tooLong: 'La description ne doit pas dépasser 4 000 caractères.', multiline: true }),
	due_date: field.date('planning', 'Indiquez l’échéance (AAAA-MM-JJ).'),
	...lawFields
};

const withLaws = <T extends LawFields>({ law_1, law_2, law_3, law_4, law_5, ...rest }: T) => ({
	...rest,
	laws: toLaws({ law_1, law_2, law_3, law_4, law_5 })
});

/** A territory's own milestone (`?/create`), written once per submission token. */
export const MilestoneSchema = z.object({ ...milestoneFields, submission: field.submission }).transform(withLaws);
export type MilestoneInput = Omit<z.output<typeof MilestoneSchema>, 'submission'>;

/** Editing a milestone (`?/update`), at the version it was read. */
export const EditMilestoneSchema = z.object({ ...milestoneFields, version }).transform(withLaws);
export type EditMilestoneInput = z.output<typeof EditMilestoneSchema>;

/** Start, unblock, reopen: nothing but the version. */
export const VersionSchema = z.object({ version });

/** Completing with evidence (`?/complete`): the completion date defaults to today, never later. */
export function completeMilestoneSchema(today: string) {
	return z.object({
		version,
		evidence_note: field.text({
			missing: 'Décrivez la preuve de réalisation (compte rendu, délibération, photos…).',
			max: 4000,
			tooLong: 'La preuve ne doit pas dépasser 4 000 caractères.',
			multiline: true
		}),
		evidence_url: z
			.string()
			.trim()
			.max(2000, 'Ce lien est trop long (2 000 caractères au plus).')
			.optional()
			.transform((v) => (v ? v : null))
			.refine((v) => v === null || field.isWebAddress(v), field.WEB_ADDRESS_MESSAGE),
		completed_at: z
			.string()
			.trim()
			.optional()
			.transform((v) => (v ? v : today))
			.pipe(
				field.date(
					'past',
					{ missing: 'Indiquez la date de réalisation (AAAA-MM-JJ).', future: 'La date de réalisation ne peut pas être dans le futur.' },
					() => today
				)
			)
	});
}
export type CompleteMilestoneInput = z.output<ReturnType<typeof completeMilestoneSchema>>;

/** Blocking with a reason (`?/block`). */
export const BlockMilestoneSchema = z.object({
	version,
	blocked_reason: field.text({
		missing: 'Expliquez ce qui bloque ce jalon.',
		max: 2000,
		tooLong: 'La raison ne doit pas dépasser 2 000 caractères.',
		multiline: true
	})
});
export type BlockMilestoneInput = z.output<typeof BlockMilestoneSchema>;

/** Deleting one of the territory's own milestones (`?/delete`), confirmed by a checkbox (works without JS). */
export const DeleteMilestoneSchema = z.object({
	version,
	confirm: z.literal('on', { error: 'Cochez la case pour confirmer la suppression.' })
});

/** A coordinator asks for a new due date of a program milestone (`?/requestDate`), with a reason. */
export const DateRequestSchema = z.object({
	requested_due_date: field.date('planning', 'Indiquez la nouvelle échéance demandée (JJ/MM/AAAA ou AAAA-MM-JJ).'),
	reason: field.text({
		missing: 'Expliquez pourquoi l’échéance doit changer.',
		max: 2000,
		tooLong: 'La raison ne doit pas dépasser 2 000 caractères.',
		multiline: true
	})
});
export type DateRequestInput = z.output<typeof DateRequestSchema>;

/** A facilitator accepts or refuses a request (`?/decideDate`), with an optional note. */
export const DateDecisionSchema = z.object({
	request_id: field.uuid('Cette demande n’existe pas (ou plus).'),
	decision: z.enum(['accept', 'refuse'], { error: 'Acceptez ou refusez la demande.' }),
	decision_note: field.textOrEmpty({ max: 2000, tooLong: 'La note ne doit pas dépasser 2 000 caractères.', multiline: true })
});
export type DateDecisionInput = z.output<typeof DateDecisionSchema>;

export const DATE_REQUEST_STATUS_LABEL_FR = {
	pending: 'En attente',
	accepted: 'Acceptée',
	refused: 'Refusée'
} as const;
export type DateRequestStatus = keyof typeof DATE_REQUEST_STATUS_LABEL_FR;

// ============ program month and timeline ============

/** Where a date falls in the program: its month (1…18) and phase, or outside the program. */
export function programPlace(
	start: DateInput,
	date: DateInput,
	phases: Phase[] = DEFAULT_PHASES,
	months = PROGRAM_MONTHS
): { month: number; phase: Phase; outside: 'before' | 'after' | null } {
	const { month, started, ended } = programMonth(start, date, months);
	return { month, phase: phaseOf(month, phases), outside: !started ? 'before' : ended ? 'after' : null };
}

export interface TimelineMonth<T> {
	month: number;
	/** First and last day of the month, YYYY-MM-DD. */
	from: string;
	to: string;
	phase: Phase;
	current: boolean;
	milestones: T[];
}

const iso = (d: Date) => format(d, 'yyyy-MM-dd');

/**
 * The program month by month (1…`months`), each with its dates, phase and the milestones due in
 * it (in the order given); `current` marks the month containing today. Milestones due before the
 * start or after the end go to `outside`.
 */
export function milestoneTimeline<T extends { due_date: DateInput }>(
	start: DateInput,
	milestones: readonly T[],
	today: DateInput,
	phases: Phase[] = DEFAULT_PHASES,
	months = PROGRAM_MONTHS
): { months: TimelineMonth<T>[]; outside: T[] } {
	const first = toCalendarDate(start);
	const end = programEnd(first, months);
	const now = toCalendarDate(today);
	const list: TimelineMonth<T>[] = Array.from({ length: months }, (_, i) => {
		const from = addMonths(first, i);
		const next = addMonths(first, i + 1);
		return {
			month: i + 1,
			from: iso(from),
			to: iso(addDays(next, -1)),
			phase: phaseOf(i + 1, phases),
			current: now >= from && now < next,
			milestones: []
		};
	});
	const outside: T[] = [];
	for (const m of milestones) {
		const due = toCalendarDate(m.due_date);
		if (due < first || due >= end) outside.push(m);
		else list[programMonth(first, due, months).month - 1].milestones.push(m);
	}
	return { months: list, outside };
}

/** Phases as configured on the cohort (jsonb), or the defaults when missing or malformed. */
export function phasesFrom(value: unknown): Phase[] {
	const parsed = PhasesSchema.safeParse(typeof value === 'string' ? safeJson(value) : value);
	return parsed.success ? parsed.data : DEFAULT_PHASES;
}

/** Built once: a zod schema costs far more to build than to run (it was built on every page). */
const PhasesSchema = z
	.array(
		z.object({
			code: z.enum(['semer', 'germer', 'regenerer']),
			name: z.string().min(1),
			from: z.number().int().min(1),
			to: z.number().int().min(1)
		})
	)
	.min(1);

function safeJson(s: string): unknown {
	try {
		return JSON.parse(s);
	} catch {
		return null;
	}
}

// ============ history ============

/** Field → [label, phrase when changed]. */
const FIELD_LABEL_FR: Record<string, [string, string]> = {
	title: ['titre', 'titre modifié'],
	description: ['description', 'description modifiée'],
	due_date: ['échéance', 'échéance modifiée'],
	status: ['statut', 'statut modifié'],
	completed_at: ['date de réalisation', 'date de réalisation modifiée'],
	evidence_note: ['preuve', 'preuve modifiée'],
	evidence_url: ['lien vers la preuve', 'lien vers la preuve modifié'],
	blocked_reason: ['raison du blocage', 'raison du blocage modifiée'],
	laws: ['lois', 'lois modifiées']
};

export const AUDIT_ACTION_LABEL_FR = { insert: 'Création', update: 'Modification', delete: 'Suppression' } as const;

const shown = (field: string, value: unknown): string => {
	if (value === null || value === undefined || value === '') return '—';
	if (field === 'status' && typeof value === 'string' && value in MILESTONE_STATUS_LABEL_FR)
		return MILESTONE_STATUS_LABEL_FR[value as MilestoneStatus];
	if ((field === 'due_date' || field === 'completed_at') && typeof value === 'string' && validIsoDate(value))
		return format(parseISO(value), 'dd/MM/yyyy');
	return String(value);
};

/**
 * What an audit event of a milestone changed, in French: status and dates as « avant → après »,
 * other fields by name. Updates only (`changes` = column → [old, new]); empty otherwise.
 */
export function describeChanges(action: string, changes: Record<string, unknown>): string[] {
	if (action !== 'update') return [];
	const lines: string[] = [];
	for (const [field, change] of Object.entries(changes)) {
		const label = FIELD_LABEL_FR[field];
		if (!label) continue;
		if (['status', 'due_date', 'completed_at'].includes(field) && Array.isArray(change) && change.length === 2)
			lines.push(`${label[0]} : ${shown(field, change[0])} → ${shown(field, change[1])}`);
		else lines.push(label[1]);
	}
	return lines;
}
