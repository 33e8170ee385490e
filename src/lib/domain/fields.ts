/**
 * Shared field schemas: one definition per kind of field, used by every form, the quick-add and
 * the CSV import, so that one rule holds on every path (and the same rule in the database:
 * migrations 20261129110100_add_text_and_date_rules and 20261129110000_create_form_submissions).
 *
 * - uuid: an id in a form or a URL (a malformed one is « not found », never a 500);
 * - version: lost-update protection, 1…2147483647 (Postgres `integer`): « version=99999999999 »
 *   is a 400, not a database error;
 * - text: trimmed, no C0/C1 control character (tab, line feed and carriage return only in
 *   multi-line fields); a NUL byte is a field error in French, never a 500;
 * - checkbox: 'on' (HTML), 'true' / 'oui' (CSV) → true; absent, '', 'false', 'non' → false;
 * - date: a real calendar date typed JJ/MM/AAAA or AAAA-MM-JJ, returned as AAAA-MM-JJ, within
 *   bounds (DATE_BOUNDS): enrolment dates from the AMI's opening (2025-10-16) to today,
 *   planning dates from 2025-10-16 to 2039-12-31;
 * - submission: the token that makes a create form write once (see src/lib/server/forms).
 */
import { z } from 'zod';
import { todayIso } from './dates';

// ───────────────────────── ids and versions ─────────────────────────

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A well-formed id, before asking the database (a malformed one is simply « not found »). */
export function isUuid(v: unknown): v is string {
	return typeof v === 'string' && UUID.test(v);
}

/** An id field; `message` when missing or malformed (e.g. « Choisissez un lieu dans la liste. »). */
export const uuid = (message: string) => z.string({ error: message }).trim().regex(UUID, message);

/** Largest Postgres `integer`: a version never exceeds it. */
export const MAX_VERSION = 2_147_483_647;
const VERSION_MESSAGE = 'Version manquante : rechargez la page.';

/** The version a record was read at (lost-update protection): an integer 1…2147483647. */
export const version = z
	.string({ error: VERSION_MESSAGE })
	.trim()
	.regex(/^\d{1,10}$/, VERSION_MESSAGE)
	.transform(Number)
	.refine((n) => n >= 1 && n <= MAX_VERSION, VERSION_MESSAGE);

// ───────────────────────── text ─────────────────────────

/**
 * C0 and C1 control characters, DEL included, tab, LF and CR excepted (multi-line text); and the
 * bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which make a
 * text display in another order than it is stored (« Trojan Source », CVE-2021-42574). The
 * narrow no-break space U+202F of French typography stays allowed. Same set in the database's
 * `*_no_control` checks (supabase/migrations/20261130010000_refuse_bidi_controls.sql).
 */
export const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;
/** The same in a single-line field: tab, LF and CR are refused too. */
export const CONTROL_CHARACTERS_SINGLE_LINE = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;
export const CONTROL_CHARACTER_MESSAGE =
	'Ce texte contient un caractère invisible non autorisé (caractère de contrôle) : retapez-le sans copier-coller.';

/** `v` without the characters no field may store (tab, line feed and carriage return kept). */
export const withoutControlCharacters = (v: string): string => v.replace(new RegExp(CONTROL_CHARACTERS.source, 'g'), '');

const EVERY_CONTROL_CHARACTER = new RegExp(CONTROL_CHARACTERS_SINGLE_LINE.source, 'g');

/**
 * A search typed in an address (`?q=`, `?lieu=`): without the characters no field may store
 * (control characters, bidirectional overrides: echoed in the page they would reverse its text),
 * spaces collapsed, trimmed, at most 100 characters.
 */
export function searchTermOf(params: URLSearchParams, name: string): string {
	return (params.get(name) ?? '')
		.replace(EVERY_CONTROL_CHARACTER, ' ')
		.replace(/\s+/g, ' ')
		.trim()
		.slice(0, 100);
}

/** True when `v` holds a character no text field may store (in any field, single- or multi-line). */
export function hasControlCharacter(v: string, multiline = true): boolean {
	return (multiline ? CONTROL_CHARACTERS : CONTROL_CHARACTERS_SINGLE_LINE).test(v);
}

interface TextOptions {
	/** Longest accepted, in characters, and its message. */
	max: number;
	tooLong: string;
	/** Tab and line breaks allowed (textarea). */
	multiline?: boolean;
}

const cleanText = ({ max, tooLong, multiline = false }: TextOptions) =>
	z
		.string()
		.trim()
		.refine((v) => !hasControlCharacter(v, multiline), CONTROL_CHARACTER_MESSAGE)
		.refine((v) => v.length <= max, tooLong);

