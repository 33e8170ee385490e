import { error, redirect } from '@sveltejs/kit';
import type { AppRole, Claims } from './claims';

/**
 * States who may call a load or an action. Not signed in: to the login page (then back);
 * signed in without one of `roles`: 403. RLS still decides what the query returns.
 * A form sent after the session ended (`?/action` in the address): back to the page of the form,
 * not to the action, and the login page says that nothing was saved (`expiree`).
 */
export function requireRole(locals: App.Locals, url: URL, ...roles: AppRole[]): Claims {
	const claims = locals.claims;
	if (!claims) redirect(303, loginAddress(url));
	if (!claims.app_role || (roles.length > 0 && !roles.includes(claims.app_role)))
		error(403, 'Vous n’êtes pas autorisé·e à ouvrir cette page avec votre rôle.');
	return claims;
}

/** The login page's address for `url`: « suite » is where to go back (the form's page for an action). */
function loginAddress(url: URL): string {
	const params = new URLSearchParams(url.search);
	const actions = [...params.keys()].filter((k) => k.startsWith('/'));
	for (const a of actions) params.delete(a);
	const back = url.pathname + (params.size ? `?${params}` : '');
	return `/connexion?suite=${encodeURIComponent(back)}${actions.length ? '&expiree' : ''}`;
}
