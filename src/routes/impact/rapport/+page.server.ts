import { loadImpactPage } from '$lib/server/impact/page';
import type { PageServerLoad } from './$types';

/** The printable report of the period (`du`, `au`, `loi`): admins, facilitators and funders. */
export const load: PageServerLoad = async (event) => {
	const { data } = await loadImpactPage(event);
	return { report: data };
};
