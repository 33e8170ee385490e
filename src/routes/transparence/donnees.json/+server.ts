import { error, json } from '@sveltejs/kit';
import { openDataJson } from '$lib/domain/impact';
import { asAnon } from '$lib/server/db';
import { publishedSnapshot } from '$lib/server/impact';
import type { RequestHandler } from './$types';
import { endpoint } from '$lib/server/http/respond';

/** The published snapshot's figures as JSON (same rows as the CSV). Anyone; 404 before any publication. */
export const GET: RequestHandler = endpoint(async () => {
	const s = await asAnon((tx) => publishedSnapshot(tx));
	if (!s) error(404, 'Aucun chiffre n’est encore publié.');
	return json(
		{ ...openDataJson(s.figures), publie_le: new Date(s.published_at).toISOString() },
		{
			headers: {
				'content-disposition': `attachment; filename="marathon-transparence-${s.figures.dataDate}.json"`,
				'cache-control': 'public, max-age=300'
			}
		}
	);
});
