import { cockpitCsv, parseCockpitQuery, sortAndFilter } from '$lib/domain/cockpit';
import { requireRole } from '$lib/server/auth/guard';
import { activeCockpitRows } from '$lib/server/cockpit';
import * as clock from '$lib/server/clock';
import type { RequestHandler } from './$types';

/** The cockpit's table as CSV, with the page's filters and sort (all pages). Facilitators and admins only. */
export const GET: RequestHandler = async ({ locals, url }) => {
	const claims = requireRole(locals, url, 'admin', 'facilitator');
	const today = clock.today();
	const { rows } = await activeCockpitRows(claims, today);
	return new Response(cockpitCsv(sortAndFilter(rows, parseCockpitQuery(url.searchParams))), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="pilotage-${today}.csv"`,
			'cache-control': 'private, no-store'
		}
	});
};
