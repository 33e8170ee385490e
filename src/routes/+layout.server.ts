import type { LayoutServerLoad } from './$types';

/** Runs on every navigation, so server guards also run on client-side navigation. */
export const load: LayoutServerLoad = ({ locals }) => ({
	user: locals.claims
		? { email: locals.claims.email, displayName: locals.displayName, role: locals.claims.app_role }
		: null
});
