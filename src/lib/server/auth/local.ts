import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import bcrypt from 'bcryptjs';
import { asService, serviceStatement } from '$lib/server/db';
import type { AppRole, Claims } from './claims';
import {
	TOO_MANY_ATTEMPTS,
	WRONG_CREDENTIALS,
	type AuthContext,
	type AuthProvider,
	type Identity
} from './provider';

export const SESSION_COOKIE = 'marathon_session';
/** The token Postgres sees is short-lived; the server-side session decides how long one stays signed in. */
const TOKEN_TTL_S = 15 * 60;
const RENEW_AFTER_S = 5 * 60;
const SESSION_TTL_H = 12;
/** Throttling window and limits, counted in Postgres so that every server sees the same. */
const THROTTLE_MINUTES = 15;
const MAX_FAILURES_PER_EMAIL = 5;
const MAX_FAILURES_PER_IP = 30;
const ISSUER = 'marathon';
/** Compared against when the email is unknown, so that timing does not tell which emails exist. */
const DUMMY_HASH = '$2b$10$e.BqEID6rasPdX44eiEV9.dcmDYAQX5QPpp50ct04bKOORoLVAP/a';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

let cachedKey: Uint8Array | null = null;

/** AUTH_SECRET if set, else the key the migrations generated in the database (shared by all servers). */
async function signingKey(): Promise<Uint8Array> {
	if (cachedKey) return cachedKey;
	let secret = process.env.AUTH_SECRET;
	if (!secret) {
		const [row] = await asService(
			(tx) => tx`select value from private.app_secrets where name = 'session_signing_key'`
		);
		secret = row.value as string;
	}
	cachedKey = new TextEncoder().encode(secret);
	return cachedKey;
}

async function issueToken(claims: Claims): Promise<string> {
	return new SignJWT({ ...claims })
		.setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
		.setIssuer(ISSUER)
		.setAudience('authenticated')
		.setSubject(claims.sub)
		.setIssuedAt()
		.setExpirationTime(`${TOKEN_TTL_S}s`)
		.sign(await signingKey());
}

function setCookie(ctx: AuthContext, token: string) {
	ctx.cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		// SvelteKit keeps `secure` on everywhere but plain-http localhost; an install served over
		// plain http on a local network may opt out explicitly.
		...(process.env.MARATHON_INSECURE_COOKIES === 'true' ? { secure: false } : {}),
		maxAge: SESSION_TTL_H * 3600
	});
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
 * Supabase-shaped claims. The session row is checked on every request: logout really ends it.
 */
export const localProvider: AuthProvider = {
	name: 'local',

	async identify(ctx): Promise<Identity | null> {
		const token = ctx.cookies.get(SESSION_COOKIE);
		if (!token) return null;
		let payload;
		try {
			// An expired token is still renewed while its session is alive: the session is the authority.
			({ payload } = await jwtVerify(token, await signingKey(), {
				issuer: ISSUER,
				audience: 'authenticated',
				algorithms: ['HS256'],
				clockTolerance: `${SESSION_TTL_H}h`
			}));
		} catch (e) {
			if (!(e instanceof joseErrors.JOSEError)) throw e;
			ctx.cookies.delete(SESSION_COOKIE, { path: '/' });
			return null;
		}
		const sessionId = typeof payload.session_id === 'string' && UUID.test(payload.session_id) ? payload.session_id : null;
		const userId = payload.sub ?? '';
		if (!sessionId || !UUID.test(userId)) return null;
		// One statement, no transaction: this runs on every signed-in request.
		const [row] = await serviceStatement(
			(sql) => sql<SessionRow[]>`
				select s.user_id, u.email, p.app_role, p.display_name
				from private.sessions s
				join auth.users u on u.id = s.user_id
				left join public.profiles p on p.user_id = s.user_id
				where s.id = ${sessionId}::uuid and s.user_id = ${userId}::uuid
				  and s.revoked_at is null and s.expires_at > now()`
		);
		if (!row) {
			ctx.cookies.delete(SESSION_COOKIE, { path: '/' });
			return null;
		}
		const claims: Claims = {
			sub: row.user_id,
			role: 'authenticated',
			email: row.email,
			app_role: row.app_role,
			session_id: sessionId
		};
		const age = Date.now() / 1000 - (payload.iat ?? 0);
		if (age > RENEW_AFTER_S || claims.app_role !== payload.app_role) setCookie(ctx, await issueToken(claims));
		return { claims, displayName: row.display_name };
	},

	async signIn(ctx, email, password) {
		const normalized = email.trim().toLowerCase();
		const [counts] = await asService(
			(tx) => tx`
				select
					count(*) filter (where email = ${normalized}) as by_email,
					count(*) as by_ip
				from private.login_attempts
				where not succeeded and at > now() - make_interval(mins => ${THROTTLE_MINUTES})
				  and (email = ${normalized} or ip = ${ctx.ip})`
		);
		if (Number(counts.by_email) >= MAX_FAILURES_PER_EMAIL || Number(counts.by_ip) >= MAX_FAILURES_PER_IP)
			return { ok: false, status: 429, message: TOO_MANY_ATTEMPTS };

		const [user] = await asService(
			(tx) => tx`
				select u.id, u.email, u.encrypted_password, p.app_role
				from auth.users u left join public.profiles p on p.user_id = u.id
				where lower(u.email) = ${normalized}`
		);
		const valid = await bcrypt.compare(password, (user?.encrypted_password as string) || DUMMY_HASH);
		const succeeded = Boolean(user && valid && user.app_role);
		const sessionId = await asService(async (tx) => {
			await tx`insert into private.login_attempts (email, ip, succeeded)
				values (${normalized}, ${ctx.ip}, ${succeeded})`;
			if (!succeeded) return null;
			// Rotation at login: a new session every time; old ones of this browser are dropped with the cookie.
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
		setCookie(ctx, await issueToken(claims));
		return { ok: true };
	},

	async signOut(ctx) {
		const token = ctx.cookies.get(SESSION_COOKIE);
		ctx.cookies.delete(SESSION_COOKIE, { path: '/' });
		if (!token) return;
		try {
			const { payload } = await jwtVerify(token, await signingKey(), {
				issuer: ISSUER,
				clockTolerance: `${SESSION_TTL_H}h`
			});
			await asService(
				(tx) => tx`update private.sessions set revoked_at = now()
					where id = ${String(payload.session_id)}::uuid and revoked_at is null`
			);
		} catch (e) {
			if (!(e instanceof joseErrors.JOSEError)) throw e;
		}
	}
};
