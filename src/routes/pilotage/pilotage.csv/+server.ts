import { cockpitCsv, knownFilters, parseCockpitQuery, sortAndFilter } from '$lib/domain/cockpit';
import { requireRole } from '$lib/server/auth/guard';
import { activeCockpitRows } from '$lib/server/cockpit';
import * as clock from '$lib/server/clock';
import type { RequestHandler } from './$types';
import { endpoint } from '$lib/server/http/respond';

/** The cockpit's table as CSV, with the page's filters and sort (all pages). Facilitators and admins only. */
export const GET: RequestHandler = endpoint(async ({ locals, url }) => {
	const claims = requireRole(locals, url, 'admin', 'facilitator');
	const today = clock.today();
	const { rows } = await activeCockpitRows(claims, today);
	return new Response(cockpitCsv(sortAndFilter(rows, knownFilters(parseCockpitQuery(url.searchParams), rows))), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="pilotage-${today}.csv"`,
			'cache-control': 'private, no-store'
		}
	});
});
