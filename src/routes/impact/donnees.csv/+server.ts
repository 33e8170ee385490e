import { openDataCsv } from '$lib/domain/impact';
import { loadImpactPage } from '$lib/server/impact/page';
import type { RequestHandler } from './$types';
import { endpoint } from '$lib/server/http/respond';

/** The aggregates shown for the period, as CSV (UTF-8 with BOM, `;`). Admins, facilitators, funders. */
export const GET: RequestHandler = endpoint(async (event) => {
	const { data } = await loadImpactPage(event);
	return new Response(openDataCsv(data), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="marathon-impact-${data.from}-${data.to}.csv"`,
			'cache-control': 'private, no-store'
		}
	});
});
