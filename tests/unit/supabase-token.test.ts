import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JWTPayload } from 'jose';
import {
	supabaseConfigFromEnv,
	verifySupabaseAccessToken
} from '../../src/lib/server/auth/supabase-token';

const SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
const USER_ID = '6f1c2b1e-3a4d-4e5f-9a0b-1c2d3e4f5a6b';
const EMAIL = 'ada@example.org';
/** Claims to add, replace or (with undefined) remove. */
type Overrides = Record<string, unknown>;
const JWKS_PATH = '/auth/v1/.well-known/jwks.json';

/** Claims shaped like a Supabase access token for `url`, valid for an hour. */
function supabasePayload(url: string, overrides: Overrides = {}): JWTPayload {
	const now = Math.floor(Date.now() / 1000);
	return {
		iss: `${url}/auth/v1`,
		sub: USER_ID,
		aud: 'authenticated',
		role: 'authenticated',
		email: EMAIL,
		iat: now,
		exp: now + 3600,
		session_id: 'a3b0c1d2-0000-4000-8000-000000000001',
		aal: 'aal1',
		is_anonymous: false,
		app_metadata: { provider: 'email', providers: ['email'] },
		user_metadata: {},
		...overrides
	};
}

function sign(
	payload: JWTPayload,
	key: CryptoKey | Uint8Array,
	header: { alg: string; kid?: string }
): Promise<string> {
	return new SignJWT(payload).setProtectedHeader({ typ: 'JWT', ...header }).sign(key);
}

const hs256 = (url: string, overrides: Overrides = {}, secret = SECRET) =>
	sign(supabasePayload(url, overrides), new TextEncoder().encode(secret), { alg: 'HS256' });

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Resolves once `server` listens on a random loopback port; returns its base URL. */
function listen(server: Server): Promise<string> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as AddressInfo;
			resolve(`http://127.0.0.1:${port}`);
		});
	});
}

function close(server: Server): Promise<void> {
	return new Promise((resolve) => server.close(() => resolve()));
}

