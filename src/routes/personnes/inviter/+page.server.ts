import { error, fail, isHttpError } from '@sveltejs/kit';
import { parseForm } from '$lib/domain/forms';
import { InvitationSchema, INVITATION_DAYS, invitableRoles } from '$lib/domain/people';
import { authProvider } from '$lib/server/auth';
import { requireRole } from '$lib/server/auth/guard';
import { asUser } from '$lib/server/db';
import { listTerritories } from '$lib/server/configuration';
import { createInvitation, createProfile } from '$lib/server/people';
import { inviteWithSupabase } from '$lib/server/people/supabase-invite';
import { route } from '$lib/routes';
import type { Actions, PageServerLoad } from './$types';

/** The invitation form. Facilitators and admins only (facilitators cannot invite admins). One query. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const claims = requireRole(locals, url, 'admin', 'facilitator');
	const territories = await asUser(claims, (tx) => listTerritories(tx));
	return {
		roles: invitableRoles(claims.app_role),
		territories: territories.filter((t) => !t.archived_at).map((t) => ({ id: t.id, name: t.name })),
		preset: url.searchParams.get('territoire') ?? '',
		days: INVITATION_DAYS,
		provider: authProvider().name
	};
};

export const actions: Actions = {
	/**
	 * Local accounts: records the invitation and shows the one-time link to the facilitator (to
	 * send themselves; nothing is mailed). Supabase: Supabase Auth mails its own invitation and the
	 * profile is created at once. 400 on bad input, 403 when the role may not be given.
	 */
	default: async (event) => {
		const claims = requireRole(event.locals, event.url, 'admin', 'facilitator');
		const parsed = parseForm(InvitationSchema, await event.request.formData());
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values });
		const input = parsed.data;
		// The form never offers it: a forced post is refused outright (RLS refuses it too).
		if (!invitableRoles(claims.app_role).includes(input.app_role)) error(403, 'Vous ne pouvez pas inviter quelqu’un avec ce rôle.');
		try {
			if (authProvider().name === 'supabase') {
				const userId = await inviteWithSupabase(input.email, `${event.url.origin}${route.home()}`);
				await asUser(claims, (tx) => createProfile(tx, userId, input));
				return { invited: { email: input.email, link: null } };
			}
			const token = await asUser(claims, (tx) => createInvitation(tx, input));
			return { invited: { email: input.email, link: `${event.url.origin}${route.invitation(token)}` } };
		} catch (e) {
			if (isHttpError(e) && e.status === 409)
				return fail(409, { errors: { email: 'Une invitation ou un compte existe déjà pour cette adresse.' } as Record<string, string>, values: { display_name: input.display_name, email: input.email, app_role: input.app_role, territory_id: input.territory_id ?? '' } });
			throw e;
		}
	}
};
