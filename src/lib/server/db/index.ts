import { AsyncLocalStorage } from 'node:async_hooks';
import postgres, { type Sql, type TransactionSql } from 'postgres';
import type { Claims } from '$lib/server/auth/claims';
import { describeDbError, throwAsHttp } from './errors';

export type Tx = TransactionSql<Record<string, never>>;

/** Requests: logs in as the NOINHERIT login that can only become anon/authenticated (roles.ts). */
let pool: Sql | null = null;
/** System jobs (`asService`): logs in as the owner of the schema. */
let servicePool: Sql | null = null;

/**
 * Counts the statements a request sends (begin, claims, queries, commit), to prove in the
 * benchmark that a page's cost does not grow with the data (no N+1). Off unless
 * MARATHON_QUERY_STATS=true.
 */
export const queryStats = new AsyncLocalStorage<{ statements: number }>();
const countStatements = process.env.MARATHON_QUERY_STATS === 'true';

/**
 * Opens the pools: `url` for users' requests (`asUser`, `asAnon`), `serviceUrl` for system jobs
 * (`asService`); one URL serves both when only one is given (see README « Rôles Postgres »).
 * postgres.js with `prepare: false` behind a transaction pooler (Supabase :6543). `socket`: the
 * folder of the server's Unix socket (the embedded database), used instead of the URL's host.
 */
export function connect(url: string, serviceUrl: string = url, socket: string | null = null): Sql {
	pool = open(url, socket);
	servicePool = serviceUrl === url ? pool : open(serviceUrl, socket);
	return pool;
}

function open(url: string, socket: string | null): Sql {
	const transactionPooler = /:6543\//.test(url) || process.env.DATABASE_PREPARE === 'false';
	return postgres(url, {
		...(socket && { host: socket }),
		max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
		prepare: !transactionPooler,
		idle_timeout: 60,
		connect_timeout: 10,
		onnotice: () => {},
		...(countStatements && {
			debug: () => {
				const stats = queryStats.getStore();
				if (stats) stats.statements++;
			}
		}),
		connection: { application_name: 'marathon' },
		// Dates stay calendar dates ('2026-02-01'), never shifted by a time zone.
		types: {
			date: { to: 1082, from: [1082], serialize: (v: string) => v, parse: (v: string) => v }
		}
	});
}

export function db(): Sql {
	if (!pool) throw Object.assign(new Error('Base de données non initialisée'), { code: 'CONNECTION_ENDED' });
	return pool;
}

function serviceDb(): Sql {
	if (!servicePool) throw Object.assign(new Error('Base de données non initialisée'), { code: 'CONNECTION_ENDED' });
	return servicePool;
}

export async function disconnect(): Promise<void> {
	const pools = new Set([pool, servicePool]);
	pool = servicePool = null;
	await Promise.all([...pools].map((p) => p?.end({ timeout: 5 })));
}

/** A statement of postgres.js: lazy until awaited or `execute()`d. */
type Pending = PromiseLike<unknown> & { execute?: () => unknown };

/**
 * `run()`, run again (3 tries in all) when the database answers with a transient failure
 * (serialization conflict, deadlock); any other failure thrown as the HTTP error it stands for.
 */
async function withRetries<T>(run: () => Promise<T>): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await run();
		} catch (e) {
			if (attempt < 3 && describeDbError(e)?.retry) continue;
			throwAsHttp(e);
		}
	}
}

function inTransaction<T>(
	on: () => Sql,
	setup: ((tx: Tx) => Pending[]) | null,
	fn: (tx: Tx) => Promise<T>
): Promise<T> {
	return withRetries(
		async () =>
			(await on().begin(async (tx) => {
				// The setup (claims, session) is sent now but not awaited: the first query of `fn`
				// follows it on the same connection (pipelined, one round trip less per request). Order
				// is kept, so RLS sees the claims; if a setup statement failed, the transaction is aborted
				// and that first error is thrown (postgres.js's "uncaughtError"), also when `fn` sent
				// nothing: its answers are awaited before the commit.
				const sent = setup?.(tx as unknown as Tx) ?? [];
				for (const statement of sent) statement.execute?.();
				const result = await fn(tx as unknown as Tx);
				await Promise.all(sent);
				return result;
			})) as T
	);
}

/** The statement that makes a transaction the user: role `authenticated`, their claims. */
const becomeUser = (tx: Tx, claims: Claims) =>
	tx`select set_config('role', 'authenticated', true),
		set_config('request.jwt.claims', ${JSON.stringify(claims)}, true)`;

/**
 * Claims taken from a signed session token without reading the session (a page's GET, see
 * auth/local.ts `identify`): the idle timeout their session is held to (minutes), and whether a
 * transaction has sent its confirmation yet.
 */
const unconfirmed = new WeakMap<Claims, { idleMinutes: number; sent: boolean }>();

/**
 * Marks `claims` as not yet confirmed by the database: each transaction run with them (`asUser`,
 * `readAsUser`) sends `private.confirm_session` right after becoming the user, in the same round
 * trip, before its reads. A session revoked, past its lifetime, idle for more than `idleMinutes`,
 * or whose email or role changed fails the transaction with an HttpError 401 (errors.ts,
 * SESSION_ENDED): nothing of it is read or written. Returns `claims`.
 */
export function confirmSessionInTransactions(claims: Claims, idleMinutes: number): Claims {
	unconfirmed.set(claims, { idleMinutes, sent: false });
	return claims;
}

