import { error } from '@sveltejs/kit';
import { openDataCsv } from '$lib/domain/impact';
import { asAnon } from '$lib/server/db';
import { publishedSnapshot } from '$lib/server/impact';
import type { RequestHandler } from './$types';
import { endpoint } from '$lib/server/http/respond';

/** The published snapshot's figures as CSV (same columns as /impact/donnees.csv). Anyone; 404 before any publication. */
export const GET: RequestHandler = endpoint(async () => {
	const s = await asAnon((tx) => publishedSnapshot(tx));
	if (!s) error(404, 'Aucun chiffre n’est encore publié.');
	return new Response(openDataCsv(s.figures), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="marathon-transparence-${s.figures.dataDate}.csv"`,
			'cache-control': 'public, max-age=300'
		}
	});
});
