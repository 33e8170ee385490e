import { fail, redirect } from '@sveltejs/kit';
import { LoginSchema, safeNext } from '$lib/domain/auth';
import { parseForm, type FieldErrors } from '$lib/domain/forms';
import { authProvider } from '$lib/server/auth';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	// Anyone may see the login page; a signed-in user goes on.
	if (locals.claims) redirect(303, safeNext(url.searchParams.get('suite')));
	return { suite: safeNext(url.searchParams.get('suite')), loggedOut: url.searchParams.has('sortie') };
};

export const actions: Actions = {
	default: async ({ request, cookies, getClientAddress }) => {
		const form = await request.formData().catch(() => new FormData());
		const parsed = parseForm(LoginSchema, form);
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values });
		const { email, password, suite } = parsed.data;
		const result = await authProvider().signIn({ cookies, ip: getClientAddress() }, email, password);
		if (!result.ok) {
			const errors: FieldErrors = { _form: result.message };
			return fail(result.status, { errors, values: { email, suite: suite ?? '' } });
		}
		redirect(303, safeNext(suite));
	}
};
