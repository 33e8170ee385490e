import { describe, expect, it } from 'vitest';
import {
	BAD_CHARACTERS,
	BODY_TOO_LARGE,
	NOT_A_FORM,
	bodySizeLimit,
	checkFormBody,
	checkOrigin,
	checkUrl
} from '../../src/lib/server/http/input';
import { canonicalRedirect, isLoopback, secureCookies } from '../../src/lib/server/http/address';
import { endpoint, refusal, withSecurityHeaders } from '../../src/lib/server/http/respond';
import { error, redirect } from '@sveltejs/kit';
import { isDemoMode } from '../../src/lib/server/auth/demo';
import { isCommonPassword } from '../../src/lib/server/auth/password-policy';
import { sessionCookieName } from '../../src/lib/server/auth/local';
import { ChangePasswordSchema } from '../../src/lib/domain/auth';

const post = (body: BodyInit, type?: string, headers: Record<string, string> = {}) =>
	new Request('http://localhost:3000/x?/a', {
		method: 'POST',
		body,
		headers: { ...(type ? { 'content-type': type } : {}), origin: 'http://localhost:3000', ...headers }
	});

describe('input guard', () => {
	it('lets a plain form through, and the action can still read it', async () => {
		const request = post('name=Jean&version=3', 'application/x-www-form-urlencoded');
		expect(await checkFormBody(request)).toBeNull();
		expect((await request.formData()).get('name')).toBe('Jean');
	});

	it.each([
		['text/plain', 'a=b', 415],
		['application/json', '{"a":1}', 415],
		[undefined, 'a=b', 415],
		['multipart/form-data; boundary=X', '--X\r\nContent-Disposition: form-data; name="a"\r\n\r\nb', 400],
		['multipart/form-data', 'a=b', 400],
		['application/x-www-form-urlencoded', 'a%01=b', 400],
		['application/x-www-form-urlencoded', `a=${'x'.repeat(20_001)}`, 400]
	])('refuses %s %j with %i', async (type, body, status) => {
		expect((await checkFormBody(post(body as string, type)))?.status).toBe(status);
	});

	it('lets a control character in a value go on to the action (parseForm refuses it at the field, typed values kept)', async () => {
		const request = post('name=Jean%00Dupont&commune=Rodez', 'application/x-www-form-urlencoded');
		expect(await checkFormBody(request)).toBeNull();
		expect((await request.formData()).get('commune')).toBe('Rodez');
	});

	it('keeps tabs and line breaks in text (a workshop report has paragraphs)', async () => {
		expect(await checkFormBody(post('summary=un%0D%0Adeux%09trois', 'application/x-www-form-urlencoded'))).toBeNull();
	});

	it('refuses a body declared over the limit without reading it', async () => {
		process.env.BODY_SIZE_LIMIT = '1K';
		try {
			const r = await checkFormBody(post('a=b', 'application/x-www-form-urlencoded', { 'content-length': '5000' }));
			expect(r).toEqual({ status: 413, message: BODY_TOO_LARGE });
		} finally {
			delete process.env.BODY_SIZE_LIMIT;
		}
		expect(bodySizeLimit('3M')).toBe(3 * 1024 * 1024);
		expect(bodySizeLimit('512K')).toBe(512 * 1024);
		expect(bodySizeLimit(undefined)).toBe(Infinity);
	});

	it('refuses control characters in the query string, not tabs or line breaks', () => {
		expect(checkUrl(new URL('http://localhost/x?q=a%00b'))).toEqual({ status: 400, message: BAD_CHARACTERS });
		expect(checkUrl(new URL('http://localhost/x?%01=1'))).not.toBeNull();
		expect(checkUrl(new URL('http://localhost/x%00y'))).not.toBeNull();
		expect(checkUrl(new URL('http://localhost/territoires/%E9t%C3'))?.message).toMatch(/adresse est mal formée/);
		expect(checkUrl(new URL('http://localhost/connexion?suite=/%0A/x'))).toBeNull();
		expect(checkUrl(new URL('http://localhost/x?q=Jean%20Dupont'))).toBeNull();
	});

	it('refuses writes from another origin or without one, in French', () => {
		const url = new URL('http://localhost:3000/x');
		const from = (origin?: string) =>
			new Request(url, { method: 'POST', headers: origin ? { origin } : {} });
		expect(checkOrigin(from('http://localhost:3000'), url)).toBeNull();
		expect(checkOrigin(from('http://127.0.0.1:3000'), url)?.status).toBe(403);
		expect(checkOrigin(from('https://evil.example'), url)?.message).toMatch(/^Ce formulaire a été envoyé depuis un autre site/);
		expect(checkOrigin(from(), url)?.status).toBe(403);
		expect(checkOrigin(new Request(url), url)).toBeNull();
	});

	it('the message of a non-form body is French', () => {
		expect(NOT_A_FORM).toMatch(/attend un formulaire/);
	});
});

