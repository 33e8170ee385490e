import type { Claims } from '$lib/server/auth/claims';
import type { Tx } from './index';

/**
 * Aggregates across territories (the cockpit's rows, the funders' dashboards), kept by this
 * server process while the data has not changed, so that reading them again costs one small
 * statement instead of a pass over every territory's rows.
 *
 * How it stays right:
 * - The data version (`private.data_version()`, migration 20261129190000_add_data_versions) is the
 *   sum of per-territory counters that every statement writing a table of `public` increases in its
 *   own transaction: any committed write changes it, on any server. It is read BEFORE the
 *   aggregate, in a statement of its own: the aggregate then sees at least the writes the version
 *   counts (a write committing in between makes the kept value look older than it is, never newer).
 * - It is only used for roles whose view of the data is decided by the role alone: admins and
 *   facilitators see every territory, funders every aggregate (see `private.my_territory_ids()` and
 *   the impact functions). A coordinator's aggregate is always computed (no sharing across people).
 * - The key names everything the value depends on besides the data (the page's day, its filter):
 *   callers pass it. Values are shared between requests: callers must not modify them.
 *
 * Bounded: at most MAX_ENTRIES values (the least recently used goes first), each at most
 * MAX_AGE_MS old.
 */
const MAX_ENTRIES = 200;
/**
 * A kept value is also recomputed after this long: a bound on what a case the version cannot see
 * would cost (a database restored under a running server, then written to until its counters reach
 * exactly the sum they had).
 */
const MAX_AGE_MS = 5 * 60_000;
const SHARED_VIEW_ROLES = new Set(['admin', 'facilitator', 'funder']);

interface Entry {
	version: string;
	at: number;
	value: unknown;
}
const entries = new Map<string, Entry>();

/**
 * `compute(tx)` run as the user under RLS, or the value it gave for the same role and `key` at the
 * same data version. Shapes: `key` a string naming the aggregate and its parameters (e.g.
 * `cockpit|2027-07-29`); returns what `compute` returns (read-only). Errors: those of `compute`
 * and of the version statement (503 when the database is unreachable, through asUser).
 */
export function memoAcrossTerritories<T>(tx: Tx, claims: Claims, key: string, compute: (tx: Tx) => Promise<T>): Promise<T> {
	const role = claims.app_role ?? '';
	if (!SHARED_VIEW_ROLES.has(role)) return compute(tx);
	return kept(tx, `${role}|${key}`, compute);
}

/**
 * For a figure that holds no personal data and is the same for everyone allowed to see it (a
 * territory's standing among the others): `compute(tx)`, or the value it gave for `key` at the
 * same data version, whoever asked. The caller must have checked, before, that the user may see
 * it (e.g. `territoryContext` for a territory's page): a kept value is given without running the
 * query that would have refused. Shapes and errors as `memoAcrossTerritories`.
 */
export function memoForAllowed<T>(tx: Tx, key: string, compute: (tx: Tx) => Promise<T>): Promise<T> {
	return kept(tx, `*|${key}`, compute);
}

async function kept<T>(tx: Tx, id: string, compute: (tx: Tx) => Promise<T>): Promise<T> {
	const [{ version }] = await tx<{ version: string }[]>`select private.data_version() as version`;
	const entry = entries.get(id);
	if (entry && entry.version === version && Date.now() - entry.at < MAX_AGE_MS) {
		// most recently used last
		entries.delete(id);
		entries.set(id, entry);
		return entry.value as T;
	}
	const value = await compute(tx);
	entries.delete(id);
	entries.set(id, { version, at: Date.now(), value });
	if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
	return value;
}
