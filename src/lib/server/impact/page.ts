import { error, type RequestEvent } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { asUser } from '$lib/server/db';
import * as clock from '$lib/server/clock';
import { parseImpactFilter } from '$lib/domain/impact';
import { impactBounds, loadImpact } from './index';

/**
 * What every /impact page and export loads: the caller must be an admin, a facilitator or a
 * funder (others: 403; signed out: to the login page); the period and law come from the URL
 * (`du`, `au`, `loi`; bad values: a French message per field and the defaults). Eight queries.
 * @throws 403 for other roles, 404 when there is no cohort yet
 */
export async function loadImpactPage(event: Pick<RequestEvent, 'locals' | 'url'>) {
	const claims = requireRole(event.locals, event.url, 'admin', 'facilitator', 'funder');
	const today = clock.today();
	const result = await asUser(claims, async (tx) => {
		const bounds = await impactBounds(tx, today);
		if (!bounds) return null;
		const { filter, errors, raw } = parseImpactFilter(event.url.searchParams, bounds);
		const data = await loadImpact(tx, filter, today);
		return data && { data, bounds, errors, raw };
	});
	if (!result) error(404, 'Aucune cohorte n’est encore configurée.');
	return { ...result, role: claims.app_role!, claims };
}
