import { error } from '@sveltejs/kit';
import type { Claims } from '$lib/server/auth/claims';
import { requireRole } from '$lib/server/auth/guard';
import { asUser } from '$lib/server/db';

export interface TerritoryRef {
	id: string;
	slug: string;
	name: string;
	start_date: string;
	citizen_threshold: number;
	lieu_threshold: number;
}

/**
 * The guard of every load and action under /territoires/[slug]: signed in as a coordinator of
 * this territory, a facilitator or an admin — else 403 (404 if no such territory). One query.
 * RLS enforces the same rule underneath; this gives the clear answer.
 */
export async function territoryContext(event: {
	locals: App.Locals;
	url: URL;
	params: { slug?: string };
}): Promise<{ claims: Claims; territory: TerritoryRef }> {
	const claims = requireRole(event.locals, event.url, 'admin', 'facilitator', 'coordinator');
	const slug = event.params.slug ?? '';
	const [row] = await asUser(
		claims,
		(tx) => tx<(TerritoryRef & { can_access: boolean })[]>`
			select t.id, t.slug, t.name, coalesce(t.start_date, c.start_date) as start_date,
			       c.citizen_threshold, c.lieu_threshold, public.can_access_territory(t.id) as can_access
			from public.territories t join public.cohorts c on c.id = t.cohort_id
			where t.slug = ${slug}`
	);
	if (!row) error(404, 'Ce territoire n’existe pas.');
	if (!row.can_access) error(403, 'Ce territoire n’est pas le vôtre : vous ne pouvez pas l’ouvrir.');
	const { can_access: _, ...territory } = row;
	return { claims, territory };
}
