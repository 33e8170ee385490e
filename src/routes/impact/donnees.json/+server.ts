import { json } from '@sveltejs/kit';
import { openDataJson } from '$lib/domain/impact';
import { loadImpactPage } from '$lib/server/impact/page';
import type { RequestHandler } from './$types';
import { endpoint } from '$lib/server/http/respond';

/** The aggregates shown for the period, as JSON (same rows as the CSV). Admins, facilitators, funders. */
export const GET: RequestHandler = endpoint(async (event) => {
	const { data } = await loadImpactPage(event);
	return json(openDataJson(data), {
		headers: {
			'content-disposition': `attachment; filename="marathon-impact-${data.from}-${data.to}.json"`,
			'cache-control': 'private, no-store'
		}
	});
});
