import { error, type RequestEvent } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { asUser } from '$lib/server/db';
import { memoAcrossTerritories } from '$lib/server/db/memo';
import * as clock from '$lib/server/clock';
import { parseImpactFilter } from '$lib/domain/impact';
import { impactBounds, loadImpact } from './index';

/**
 * What every /impact page and export loads: the caller must be an admin, a facilitator or a
 * funder (others: 403; signed out: to the login page); the period and law come from the URL
 * (`du`, `au`, `loi`; bad values: a French message per field and the defaults). Nine queries at
 * most; two when the data has not changed since the last request for that period (memo.ts).
 * @throws 403 for other roles, 404 when there is no cohort yet
 */
export async function loadImpactPage(event: Pick<RequestEvent, 'locals' | 'url'>) {
	const claims = requireRole(event.locals, event.url, 'admin', 'facilitator', 'funder');
	const today = clock.today();
	const result = await asUser(claims, async (tx) => {
		const bounds = await impactBounds(tx, today);
		if (!bounds) return null;
		const { filter, errors, raw } = parseImpactFilter(event.url.searchParams, bounds);
		// the same for every funder and facilitator until the data changes (see memo.ts)
		const data = await memoAcrossTerritories(tx, claims, `impact|${today}|${JSON.stringify(filter)}`, (tx) =>
			loadImpact(tx, filter, today)
		);
		return data && { data, bounds, errors, raw };
	});
	if (!result) error(404, 'Aucune cohorte n’est encore configurée.');
	return { ...result, role: claims.app_role!, claims };
}
