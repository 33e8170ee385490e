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
