import type { RequestEvent } from '@sveltejs/kit';
import { secureCookies } from '$lib/server/http/address';
import type { AuthContext } from './provider';
import { route } from '$lib/routes';

/**
 * What an auth provider needs from a request: its cookies, the client address, cookie security,
 * and whether it is a page's GET (`readOnly`: the session may be confirmed with the page's reads).
 * Not the login page's: it is where a page sends a session its reads found ended (hooks.server.ts),
 * so it reads the session at the door, and signs out or sends back with a true token.
 */
export function authContext(
	event: Pick<RequestEvent, 'cookies' | 'getClientAddress' | 'url' | 'request' | 'isDataRequest'>
): AuthContext {
	const method = event.request.method;
	return {
		cookies: event.cookies,
		ip: event.getClientAddress(),
		secure: secureCookies(event.url),
		readOnly: (method === 'GET' || method === 'HEAD') && !event.isDataRequest && event.url.pathname !== route.login()
	};
}