/** A required text: trimmed, not empty (`missing`), no control character, at most `max`. */
export const text = (o: TextOptions & { missing: string }) =>
	z
		.string({ error: o.missing })
		.trim()
		.min(1, o.missing)
		.pipe(cleanText(o));

/** An optional text: absent or blank → null. */
export const optionalText = (o: TextOptions) =>
	z
		.string()
		.optional()
		.transform((v) => v ?? '')
		.pipe(cleanText(o))
		.transform((v) => (v === '' ? null : v));

/** An optional text stored as '' when blank (columns `not null default ''`). */
export const textOrEmpty = (o: TextOptions) =>
	z
		.string()
		.optional()
		.transform((v) => v ?? '')
		.pipe(cleanText(o));

// ───────────────────────── checkbox ─────────────────────────

/** A checkbox (HTML 'on') or a CSV yes/no: true for 'on', 'true', 'oui'. */
export const checkbox = z
	.union([z.literal('on'), z.literal('true'), z.literal('oui'), z.literal(''), z.literal('false'), z.literal('non')], {
		error: 'Case à cocher : valeur inconnue (cochée ou non, « oui » ou « non »).'
	})
	.optional()
	.transform((v) => v === 'on' || v === 'true' || v === 'oui');

// ───────────────────────── dates ─────────────────────────

/**
 * The bounds of every date people type (same in the database, migration
 * 20261129110100_add_text_and_date_rules): nothing in the program predates the call for
 * applications (AMI opened 2025-10-16); planning dates stop at 2039-12-31 (18-month cohorts,
 * templates up to 60 months: ample margin, yet « 2300 » is a typo).
 */
export const DATE_BOUNDS = { from: '2025-10-16', planningTo: '2039-12-31' } as const;