describe('HS256 (legacy JWT secret)', () => {
	const url = 'https://legacy-project.supabase.co';
	const cfg = { url, anonKey: 'anon', jwtSecret: SECRET };

	it('accepts a valid token and maps it to Claims', async () => {
		const claims = await verifySupabaseAccessToken(await hs256(url), cfg);
		expect(claims).toEqual({ sub: USER_ID, role: 'authenticated', email: EMAIL, app_role: null });
	});

	it('ignores a trailing slash on the configured url', async () => {
		const claims = await verifySupabaseAccessToken(await hs256(url), { ...cfg, url: `${url}/` });
		expect(claims?.sub).toBe(USER_ID);
	});

	it('accepts a token expired by less than the 5 s clock tolerance', async () => {
		const exp = Math.floor(Date.now() / 1000) - 2;
		expect(await verifySupabaseAccessToken(await hs256(url, { exp }), cfg)).not.toBeNull();
	});

	it.each<[string, Overrides]>([
		['expired', { exp: Math.floor(Date.now() / 1000) - 60 }],
		['without exp', { exp: undefined }],
		['from another issuer', { iss: 'https://other-project.supabase.co/auth/v1' }],
		['for another audience', { aud: 'anon' }],
		['with role anon', { role: 'anon' }],
		['with role service_role', { role: 'service_role' }],
		['with a non-uuid sub', { sub: 'not-a-uuid' }],
		['with an empty email', { email: '' }],
		['without email', { email: undefined }],
		['from an anonymous user', { is_anonymous: true }]
	])('rejects a token %s', async (_label, overrides) => {
		expect(await verifySupabaseAccessToken(await hs256(url, overrides), cfg)).toBeNull();
	});

	it('rejects a token signed with another secret', async () => {
		const token = await hs256(url, {}, 'another-secret-of-at-least-thirty-two-characters');
		expect(await verifySupabaseAccessToken(token, cfg)).toBeNull();
	});

	it('rejects a tampered payload', async () => {
		const [header, , signature] = (await hs256(url)).split('.');
		const forged = b64url(supabasePayload(url, { email: 'mallory@example.org' }));
		expect(await verifySupabaseAccessToken(`${header}.${forged}.${signature}`, cfg)).toBeNull();
	});

	it("rejects alg 'none'", async () => {
		const unsigned = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(supabasePayload(url))}.`;
		expect(await verifySupabaseAccessToken(unsigned, cfg)).toBeNull();
	});

	it('rejects an HS256 token when no secret is configured', async () => {
		const noSecret = { url, anonKey: 'anon' };
		expect(await verifySupabaseAccessToken(await hs256(url), noSecret)).toBeNull();
	});

	it.each(['', 'garbage', 'a.b.c', '..', `${b64url({ alg: 'HS256' })}.e30.`])(
		'rejects malformed token %j without throwing',
		async (token) => {
			expect(await verifySupabaseAccessToken(token, cfg)).toBeNull();
		}
	);
});

describe('ES256 / RS256 through the project JWKS', () => {
	let server: Server;
	let url: string;
	let jwksRequests = 0;
	let es256: CryptoKey;
	let rs256: CryptoKey;

	beforeAll(async () => {
		const ec = await generateKeyPair('ES256');
		const rsa = await generateKeyPair('RS256');
		es256 = ec.privateKey;
		rs256 = rsa.privateKey;
		const keys = [
			{ ...(await exportJWK(ec.publicKey)), kid: 'ec-key-1', alg: 'ES256', use: 'sig' },
			{ ...(await exportJWK(rsa.publicKey)), kid: 'rsa-key-1', alg: 'RS256', use: 'sig' }
		];
		server = createServer((req, res) => {
			if (req.url !== JWKS_PATH) {
				res.writeHead(404).end();
				return;
			}
			jwksRequests++;
			res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
		});
		url = await listen(server);
	});

	afterAll(() => close(server));

	const cfg = () => ({ url, anonKey: 'anon' });

	it('accepts an ES256 token and maps it to Claims', async () => {
		const token = await sign(supabasePayload(url), es256, { alg: 'ES256', kid: 'ec-key-1' });
		const claims = await verifySupabaseAccessToken(token, cfg());
		expect(claims).toEqual({ sub: USER_ID, role: 'authenticated', email: EMAIL, app_role: null });
		expect(jwksRequests).toBeGreaterThan(0);
	});

	it('accepts an RS256 token', async () => {
		const token = await sign(supabasePayload(url), rs256, { alg: 'RS256', kid: 'rsa-key-1' });
		expect((await verifySupabaseAccessToken(token, cfg()))?.sub).toBe(USER_ID);
	});

	it('applies the same claim checks (wrong issuer, expired)', async () => {
		const header = { alg: 'ES256', kid: 'ec-key-1' };
		const exp = Math.floor(Date.now() / 1000) - 60;
		const wrongIss = await sign(supabasePayload('https://evil.example'), es256, header);
		const expired = await sign(supabasePayload(url, { exp }), es256, header);
		expect(await verifySupabaseAccessToken(wrongIss, cfg())).toBeNull();
		expect(await verifySupabaseAccessToken(expired, cfg())).toBeNull();
	});

	it('rejects a token signed by another key under the same kid', async () => {
		const { privateKey } = await generateKeyPair('ES256');
		const token = await sign(supabasePayload(url), privateKey, { alg: 'ES256', kid: 'ec-key-1' });
		expect(await verifySupabaseAccessToken(token, cfg())).toBeNull();
	});

	it('rejects a token with an unknown kid', async () => {
		const token = await sign(supabasePayload(url), es256, { alg: 'ES256', kid: 'unknown-kid' });
		expect(await verifySupabaseAccessToken(token, cfg())).toBeNull();
	});

	it('does not fall back to the JWKS for an HS256 token when no secret is configured', async () => {
		const before = jwksRequests;
		expect(await verifySupabaseAccessToken(await hs256(url), cfg())).toBeNull();
		expect(jwksRequests).toBe(before);
	});

	it('rejects (null, no throw) when the JWKS server is down', async () => {
		const down = createServer();
		const downUrl = await listen(down);
		await close(down);
		const token = await sign(supabasePayload(downUrl), es256, { alg: 'ES256', kid: 'ec-key-1' });
		const downCfg = { url: downUrl, anonKey: 'anon' };
		await expect(verifySupabaseAccessToken(token, downCfg)).resolves.toBeNull();
	});
});

describe('supabaseConfigFromEnv', () => {
	const base = {
		PUBLIC_SUPABASE_URL: 'https://abcd.supabase.co/',
		PUBLIC_SUPABASE_ANON_KEY: 'anon-key'
	};

	it('is disabled unless both the url and the anon key are set', () => {
		expect(supabaseConfigFromEnv({})).toBeNull();
		expect(supabaseConfigFromEnv({ PUBLIC_SUPABASE_URL: base.PUBLIC_SUPABASE_URL })).toBeNull();
		expect(supabaseConfigFromEnv({ ...base, PUBLIC_SUPABASE_ANON_KEY: ' ' })).toBeNull();
	});

	it('reads url (without trailing slash), anon key and the optional secret', () => {
		const url = 'https://abcd.supabase.co';
		expect(supabaseConfigFromEnv(base)).toEqual({ url, anonKey: 'anon-key' });
		const withSecret = supabaseConfigFromEnv({ ...base, SUPABASE_JWT_SECRET: SECRET });
		expect(withSecret?.jwtSecret).toBe(SECRET);
		const emptySecret = supabaseConfigFromEnv({ ...base, SUPABASE_JWT_SECRET: '' });
		expect(emptySecret).not.toHaveProperty('jwtSecret');
	});

	it('throws on a url that is not http(s)', () => {
		for (const bad of ['abcd.supabase.co', 'ftp://abcd.supabase.co']) {
			expect(() => supabaseConfigFromEnv({ ...base, PUBLIC_SUPABASE_URL: bad })).toThrow();
		}
	});
});
