import { inject } from 'vitest';
import { isHttpError } from '@sveltejs/kit';
import { asAnon, asService, asUser, connect, disconnect, type Tx } from '../../src/lib/server/db';
import type { Claims } from '../../src/lib/server/auth/claims';
import { demoAccounts } from '../../src/lib/server/demo/seed';

/**
 * Connects the app's own pools to the test database as the app does: requests through the login
 * that can only become anon/authenticated (asUser, asAnon), system jobs as the owner (asService).
 */
export function useTestDatabase() {
	connect(inject('appDatabaseUrl'), inject('databaseUrl'));
	return disconnect;
}

/** Claims of a demo account, read from the database as the app would put them in a session. */
export async function claimsOf(email: string): Promise<Claims> {
	const [row] = await asService(
		(tx) => tx`select u.id, u.email, p.app_role from auth.users u
			left join public.profiles p on p.user_id = u.id where lower(u.email) = lower(${email})`
	);
	if (!row) throw new Error(`no such demo account: ${email}`);
	return { sub: row.id, role: 'authenticated', email: row.email, app_role: row.app_role };
}

/** A signed-in user with no role at all (an account nobody gave a profile). */
export async function outsiderClaims(): Promise<Claims> {
	const [row] = await asService(
		(tx) => tx`insert into auth.users (email, encrypted_password) values ('inconnu@exemple.test', 'x')
			on conflict ((lower(email))) do update set email = excluded.email returning id, email`
	);
	return { sub: row.id, role: 'authenticated', email: row.email, app_role: null };
}

export const accounts = demoAccounts();
export const emailOf = (role: string, slug?: string) =>
	accounts.find((a) => a.role === role && (slug === undefined || a.territorySlug === slug))!.email;

const ROLLBACK = Symbol('rollback');

/** Runs `fn` as the user and rolls everything back, so tests leave the demo data as they found it. */
export async function asUserThenRollback<T>(claims: Claims | null, fn: (tx: Tx) => Promise<T>): Promise<T> {
	let result: T | undefined;
	const run = async (tx: Tx) => {
		result = await fn(tx);
		throw ROLLBACK;
	};
	try {
		await (claims ? asUser(claims, run) : asAnon(run));
	} catch (e) {
		if (e !== ROLLBACK) throw e;
	}
	return result as T;
}

/**
 * Like `asUserThenRollback`, but on the owner's pool (the one system jobs use): the transaction
 * becomes the user, and `reset role` inside it gives the owner back — to compare what a user is
 * shown with the raw rows and `private` tables. The request login cannot do that (see
 * privileges.test.ts): only tests that need the raw truth use this.
 */
export async function asUserOnOwnerThenRollback<T>(claims: Claims, fn: (tx: Tx) => Promise<T>): Promise<T> {
	let result: T | undefined;
	try {
		await asService(async (tx) => {
			await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`;
			result = await fn(tx);
			throw ROLLBACK;
		});
	} catch (e) {
		if (e !== ROLLBACK) throw e;
	}
	return result as T;
}

/** The HTTP status the app turns a refused query into (403 for RLS / grants), or 'ok'. */
export async function outcome(claims: Claims | null, fn: (tx: Tx) => Promise<unknown>): Promise<number | 'ok'> {
	try {
		await asUserThenRollback(claims, fn);
		return 'ok';
	} catch (e) {
		if (isHttpError(e)) return e.status;
		throw e;
	}
}

export type Role = 'coordA' | 'coordB' | 'facilitator' | 'funder' | 'admin' | 'outsider';
export interface TerritoryPair {
	A: { id: string; slug: string };
	B: { id: string; slug: string };
	/** Coordinators of A and of B, staff, a funder, and a signed-in user with no role. */
	as: Record<Role, Claims>;
}

/** Two territories (by default the first two by slug) and the claims of every role around them. */
export async function territoryPair(slugA?: string, slugB?: string): Promise<TerritoryPair> {
	const rows = await asService(
		(tx) => tx<{ id: string; slug: string }[]>`select id, slug from public.territories order by slug`
	);
	const A = slugA ? rows.find((t) => t.slug === slugA)! : rows[0];
	const B = slugB ? rows.find((t) => t.slug === slugB)! : rows[1];
	const as: Record<Role, Claims> = {
		coordA: await claimsOf(emailOf('coordinator', A.slug)),
		coordB: await claimsOf(emailOf('coordinator', B.slug)),
		facilitator: await claimsOf(emailOf('facilitator')),
		funder: await claimsOf(emailOf('funder')),
		admin: await claimsOf(emailOf('admin')),
		outsider: await outsiderClaims()
	};
	return { A, B, as };
}
