import { z } from 'zod';
import { monthYear } from './french';
import { PROGRAM_MONTHS, toCalendarDate, type DateInput } from './program';
import type { FieldErrors } from './forms';
import { CONTROL_CHARACTER_MESSAGE, hasControlCharacter, isWebAddress, textOrEmpty, WEB_ADDRESS_MESSAGE } from './fields';

/** Kind of an indicator: a flow is summed over months, a stock is read at its latest value. */
export type IndicatorKind = 'flow' | 'stock';

export const KIND_LABEL_FR: Record<IndicatorKind, string> = {
	flow: 'total du mois',
	stock: 'valeur à date'
};

export const KIND_HINT_FR =
	'« Total du mois » : ce qui s’est passé pendant le mois seulement (par exemple les personnes formées ce mois-ci). ' +
	'« Valeur à date » : le total atteint à la fin du mois (par exemple les partenariats actifs aujourd’hui).';

// ============ months ============
/** A calendar month, written `YYYY-MM`. */
export type MonthKey = string;

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonthKey(value: unknown): value is MonthKey {
	return typeof value === 'string' && MONTH_RE.test(value);
}

/** The month containing a date (`'2026-11-29'` → `'2026-11'`). Throws RangeError for an invalid date. */
export function monthOf(date: DateInput): MonthKey {
	const day = toCalendarDate(date); // validates ('2026-02-30' throws), cheaply for 'YYYY-MM-DD'
	return `${String(day.getFullYear()).padStart(4, '0')}-${String(day.getMonth() + 1).padStart(2, '0')}`;
}

/** First day of a month, as stored in `indicator_values.month` (`'2026-11'` → `'2026-11-01'`). */
export function monthStart(month: MonthKey): string {
	return `${month}-01`;
}

/** Accepts `YYYY-MM` or any `YYYY-MM-DD` of the month; returns `YYYY-MM-01`, or throws. */
export function toMonthStart(value: string): string {
	const key = value.slice(0, 7);
	if (!isMonthKey(key) || (value.length !== 7 && !/^\d{4}-\d{2}-\d{2}$/.test(value)))
		throw new RangeError(`Invalid month: ${value}`);
	return monthStart(key);
}

/** The month `n` months after `month` (negative: before). */
export function shiftMonth(month: MonthKey, n: number): MonthKey {
	// month keys are counted in months, not dates: no parsing (it ran 18 times per page)
	const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
	return `${Math.floor(index / 12)}-${String((((index % 12) + 12) % 12) + 1).padStart(2, '0')}`;
}

export const previousMonth = (month: MonthKey): MonthKey => shiftMonth(month, -1);
export const nextMonth = (month: MonthKey): MonthKey => shiftMonth(month, 1);

/**
 * The months a territory may report on: the calendar months of its program (from the month of
 * its start, `months` of them), none in the future. Oldest first; empty before the start.
 */
export function programMonths(start: DateInput, today: DateInput, months = PROGRAM_MONTHS): MonthKey[] {
	const first = monthOf(start);
	const current = monthOf(today);
	const list: MonthKey[] = [];
	for (let i = 0; i < months; i++) {
		const m = shiftMonth(first, i);
		if (m > current) break;
		list.push(m);
	}
	return list;
}

/**
 * The month a page shows: `requested` if it is one of the program months (else `null`), or by
 * default the latest program month (the current month while the program runs).
 */
export function resolveMonth(requested: string | null, allowed: readonly MonthKey[]): MonthKey | null {
	if (requested === null || requested === '') return allowed.at(-1) ?? null;
	return allowed.includes(requested) ? requested : null;
}

/** « novembre 2026 » from `YYYY-MM`, formatted once per month. Throws RangeError for an unknown month. */
export function formatMonthFr(month: MonthKey): string {
	let text = monthsFr.get(month);
	if (text === undefined) {
		text = monthYear(month);
		if (monthsFr.size >= 1200) monthsFr.clear(); // a hundred years of months, whatever is asked
		monthsFr.set(month, text);
	}
	return text;
}
/** The months' names already formatted (the monthly form names about twenty per request). */
const monthsFr = new Map<string, string>();

// ============ numbers ============
/**
 * Digits after the decimal comma an indicator value may have: what every page shows, so that a
 * value entered is the value read everywhere (the database refuses more, migration 20261130060000).
 */
export const VALUE_DECIMALS = 4;
const NUMBER_FR = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: VALUE_DECIMALS });
/** Plain decimal notation, never « 1e-7 », no grouping: what the form posts back reads the same. */
const INPUT_FR = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 20, useGrouping: false });

/** « 1 234,5 » — for reading. */
export function formatValueFr(value: number | null | undefined): string {
	return value === null || value === undefined ? '—' : NUMBER_FR.format(value);
}

/** « 1234,5 » — for an input, so that it can be posted back as is (« 0,0000001 », never « 1e-7 »). */
export function valueForInput(value: number | null | undefined): string {
	return value === null || value === undefined ? '' : INPUT_FR.format(value);
}

