/**
 * The one address Marathon is served at (ORIGIN, printed at start) and the loopback aliases a
 * person may type instead. Cookies and the cross-site check are tied to one origin, so a browser
 * on http://127.0.0.1:3000 while the site is http://localhost:3000 is sent to the latter.
 */

/** 127.0.0.0/8, ::1 and localhost. */
export function isLoopback(hostname: string): boolean {
	const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
	return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/**
 * A GET or HEAD that reached the server under a loopback alias of a `localhost` origin
 * (`Host: 127.0.0.1:3000` while ORIGIN is http://localhost:3000): a 308 to the same path at the
 * printed address. Never for other origins (behind a proxy the Host header may be anything).
 */
export function canonicalRedirect(request: Request, url: URL): Response | null {
	if (request.method !== 'GET' && request.method !== 'HEAD') return null;
	if (url.hostname !== 'localhost') return null;
	const host = request.headers.get('host');
	if (!host) return null;
	let hostname: string;
	try {
		hostname = new URL(`http://${host}`).hostname;
	} catch {
		return null;
	}
	if (hostname === url.hostname || !isLoopback(hostname)) return null;
	return new Response(null, { status: 308, headers: { location: url.href, 'cache-control': 'no-store' } });
}

/**
 * Whether cookies must be `Secure` (and then carry the `__Host-` prefix): everywhere but plain
 * HTTP on a loopback address, or when the operator opted out (MARATHON_INSECURE_COOKIES=true,
 * plain HTTP on a local network).
 */
export function secureCookies(url: URL, env: Record<string, string | undefined> = process.env): boolean {
	if (env.MARATHON_INSECURE_COOKIES === 'true') return false;
	return !(url.protocol === 'http:' && isLoopback(url.hostname));
}
