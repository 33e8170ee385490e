import Papa from 'papaparse';
import { BOM } from './csv';
import { NONEXISTENT_DATE_MESSAGE, parseDateFr, readDateFr } from './fields';

/** The audit journal (/journal): filters from the URL, and each change as « champ : avant → après ». */

export const JOURNAL_PAGE_SIZE = 20;

export const ENTITY_LABEL_FR: Record<string, string> = {
	cohorts: 'Cohorte',
	territories: 'Territoire',
	profiles: 'Personne',
	territory_members: 'Territoire d’une coordination',
	invitations: 'Invitation',
	milestone_templates: 'Modèle de jalon',
	milestones: 'Jalon',
	milestone_date_requests: 'Demande de nouvelle date',
	citizens: 'Citoyen',
	consents: 'Consentement',
	lieux: 'Lieu',
	workshops: 'Atelier',
	attendances: 'Présence',
	indicators: 'Indicateur',
	indicator_targets: 'Cible d’indicateur',
	indicator_values: 'Valeur d’indicateur',
	// relances (recorded without a territory on the event: docs/decisions.md « Relances »)
	reminders: 'Relance'
};

export const ACTION_LABEL_FR: Record<string, string> = { insert: 'Création', update: 'Modification', delete: 'Suppression' };

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface JournalFilters {
	/** A territory's slug. */
	territoire: string | null;
	/** A person's user id (from a row's link). */
	personne: string | null;
	entite: string | null;
	du: string | null;
	au: string | null;
}

/** A date filter (`du`, `au`) as typed: AAAA-MM-JJ or JJ/MM/AAAA, read by the rule of every date field. */
const dayOf = (v: string) => parseDateFr(v);

/** The message at a date filter that cannot be read; the filter is then not applied. */
export const JOURNAL_DATE_FORMAT_MESSAGE = 'Indiquez une date (JJ/MM/AAAA ou AAAA-MM-JJ).';

/**
 * The date filters of the URL that cannot be read, field → French message (« Cette date n’existe
 * pas. » for 2026-02-31, as on every form): the page shows them at the field, with what was typed.
 */
export function journalFilterErrors(params: URLSearchParams): Partial<Record<'du' | 'au', string>> {
	const errors: Partial<Record<'du' | 'au', string>> = {};
	for (const key of ['du', 'au'] as const) {
		const read = readDateFr(params.get(key) ?? '');
		if (!read.ok && read.problem !== 'empty')
			errors[key] = read.problem === 'nonexistent' ? NONEXISTENT_DATE_MESSAGE : JOURNAL_DATE_FORMAT_MESSAGE;
	}
	return errors;
}

/**
 * Filters from the URL; anything malformed is not applied (no filter), never a failed query:
 * dates are real calendar dates (see {@link journalFilterErrors} for what the page says).
 */
export function journalFilters(params: URLSearchParams): JournalFilters {
	const pick = (k: string, ok: (v: string) => boolean) => {
		const v = params.get(k)?.trim() ?? '';
		return v && ok(v) ? v : null;
	};
	return {
		territoire: pick('territoire', (v) => /^[a-z0-9]+(-[a-z0-9]+)*$/.test(v) && v.length <= 80),
		personne: pick('personne', (v) => uuid.test(v)),
		entite: pick('entite', (v) => Object.hasOwn(ENTITY_LABEL_FR, v)),
		du: dayOf(params.get('du') ?? ''),
		au: dayOf(params.get('au') ?? '')
	};
}

const MAX_VALUE = 80;
function shown(value: unknown): string {
	if (value === null || value === undefined || value === '') return '—';
	const text = typeof value === 'string' ? value : JSON.stringify(value);
	return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

/**
 * An audit event's changes in French, one line per field: « titre : avant → après » for an
 * update, « titre : valeur » for a creation or a deletion. Personal fields arrive already masked
 * by the database (« «masqué» »). Long values are cut at 80 characters.
 */
export function describeAuditChanges(action: string, changes: Record<string, unknown>): string[] {
	return Object.entries(changes).map(([field, change]) =>
		action === 'update' && Array.isArray(change) && change.length === 2
			? `${field} : ${shown(change[0])} → ${shown(change[1])}`
			: `${field} : ${shown(change)}`
	);
}

export interface JournalRow {
	id: string;
	at: Date | string;
	actor_id: string | null;
	actor_name: string | null;
	territory_slug: string | null;
	territory_name: string | null;
	entity: string;
	entity_id: string;
	action: string;
	changes: Record<string, unknown>;
}

const when = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' });
export const formatWhen = (at: Date | string) => when.format(new Date(at));

/** The journal as CSV (UTF-8 with BOM, `;`, CRLF, formulas guarded). */
export function journalCsv(rows: readonly JournalRow[]): string {
	const data = rows.map((r) => [
		formatWhen(r.at), r.actor_name ?? 'système', r.territory_name ?? '', ENTITY_LABEL_FR[r.entity] ?? r.entity, r.entity_id,
		ACTION_LABEL_FR[r.action] ?? r.action, describeAuditChanges(r.action, r.changes).join(' ; ')
	]);
	const body = Papa.unparse(
		{ fields: ['quand', 'qui', 'territoire', 'quoi', 'identifiant', 'action', 'changements (avant → après)'], data },
		{ delimiter: ';', newline: '\r\n', escapeFormulae: true }
	);
	return `${BOM}${body}\r\n`;
}
