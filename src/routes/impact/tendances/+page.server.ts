import { loadImpactPage } from '$lib/server/impact/page';
import type { PageServerLoad } from './$types';

/**
 * Admins, facilitators and funders: monthly program-wide flows, on one axis at a time (`axe`:
 * calendar months, or program months 1…18), so that the page stays light whatever the period.
 */
export const load: PageServerLoad = async (event) => {
	const { data, bounds, errors } = await loadImpactPage(event);
	const axis = event.url.searchParams.get('axe') === 'programme' ? 'programme' : 'calendrier';
	return { impact: data, bounds, errors, axis };
};
