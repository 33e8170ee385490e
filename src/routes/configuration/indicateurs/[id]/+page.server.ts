import { error } from '@sveltejs/kit';
import { EditIndicatorSchema, TargetSchema } from '$lib/domain/configuration';
import { requireRole } from '$lib/server/auth/guard';
import { asUser } from '$lib/server/db';
import { getIndicator, listTargets, setTarget, updateIndicator } from '$lib/server/configuration';
import { staffWrite } from '$lib/server/configuration/action';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NOT_FOUND = 'Cet indicateur n’existe pas.';
const idOf = (params: { id?: string }) => {
	if (!UUID.test(params.id ?? '')) error(404, NOT_FOUND);
	return params.id!;
};

/** An indicator: its definition and aggregation, and per-territory targets. Staff only. Two queries. */
export const load: PageServerLoad = async ({ locals, url, params }) => {
	const claims = requireRole(locals, url, 'admin', 'facilitator');
	const id = idOf(params);
	const { indicator, targets } = await asUser(claims, async (tx) => ({
		indicator: await getIndicator(tx, id),
		targets: await listTargets(tx, id)
	}));
	if (!indicator) error(404, NOT_FOUND);
	return { indicator, targets, ok: url.searchParams.get('ok') };
};

export const actions: Actions = {
	update: (event) => {
		const id = idOf(event.params);
		return staffWrite(event, 'update', EditIndicatorSchema, (tx, d) => updateIndicator(tx, id, d), () => `/configuration/indicateurs/${id}?ok=modifie`,
			{ field: 'code', message: 'Ce code est déjà pris par un autre indicateur.' }, (tx) => getIndicator(tx, id));
	},
	target: (event) => {
		const id = idOf(event.params);
		// no such indicator: 404 « introuvable » (not a foreign-key error)
		return staffWrite(event, 'target', TargetSchema,
			async (tx, d) => ((await getIndicator(tx, id)) ? setTarget(tx, id, d.territory_id, d.target).then(() => true) : false),
			() => `/configuration/indicateurs/${id}?ok=cible`, undefined, (tx) => getIndicator(tx, id));
	}
};