/**
 * For a request that sent no transaction as the user (a page that reads nothing, a redirect, a
 * refusal on the role alone, a public page): confirms the session of `claims` now, in a
 * transaction of its own. Nothing is sent for claims not marked by `confirmSessionInTransactions`
 * or already confirmed within a transaction. Errors: HttpError 401 (SESSION_ENDED), 503.
 */
export async function confirmSessionIfUnsent(claims: Claims): Promise<void> {
	const pending = unconfirmed.get(claims);
	if (pending && !pending.sent) await asUser(claims, async () => undefined);
}

/** `becomeUser`, then the session's confirmation when the claims need one. */
function userSetup(tx: Tx, claims: Claims): Pending[] {
	const pending = unconfirmed.get(claims);
	const become = becomeUser(tx, claims);
	if (!pending) return [become];
	pending.sent = true;
	return [become, tx`select private.confirm_session(${pending.idleMinutes}::int)`];
}

/**
 * Runs `fn` in a transaction that has become the user: role `authenticated` and the user's
 * claims in `request.jwt.claims`, exactly as Supabase's API does. Row-Level Security decides.
 */
export function asUser<T>(claims: Claims, fn: (tx: Tx) => Promise<T>): Promise<T> {
	return inTransaction(db, (tx) => userSetup(tx, claims), fn);
}

/**
 * A read as the user (role `authenticated`, the user's claims; RLS decides), in a read-only
 * transaction whose begin, claims and first queries leave together: postgres.js's `begin` waits
 * for the answer to `begin` before sending anything else, one round trip more per page. For
 * loads only (a write is refused: `read only`); no savepoints. Errors as `asUser`.
 *
 * `oneTrip: true` — for reads that send all their queries at once (`Promise.all`, no query that
 * waits for another's answer): the `commit` leaves in the same write as they do, one round trip
 * (and one wake-up of Postgres) less. A query built after that point runs after the commit, as
 * the login role that reads nothing: its answer is dropped and `fn` runs again in a transaction
 * of its own ended the usual way — so `fn` must only read, and any `fn` stays correct, only slower.
 */
export function readAsUser<T>(claims: Claims, fn: (tx: Tx) => Promise<T>, { oneTrip = false } = {}): Promise<T> {
	return withRetries(async () => {
		if (oneTrip) {
			const outcome = await readTransaction(claims, fn, true);
			if (outcome !== LATE) return outcome as T;
		}
		return (await readTransaction(claims, fn, false)) as T;
	});
}

/** What a one-trip read that sent a query after its commit gives: run it again (see `readAsUser`). */
const LATE: unique symbol = Symbol('late read');

async function readTransaction<T>(claims: Claims, fn: (tx: Tx) => Promise<T>, oneTrip: boolean): Promise<T | typeof LATE> {
	const reserved = await db().reserve();
	// the first error of the statements sent without waiting (begin, claims): later ones only
	// say that the transaction was aborted
	let first: unknown = null;
	const note = (e: unknown) => void (first ??= e);
	let sealed = false;
	let late = false;
	// postgres.js writes the statements a turn of the event loop queues in one write, from a
	// `setImmediate` set by the first of them (begin, below). This one is set before it, so runs
	// just before that write, once `fn` has sent everything it sends without waiting: the commit
	// joins them.
	const committed = oneTrip
		? new Promise<unknown>((resolve, reject) =>
				setImmediate(() => {
					sealed = true;
					reserved`commit`.then(resolve, reject);
				})
			)
		: null;
	// A query built after the commit left still goes (throwing here would leave the promises `fn`
	// made before it unhandled), but outside the transaction, as the login role that can only
	// become a user and reads nothing; whatever it answers is dropped and `fn` runs again.
	const tx = (
		oneTrip
			? new Proxy(reserved, {
					apply(target, self, args) {
						if (sealed) late = true;
						return Reflect.apply(target, self, args);
					}
				})
			: reserved
	) as unknown as Tx;
	try {
		reserved`begin read only`.catch(note);
		for (const statement of userSetup(tx, claims)) statement.then(undefined, note);
		const result: T | typeof LATE = await fn(tx).catch((e: unknown) => {
			if (late) return LATE;
			throw e;
		});
		if (first) throw first;
		await (committed ?? reserved`commit`);
		// answered in order: a `fn` that sent nothing learns of a failed setup only now
		if (first) throw first;
		return late ? LATE : result;
	} catch (e) {
		if (committed) await committed.catch(() => {});
		else await reserved`rollback`.catch(() => {});
		throw first ?? e;
	} finally {
		reserved.release();
	}
}

/** The public: role `anon`, no claims. */
export function asAnon<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
	return inTransaction(
		db,
		(tx) => [tx`select set_config('role', 'anon', true), set_config('request.jwt.claims', '{"role":"anon"}', true)`],
		fn
	);
}

/**
 * The server itself, for system jobs only (login, sessions, demo seed, retention): runs as the
 * owner of the schema on its own pool, so RLS does not apply (an owner is not subject to it).
 */
export function asService<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
	return inTransaction(serviceDb, null, fn);
}

/**
 * One statement as the server (the owner's pool), outside any transaction (a single statement is
 * atomic on its own): one round trip instead of three (begin, statement, commit). For the hot path
 * that runs on every signed-in request — the session check — and nothing that writes twice.
 * Bypasses RLS like `asService`. Errors as `asService`: retried when transient, else thrown as an
 * HttpError (503…).
 */
export function serviceStatement<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
	return withRetries(() => fn(serviceDb()));
}
