import { asAnon } from '$lib/server/db';
import { publicProgramTotals } from '$lib/server/territories';
import type { PageServerLoad } from './$types';

/** The public page: anyone, as `anon`; aggregates only, and only once facilitators publish them. */
export const load: PageServerLoad = async () => ({
	totals: await asAnon((tx) => publicProgramTotals(tx))
});
