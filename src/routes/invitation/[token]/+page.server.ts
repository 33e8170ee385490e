import { error, redirect } from '@sveltejs/kit';
import { parseForm } from '$lib/domain/forms';
import { AcceptInvitationSchema, MIN_PASSWORD_LENGTH } from '$lib/domain/people';
import { authProvider } from '$lib/server/auth';
import { authContext } from '$lib/server/auth/context';
import { isCommonPassword } from '$lib/server/auth/password-policy';
import { COMMON_PASSWORD } from '$lib/server/auth/provider';
import { asService } from '$lib/server/db';
import { acceptInvitation, invitationByToken, recentlyAcceptedEmail } from '$lib/server/people';
import { route } from '$lib/routes';
import { formFail, invalid } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

const GONE = 'Ce lien d’invitation n’est plus valable (déjà utilisé, retiré ou expiré). Demandez-en un nouveau à l’équipe d’animation.';

/**
 * The invitee's page (anyone holding the link; no session needed). Reading and accepting an
 * invitation are authentication steps, run by the server (asService), like a login. 410 when the
 * link is unusable; 409 when the address already has an account.
 */
export const load: PageServerLoad = async ({ params }) => {
	const inv = await asService((tx) => invitationByToken(tx, params.token));
	if (!inv) error(410, GONE);
	if (inv.existing) error(409, 'Un compte existe déjà pour cette adresse : connectez-vous, ou demandez à l’équipe d’animation.');
	return { email: inv.email, displayName: inv.display_name, role: inv.app_role, territory: inv.territory_name, min: MIN_PASSWORD_LENGTH };
};

export const actions: Actions = {
	default: async (event) => {
		const { params, request } = event;
		const parsed = parseForm(AcceptInvitationSchema, await request.formData());
		if (!parsed.ok) return invalid('accept', parsed);
		// The same rule as a password change (ASVS 5 V6.2.4): no password from the common list.
		if (isCommonPassword(parsed.data.password)) return formFail(400, 'accept', { errors: { password: COMMON_PASSWORD }, values: {} });
		const done = await asService((tx) => acceptInvitation(tx, params.token, parsed.data.password));
		if (!done) {
			// The same form sent twice (a double-click): the first post created the account. This one
			// signs in with the password typed, like a login (same checks and throttling), rather than
			// answering that the link is no longer valid.
			const email = await asService((tx) => recentlyAcceptedEmail(tx, params.token));
			if (email && (await authProvider().signIn(authContext(event), email, parsed.data.password)).ok) redirect(303, route.home());
			error(410, GONE);
		}
		// Signed in at once with the password just chosen.
		await authProvider().signIn(authContext(event), done.email, parsed.data.password);
		redirect(303, route.home());
	}
};
