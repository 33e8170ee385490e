import { IndicatorSchema } from '$lib/domain/configuration';
import { requireRole } from '$lib/server/auth/guard';
import { createIndicator, currentCohort } from '$lib/server/configuration';
import { staffWrite } from '$lib/server/configuration/action';
import type { Actions, PageServerLoad } from './$types';

/** A new indicator of the catalog. Facilitators and admins only. */
export const load: PageServerLoad = ({ locals, url }) => {
	requireRole(locals, url, 'admin', 'facilitator');
	return {};
};

export const actions: Actions = {
	default: (event) =>
		staffWrite(
			event,
			'create',
			IndicatorSchema,
			async (tx, data) => {
				const cohort = await currentCohort(tx);
				return cohort ? createIndicator(tx, cohort.id, data) : false;
			},
			(id) => `/configuration/indicateurs/${id}?ok=cree`,
			{ field: 'code', message: 'Ce code est déjà pris par un autre indicateur.' }
		)
};
