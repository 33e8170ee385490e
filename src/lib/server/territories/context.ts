import { error } from '@sveltejs/kit';
import type { Claims } from '$lib/server/auth/claims';
import { requireRole } from '$lib/server/auth/guard';
import { asUser, type Tx } from '$lib/server/db';

export interface TerritoryRef {
	id: string;
	slug: string;
	name: string;
	start_date: string;
	citizen_threshold: number;
	lieu_threshold: number;
}

type TerritoryEvent = { locals: App.Locals; url: URL; params: { slug?: string } };

/** The territory of the address and whether this user may open it (one statement, as the user). */
function territoryOfSlug(tx: Tx, slug: string) {
	return tx<(TerritoryRef & { can_access: boolean })[]>`
		select t.id, t.slug, t.name, coalesce(t.start_date, c.start_date) as start_date,
		       c.citizen_threshold, c.lieu_threshold, public.can_access_territory(t.id) as can_access
		from public.territories t join public.cohorts c on c.id = t.cohort_id
		where t.slug = ${slug}`;
}

function admitted(row: (TerritoryRef & { can_access: boolean }) | undefined): TerritoryRef {
	if (!row) error(404, 'Ce territoire n’existe pas.');
	if (!row.can_access) error(403, 'Ce territoire n’est pas le vôtre : vous ne pouvez pas l’ouvrir.');
	const { can_access: _, ...territory } = row;
	return territory;
}

/**
 * The guard of every action (and endpoint) under /territoires/[slug]: signed in as a coordinator
 * of this territory, a facilitator or an admin — else 403 (404 if no such territory). One query,
 * in a transaction of its own; the action then writes in its own. RLS enforces the same rule
 * underneath; this gives the clear answer. Pages read with `readTerritory` (one transaction).
 */
export async function territoryContext(event: TerritoryEvent): Promise<{ claims: Claims; territory: TerritoryRef }> {
	const claims = requireRole(event.locals, event.url, 'admin', 'facilitator', 'coordinator');
	const [row] = await asUser(claims, (tx) => territoryOfSlug(tx, event.params.slug ?? ''));
	return { claims, territory: admitted(row) };
}

/**
 * The guard and the reads of a page under /territoires/[slug], in ONE transaction as the user:
 * the access check of `territoryContext` (redirect to login, 403, 404 the same), then
 * `read(tx, { claims, territory })`, whose queries follow on the same connection. A page pays
 * one begin and one commit, not two (see docs/performance.md). Returns what `read` returns.
 * Errors: those of `territoryContext`, those `read` throws (its 404s…), 503 from the database.
 */
export async function readTerritory<T>(
	event: TerritoryEvent,
	read: (tx: Tx, context: { claims: Claims; territory: TerritoryRef }) => Promise<T>
): Promise<T> {
	const claims = requireRole(event.locals, event.url, 'admin', 'facilitator', 'coordinator');
	return asUser(claims, async (tx) => {
		const [row] = await territoryOfSlug(tx, event.params.slug ?? '');
		return read(tx, { claims, territory: admitted(row) });
	});
}
