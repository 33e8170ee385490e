import { createHmac, createSecretKey, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors, type JWTPayload } from 'jose';
import bcrypt from 'bcryptjs';
import { asService, confirmSessionInTransactions, serviceStatement } from '$lib/server/db';
import type { AppRole, Claims } from './claims';
import { ROLE_LABEL_FR } from '$lib/domain/roles';
import { isDemoEmail, isDemoMode } from './demo';
import { isCommonPassword } from './password-policy';
import {
	COMMON_PASSWORD,
	WRONG_CREDENTIALS,
	WRONG_CURRENT_PASSWORD,
	type AuthContext,
	type AuthProvider,
	type Identity
} from './provider';
import { admitAttempt, settleAttempt, tooManyAttemptsMessage } from './throttle';

/**
 * Session cookie: `__Host-` prefixed (Secure, path /, no Domain: only this exact origin may set
 * or read it) everywhere but plain-HTTP loopback, where browsers would drop a Secure cookie.
 */
export const sessionCookieName = (secure: boolean) => (secure ? '__Host-marathon_session' : 'marathon_session');
/** Device cookie: this browser signed in to this account before (exempts it from the per-account slowdown). */
export const deviceCookieName = (secure: boolean) => (secure ? '__Host-marathon_appareil' : 'marathon_appareil');

/** The token Postgres sees is short-lived; the server-side session decides how long one stays signed in. */
const TOKEN_TTL_S = 15 * 60;
/** Absolute lifetime of a session (NIST SP 800-63B §7.2, AAL2: at most 12 hours). */
export const SESSION_TTL_H = 12;
/** Idle timeout (NIST SP 800-63B §7.2, AAL2: 30 minutes). */
export const SESSION_IDLE_MIN = 30;
/**
 * Activity is written to the session row at most once a minute: the idle timeout's grain. Also
 * how long after its issue a token's claims are trusted by a page (`identify`), the session
 * being confirmed inside the page's own transactions.
 */
const SEEN_GRAIN_S = 60;
const DEVICE_TTL_DAYS = 90;
const BCRYPT_COST = 10;
const ISSUER = 'marathon';
/** Compared against when the email is unknown, so that timing does not tell which emails exist. */
const DUMMY_HASH = '$2b$10$e.BqEID6rasPdX44eiEV9.dcmDYAQX5QPpp50ct04bKOORoLVAP/a';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A key object, made once: jose would otherwise import the raw secret at every signed-in request. */
let cachedKey: KeyObject | null = null;

/** AUTH_SECRET if set, else the key the migrations generated in the database (shared by all servers). */
async function signingKey(): Promise<KeyObject> {
	if (cachedKey) return cachedKey;
	let secret = process.env.AUTH_SECRET;
	if (!secret) {
		const [row] = await asService(
			(tx) => tx`select value from private.app_secrets where name = 'session_signing_key'`
		);
		secret = row.value as string;
	}
	cachedKey = createSecretKey(Buffer.from(secret, 'utf8'));
	return cachedKey;
}

/** A session token: the claims, and the display name shown in the header (`name`). */
async function issueToken(claims: Claims, displayName: string | null): Promise<string> {
	return new SignJWT({ ...claims, name: displayName })
		.setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
		.setIssuer(ISSUER)
		.setAudience('authenticated')
		.setSubject(claims.sub)
		.setIssuedAt()
		.setExpirationTime(`${TOKEN_TTL_S}s`)
		.sign(await signingKey());
}

function setSessionCookie(ctx: AuthContext, token: string) {
	ctx.cookies.set(sessionCookieName(ctx.secure), token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: ctx.secure,
		maxAge: SESSION_TTL_H * 3600
	});
}

function dropSessionCookie(ctx: AuthContext) {
	ctx.cookies.delete(sessionCookieName(ctx.secure), { path: '/', secure: ctx.secure });
}

async function deviceSignature(email: string, nonce: string): Promise<Buffer> {
	return createHmac('sha256', await signingKey()).update(`device|${email}|${nonce}`).digest();
}

/** True when the browser holds a device cookie signed for `email` (it signed in to it before). */
async function holdsDeviceCookie(ctx: AuthContext, email: string): Promise<boolean> {
	const value = ctx.cookies.get(deviceCookieName(ctx.secure));
	const [nonce, sig] = value?.split('.') ?? [];
	if (!nonce || !sig) return false;
	const given = Buffer.from(sig, 'base64url');
	const expected = await deviceSignature(email, nonce);
	return given.length === expected.length && timingSafeEqual(given, expected);
}

async function setDeviceCookie(ctx: AuthContext, email: string) {
	const nonce = randomBytes(16).toString('base64url');
	const sig = (await deviceSignature(email, nonce)).toString('base64url');
	ctx.cookies.set(deviceCookieName(ctx.secure), `${nonce}.${sig}`, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: ctx.secure,
		maxAge: DEVICE_TTL_DAYS * 86400
	});
}

