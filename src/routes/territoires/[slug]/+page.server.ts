import { error } from '@sveltejs/kit';
import { summarize } from '$lib/domain/figures';
import { todayIso } from '$lib/domain/dates';
import { requireRole } from '$lib/server/auth/guard';
import { asUser } from '$lib/server/db';
import { territoryAccess, territoryFiguresBySlug } from '$lib/server/territories';
import type { PageServerLoad } from './$types';

/** A territory's workspace: its coordinators, facilitators and admins. Others: 403, not a hidden link. */
export const load: PageServerLoad = async ({ locals, url, params }) => {
	const claims = requireRole(locals, url, 'admin', 'facilitator', 'coordinator');
	const today = todayIso(new Date(), process.env.MARATHON_TODAY);
	const { access, rows } = await asUser(claims, async (tx) => {
		const access = await territoryAccess(tx, params.slug);
		const rows = access?.can_access ? await territoryFiguresBySlug(tx, today, params.slug) : [];
		return { access, rows };
	});
	if (!access) error(404, 'Ce territoire n’existe pas.');
	if (!access.can_access || rows.length === 0) error(403, 'Ce territoire n’est pas le vôtre : vous ne pouvez pas l’ouvrir.');
	return { today, territory: summarize(rows[0], today) };
};
