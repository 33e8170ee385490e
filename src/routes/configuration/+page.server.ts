import { error } from '@sveltejs/kit';
import { CohortSchema } from '$lib/domain/configuration';
import { requireRole } from '$lib/server/auth/guard';
import { asUser } from '$lib/server/db';
import { currentCohort, updateCohort } from '$lib/server/configuration';
import { staffWrite } from '$lib/server/configuration/action';
import { route } from '$lib/routes';
import type { Actions, PageServerLoad } from './$types';

/** The program's cohort. Facilitators and admins only. One query. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const claims = requireRole(locals, url, 'admin', 'facilitator');
	const cohort = await asUser(claims, (tx) => currentCohort(tx));
	if (!cohort) error(404, 'Aucune cohorte n’est encore configurée.');
	return { cohort, saved: url.searchParams.get('ok') === 'cohorte' };
};

export const actions: Actions = {
	cohort: (event) =>
		staffWrite(
			event,
			'cohort',
			CohortSchema,
			async (tx, data) => {
				const cohort = await currentCohort(tx);
				return cohort ? updateCohort(tx, cohort.id, data) : false;
			},
			() => route.configuration({ ok: 'cohorte' })
		)
};
