import { fail, redirect } from '@sveltejs/kit';
import { ChangePasswordSchema } from '$lib/domain/auth';
import { parseForm, type FieldErrors } from '$lib/domain/forms';
import { route } from '$lib/routes';
import { authProvider } from '$lib/server/auth';
import { authContext } from '$lib/server/auth/context';
import { requireRole } from '$lib/server/auth/guard';
import type { Actions, PageServerLoad } from './$types';

/** Any signed-in person with a role: their own account. No query. */
export const load: PageServerLoad = ({ locals, url }) => {
	const claims = requireRole(locals, url);
	return { email: claims.email, changed: url.searchParams.has('modifie') };
};

export const actions: Actions = {
	/**
	 * Changes the signed-in person's password: the current one checked (throttled like the login),
	 * the new one ≥ 12 characters and not a common password; their other sessions end.
	 */
	password: async (event) => {
		const claims = requireRole(event.locals, event.url);
		const parsed = parseForm(ChangePasswordSchema, await event.request.formData());
		if (!parsed.ok) return fail(400, { errors: parsed.errors });
		const { password_current, password_new } = parsed.data;
		const result = await authProvider().changePassword(authContext(event), claims, password_current, password_new);
		if (!result.ok) {
			if (result.retryAfterS) event.setHeaders({ 'retry-after': String(result.retryAfterS) });
			return fail(result.status, { errors: { [result.field]: result.message } as FieldErrors });
		}
		redirect(303, route.account({ modifie: 1 }));
	}
};