/**
 * Tokens whose signature was checked, kept until they pass the tolerance: a signed-in request
 * checks a token's signature once (a token lives 5 minutes before renewal), not on every request.
 * The session row stays the authority, read on every request. Bounded (oldest out first).
 */
const verified = new Map<string, { payload: JWTPayload; until: number }>();
const VERIFIED_MAX = 2000;

/**
 * The payload of a session token signed by this server (issuer, audience, HS256), possibly
 * expired up to the session's lifetime (the session decides), or null when it is not one.
 * The payload is shared between requests: read it, never change it.
 */
async function verifiedPayload(token: string): Promise<JWTPayload | null> {
	const hit = verified.get(token);
	if (hit && Date.now() < hit.until) return hit.payload;
	try {
		const { payload } = await jwtVerify(token, await signingKey(), {
			issuer: ISSUER,
			audience: 'authenticated',
			algorithms: ['HS256'],
			clockTolerance: `${SESSION_TTL_H}h`
		});
		if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value!);
		verified.set(token, { payload, until: ((payload.exp ?? 0) + SESSION_TTL_H * 3600) * 1000 });
		return payload;
	} catch (e) {
		if (!(e instanceof joseErrors.JOSEError)) throw e;
		return null;
	}
}

/** The session id in this browser's (validly signed, possibly expired) session token, or null. */
async function sessionIdOfCookie(ctx: AuthContext): Promise<string | null> {
	const token = ctx.cookies.get(sessionCookieName(ctx.secure));
	const payload = token ? await verifiedPayload(token) : null;
	return typeof payload?.session_id === 'string' && UUID.test(payload.session_id) ? payload.session_id : null;
}

/**
 * The claims and display name a session token carries (`issueToken`), or null when one is
 * missing or malformed (a token issued before `name` was added: the session is read instead).
 */
function claimsOfToken(payload: JWTPayload, userId: string, sessionId: string): Identity | null {
	const { email, app_role, name } = payload;
	if (typeof email !== 'string' || name === undefined || (name !== null && typeof name !== 'string')) return null;
	if (app_role !== null && !(typeof app_role === 'string' && Object.hasOwn(ROLE_LABEL_FR, app_role))) return null;
	return {
		claims: { sub: userId, role: 'authenticated', email, app_role: app_role as AppRole | null, session_id: sessionId },
		displayName: name
	};
}

interface SessionRow {
	user_id: string;
	email: string;
	app_role: AppRole | null;
	display_name: string | null;
}

/**
 * Local accounts: bcrypt hashes in auth.users.encrypted_password (as Supabase Auth keeps them),
 * a server-side session per login, and a cookie holding a short-lived signed JWT with
 * Supabase-shaped claims. The session row is checked on every request — by `identify`, or for a
 * page's GET within its own transaction (`confirmSessionInTransactions`, else at the end of the
 * request: hooks.server.ts): logout really ends it, and so do 30 minutes without activity and 12
 * hours after login.
 */
