import { redirect } from '@sveltejs/kit';
import { authProvider } from '$lib/server/auth';
import { authContext } from '$lib/server/auth/context';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	// Anyone may log out; the server-side session is revoked, not only the cookie.
	default: async (event) => {
		await authProvider().signOut(authContext(event));
		redirect(303, '/connexion?sortie=1');
	}
};
