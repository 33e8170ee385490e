import { redirect } from '@sveltejs/kit';
import { authProvider } from '$lib/server/auth';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	// Anyone may log out; the server-side session is revoked, not only the cookie.
	default: async ({ cookies, getClientAddress }) => {
		await authProvider().signOut({ cookies, ip: getClientAddress() });
		redirect(303, '/connexion?sortie=1');
	}
};
