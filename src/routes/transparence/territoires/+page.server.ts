import { asAnon } from '$lib/server/db';
import { publishedSnapshot } from '$lib/server/impact';
import type { PageServerLoad } from './$types';

/**
 * The published snapshot's figures territory by territory (anyone, as `anon`): the same snapshot
 * as /transparence, on a page of its own so that each page stays light. Cached like it.
 */
export const load: PageServerLoad = async ({ setHeaders }) => {
	const snapshot = await asAnon((tx) => publishedSnapshot(tx));
	setHeaders({ 'cache-control': 'public, max-age=300, stale-while-revalidate=600', vary: 'cookie' });
	return { snapshot };
};
