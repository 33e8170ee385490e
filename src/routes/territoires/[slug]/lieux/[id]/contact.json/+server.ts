import { error, json } from '@sveltejs/kit';
import { isUuid } from '$lib/domain/lieux';
import { asUser } from '$lib/server/db';
import { lieuContactRecord } from '$lib/server/lieux';
import { territoryContext } from '$lib/server/territories/context';
import type { RequestHandler } from './$types';
import { endpoint } from '$lib/server/http/respond';

/**
 * Right of access (RGPD art. 15) of a lieu's contact person: what Marathon holds about them, as a
 * JSON file to hand over. Same guard as the lieu page (territory + RLS); 404 for an unknown id.
 */
export const GET: RequestHandler = endpoint(async (event) => {
	const { claims, territory } = await territoryContext(event);
	const id = event.params.id;
	if (!isUuid(id)) error(404, 'Lieu introuvable : il n’existe pas (ou plus) dans ce territoire.');
	const record = await asUser(claims, (tx) => lieuContactRecord(tx, territory.id, id));
	if (!record) error(404, 'Lieu introuvable : il n’existe pas (ou plus) dans ce territoire.');
	return json(
		{
			export: {
				what: 'Données personnelles du contact d’un lieu enregistrées dans Marathon (Marathon coopératif, CoopCoNuT)',
				territory: territory.name,
				exported_at: new Date().toISOString()
			},
			...record
		},
		{
			headers: {
				'content-disposition': `attachment; filename="contact-lieu-${record.lieu.id}.json"`,
				'cache-control': 'private, no-store'
			}
		}
	);
});
