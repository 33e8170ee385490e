import { error } from '@sveltejs/kit';
import { MoveTemplateSchema, TemplateSchema } from '$lib/domain/configuration';
import { requireRole } from '$lib/server/auth/guard';
import { asUser } from '$lib/server/db';
import { createTemplate, currentCohort, getTemplate, listTemplates, moveTemplate } from '$lib/server/configuration';
import { staffWrite } from '$lib/server/configuration/action';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The program's milestone templates, in order. Facilitators and admins only. Two queries. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const claims = requireRole(locals, url, 'admin', 'facilitator');
	const { cohort, templates } = await asUser(claims, async (tx) => {
		const cohort = await currentCohort(tx);
		return { cohort, templates: cohort ? await listTemplates(tx, cohort.id) : [] };
	});
	if (!cohort) error(404, 'Aucune cohorte n’est encore configurée.');
	return { templates };
};

export const actions: Actions = {
	create: (event) =>
		staffWrite(
			event,
			'create',
			TemplateSchema,
			async (tx, data) => {
				const cohort = await currentCohort(tx);
				return cohort ? createTemplate(tx, cohort.id, data) : false;
			},
			(id) => `/configuration/jalons/${id}?ok=cree`,
			{ field: 'code', message: 'Ce code est déjà pris par un autre modèle.' }
		),
	move: (event) => {
		const id = event.url.searchParams.get('id') ?? '';
		if (!UUID.test(id)) error(404, 'Ce modèle n’existe pas.');
		// nothing moved at either end of the list is fine; nothing moved because there is no such template: 404
		return staffWrite(event, 'move', MoveTemplateSchema,
			async (tx, d) => (await moveTemplate(tx, id, d.direction)) || (await getTemplate(tx, id)) !== undefined,
			() => '/configuration/jalons', undefined, (tx) => getTemplate(tx, id));
	}
};
