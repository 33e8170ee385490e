/**
 * Verification of Supabase Auth access tokens, without calling Supabase.
 *
 * Legacy projects sign with HS256 and the project's JWT secret; newer projects sign with an
 * asymmetric key (ES256 or RS256) whose public half is published as a JWKS at
 * `${url}/auth/v1/.well-known/jwks.json`. Either way the result is our provider-neutral
 * {@link Claims}, with `app_role` left null for the caller to fill from our own tables.
 */
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import type { JWTPayload, JWTVerifyGetKey } from 'jose';
import type { Claims } from './claims';

/** Where and how to verify a Supabase project's access tokens. */
export interface SupabaseTokenConfig {
	/** Project URL, e.g. `https://abcd.supabase.co` (a trailing slash is ignored). */
	url: string;
	/** Public anon (or publishable) key, for the `@supabase/ssr` client; not used to verify. */
	anonKey: string;
	/** Legacy JWT secret. Without it, HS256 tokens are refused. */
	jwtSecret?: string;
	/** Key source for ES256/RS256 tokens. Defaults to the project's remote JWKS (cached per url). */
	jwks?: JWTVerifyGetKey;
}

const ASYMMETRIC_ALGS = ['ES256', 'RS256'];
const CLOCK_TOLERANCE_S = 5;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Only a cache: one JWKS getter (with its own key cache and cooldown) per project URL. */
const remoteJwks = new Map<string, JWTVerifyGetKey>();

function trimUrl(url: string): string {
	return url.trim().replace(/\/+$/, '');
}

function jwksFor(url: string): JWTVerifyGetKey {
	let getKey = remoteJwks.get(url);
	if (!getKey) {
		getKey = createRemoteJWKSet(new URL(`${url}/auth/v1/.well-known/jwks.json`));
		remoteJwks.set(url, getKey);
	}
	return getKey;
}

/** Signature, `iss`, `aud` and `exp`; throws on any failure (caught by the caller). */
async function verifySignature(token: string, cfg: SupabaseTokenConfig): Promise<JWTPayload> {
	const url = trimUrl(cfg.url);
	const options = {
		issuer: `${url}/auth/v1`,
		audience: 'authenticated',
		clockTolerance: CLOCK_TOLERANCE_S,
		requiredClaims: ['exp', 'sub']
	};
	const { alg } = decodeProtectedHeader(token);
	if (alg === 'HS256') {
		if (!cfg.jwtSecret) throw new Error('HS256 token but no JWT secret configured');
		const secret = new TextEncoder().encode(cfg.jwtSecret);
		return (await jwtVerify(token, secret, { ...options, algorithms: ['HS256'] })).payload;
	}
	if (alg && ASYMMETRIC_ALGS.includes(alg)) {
		const getKey = cfg.jwks ?? jwksFor(url);
		return (await jwtVerify(token, getKey, { ...options, algorithms: ASYMMETRIC_ALGS })).payload;
	}
	throw new Error('unsupported alg');
}

/** Our own checks on an already verified payload. */
function toClaims(payload: JWTPayload): Claims | null {
	const { sub, role, email, is_anonymous } = payload;
	if (role !== 'authenticated' || is_anonymous === true) return null;
	if (typeof sub !== 'string' || !UUID.test(sub)) return null;
	if (typeof email !== 'string' || email === '') return null;
	return { sub, role: 'authenticated', email, app_role: null };
}

/**
 * Verify a Supabase access token and map it to {@link Claims} (`app_role: null`).
 *
 * HS256 tokens are checked with `cfg.jwtSecret`; ES256/RS256 tokens with the project's JWKS.
 * Also required: `iss` = `${url}/auth/v1`, `aud` = `role` = 'authenticated', an unexpired `exp`
 * (5 s tolerance), a uuid `sub`, a non-empty `email`, and not an anonymous user.
 *
 * @returns the claims, or null on any failure (bad or unsupported signature, expired, wrong
 *   issuer or audience, malformed, JWKS unreachable). Never throws; logs nothing.
 */
export async function verifySupabaseAccessToken(
	token: string,
	cfg: SupabaseTokenConfig
): Promise<Claims | null> {
	try {
		return toClaims(await verifySignature(token, cfg));
	} catch {
		return null;
	}
}

/**
 * Read the Supabase provider settings from the environment.
 *
 * @returns null unless both `PUBLIC_SUPABASE_URL` and `PUBLIC_SUPABASE_ANON_KEY` are set
 *   (then the local provider is used); `SUPABASE_JWT_SECRET` is optional.
 * @throws if `PUBLIC_SUPABASE_URL` is set but is not an http(s) URL: a typo must not
 *   silently switch the app to another provider.
 */
export function supabaseConfigFromEnv(
	env: Record<string, string | undefined>
): SupabaseTokenConfig | null {
	const url = trimUrl(env.PUBLIC_SUPABASE_URL ?? '');
	const anonKey = env.PUBLIC_SUPABASE_ANON_KEY?.trim() ?? '';
	if (!url || !anonKey) return null;
	if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
		throw new Error('PUBLIC_SUPABASE_URL is not an http(s) URL');
	}
	const jwtSecret = env.SUPABASE_JWT_SECRET || undefined;
	return { url, anonKey, ...(jwtSecret ? { jwtSecret } : {}) };
}
