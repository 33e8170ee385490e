import { loadImpactPage } from '$lib/server/impact/page';
import type { PageServerLoad } from './$types';

/** Admins, facilitators and funders: territory-level aggregates only. */
export const load: PageServerLoad = async (event) => {
	const { data, bounds, errors } = await loadImpactPage(event);
	return { impact: data, bounds, errors };
};