describe('headers and refusals', () => {
	it('HSTS only over HTTPS; X-Frame-Options and CSP on every answer', () => {
		const https = withSecurityHeaders(new Response('x'), new URL('https://marathon.example/'));
		expect(https.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
		expect(https.headers.get('x-frame-options')).toBe('DENY');
		expect(https.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
		const http = withSecurityHeaders(new Response('x'), new URL('http://localhost:3000/'));
		expect(http.headers.get('strict-transport-security')).toBeNull();
	});

	it('every 503 carries Retry-After, whatever raised it; one already set is kept', () => {
		const fromDb = withSecurityHeaders(new Response('indisponible', { status: 503 }), new URL('http://localhost/'));
		expect(fromDb.headers.get('retry-after')).toBe('10');
		const own = withSecurityHeaders(new Response('', { status: 503, headers: { 'retry-after': '3' } }), new URL('http://localhost/'));
		expect(own.headers.get('retry-after')).toBe('3');
		const immutable = Response.redirect('http://localhost/', 303);
		expect(withSecurityHeaders(immutable, new URL('http://localhost/')).headers.get('x-frame-options')).toBe('DENY');
	});

	it('a refusal is a French page with a way back, or an action error for use:enhance', async () => {
		const page = refusal(new Request('http://localhost/'), 403, 'Refusé.', 'http://localhost:3000');
		const html = await page.text();
		expect(html).toContain('<h1>Pas autorisé</h1>');
		expect(html).toContain('href="http://localhost:3000/"');
		const json = refusal(new Request('http://localhost/', { headers: { 'x-sveltekit-action': 'true' } }), 400, 'Non.', '');
		expect(await json.json()).toEqual({ type: 'error', status: 400, error: { message: 'Non.' } });
		expect(refusal(new Request('http://localhost/'), 503, 'x', '').headers.get('retry-after')).toBe('10');
	});

	it('an endpoint’s error() is the same French page, whatever the Accept; JSON only when asked alone', async () => {
		const csv = endpoint(async () => error(404, 'Aucun chiffre n’est encore publié.'));
		const ask = (accept?: string) => {
			const request = new Request('http://localhost:3000/transparence/donnees.csv', accept ? { headers: { accept } } : {});
			return csv({ request, url: new URL(request.url) });
		};
		for (const accept of [undefined, '*/*', 'text/html,application/xhtml+xml,*/*;q=0.8', 'text/csv']) {
			const r = await ask(accept);
			expect(r.status, accept).toBe(404);
			expect(r.headers.get('content-type'), accept).toBe('text/html; charset=utf-8');
			const html = await r.text();
			expect(html).toContain('<h1>Introuvable</h1>');
			expect(html).toContain('Aucun chiffre n’est encore publié.');
		}
		const json = await ask('application/json');
		expect(json.status).toBe(404);
		expect(await json.json()).toMatchObject({ error: { message: 'Aucun chiffre n’est encore publié.' } });
		// a redirect (signed out → login page) and a success go through unchanged
		const moved = endpoint(async () => redirect(303, '/connexion'));
		await expect(moved({ request: new Request('http://localhost/'), url: new URL('http://localhost/') })).rejects.toMatchObject({ status: 303 });
		const ok = endpoint(async () => new Response('a;b'));
		expect(await (await ok({ request: new Request('http://localhost/'), url: new URL('http://localhost/') })).text()).toBe('a;b');
	});
});

describe('the printed address and cookies', () => {
	it('a GET on a loopback alias goes to the printed localhost address', () => {
		const url = new URL('http://localhost:3000/connexion?suite=/x');
		const on = (host: string, method = 'GET') => canonicalRedirect(new Request(url, { method, headers: { host } }), url);
		expect(on('127.0.0.1:3000')?.headers.get('location')).toBe('http://localhost:3000/connexion?suite=/x');
		expect(on('[::1]:3000')?.status).toBe(308);
		expect(on('localhost:3000')).toBeNull();
		expect(on('127.0.0.1:3000', 'POST')).toBeNull();
		// Behind a proxy (ORIGIN is not localhost) the Host header is never trusted for a redirect.
		const prod = new URL('https://marathon.example/');
		expect(canonicalRedirect(new Request(prod, { headers: { host: '127.0.0.1:3000' } }), prod)).toBeNull();
	});

	it('cookies are Secure with the __Host- prefix everywhere but plain-HTTP loopback', () => {
		expect(secureCookies(new URL('http://localhost:3000/'), {})).toBe(false);
		expect(secureCookies(new URL('http://127.0.0.1:3000/'), {})).toBe(false);
		expect(secureCookies(new URL('https://localhost/'), {})).toBe(true);
		expect(secureCookies(new URL('https://marathon.example/'), {})).toBe(true);
		expect(secureCookies(new URL('http://192.168.1.10:3000/'), {})).toBe(true);
		expect(secureCookies(new URL('http://192.168.1.10:3000/'), { MARATHON_INSECURE_COOKIES: 'true' })).toBe(false);
		expect(sessionCookieName(true)).toBe('__Host-marathon_session');
		expect(sessionCookieName(false)).toBe('marathon_session');
		expect(isLoopback('127.0.0.2')).toBe(true);
		expect(isLoopback('0.0.0.0')).toBe(false);
	});
});

describe('demo mode and passwords', () => {
	it('demo accounts only in demo mode', () => {
		expect(isDemoMode({})).toBe(true); // embedded database
		expect(isDemoMode({ MARATHON_DEMO: 'false' })).toBe(false);
		expect(isDemoMode({ DATABASE_URL: 'postgres://x' })).toBe(false);
		expect(isDemoMode({ DATABASE_URL: 'postgres://x', MARATHON_DEMO: 'true' })).toBe(true);
	});

	it('new passwords: 12 characters at least, not a common one, confirmed', () => {
		const parse = (n: string, c = n, cur = 'ancien') =>
			ChangePasswordSchema.safeParse({ password_current: cur, password_new: n, password_confirm: c });
		expect(parse('court').success).toBe(false);
		expect(parse('une phrase assez longue').success).toBe(true);
		expect(parse('une phrase assez longue', 'autre').success).toBe(false);
		expect(isCommonPassword('123qweasdzxc')).toBe(true);
		expect(isCommonPassword('Qwerty123456')).toBe(true);
		expect(isCommonPassword('marathon-demo')).toBe(true);
		expect(isCommonPassword('trois chevaux bleus au galop')).toBe(false);
	});
});
