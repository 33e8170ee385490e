import type { RequestEvent } from '@sveltejs/kit';
import { secureCookies } from '$lib/server/http/address';
import type { AuthContext } from './provider';

/** What an auth provider needs from a request: its cookies, the client address, cookie security. */
export function authContext(event: Pick<RequestEvent, 'cookies' | 'getClientAddress' | 'url'>): AuthContext {
	return { cookies: event.cookies, ip: event.getClientAddress(), secure: secureCookies(event.url) };
}