export const VALUE_MESSAGES = {
	notNumber: 'Saisissez un nombre (par exemple 12 ou 12,5).',
	negative: 'La valeur ne peut pas être négative.',
	tooLarge: 'Cette valeur est trop grande (au plus 999 999 999 999).',
	tooPrecise: `Au plus ${VALUE_DECIMALS} chiffres après la virgule (par exemple 12,5 ou 0,25).`
} as const;

/**
 * Reads a value typed by a person: decimal comma or dot, spaces as thousands separators
 * (« 1 234,5 » → 1234.5), at most VALUE_DECIMALS decimals. Returns the number or the French
 * reason it is refused.
 */
export function parseIndicatorValue(raw: string): { ok: true; value: number } | { ok: false; message: string } {
	const text = raw.trim().replace(/[\s\u00a0\u202f]/g, '');
	if (/^-\d/.test(text) || /^-[.,]\d/.test(text)) return { ok: false, message: VALUE_MESSAGES.negative };
	if (!/^\+?(\d+([.,]\d+)?|[.,]\d+)$/.test(text)) return { ok: false, message: VALUE_MESSAGES.notNumber };
	const decimals = /[.,](\d+)$/.exec(text)?.[1].replace(/0+$/, '') ?? ''; // « 12,50 » has one
	if (decimals.length > VALUE_DECIMALS) return { ok: false, message: VALUE_MESSAGES.tooPrecise };
	const value = Number(text.replace('+', '').replace(',', '.'));
	if (!Number.isFinite(value)) return { ok: false, message: VALUE_MESSAGES.notNumber };
	if (value >= 1e12) return { ok: false, message: VALUE_MESSAGES.tooLarge };
	return { ok: true, value };
}

// ============ the monthly form ============
/** Names of one indicator's fields in the monthly form. */
export const entryField = {
	value: (id: string) => `valeur-${id}`,
	note: (id: string) => `note-${id}`,
	evidence: (id: string) => `lien-${id}`
};

/** The three fields of an indicator's line. */
const fieldsOf = (id: string) => [entryField.value(id), entryField.note(id), entryField.evidence(id)];

/**
 * The versions the person edits travel in one hidden field, `versions` (`id:3,id:0,…`; 0: no
 * value yet), rather than one hidden input per row: the form stays under the page's DOM budget.
 */
export const VERSIONS_FIELD = 'versions';

export function encodeVersions(rows: readonly { id: string; version: number }[]): string {
	return rows.map((r) => `${r.id}:${r.version}`).join(',');
}

/** `id:3,id:0` → { id: '3', … } (strings, validated by the row schema). */
export function decodeVersions(text: string | undefined): Record<string, string> {
	const out: Record<string, string> = {};
	for (const pair of (text ?? '').split(',')) {
		const at = pair.lastIndexOf(':');
		if (at > 0) out[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
	}
	return out;
}

/**
 * One indicator's row of the monthly form, as posted (all strings). Built on first use, so that
 * the pages importing this module's helpers (months, numbers) do not ship zod to the browser.
 */
export function indicatorEntrySchema() {
	return (entrySchema ??= buildEntrySchema());
}
let entrySchema: ReturnType<typeof buildEntrySchema> | undefined;

const buildEntrySchema = () =>
	z
		.object({
			value: z
				.string()
				.optional()
				.transform((v, ctx) => {
					const text = (v ?? '').trim();
					if (text === '') return null;
					const parsed = parseIndicatorValue(text);
					if (!parsed.ok) {
						ctx.addIssue({ code: 'custom', message: parsed.message });
						return z.NEVER;
					}
					return parsed.value;
				}),
			note: textOrEmpty({ max: 2000, tooLong: 'La note ne doit pas dépasser 2 000 caractères.', multiline: true }),
			evidence_url: z
				.string()
				.optional()
				.transform((v) => (v ?? '').trim())
				.pipe(
					z
						.string()
						.max(2000, 'Ce lien est trop long (2 000 caractères au plus).')
						.refine((v) => v === '' || isWebAddress(v), WEB_ADDRESS_MESSAGE)
				)
				.transform((v) => (v === '' ? null : v)),
			/** The version of the value the person saw; 0 when there was none. */
			version: z
				.string()
				.optional()
				.transform((v) => (v ?? '').trim())
				.pipe(z.string().regex(/^\d{0,9}$/, 'Formulaire invalide : rechargez la page.'))
				.transform((v) => (v === '' ? 0 : Number(v)))
		})
		.superRefine((row, ctx) => {
			if (row.value === null && (row.note !== '' || row.evidence_url !== null))
				ctx.addIssue({
					code: 'custom',
					path: ['value'],
					message: 'Indiquez la valeur pour enregistrer la note ou le lien (une valeur vide n’efface rien).'
				});
		});

/** A filled row of the monthly form, ready to save. */
export interface IndicatorEntry {
	indicator_id: string;
	value: number;
	note: string;
	evidence_url: string | null;
	/** The version the person edited (0: there was no value yet). */
	version: number;
}

/**
 * Validates the monthly form for the given indicators: every filled row, field by field.
 * Empty values are skipped (not entered; nothing is deleted). Errors are keyed by field name.
 */
export function parseMonthlyEntries(
	values: Record<string, string>,
	indicatorIds: readonly string[]
): { ok: true; entries: IndicatorEntry[] } | { ok: false; errors: FieldErrors } {
	const entries: IndicatorEntry[] = [];
	const errors: FieldErrors = {};
	const versions = decodeVersions(values[VERSIONS_FIELD]);
	const fieldOf = { value: entryField.value, note: entryField.note, evidence_url: entryField.evidence, version: entryField.value };
	for (const id of indicatorIds) {
		// as parseForm does for every other form: a control character is refused at its field
		const invisible = fieldsOf(id).filter((f) => hasControlCharacter(values[f] ?? ''));
		for (const f of invisible) errors[f] = CONTROL_CHARACTER_MESSAGE;
		if (invisible.length > 0) continue;
		const result = indicatorEntrySchema().safeParse({
			value: values[entryField.value(id)],
			note: values[entryField.note(id)],
			evidence_url: values[entryField.evidence(id)],
			version: versions[id]
		});
		if (!result.success) {
			for (const issue of result.error.issues) {
				const key = String(issue.path[0] ?? 'value') as keyof typeof fieldOf;
				errors[(fieldOf[key] ?? fieldOf.value)(id)] ??= issue.message;
			}
			continue;
		}
		const row = result.data;
		if (row.value === null) continue;
		entries.push({ indicator_id: id, value: row.value, note: row.note, evidence_url: row.evidence_url, version: row.version });
	}
	// A line of the form (its id is in `versions`) for an indicator no longer collected, switched off
	// while the person typed: what they typed there would be lost without a word — nothing is saved.
	const active = new Set(indicatorIds);
	const dropped = Object.keys(versions).filter(
		(id) => !active.has(id) && fieldsOf(id).some((f) => (values[f] ?? '').trim() !== '')
	);
	if (dropped.length > 0) errors._form = NO_LONGER_COLLECTED_MESSAGE;
	return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, entries };
}