export const localProvider: AuthProvider = {
	name: 'local',

	async identify(ctx): Promise<Identity | null> {
		const token = ctx.cookies.get(sessionCookieName(ctx.secure));
		if (!token) return null;
		// An expired token is still renewed while its session is alive: the session is the authority.
		const payload = await verifiedPayload(token);
		if (!payload) {
			dropSessionCookie(ctx);
			return null;
		}
		const sessionId = typeof payload.session_id === 'string' && UUID.test(payload.session_id) ? payload.session_id : null;
		const userId = payload.sub ?? '';
		if (!sessionId || !UUID.test(userId)) return null;
		const age = Date.now() / 1000 - (payload.iat ?? 0);
		// A page (GET) less than SEEN_GRAIN_S after its token was issued takes the token's claims and
		// confirms the session inside its own transactions, before any read (one statement and one
		// round trip less per page; db/index.ts). A write, a data request or an older token reads
		// the session here, records the activity, and gets a fresh token.
		const trusted = ctx.readOnly && age >= 0 && age < SEEN_GRAIN_S ? claimsOfToken(payload, userId, sessionId) : null;
		if (trusted) return { claims: confirmSessionInTransactions(trusted.claims, SESSION_IDLE_MIN), displayName: trusted.displayName };
		// One statement, no transaction. It reads the session and, at most once per SEEN_GRAIN_S,
		// records the activity that the idle timeout measures: a write (and its commit to disk) on
		// every request would queue a person's parallel requests behind one row lock.
		const [row] = await serviceStatement(
			(tx) => tx<SessionRow[]>`
				with alive as (
					select s.user_id from private.sessions s
					where s.id = ${sessionId}::uuid and s.user_id = ${userId}::uuid and s.revoked_at is null
					  and s.expires_at > now() and s.last_seen_at > now() - make_interval(mins => ${SESSION_IDLE_MIN})
				),
				seen as (
					update private.sessions set last_seen_at = now()
					where id = ${sessionId}::uuid and exists (select from alive)
					  and last_seen_at < now() - make_interval(secs => ${SEEN_GRAIN_S})
				)
				select a.user_id, u.email, p.app_role, p.display_name
				from alive a
				join auth.users u on u.id = a.user_id
				-- an account without a role cannot sign in (signIn): its session ends too
				join public.profiles p on p.user_id = a.user_id and p.app_role is not null`
		);
		if (!row) {
			dropSessionCookie(ctx);
			return null;
		}
		const claims: Claims = {
			sub: row.user_id,
			role: 'authenticated',
			email: row.email,
			app_role: row.app_role,
			session_id: sessionId
		};
		const displayName = row.display_name;
		const stale = claims.email !== payload.email || claims.app_role !== payload.app_role || displayName !== payload.name;
		if (stale || age >= SEEN_GRAIN_S) setSessionCookie(ctx, await issueToken(claims, displayName));
		return { claims, displayName };
	},

	async signIn(ctx, email, password) {
		const normalized = email.trim().toLowerCase();
		const trusted = await holdsDeviceCookie(ctx, normalized);
		// Counted before the password is compared: parallel tries cannot exceed the limits.
		const gate = await admitAttempt(normalized, ctx.ip, trusted);
		if (!gate.ok)
			return { ok: false, status: 429, message: tooManyAttemptsMessage(gate.retryAfterS), retryAfterS: gate.retryAfterS };

		const [user] = await asService(
			(tx) => tx`
				select u.id, u.email, u.encrypted_password, p.app_role, p.display_name
				from auth.users u left join public.profiles p on p.user_id = u.id
				where lower(u.email) = ${normalized}`
		);
		const valid = await bcrypt.compare(password, (user?.encrypted_password as string) || DUMMY_HASH);
		// Demo accounts exist only in demo mode: elsewhere they are refused like a wrong password.
		const succeeded = Boolean(user && valid && user.app_role) && (!isDemoEmail(normalized) || isDemoMode());
		const previous = await sessionIdOfCookie(ctx);
		const sessionId = await asService(async (tx) => {
			await tx`update private.login_attempts set succeeded = ${succeeded} where id = ${gate.attemptId}::bigint`;
			if (!succeeded) return null;
			// A new session at every login; the one this browser held before ends now.
			if (previous) await tx`update private.sessions set revoked_at = now() where id = ${previous}::uuid and revoked_at is null`;
			const [s] = await tx`
				insert into private.sessions (user_id, expires_at)
				values (${user.id}, now() + make_interval(hours => ${SESSION_TTL_H}))
				returning id`;
			await tx`update auth.users set last_sign_in_at = now() where id = ${user.id}`;
			return s.id as string;
		});
		if (!sessionId) return { ok: false, status: 401, message: WRONG_CREDENTIALS };
		const claims: Claims = {
			sub: user.id,
			role: 'authenticated',
			email: user.email,
			app_role: user.app_role,
			session_id: sessionId
		};
		setSessionCookie(ctx, await issueToken(claims, user.display_name as string | null));
		await setDeviceCookie(ctx, normalized);
		return { ok: true };
	},

	async signOut(ctx) {
		const sessionId = await sessionIdOfCookie(ctx);
		dropSessionCookie(ctx);
		if (sessionId)
			await asService(
				(tx) => tx`update private.sessions set revoked_at = now() where id = ${sessionId}::uuid and revoked_at is null`
			);
	},

	async changePassword(ctx, claims, current, next) {
		if (isCommonPassword(next)) return { ok: false, status: 400, field: 'password_new', message: COMMON_PASSWORD };
		const email = claims.email.trim().toLowerCase();
		// Guessing the current password here is throttled like the login form.
		const gate = await admitAttempt(email, ctx.ip, true);
		if (!gate.ok)
			return {
				ok: false,
				status: 429,
				field: '_form',
				message: tooManyAttemptsMessage(gate.retryAfterS),
				retryAfterS: gate.retryAfterS
			};
		const [user] = await asService(
			(tx) => tx<{ encrypted_password: string | null }[]>`select encrypted_password from auth.users where id = ${claims.sub}::uuid`
		);
		const valid = await bcrypt.compare(current, user?.encrypted_password || DUMMY_HASH);
		if (!valid) {
			await settleAttempt(gate.attemptId, false);
			return { ok: false, status: 401, field: 'password_current', message: WRONG_CURRENT_PASSWORD };
		}
		const hash = await bcrypt.hash(next, BCRYPT_COST);
		await asService(async (tx) => {
			await tx`update private.login_attempts set succeeded = true where id = ${gate.attemptId}::bigint`;
			await tx`update auth.users set encrypted_password = ${hash}, updated_at = now() where id = ${claims.sub}::uuid`;
			// Every other session of this person ends: a stolen session does not outlive the change.
			await tx`update private.sessions set revoked_at = now()
				where user_id = ${claims.sub}::uuid and revoked_at is null
				  and id is distinct from ${claims.session_id ?? null}::uuid`;
		});
		return { ok: true };
	}
};
