import { asAnon } from '$lib/server/db';
import { publicProgramTotals } from '$lib/server/territories';
import type { PageServerLoad } from './$types';

/**
 * Anonymous visitors may keep the page a minute (and show a stale copy while refetching for ten):
 * aggregates move slowly. Signed-in responses stay `private, no-store` (hooks.server.ts).
 */
const PUBLIC_CACHE_CONTROL = 'public, max-age=60, stale-while-revalidate=600';

/** The public page: anyone, as `anon`; aggregates only, and only once facilitators publish them. */
export const load: PageServerLoad = async ({ setHeaders }) => {
	setHeaders({ 'cache-control': PUBLIC_CACHE_CONTROL, vary: 'cookie' });
	return { totals: await asAnon((tx) => publicProgramTotals(tx)) };
};