/** At the top of the monthly form when a filled line's indicator was switched off meanwhile. */
export const NO_LONGER_COLLECTED_MESSAGE =
	'Un indicateur de ce formulaire n’est plus suivi (il a été retiré entre-temps) : rien n’a été enregistré. ' +
	'Le formulaire ci-dessous est à jour et garde vos valeurs : vérifiez-les puis enregistrez à nouveau.';

/** At the top of the monthly form when rows changed meanwhile (see `$lib/server/db/conflict.ts`). */
export const CONFLICT_MONTH_MESSAGE =
	'Quelqu’un d’autre a modifié certaines valeurs de ce mois pendant que vous les saisissiez : rien n’a été enregistré. ' +
	'Les valeurs actuelles sont affichées sur les lignes signalées : vérifiez-les, reportez vos changements si besoin, puis enregistrez à nouveau.';

/**
 * The message beside a row someone else changed while this person was typing: what changed of
 * the value, the note and the link, compared with what this person's form held (`typed`, the
 * three fields as posted), e.g. « Modifiée entre-temps par quelqu’un d’autre : le lien a changé.
 * Vérifiez puis enregistrez à nouveau. » (a value the form already held is not reported).
 */
export function rowConflictMessage(
	current: { value: number; note: string; evidence_url: string | null } | null,
	typed: { value?: string; note?: string; evidence?: string }
): string {
	const again = 'Vérifiez puis enregistrez à nouveau.';
	if (!current) return `Modifiée entre-temps par quelqu’un d’autre : la valeur a été supprimée. ${again}`;
	const mine = typed.value?.trim() ?? '';
	const read = parseIndicatorValue(mine);
	const changes: string[] = [];
	if (!read.ok || read.value !== current.value)
		changes.push(`la valeur enregistrée est maintenant ${formatValueFr(current.value)}${mine ? `. Votre formulaire indiquait ${mine}` : ''}`);
	if ((typed.note ?? '').trim() !== current.note) changes.push(current.note ? 'la note a changé' : 'la note a été effacée');
	if ((typed.evidence ?? '').trim() !== (current.evidence_url ?? '')) changes.push(current.evidence_url ? 'le lien a changé' : 'le lien a été effacé');
	return changes.length ? `Modifiée entre-temps par quelqu’un d’autre : ${changes.join(' ; ')}. ${again}` : `Modifiée entre-temps par quelqu’un d’autre. ${again}`;
}

/** One line of the monthly form: the indicator, its law, this month's value, last month's, the target. */
export interface MonthSheetRow {
	law: number;
	law_name: string;
	law_summary: string;
	/** null for a law without active indicator (the law is still listed). */
	id: string | null;
	name_fr: string;
	unit: string;
	kind: IndicatorKind;
	target: number | null;
	value: number | null;
	note: string | null;
	evidence_url: string | null;
	/** 0 when there is no value for the month yet. */
	version: number;
	/** Day of the last correction (Europe/Paris), when the value was corrected (version > 1). */
	corrected_on: string | null;
	previous_value: number | null;
	/** For flows: the sum of the values from the program's first month to this month. */
	cumulative: number | null;
}
