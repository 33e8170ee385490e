/**
 * Answers the server gives by itself (refused input, cross-site posts, the database down before
 * any page ran) and the headers every answer carries. French, readable without JavaScript, with a
 * way back; JSON for `use:enhance` requests so that the page shows the message in place.
 */

import { isHttpError, type RequestEvent } from '@sveltejs/kit';
import { reasonTitle as reasonFr } from '$lib/error-reason';

/** Seconds a client should wait before trying again after a 503 (database restarting…). */
export const RETRY_AFTER_S = 10;

const escape = (s: string) =>
	s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * A French page (or JSON for script requests) for a refusal the server makes before any route
 * runs. `home` is where the "back" link goes: this site's origin, so that a person on the wrong
 * address (http://127.0.0.1 vs http://localhost) lands on the right one.
 */
export function refusal(request: Request, status: number, message: string, home: string): Response {
	const headers: Record<string, string> = { 'cache-control': 'no-store' };
	if (status === 503) headers['retry-after'] = String(RETRY_AFTER_S);
	const accept = request.headers.get('accept') ?? '';
	if (request.headers.get('x-sveltekit-action') === 'true' || (accept.includes('application/json') && !accept.includes('text/html'))) {
		// The shape `use:enhance` reads (an ActionResult of type "error").
		return new Response(JSON.stringify({ type: 'error', status, error: { message } }), {
			status,
			headers: { ...headers, 'content-type': 'application/json; charset=utf-8' }
		});
	}
	const title = reasonFr(status);
	const html = `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} — Marathon</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5}a{color:#0b57d0}</style>
</head><body><main>
<h1>${escape(title)}</h1>
<p>${escape(message)}</p>
<p><a href="${escape(home)}/">Retour à l’accueil de Marathon</a></p>
</main></body></html>`;
	return new Response(html, { status, headers: { ...headers, 'content-type': 'text/html; charset=utf-8' } });
}

/**
 * Wraps an endpoint (`+server.ts`) so that its refusals read like every page's: the `error()` it
 * or its guard throws (404 « nothing published », 403, 503…) becomes the French page of
 * {@link refusal} — for a browser, a download link, curl alike — and JSON only for a client that
 * asks for JSON alone. Without it SvelteKit answers endpoint errors in JSON to any Accept that is
 * not text/html first. Redirects (to the login page) and unexpected errors go on unchanged.
 * One way for every endpoint of the app: `export const GET: RequestHandler = endpoint(async (event) => …)`.
 */
export function endpoint<E extends Pick<RequestEvent, 'request' | 'url'>>(
	handler: (event: E) => Promise<Response> | Response
): (event: E) => Promise<Response> {
	return async (event) => {
		try {
			return await handler(event);
		} catch (e) {
			if (isHttpError(e)) return refusal(event.request, e.status, e.body.message, event.url.origin);
			throw e;
		}
	};
}

/** CSP for answers SvelteKit does not render itself (refusals above, static error page). */
const FALLBACK_CSP =
	"default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/**
 * Headers on every answer: no framing (X-Frame-Options beside CSP frame-ancestors), no sniffing,
 * no referrer to other sites, HSTS when the site is served over HTTPS, and `Retry-After` on every
 * 503 whatever raised it (database layer, handleError, error page). Returns the same response,
 * or a copy when its headers are immutable.
 */
export function withSecurityHeaders(response: Response, url: URL): Response {
	let r = response;
	try {
		r.headers.set('x-frame-options', 'DENY');
	} catch {
		r = new Response(response.body, response);
		r.headers.set('x-frame-options', 'DENY');
	}
	r.headers.set('x-content-type-options', 'nosniff');
	r.headers.set('referrer-policy', 'same-origin');
	if (url.protocol === 'https:') r.headers.set('strict-transport-security', 'max-age=31536000; includeSubDomains');
	if (!r.headers.has('content-security-policy')) r.headers.set('content-security-policy', FALLBACK_CSP);
	if (r.status === 503 && !r.headers.has('retry-after')) r.headers.set('retry-after', String(RETRY_AFTER_S));
	return r;
}
