import { error } from '@sveltejs/kit';
import { ArchiveSchema, EditTerritorySchema } from '$lib/domain/configuration';
import { requireRole } from '$lib/server/auth/guard';
import { asUser } from '$lib/server/db';
import { archiveTerritory, getTerritory, updateTerritory } from '$lib/server/configuration';
import { staffWrite } from '$lib/server/configuration/action';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NOT_FOUND = 'Ce territoire n’existe pas.';
const idOf = (params: { id?: string }) => {
	if (!UUID.test(params.id ?? '')) error(404, NOT_FOUND);
	return params.id!;
};

/** A territory's settings: edit, archive or restore (never delete). Staff only. One query. */
export const load: PageServerLoad = async ({ locals, url, params }) => {
	const claims = requireRole(locals, url, 'admin', 'facilitator');
	const territory = await asUser(claims, (tx) => getTerritory(tx, idOf(params)));
	if (!territory) error(404, NOT_FOUND);
	return { territory, ok: url.searchParams.get('ok') };
};

export const actions: Actions = {
	update: (event) => {
		const id = idOf(event.params);
		return staffWrite(event, 'update', EditTerritorySchema, (tx, d) => updateTerritory(tx, id, d), () => `/configuration/territoires/${id}?ok=modifie`,
			{ field: 'slug', message: 'Cet identifiant est déjà pris par un autre territoire.' }, (tx) => getTerritory(tx, id));
	},
	archive: (event) => {
		const id = idOf(event.params);
		return staffWrite(event, 'archive', ArchiveSchema, (tx, d) => archiveTerritory(tx, id, d.version, d.archive), () => `/configuration/territoires/${id}?ok=archive`,
			undefined, (tx) => getTerritory(tx, id));
	}
};
