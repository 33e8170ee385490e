/**
 * Who is who: the SQL side of the identity rule (`private.identity_key`, migration
 * 20261129100100_create_identity_key.sql) — search fragments and the locks that make lookalike
 * checks hold under concurrency. Every path that enrols someone or something goes through here.
 *
 * Concurrency: a lookalike check is a read followed by a write; two transactions can both read
 * « nobody alike » and both write. We serialise writers of the same identity with transaction-scoped
 * advisory locks (released at commit or rollback), in READ COMMITTED (asUser's default): the check
 * runs after the lock is granted, so its snapshot sees the row the previous holder committed.
 * - one enrolment takes the territory's registry lock SHARED and the (territory, name key,
 *   commune key) lock EXCLUSIVE: different people enrol in parallel, the same person queues;
 * - a CSV import takes the territory's registry lock EXCLUSIVE (it checks many keys at once).
 * Same lock order everywhere (territory, then key), so no deadlock.
 */
import type { Tx } from '$lib/server/db';
import { escapeLike } from '$lib/domain/citizens';

/** Advisory lock namespaces (first int of pg_advisory_xact_lock(int, int)). */
const LOCK = {
	citizens: { registry: 61001, identity: 61002 },
	lieux: { registry: 61003, identity: 61004 }
} as const;
export type Registry = keyof typeof LOCK;

/**
 * Serialises enrolments of the same identity (name + commune, by `private.identity_key`) in the
 * territory, until the end of the transaction. Call before the lookalike check. One query.
 */
export async function lockIdentity(
	tx: Tx,
	registry: Registry,
	territoryId: string,
	name: string,
	commune: string | null
): Promise<void> {
	const ns = LOCK[registry];
	await tx`
		select pg_advisory_xact_lock_shared(${ns.registry}::int, hashtext(${territoryId}::text)),
		       pg_advisory_xact_lock(${ns.identity}::int, hashtext(concat_ws('|', ${territoryId}::text,
		         private.identity_key(${name}::text), coalesce(private.identity_key(${commune}::text), ''))))`;
}

/** Serialises a whole import with every single enrolment of the territory's registry. One query. */
export async function lockRegistry(tx: Tx, registry: Registry, territoryId: string): Promise<void> {
	await tx`select pg_advisory_xact_lock(${LOCK[registry].registry}::int, hashtext(${territoryId}::text))`;
}

/** True if a search box text has something to search for (a letter or a digit). */
export function searchable(q: string): boolean {
	return /[\p{L}\p{N}]/u.test(q);
}

/**
 * A LIKE pattern for « contains what was typed », literally (`_`, `%` and `\` escaped), lower
 * case: the search of punctuation alone, which has no identity key (`searchable` false).
 */
export function containsPattern(q: string): string {
	return `%${escapeLike(q.trim().toLowerCase())}%`;
}

/**
 * SQL condition: the key column contains the key of what was typed (« zephyr », « lea c »,
 * « Besancon » find « Hélène Zéphyr », « Léa C. », « Besançon »). Backed by the trigram GIN
 * indexes on the key columns. `column` is one of our own column references, never user input.
 */
export function keyContains(tx: Tx, column: KeyColumn, q: string) {
	// A scalar subquery (InitPlan): the key is computed once per query, even in a generic plan
	// of the prepared statement, where a plain call would run once per row.
	return tx`${tx(column)} like (select '%' || private.identity_key(${q}::text) || '%')`;
}

/** The key columns that may be searched (an allow-list: `keyContains` inlines them). */
export type KeyColumn = 'c.name_key' | 'c.commune_key' | 'l.name_key' | 'l.commune_key';
