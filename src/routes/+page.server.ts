import { redirect } from '@sveltejs/kit';
import { route } from '$lib/routes';
import { summarize } from '$lib/domain/figures';
import { requireRole } from '$lib/server/auth/guard';
import { asUser } from '$lib/server/db';
import { programTotals, territoryFigures } from '$lib/server/territories';
import type { PageServerLoad } from './$types';
import * as clock from '$lib/server/clock';

/** Role-aware landing: coordinators go to their territory; staff see all; funders go to /impact. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const claims = requireRole(locals, url, 'admin', 'facilitator', 'coordinator', 'funder');
	if (claims.app_role === 'funder') redirect(303, route.impact());
	// Facilitators and admins: their home is the cockpit.
	if (claims.app_role === 'admin' || claims.app_role === 'facilitator') redirect(303, route.cockpit());
	const today = clock.today();
	const [rows, totals] = await asUser(claims, (tx) =>
		Promise.all([territoryFigures(tx, today), programTotals(tx)])
	);
	if (claims.app_role === 'coordinator' && rows.length === 1) redirect(303, `/territoires/${rows[0].slug}`);
	return {
		role: claims.app_role,
		today,
		totals,
		territories: rows.map((row) => summarize(row, today))
	};
};
