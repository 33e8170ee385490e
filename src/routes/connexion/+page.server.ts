import { fail, redirect } from '@sveltejs/kit';
import { LoginSchema, safeNext } from '$lib/domain/auth';
import { parseForm, type FieldErrors } from '$lib/domain/forms';
import { authProvider } from '$lib/server/auth';
import { authContext } from '$lib/server/auth/context';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	// Anyone may see the login page; a signed-in user goes on.
	const suite = safeNext(url.searchParams.get('suite'), url.origin);
	if (locals.claims) redirect(303, suite);
	// A page found its session ended (route.sessionCheck): signed out now, back to it as a visitor —
	// a public page shows, a private one sends here again to log in.
	if (url.searchParams.has('fin')) redirect(303, suite);
	return { suite, loggedOut: url.searchParams.has('sortie'), expired: url.searchParams.has('expiree') };
};

export const actions: Actions = {
	// Anyone may try to log in; throttled (429 with Retry-After) in $lib/server/auth/throttle.ts.
	default: async (event) => {
		const parsed = parseForm(LoginSchema, await event.request.formData());
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values });
		const { email, password } = parsed.data;
		const suite = safeNext(parsed.data.suite, event.url.origin);
		const result = await authProvider().signIn(authContext(event), email, password);
		if (!result.ok) {
			if (result.retryAfterS) event.setHeaders({ 'retry-after': String(result.retryAfterS) });
			const errors: FieldErrors = { _form: result.message };
			return fail(result.status, { errors, values: { email, suite } });
		}
		redirect(303, suite);
	}
};
