import type { Tx } from '$lib/server/db';
import type { LieuFilters, LieuInput, LieuRecord, LieuStatus, UpdateLieuInput } from '$lib/domain/lieux';

export type LieuRow = LieuRecord;

export type LieuListItem = Pick<LieuRow, 'id' | 'name' | 'kind' | 'commune' | 'enrolled_at' | 'status'>;

/** `%term%` for ILIKE, with the user's own % and _ taken literally. */
const contains = (term: string) => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** How many lieux of the territory match the filters (one query). */
export async function countLieux(tx: Tx, territoryId: string, f: LieuFilters): Promise<number> {
	const pattern = f.q ? contains(f.q) : null;
	const [{ n }] = await tx<{ n: number }[]>`
		select count(*)::int as n from public.lieux
		where territory_id = ${territoryId}
		  and (${pattern}::text is null or name ilike ${pattern} or commune ilike ${pattern})
		  and (${f.kind}::public.lieu_kind is null or kind = ${f.kind})
		  and (${f.status}::public.lieu_status is null or status = ${f.status})`;
	return n;
}

/** One page of the territory's lieux, by name (one query). */
export function listLieux(tx: Tx, territoryId: string, f: LieuFilters, limit: number, offset: number) {
	const pattern = f.q ? contains(f.q) : null;
	return tx<LieuListItem[]>`
		select id, name, kind, commune, enrolled_at, status from public.lieux
		where territory_id = ${territoryId}
		  and (${pattern}::text is null or name ilike ${pattern} or commune ilike ${pattern})
		  and (${f.kind}::public.lieu_kind is null or kind = ${f.kind})
		  and (${f.status}::public.lieu_status is null or status = ${f.status})
		order by lower(name), id
		limit ${limit} offset ${offset}`;
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
