import { paginate, pageFromUrl } from '$lib/domain/pagination';
import { requireRole } from '$lib/server/auth/guard';
import { asUser } from '$lib/server/db';
import { listTerritories } from '$lib/server/configuration';
import { peopleDirectory, pendingInvitations } from '$lib/server/people';
import type { PageServerLoad } from './$types';

/** People with a role, and pending invitations. Facilitators and admins only. Three queries. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const claims = requireRole(locals, url, 'admin', 'facilitator');
	const { people, invitations, territories } = await asUser(claims, async (tx) => ({
		people: await peopleDirectory(tx),
		invitations: await pendingInvitations(tx),
		territories: await listTerritories(tx)
	}));
	const names = new Map(territories.map((t) => [t.id, t.name]));
	const pagination = paginate(pageFromUrl(url), people.length);
	return {
		pagination,
		people: people.slice(pagination.offset, pagination.offset + pagination.limit).map((p) => ({
			...p,
			territories: p.territory_ids.map((id) => names.get(id) ?? '').filter(Boolean)
		})),
		invitations: invitations.map((i) => ({ ...i, territory: i.territory_id ? (names.get(i.territory_id) ?? '') : '' })),
		ok: url.searchParams.get('ok')
	};
};
