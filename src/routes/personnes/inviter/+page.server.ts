import { error, isHttpError } from '@sveltejs/kit';
import { parseForm, postedValues } from '$lib/domain/forms';
import { InvitationSchema, INVITATION_DAYS, invitableRoles } from '$lib/domain/people';
import { ROLE_LABEL_FR, type AppRole } from '$lib/domain/roles';
import { authProvider } from '$lib/server/auth';
import { requireRole } from '$lib/server/auth/guard';
import { asUser } from '$lib/server/db';
import { listTerritories } from '$lib/server/configuration';
import { formFail, invalid, newSubmission, writeOnce } from '$lib/server/forms';
import { createInvitation, createProfile, reissueInvitation } from '$lib/server/people';
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
		provider: authProvider().name,
		submission: newSubmission()
	};
};

export const actions: Actions = {
	/**
	 * Local accounts: records the invitation and shows the one-time link to the facilitator (to
	 * send themselves; nothing is mailed). Supabase: Supabase Auth mails its own invitation and the
	 * profile is created at once. Written once per submission token: the same form sent twice
	 * (double-click, retry) makes one invitation, and the answer shown carries a working link (a
	 * fresh one; the first stops working). An address with a pending invitation gets a new one that
	 * replaces it; an address that already has an account is refused at the field.
	 * 400 on bad input, 403 when the role may not be given.
	 */
	default: async (event) => {
		const claims = requireRole(event.locals, event.url, 'admin', 'facilitator');
		const form = await event.request.formData();
		// The form never offers it: a forced post is refused outright (RLS refuses it too).
		const role = String(form.get('app_role') ?? '');
		if (Object.hasOwn(ROLE_LABEL_FR, role) && !invitableRoles(claims.app_role).includes(role as AppRole))
			error(403, 'Vous ne pouvez pas inviter quelqu’un avec ce rôle.');
		const parsed = parseForm(InvitationSchema, form);
		if (!parsed.ok) return invalid('invite', parsed);
		const { submission, ...input } = parsed.data;
		const values = postedValues(form);
		const supabase = authProvider().name === 'supabase';
		try {
			const outcome = await asUser(claims, async (tx) => {
				// The link's token is never stored (only its hash): kept here, out of the stored submission result.
				let token: string | null = null;
				const once = await writeOnce(tx, submission, 'invitation', async () => {
					if (supabase) {
						const userId = await inviteWithSupabase(input.email, `${event.url.origin}${route.home()}`);
						await createProfile(tx, userId, input);
						return { ok: true as const, value: { id: userId, email: input.email } };
					}
					const made = await createInvitation(tx, input);
					if ('refused' in made) return { ok: false as const, failure: made.refused };
					token = made.token;
					return { ok: true as const, value: { id: made.id, email: input.email } };
				});
				// The same submission again: one invitation, and a fresh link for it, since only the last answer is seen.
				if (once.ok && once.replayed && !supabase && once.value.id) token = (await reissueInvitation(tx, once.value.id))?.token ?? null;
				return { ...once, token };
			});
			if (!outcome.ok) return formFail(409, 'invite', { errors: outcome.failure, values });
			return {
				invited: {
					email: outcome.value.email ?? input.email,
					link: outcome.token ? `${event.url.origin}${route.invitation(outcome.token)}` : null,
					replayed: outcome.replayed,
					supabase
				}
			};
		} catch (e) {
			if (isHttpError(e) && e.status === 409)
				return formFail(409, 'invite', { errors: { email: 'Supabase a refusé cette adresse (elle a peut-être déjà un compte).' }, values });
			throw e;
		}
	}
};
