import type { Tx } from '$lib/server/db';
import type { JournalFilters, JournalRow } from '$lib/domain/journal';

/**
 * One page of the audit trail, newest first, with the total for the pager — one statement.
 * Runs as the user under RLS (staff read every event). Dates `du`/`au` are Paris days, inclusive.
 * Actor names come through private.visible_display_name (as on a milestone's history).
 */
export async function journalPage(tx: Tx, f: JournalFilters, offset: number, limit: number) {
	const rows = await tx<(JournalRow & { total: number })[]>`
		select a.id::text as id, a.at, a.actor_id, private.visible_display_name(a.actor_id) as actor_name, t.slug as territory_slug, t.name as territory_name,
		       a.entity, a.entity_id, a.action, a.changes, count(*) over ()::int as total
		from public.audit_events a
		left join public.territories t on t.id = a.territory_id
		where (${f.territoire}::text is null or t.slug = ${f.territoire}::text)
		  and (${f.personne}::uuid is null or a.actor_id = ${f.personne}::uuid)
		  and (${f.entite}::text is null or a.entity = ${f.entite}::text)
		  and (${f.du}::date is null or a.at >= (${f.du}::date::timestamp at time zone 'Europe/Paris'))
		  and (${f.au}::date is null or a.at < ((${f.au}::date + 1)::timestamp at time zone 'Europe/Paris'))
		order by a.at desc, a.id desc
		offset ${offset} limit ${limit}`;
	return { rows, total: rows[0]?.total ?? 0 };
}