/** A calendar date that exists (no 31 February), AAAA-MM-JJ. */
export function isRealIsoDate(v: string): boolean {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
	if (!m) return false;
	const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
	const date = new Date(0);
	date.setUTCFullYear(y, mo - 1, d); // not Date.UTC: it reads years 0–99 as 1900–1999
	return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** The message for a date shaped right that the calendar does not have (31/02/2026, 2026-13-01). */
export const NONEXISTENT_DATE_MESSAGE = 'Cette date n’existe pas.';

/**
 * A typed date read the one way of the app: `ok` with its AAAA-MM-JJ form, or why it is not a
 * date — `empty` (blank), `format` (not written JJ/MM/AAAA nor AAAA-MM-JJ: « demain », « 2026/2 »),
 * `nonexistent` (written like a date, but not in the calendar: 31/02/2026, 2026-02-31). Every date
 * schema, the CSV import and the date filters of the URL use it, so that an impossible date reads
 * « Cette date n’existe pas. » everywhere.
 */
export type DateReading = { ok: true; iso: string } | { ok: false; problem: 'empty' | 'format' | 'nonexistent' };

/** See {@link DateReading}. JJ/MM/AAAA (also JJ.MM.AAAA, JJ-MM-AAAA) or AAAA-MM-JJ; 11/12/2026 is 11 December. */
export function readDateFr(value: string): DateReading {
	const v = value.trim();
	if (v === '') return { ok: false, problem: 'empty' };
	let iso = v;
	const fr = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(v);
	if (fr) iso = `${fr[3]}-${fr[2].padStart(2, '0')}-${fr[1].padStart(2, '0')}`;
	if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return { ok: false, problem: 'format' };
	return isRealIsoDate(iso) ? { ok: true, iso } : { ok: false, problem: 'nonexistent' };
}

/**
 * A date as typed in France — JJ/MM/AAAA (also JJ.MM.AAAA, JJ-MM-AAAA) or AAAA-MM-JJ — as
 * AAAA-MM-JJ; null when it is not a real calendar date. 11/12/2026 is 11 December 2026.
 */
export function parseDateFr(value: string): string | null {
	const r = readDateFr(value);
	return r.ok ? r.iso : null;
}

/** « 16/10/2025 » */
export const formatDateShortFr = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

export type DateKind = 'enrolment' | 'planning' | 'past';

/**
 * Why a (real) date is out of its bounds, in French; null when it is fine.
 * - enrolment: an enrolment (citizen, lieu) from 2025-10-16 to today;
 * - past: a thing done (milestone completed) from 2025-10-16 to today;
 * - planning: a due date, a workshop, from 2025-10-16 to 2039-12-31.
 */
export function dateBoundsProblem(iso: string, kind: DateKind, today: string): string | null {
	if (iso < DATE_BOUNDS.from)
		return `Cette date est trop ancienne : le programme commence le ${formatDateShortFr(DATE_BOUNDS.from)} (ouverture de l’AMI).`;
	if (kind === 'planning')
		return iso > DATE_BOUNDS.planningTo ? `Cette date est trop lointaine : au plus tard le ${formatDateShortFr(DATE_BOUNDS.planningTo)}.` : null;
	if (iso > today)
		return kind === 'enrolment'
			? 'Cette date est dans le futur : une inscription se date au plus tard d’aujourd’hui.'
			: 'Cette date est dans le futur : indiquez au plus tard la date d’aujourd’hui.';
	return null;
}

/**
 * Today where the program happens, for the date bounds: MARATHON_TODAY when the server pins it
 * (demonstrations, tests), else the Paris date. In the browser, the Paris date.
 */
export function programToday(): string {
	const env = typeof process !== 'undefined' ? process.env : undefined;
	return todayIso(new Date(), env?.MARATHON_TODAY);
}

/**
 * A date field's messages: empty, not written like a date (default: `missing`), in the future
 * (default: generic). A date written right that the calendar does not have is always
 * {@link NONEXISTENT_DATE_MESSAGE}.
 */
export type DateMessages = string | { missing: string; invalid?: string; future?: string };

/**
 * A date field of `kind` (see {@link dateBoundsProblem}), typed JJ/MM/AAAA or AAAA-MM-JJ, output
 * AAAA-MM-JJ. `today` defaults to {@link programToday}.
 */
export const date = (kind: DateKind, messages: DateMessages, today: () => string = programToday) => {
	const m = typeof messages === 'string' ? { missing: messages } : messages;
	return z
		.string({ error: m.missing })
		.trim()
		.transform((v, ctx) => {
			const read = readDateFr(v);
			if (!read.ok) {
				const message =
					read.problem === 'nonexistent' ? NONEXISTENT_DATE_MESSAGE : read.problem === 'empty' ? m.missing : (m.invalid ?? m.missing);
				ctx.addIssue({ code: 'custom', message });
				return z.NEVER;
			}
			const iso = read.iso;
			const day = today();
			const problem = m.future && kind !== 'planning' && iso > day ? m.future : dateBoundsProblem(iso, kind, day);
			if (problem) {
				ctx.addIssue({ code: 'custom', message: problem });
				return z.NEVER;
			}
			return iso;
		});
};

/**
 * An optional date field of `kind`: blank or absent → null; otherwise the same rules and messages
 * as {@link date} (JJ/MM/AAAA or AAAA-MM-JJ, within bounds), output AAAA-MM-JJ.
 */
export const optionalDate = (kind: DateKind, messages: DateMessages, today: () => string = programToday) => {
	const required = date(kind, messages, today);
	return z
		.string({ error: typeof messages === 'string' ? messages : messages.missing })
		.optional()
		.transform((v, ctx) => {
			const typed = (v ?? '').trim();
			if (typed === '') return null;
			const parsed = required.safeParse(typed);
			if (!parsed.success) {
				for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
				return z.NEVER;
			}
			return parsed.data;
		});
};

// ───────────────────────── links ─────────────────────────

/**
 * A web address anyone can open: written with its scheme, http:// or https://, then a site name
 * with a dot (zod's `httpUrl`: « https://exemple.fr/compte-rendu », not « https://intranet/doc »,
 * « localhost » or an IP address), and no whitespace (a link saved with a space is broken). For
 * every link a form takes (milestone proof, indicator evidence).
 */
export function isWebAddress(v: string): boolean {
	return /^https?:\/\//i.test(v) && !/\s/.test(v) && HTTP_URL.safeParse(v).success;
}
const HTTP_URL = z.httpUrl();
export const WEB_ADDRESS_MESSAGE =
	'Ce lien n’est pas une adresse web complète : https:// (ou http://) puis le nom d’un site, par exemple https://exemple.fr/compte-rendu (sans espace, ni adresse IP, ni nom sans point).';

// ───────────────────────── submission token ─────────────────────────

/** The hidden field every create form carries (see src/lib/server/forms). */
export const SUBMISSION_FIELD = 'submission';
export const SUBMISSION_MESSAGE = 'Ce formulaire a expiré : rechargez la page, puis envoyez-le à nouveau.';

/** The submission token: a UUID drawn when the form was shown. */
export const submission = uuid(SUBMISSION_MESSAGE).transform((v) => v.toLowerCase());
