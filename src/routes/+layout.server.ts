import type { LayoutServerLoad } from './$types';

/**
 * Who is signed in, for the header. Read again at every navigation, client-side ones included (it
 * reads the address): a session ended meanwhile no longer shows as signed in above the login page.
 */
export const load: LayoutServerLoad = ({ locals, url }) => {
	void url.pathname;
	return {
		user: locals.claims
			? { email: locals.claims.email, displayName: locals.displayName, role: locals.claims.app_role }
			: null
	};
};
