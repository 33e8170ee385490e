import { error } from '@sveltejs/kit';
import type { Claims } from '$lib/server/auth/claims';
import { requireRole } from '$lib/server/auth/guard';
import { asUser, readAsUser, type Tx } from '$lib/server/db';

export interface TerritoryRef {
	id: string;
	slug: string;
	name: string;
	start_date: string;
	citizen_threshold: number;
	lieu_threshold: number;
}

type TerritoryEvent = { locals: App.Locals; url: URL; params: { slug?: string } };

/** The territory of the address and whether this user may open it (one statement, as the user). */
function territoryOfSlug(tx: Tx, slug: string) {
	return tx<(TerritoryRef & { can_access: boolean })[]>`
		select t.id, t.slug, t.name, coalesce(t.start_date, c.start_date) as start_date,
		       c.citizen_threshold, c.lieu_threshold, public.can_access_territory(t.id) as can_access
		from public.territories t join public.cohorts c on c.id = t.cohort_id
		where t.slug = ${slug}`;
}

function admitted(row: (TerritoryRef & { can_access: boolean }) | undefined): TerritoryRef {
	if (!row) error(404, 'Ce territoire n’existe pas.');
	if (!row.can_access) error(403, 'Ce territoire n’est pas le vôtre : vous ne pouvez pas l’ouvrir.');
	const { can_access: _, ...territory } = row;
	return territory;
}

/**
 * The guard of every action (and endpoint) under /territoires/[slug]: signed in as a coordinator
 * of this territory, a facilitator or an admin — else 403 (404 if no such territory). One query,
 * in a transaction of its own; the action then writes in its own. RLS enforces the same rule
 * underneath; this gives the clear answer. Pages read with `readTerritory` (one transaction).
 */
export async function territoryContext(event: TerritoryEvent): Promise<{ claims: Claims; territory: TerritoryRef }> {
	const claims = requireRole(event.locals, event.url, 'admin', 'facilitator', 'coordinator');
	const [row] = await asUser(claims, (tx) => territoryOfSlug(tx, event.params.slug ?? ''));
	return { claims, territory: admitted(row) };
}

/**
 * The territories as last read, by slug: a page sends its reads with the access check instead of
 * after it (one round trip less). The check's answer still decides, and when the territory it
 * read differs from this one (renamed, moved, new start date), the reads run again with it.
 */
const lastRead = new Map<string, TerritoryRef>();
const MAX_KEPT = 1000;

const sameRef = (a: TerritoryRef, b: TerritoryRef) =>
	a.id === b.id && a.slug === b.slug && a.name === b.name && a.start_date === b.start_date &&
	a.citizen_threshold === b.citizen_threshold && a.lieu_threshold === b.lieu_threshold;

/**
 * The guard and the reads of a page under /territoires/[slug], in ONE read-only transaction as
 * the user: the access check of `territoryContext` (redirect to login, 403, 404 the same) and
 * `read(tx, { claims, territory })`, sent together when the territory was read before (else
 * after the check). `read` must only read: it may run twice, its first result dropped. RLS applies
 * to every query, so reads sent before the check is known never see more than the user may.
 * `oneTrip` (default): `read` sends all its queries at once, and the transaction's commit leaves
 * with them (`readAsUser`'s `oneTrip`); a page whose queries wait for others' answers (a record,
 * then its lines) says `{ oneTrip: false }` — it would still be right, read twice.
 * Returns what `read` returns. Errors: those of `territoryContext`, those `read` throws (its
 * 404s…), 503 from the database.
 */
export async function readTerritory<T>(
	event: TerritoryEvent,
	read: (tx: Tx, context: TerritoryReadContext) => Promise<T>,
	{ oneTrip = true } = {}
): Promise<T> {
	const claims = requireRole(event.locals, event.url, 'admin', 'facilitator', 'coordinator');
	const slug = event.params.slug ?? '';
	return readAsUser(claims, async (tx) => {
		const check = territoryOfSlug(tx, slug);
		check.execute(); // first on the wire
		const answer = check.then(([row]) => admitted(row));
		const guess = lastRead.get(slug);
		if (!guess) {
			const territory = remember(slug, await answer);
			return read(tx, { claims, territory, admitted: ADMITTED });
		}
		// The reads follow the check on the wire, as if the territory were still the one read last;
		// `admitted` settles when the check confirms it (else it rejects, and the reads are dropped).
		const confirmed = answer.then((t) => {
			if (!sameRef(guess, t)) throw new Error('territoire relu');
		});
		confirmed.catch(() => {});
		const early = read(tx, { claims, territory: guess, admitted: confirmed }).then(
			(value) => ({ value }),
			(error: unknown) => ({ error })
		);
		// every early statement is answered before the check's refusal is thrown or more is sent
		const territory = remember(slug, await answer.finally(() => early));
		const outcome = await early;
		if (sameRef(guess, territory)) {
			if ('error' in outcome) throw outcome.error;
			return outcome.value;
		}
		// an error from the database (it carries a code) aborted the transaction: nothing more runs in it
		if ('error' in outcome && typeof (outcome.error as { code?: unknown } | null)?.code === 'string') throw outcome.error;
		return read(tx, { claims, territory, admitted: ADMITTED });
	}, { oneTrip: oneTrip && lastRead.has(slug) }); // no territory read before: the reads wait for the check
}

const ADMITTED = Promise.resolve();

function remember(slug: string, territory: TerritoryRef): TerritoryRef {
	if (lastRead.size >= MAX_KEPT && !lastRead.has(slug)) lastRead.delete(lastRead.keys().next().value!);
	lastRead.set(slug, territory);
	return territory;
}

/**
 * What a page's reads get: the signed-in user's claims, the territory, and `admitted`, fulfilled
 * once the access check has let this user in to this very territory (rejected otherwise): a value
 * shared between people (`memoForAllowed`) is only read or kept after it.
 */
export interface TerritoryReadContext {
	claims: Claims;
	territory: TerritoryRef;
	admitted: Promise<void>;
}
