import { TerritorySchema } from '$lib/domain/configuration';
import { pageFromUrl, paginate } from '$lib/domain/pagination';
import { requireRole } from '$lib/server/auth/guard';
import { asUser } from '$lib/server/db';
import { createTerritory, currentCohort, listTerritories } from '$lib/server/configuration';
import { staffWrite } from '$lib/server/configuration/action';
import type { Actions, PageServerLoad } from './$types';

/** Territories of the program (archived ones too), 25 a page, and a form to add one. Staff only. One query. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const claims = requireRole(locals, url, 'admin', 'facilitator');
	const all = await asUser(claims, (tx) => listTerritories(tx));
	const pagination = paginate(pageFromUrl(url), all.length);
	return { pagination, territories: all.slice(pagination.offset, pagination.offset + pagination.limit) };
};

export const actions: Actions = {
	create: (event) =>
		staffWrite(
			event,
			'create',
			TerritorySchema,
			async (tx, data) => {
				const cohort = await currentCohort(tx);
				return cohort ? createTerritory(tx, cohort.id, data) : false;
			},
			(id) => `/configuration/territoires/${id}?ok=cree`,
			{ field: 'slug', message: 'Cet identifiant est déjà pris par un autre territoire.' }
		)
};
