import type { Tx } from '$lib/server/db';
import { containsPattern, keyContains, lockIdentity, searchable } from '$lib/server/identity';
import type { LieuFilters, LieuInput, LieuRecord, LieuStatus, UpdateLieuInput } from '$lib/domain/lieux';

export type LieuRow = LieuRecord;

export type LieuListItem = Pick<LieuRow, 'id' | 'name' | 'kind' | 'commune' | 'enrolled_at' | 'status'>;

/**
 * The list's filters as one SQL condition on `l`: name or commune by the identity rule (« ecole
 * besancon » finds « École … / Besançon »; trigram indexes), type, status.
 */
function lieuMatching(tx: Tx, f: LieuFilters) {
	const conds = [tx`true`];
	if (f.q) conds.push(lieuSearch(tx, f.q));
	if (f.kind) conds.push(tx`l.kind = ${f.kind}`);
	if (f.status) conds.push(tx`l.status = ${f.status}`);
	return conds.reduce((a, b) => tx`${a} and ${b}`);
}

/**
 * SQL condition on `l`: its name, or its commune, contains what was typed, by the identity rule
 * (« ecole » finds « École du Bourg », « besancon » every lieu of Besançon); a search of
 * punctuation alone (« _ », « % ») is looked for literally in the names, as in the citizens'
 * registry — never ignored.
 */
export function lieuSearch(tx: Tx, q: string) {
	if (!searchable(q)) return tx`l.name ilike ${containsPattern(q)}`;
	return tx`(${keyContains(tx, 'l.name_key', q)} or ${keyContains(tx, 'l.commune_key', q)})`;
}

/** How many lieux of the territory match the filters (one query). */
export async function countLieux(tx: Tx, territoryId: string, f: LieuFilters): Promise<number> {
	const [{ n }] = await tx<{ n: number }[]>`
		select count(*)::int as n from public.lieux l
		where l.territory_id = ${territoryId} and ${lieuMatching(tx, f)}`;
	return n;
}

/** One page of the territory's lieux, in French order of names (column collation public.french). One query. */
export function listLieux(tx: Tx, territoryId: string, f: LieuFilters, limit: number, offset: number) {
	return tx<LieuListItem[]>`
		select l.id, l.name, l.kind, l.commune, l.enrolled_at, l.status from public.lieux l
		where l.territory_id = ${territoryId} and ${lieuMatching(tx, f)}
		order by l.name, l.commune, l.id
		limit ${limit} offset ${offset}`;
}

export interface LieuLookalike {
	id: string;
	name: string;
	commune: string;
}

/**
 * Lieux of the territory with the same name in the same commune, by the identity rule
 * (« Ecole  Jules-Ferry / Besancon » is « École Jules Ferry / Besançon »). `exceptId`: the lieu being
 * edited. One query, on lieux_identity_idx.
 */
export function findLieuLookalikes(
	tx: Tx,
	territoryId: string,
	l: Pick<LieuInput, 'name' | 'commune'>,
	exceptId: string | null = null
) {
	return tx<LieuLookalike[]>`
		select l.id, l.name, l.commune from public.lieux l
		where l.territory_id = ${territoryId}
		  and l.name_key = (select private.identity_key(${l.name}::text))
		  and l.commune_key = (select private.identity_key(${l.commune}::text))
		  and (${exceptId}::uuid is null or l.id <> ${exceptId}::uuid)
		order by l.name, l.id
		limit 5`;
}

export type CheckedLieuResult = { kind: 'created'; id: string } | { kind: 'duplicate'; existing: LieuLookalike[] };

/**
 * Enrols a lieu unless one with the same name is already in that commune — the same rule as the
 * lieux import. Serialised per identity (lockIdentity): parallel identical posts give one lieu.
 * Three queries.
 */
export async function createLieuChecked(tx: Tx, territoryId: string, l: LieuInput): Promise<CheckedLieuResult> {
	await lockIdentity(tx, 'lieux', territoryId, l.name, l.commune);
	const existing = await findLieuLookalikes(tx, territoryId, l);
	if (existing.length > 0) return { kind: 'duplicate', existing };
	return { kind: 'created', id: await createLieu(tx, territoryId, l) };
}

export async function getLieu(tx: Tx, territoryId: string, id: string): Promise<LieuRow | undefined> {
	const [row] = await tx<LieuRow[]>`
		select id, name, kind, commune, address, contact_name, contact_email, contact_phone,
		       enrolled_at, status, version
		from public.lieux where id = ${id} and territory_id = ${territoryId}`;
	return row;
}

/** Enrols a lieu; RLS refuses another territory's (403). Returns the new id. */
export async function createLieu(tx: Tx, territoryId: string, l: LieuInput): Promise<string> {
	const [row] = await tx<{ id: string }[]>`
		insert into public.lieux (territory_id, name, kind, commune, address, contact_name, contact_email,
			contact_phone, enrolled_at, status)
		values (${territoryId}, ${l.name}, ${l.kind}, ${l.commune}, ${l.address}, ${l.contact_name},
			${l.contact_email}, ${l.contact_phone}, ${l.enrolled_at}, ${l.status})
		returning id`;
	return row.id;
}

