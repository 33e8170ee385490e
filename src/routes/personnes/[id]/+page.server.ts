import { error } from '@sveltejs/kit';
import { ChangeRoleSchema, MembershipSchema, PersonSchema, assignableRoles } from '$lib/domain/people';
import { requireRole } from '$lib/server/auth/guard';
import { asUser } from '$lib/server/db';
import { listTerritories } from '$lib/server/configuration';
import { staffWrite } from '$lib/server/configuration/action';
import { addMembership, changeRole, peopleDirectory, removeAccess, removeMembership } from '$lib/server/people';
import { isUuid } from '$lib/domain/fields';
import type { Actions, PageServerLoad } from './$types';

/**
 * The person of the page's address (404 when it is no id): loads and actions use it, whatever a
 * form's hidden `user_id` says (a crafted post once removed another person's territory).
 */
const personId = (event: { params: { id: string } }) => {
	if (!isUuid(event.params.id)) error(404, 'Cette personne n’existe pas.');
	return event.params.id;
};

/** One person: role, territories, access. Facilitators and admins only. Two queries. */
export const load: PageServerLoad = async ({ locals, url, params }) => {
	const claims = requireRole(locals, url, 'admin', 'facilitator');
	const id = personId({ params });
	const { people, territories } = await asUser(claims, async (tx) => ({
		people: await peopleDirectory(tx),
		territories: await listTerritories(tx)
	}));
	const person = people.find((p) => p.user_id === id);
	if (!person) error(404, 'Cette personne n’a pas (ou plus) d’accès.');
	const mine = claims.sub === person.user_id;
	const manages = !mine && (claims.app_role === 'admin' || !['admin', 'facilitator'].includes(person.app_role));
	return {
		person,
		mine,
		manages,
		roles: assignableRoles(claims.app_role),
		territories: territories.filter((t) => !t.archived_at).map((t) => ({ id: t.id, name: t.name })),
		ok: url.searchParams.get('ok')
	};
};

const back = (id: string, ok: string) => () => `/personnes/${id}?ok=${ok}`;
/** A refused change (not allowed for this role, RLS or the functions) comes back as a 403 form error. */
const allowed = <T>(p: Promise<T>) => p.then(() => true);

export const actions: Actions = {
	role: (event) =>
		staffWrite(event, 'role', ChangeRoleSchema, (tx, d) => allowed(changeRole(tx, personId(event), d.app_role)), back(event.params.id, 'role')),
	addTerritory: (event) =>
		staffWrite(event, 'territory', MembershipSchema, (tx, d) => allowed(addMembership(tx, personId(event), d.territory_id)), back(event.params.id, 'territoire')),
	removeTerritory: (event) =>
		// nothing removed: that person has no access to that territory (any more) → 404 « introuvable »
		staffWrite(event, 'territory', MembershipSchema, (tx, d) => removeMembership(tx, personId(event), d.territory_id), back(event.params.id, 'territoire'),
			undefined, async () => null),
	remove: (event) => staffWrite(event, 'remove', PersonSchema, (tx) => allowed(removeAccess(tx, personId(event))), () => '/personnes?ok=retire')
};
