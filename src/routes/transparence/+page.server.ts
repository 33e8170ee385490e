import { asAnon } from '$lib/server/db';
import { publishedSnapshot } from '$lib/server/impact';
import type { PageServerLoad } from './$types';

/**
 * The public page: anyone, as `anon`. Shows the latest snapshot facilitators published (its
 * figures never change; a new publication replaces it), or says nothing is published yet.
 * Cacheable by browsers and proxies for five minutes, a stale copy served while refetching for ten
 * (signed-in responses stay `private, no-store`, hooks.server.ts).
 */
export const load: PageServerLoad = async ({ setHeaders }) => {
	const snapshot = await asAnon((tx) => publishedSnapshot(tx));
	setHeaders({ 'cache-control': 'public, max-age=300, stale-while-revalidate=600', vary: 'cookie' });
	return { snapshot };
};
