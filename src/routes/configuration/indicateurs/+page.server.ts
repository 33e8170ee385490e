import { requireRole } from '$lib/server/auth/guard';
import { asUser } from '$lib/server/db';
import { currentCohort, listIndicators } from '$lib/server/configuration';
import type { PageServerLoad } from './$types';

/** The indicator catalog, per law. Facilitators and admins only. Two queries. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const claims = requireRole(locals, url, 'admin', 'facilitator');
	const indicators = await asUser(claims, async (tx) => {
		const cohort = await currentCohort(tx);
		return cohort ? listIndicators(tx, cohort.id) : [];
	});
	return { indicators };
};
