import { journalCsv, journalFilters } from '$lib/domain/journal';
import { requireRole } from '$lib/server/auth/guard';
import { asUser } from '$lib/server/db';
import { journalPage } from '$lib/server/journal';
import * as clock from '$lib/server/clock';
import type { RequestHandler } from './$types';
import { endpoint } from '$lib/server/http/respond';

/** The filtered audit trail as CSV, newest first, at most 5,000 events. Facilitators and admins only. */
export const GET: RequestHandler = endpoint(async ({ locals, url }) => {
	const claims = requireRole(locals, url, 'admin', 'facilitator');
	const { rows } = await asUser(claims, (tx) => journalPage(tx, journalFilters(url.searchParams), 0, 5000));
	return new Response(journalCsv(rows), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="journal-${clock.today()}.csv"`,
			'cache-control': 'private, no-store'
		}
	});
});
