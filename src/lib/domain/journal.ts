import Papa from 'papaparse';
import { BOM } from './csv';

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
const day = /^\d{4}-\d{2}-\d{2}$/;

export interface JournalFilters {
	/** A territory's slug. */
	territoire: string | null;
	/** A person's user id (from a row's link). */
	personne: string | null;
	entite: string | null;
	du: string | null;
	au: string | null;
}

/** Filters from the URL; anything malformed is ignored (no filter), never an error. */
export function journalFilters(params: URLSearchParams): JournalFilters {
	const pick = (k: string, ok: (v: string) => boolean) => {
		const v = params.get(k)?.trim() ?? '';
		return v && ok(v) ? v : null;
	};
	return {
		territoire: pick('territoire', (v) => /^[a-z0-9]+(-[a-z0-9]+)*$/.test(v) && v.length <= 80),
		personne: pick('personne', (v) => uuid.test(v)),
		entite: pick('entite', (v) => Object.hasOwn(ENTITY_LABEL_FR, v)),
		du: pick('du', (v) => day.test(v)),
		au: pick('au', (v) => day.test(v))
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
