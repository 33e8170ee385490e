import { error } from '@sveltejs/kit';
import { ApplyTemplateSchema, EditTemplateSchema } from '$lib/domain/configuration';
import { requireRole } from '$lib/server/auth/guard';
import { asUser } from '$lib/server/db';
import { applyTemplate, getTemplate, listTerritories, updateTemplate } from '$lib/server/configuration';
import { staffWrite } from '$lib/server/configuration/action';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NOT_FOUND = 'Ce modèle de jalon n’existe pas.';
const idOf = (params: { id?: string }) => {
	if (!UUID.test(params.id ?? '')) error(404, NOT_FOUND);
	return params.id!;
};

/** A template: edit it, apply it to every territory or one. Facilitators and admins only. Two queries. */
export const load: PageServerLoad = async ({ locals, url, params }) => {
	const claims = requireRole(locals, url, 'admin', 'facilitator');
	const id = idOf(params);
	const { template, territories } = await asUser(claims, async (tx) => ({
		template: await getTemplate(tx, id),
		territories: await listTerritories(tx)
	}));
	if (!template) error(404, NOT_FOUND);
	// counts echoed by the apply action's redirect: a typed address cannot make them say anything else
	const n = (k: string) => {
		const v = Number(url.searchParams.get(k) ?? 0);
		return Number.isSafeInteger(v) && v >= 0 ? v : 0;
	};
	return {
		template,
		territories: territories.filter((t) => !t.archived_at).map((t) => ({ id: t.id, name: t.name })),
		ok: url.searchParams.get('ok'),
		applied: url.searchParams.get('ok') === 'applique' ? { created: n('crees'), updated: n('maj'), kept: n('gardes') } : null
	};
};

export const actions: Actions = {
	update: (event) => {
		const id = idOf(event.params);
		return staffWrite(event, 'update', EditTemplateSchema, (tx, d) => updateTemplate(tx, id, d), () => `/configuration/jalons/${id}?ok=modifie`,
			{ field: 'code', message: 'Ce code est déjà pris par un autre modèle.' }, (tx) => getTemplate(tx, id));
	},
	apply: (event) => {
		const id = idOf(event.params);
		return staffWrite(event, 'apply', ApplyTemplateSchema, (tx, d) => applyTemplate(tx, id, d.territory_id), (r) => {
			const { created, updated, kept } = r as { created: number; updated: number; kept: number };
			return `/configuration/jalons/${id}?ok=applique&crees=${created}&maj=${updated}&gardes=${kept}`;
		});
	}
};