/**
 * Edits a lieu if it is still at the version the person read. Returns the new row, or undefined
 * when nothing was touched (changed meanwhile, gone, or not visible to this user).
 */
export async function updateLieu(tx: Tx, territoryId: string, id: string, l: UpdateLieuInput) {
	const [row] = await tx<LieuRow[]>`
		update public.lieux set name = ${l.name}, kind = ${l.kind}, commune = ${l.commune},
			address = ${l.address}, contact_name = ${l.contact_name}, contact_email = ${l.contact_email},
			contact_phone = ${l.contact_phone}, enrolled_at = ${l.enrolled_at}
		where id = ${id} and territory_id = ${territoryId} and version = ${l.version}
		returning id, name, kind, commune, address, contact_name, contact_email, contact_phone,
		          enrolled_at, status, version`;
	return row as LieuRow | undefined;
}

export type CheckedLieuUpdate =
	| { kind: 'updated'; row: LieuRow }
	| { kind: 'duplicate'; existing: LieuLookalike[] }
	| { kind: 'conflict'; current: LieuRow | undefined };

/**
 * `updateLieu`, unless the new name and commune are another lieu's of the territory (identity
 * rule, as on creation). 'conflict': changed meanwhile (or gone) — with the current row. 3–4 queries.
 */
export async function updateLieuChecked(tx: Tx, territoryId: string, id: string, l: UpdateLieuInput): Promise<CheckedLieuUpdate> {
	await lockIdentity(tx, 'lieux', territoryId, l.name, l.commune);
	const existing = await findLieuLookalikes(tx, territoryId, l, id);
	if (existing.length > 0) return { kind: 'duplicate', existing };
	const row = await updateLieu(tx, territoryId, id, l);
	return row ? { kind: 'updated', row } : { kind: 'conflict', current: await getLieu(tx, territoryId, id) };
}

/** Deactivates or reactivates a lieu (no delete: its history stays), version-protected. */
export async function setLieuStatus(tx: Tx, territoryId: string, id: string, status: LieuStatus, version: number) {
	const [row] = await tx<{ id: string; version: number }[]>`
		update public.lieux set status = ${status}
		where id = ${id} and territory_id = ${territoryId} and version = ${version}
		returning id, version`;
	return row as { id: string; version: number } | undefined;
}

// ---- RGPD: the lieu's contact person (access and erasure, as for citizens) ----

/** What Marathon holds about a lieu's contact person, for the right of access (RGPD art. 15). */
export interface LieuContactRecord {
	lieu: { id: string; name: string; commune: string; created_at: string; updated_at: string };
	contact: { name: string | null; email: string | null; phone: string | null };
	/** when the contact fields were written (their values are masked in the audit trail) */
	changes: { at: string; action: string }[];
}

/** The contact person's data of one lieu of the territory; undefined if not visible (RLS) or unknown. Two queries. */
export async function lieuContactRecord(tx: Tx, territoryId: string, id: string): Promise<LieuContactRecord | undefined> {
	const [row] = await tx<{ id: string; name: string; commune: string; created_at: Date; updated_at: Date; contact_name: string | null; contact_email: string | null; contact_phone: string | null }[]>`
		select id, name, commune, created_at, updated_at, contact_name, contact_email, contact_phone
		from public.lieux where id = ${id} and territory_id = ${territoryId}`;
	if (!row) return undefined;
	const changes = await tx<{ at: Date; action: string }[]>`
		select at, action from public.audit_events
		where entity = 'lieux' and entity_id = ${id}
		  and (changes ? 'contact_name' or changes ? 'contact_email' or changes ? 'contact_phone')
		order by at`;
	return {
		lieu: { id: row.id, name: row.name, commune: row.commune, created_at: row.created_at.toISOString(), updated_at: row.updated_at.toISOString() },
		contact: { name: row.contact_name, email: row.contact_email, phone: row.contact_phone },
		changes: changes.map((c) => ({ at: c.at.toISOString(), action: c.action }))
	};
}

/**
 * Erasure on request (RGPD art. 17) of a lieu's contact person: name, e-mail and phone are deleted;
 * the lieu itself (a place, not a person) stays with its history. Irreversible. True if something
 * was erased; false if there was nothing to erase or the lieu is not visible to this user (RLS).
 */
export async function eraseLieuContact(tx: Tx, territoryId: string, id: string): Promise<boolean> {
	const rows = await tx`
		update public.lieux set contact_name = null, contact_email = null, contact_phone = null
		where id = ${id} and territory_id = ${territoryId}
		  and (contact_name is not null or contact_email is not null or contact_phone is not null)
		returning id`;
	return rows.length === 1;
}
