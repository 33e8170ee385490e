import { error, redirect } from '@sveltejs/kit';
import type { AppRole, Claims } from './claims';

/**
 * States who may call a load or an action. Not signed in: to the login page (then back);
 * signed in without one of `roles`: 403. RLS still decides what the query returns.
 */
export function requireRole(locals: App.Locals, url: URL, ...roles: AppRole[]): Claims {
	const claims = locals.claims;
	if (!claims) redirect(303, `/connexion?suite=${encodeURIComponent(url.pathname + url.search)}`);
	if (!claims.app_role || (roles.length > 0 && !roles.includes(claims.app_role)))
		error(403, 'Vous n’êtes pas autorisé·e à ouvrir cette page avec votre rôle.');
	return claims;
}
