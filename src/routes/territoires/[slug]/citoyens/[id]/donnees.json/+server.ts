import { error, json } from '@sveltejs/kit';
import { AGE_BAND_LABEL_FR, SOURCE_LABEL_FR, isUuid } from '$lib/domain/citizens';
import { citizenRecord } from '$lib/server/citizens';
import { asUser } from '$lib/server/db';
import { territoryContext } from '$lib/server/territories/context';
import type { RequestHandler } from './$types';
import { endpoint } from '$lib/server/http/respond';

/**
 * Right of access (RGPD art. 15): everything the registry holds about one person, as a JSON file
 * to hand over. Same guard as the person page (territory + RLS); 404 for an unknown id.
 */
export const GET: RequestHandler = endpoint(async (event) => {
	const { claims, territory } = await territoryContext(event);
	const id = event.params.id;
	if (!isUuid(id)) error(404, 'Personne introuvable : elle n’est pas inscrite dans ce territoire.');
	const record = await asUser(claims, (tx) => citizenRecord(tx, territory.id, id));
	if (!record) error(404, 'Personne introuvable : elle n’est pas inscrite dans ce territoire.');
	const { citizen: c, consents, attendances } = record;
	const body = {
		export: {
			what: 'Données personnelles enregistrées dans Marathon (Marathon coopératif, CoopCoNuT)',
			territory: territory.name,
			exported_at: new Date().toISOString()
		},
		citizen: {
			id: c.id,
			display_name: c.display_name,
			email: c.email,
			phone: c.phone,
			commune: c.commune,
			postal_code: c.postal_code,
			age_band: c.age_band,
			age_band_label: AGE_BAND_LABEL_FR[c.age_band],
			source: c.source,
			source_label: SOURCE_LABEL_FR[c.source],
			is_societaire: c.is_societaire,
			enrolled_at: c.enrolled_at,
			status: c.status,
			withdrawn_at: c.withdrawn_at,
			erased_at: c.erased_at,
			created_at: c.created_at,
			updated_at: c.updated_at
		},
		consent_events: consents.map(({ action, purpose, text_version, at }) => ({ action, purpose, text_version, at })),
		attendances: attendances.map((a) => ({
			workshop_title: a.title,
			workshop_format: a.format,
			workshop_starts_at: a.starts_at,
			checked_in_at: a.checked_in_at
		}))
	};
	return json(body, {
		headers: {
			'content-disposition': `attachment; filename="donnees-${c.id}.json"`,
			'cache-control': 'private, no-store'
		}
	});
});
