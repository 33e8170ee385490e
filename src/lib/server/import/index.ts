/**
 * Bulk import and export of citizens and lieux. Set-based: whatever the number of rows, an import
 * is two statements (look for duplicates, then insert everything) and an export one. Everything
 * runs inside the caller's `asUser` transaction, so RLS decides and an import is all or nothing.
 */
import type { Tx } from '$lib/server/db';
import type { CitizenInput, ConsentInput } from '$lib/domain/citizens';
import type { CitizenExportRow, CsvProblem, CsvRow, LieuExportRow } from '$lib/domain/csv';
import type { LieuInput } from '$lib/domain/lieux';

/** First problem per line and column (a row may match several people). */
function firstPerCell<T extends { line: number; column: string }>(found: T[]): T[] {
	const seen = new Set<string>();
	return found.filter((f) => !seen.has(`${f.line}|${f.column}`) && seen.add(`${f.line}|${f.column}`));
}

const quoted = (name: string | null, commune: string | null) =>
	name ? ` (« ${name} »${commune ? `, ${commune}` : ''})` : '';

/**
 * Rows of the file that are people already enrolled in the territory, or that repeat an earlier
 * row of the file — by the identity rule (`private.identity_key` on name and commune: « Helene
 * Zephyr;Besancon » is « Hélène Zéphyr / Besançon ») or the same e-mail (trimmed, any case).
 * Reported by line and column (`nom`, `email`). Call after `lockRegistry` when the rows are then
 * written, so that nobody enrols the same person meanwhile. One query, whatever the number of rows.
 */
export async function existingCitizenDuplicates(
	tx: Tx,
	territoryId: string,
	rows: CsvRow<CitizenInput>[]
): Promise<CsvProblem[]> {
	if (rows.length === 0) return [];
	const found = await tx<{ line: number; column: 'email' | 'nom'; other: string | null; commune: string | null; earlier: number | null }[]>`
		with keyed as (
			select u.line, lower(btrim(u.email)) as email_key, private.identity_key(u.name) as name_key,
			       coalesce(private.identity_key(u.commune), '') as commune_key
			from unnest(${rows.map((r) => r.line)}::int[], ${rows.map((r) => r.data.email)}::text[],
				${rows.map((r) => r.data.display_name)}::text[], ${rows.map((r) => r.data.commune)}::text[])
				as u(line, email, name, commune)
		)
		select k.line, 'email' as column, c.display_name as other, c.commune, null::int as earlier
		from keyed k join public.citizens c
		  on c.territory_id = ${territoryId} and k.email_key is not null and lower(c.email) = k.email_key
		union all
		select k.line, 'nom', c.display_name, c.commune, null
		from keyed k join public.citizens c
		  on c.territory_id = ${territoryId} and c.erased_at is null
		 and c.name_key = k.name_key and coalesce(c.commune_key, '') = k.commune_key
		union all
		select k.line, 'email', null, null, min(e.line)
		from keyed k join keyed e on e.email_key = k.email_key and e.line < k.line
		group by k.line
		union all
		select k.line, 'nom', null, null, min(e.line)
		from keyed k join keyed e on e.name_key = k.name_key and e.commune_key = k.commune_key and e.line < k.line
		group by k.line
		order by 1, 2, 5 nulls first`;
	return firstPerCell(found).map((f) => ({
		line: f.line,
		column: f.column,
		message:
			f.earlier !== null
				? f.column === 'email'
					? `Doublon dans le fichier : même e-mail qu’à la ligne ${f.earlier}.`
					: `Doublon dans le fichier : même nom et même commune qu’à la ligne ${f.earlier} (accents, majuscules et espaces mis à part).`
				: f.column === 'email'
					? `Déjà inscrit dans ce territoire : une personne a déjà cet e-mail${quoted(f.other, null)}.`
					: `Déjà inscrit dans ce territoire : une personne a déjà ce nom dans cette commune${quoted(f.other, f.commune)}.`
	}));
}

/**
 * Enrols every citizen of the file with their 'given' consent, in ONE statement (one multi-row
 * insert of citizens and one of consent events, from arrays): all rows or none. RLS refuses
 * another territory's (403). Returns how many were enrolled.
 */
export async function importCitizens(
	tx: Tx,
	territoryId: string,
	rows: CitizenInput[],
	consent: Pick<ConsentInput, 'consent_purpose' | 'consent_text_version'>
): Promise<number> {
	if (rows.length === 0) return 0;
	const col = <K extends keyof CitizenInput>(k: K) => rows.map((r) => r[k]);
	const [{ n }] = await tx<{ n: number }[]>`
		with input as (
			select * from unnest(${col('display_name')}::text[], ${col('email')}::text[], ${col('phone')}::text[],
				${col('commune')}::text[], ${col('postal_code')}::text[], ${col('age_band')}::text[],
				${col('source')}::text[], ${col('is_societaire').map(String)}::text[], ${col('enrolled_at')}::text[])
				with ordinality as u(display_name, email, phone, commune, postal_code, age_band, source,
					is_societaire, enrolled_at, ord)
		), citizen as (
			insert into public.citizens (territory_id, display_name, email, phone, commune, postal_code,
				age_band, source, is_societaire, enrolled_at)
			select ${territoryId}, display_name, email, phone, commune, postal_code, age_band::public.age_band,
				source::public.citizen_source, is_societaire::boolean, enrolled_at::date
			from input order by ord
			returning id, territory_id
		), consent as (
			insert into public.consent_events (citizen_id, territory_id, action, purpose, text_version)
			select id, territory_id, 'given', ${consent.consent_purpose}, ${consent.consent_text_version} from citizen
		)
		select count(*)::int as n from citizen`;
	return n;
}

/**
 * Rows of the file that are lieux already engaged in the territory, or that repeat an earlier row:
 * same name in the same commune by the identity rule. One query.
 */
export async function existingLieuDuplicates(tx: Tx, territoryId: string, rows: CsvRow<LieuInput>[]): Promise<CsvProblem[]> {
	if (rows.length === 0) return [];
	const found = await tx<{ line: number; column: 'nom'; other: string | null; commune: string | null; earlier: number | null }[]>`
		with keyed as (
			select u.line, private.identity_key(u.name) as name_key, private.identity_key(u.commune) as commune_key
			from unnest(${rows.map((r) => r.line)}::int[], ${rows.map((r) => r.data.name)}::text[],
				${rows.map((r) => r.data.commune)}::text[]) as u(line, name, commune)
		)
		select k.line, 'nom' as column, l.name as other, l.commune, null::int as earlier
		from keyed k join public.lieux l
		  on l.territory_id = ${territoryId} and l.name_key = k.name_key and l.commune_key = k.commune_key
		union all
		select k.line, 'nom', null, null, min(e.line)
		from keyed k join keyed e on e.name_key = k.name_key and e.commune_key = k.commune_key and e.line < k.line
		group by k.line
		order by 1, 5 nulls first`;
	return firstPerCell(found).map((f) => ({
		line: f.line,
		column: f.column,
		message:
			f.earlier !== null
				? `Doublon dans le fichier : même nom et même commune qu’à la ligne ${f.earlier} (accents, majuscules et espaces mis à part).`
				: `Déjà engagé dans ce territoire : un lieu a déjà ce nom dans cette commune${quoted(f.other, f.commune)}.`
	}));
}

/** Enrols every lieu of the file in one multi-row insert: all or none; RLS decides. */
export async function importLieux(tx: Tx, territoryId: string, rows: LieuInput[]): Promise<number> {
	if (rows.length === 0) return 0;
	const col = <K extends keyof LieuInput>(k: K) => rows.map((r) => r[k]);
	const [{ n }] = await tx<{ n: number }[]>`
		with inserted as (
			insert into public.lieux (territory_id, name, kind, commune, address, contact_name, contact_email,
				contact_phone, enrolled_at, status)
			select ${territoryId}, name, kind::public.lieu_kind, commune, address, contact_name, contact_email,
				contact_phone, enrolled_at::date, status::public.lieu_status
			from unnest(${col('name')}::text[], ${col('kind')}::text[], ${col('commune')}::text[],
				${col('address')}::text[], ${col('contact_name')}::text[], ${col('contact_email')}::text[],
				${col('contact_phone')}::text[], ${col('enrolled_at')}::text[], ${col('status')}::text[])
				with ordinality as u(name, kind, commune, address, contact_name, contact_email, contact_phone,
					enrolled_at, status, ord)
			order by ord
			returning id
		)
		select count(*)::int as n from inserted`;
	return n;
}

/** Every citizen of the territory the user may see (RLS), for the CSV export. One query. */
export function exportCitizens(tx: Tx, territoryId: string) {
	return tx<CitizenExportRow[]>`
		select display_name, email, phone, commune, postal_code, age_band, source, is_societaire, enrolled_at,
		       status, erased_at is not null as erased
		from public.citizens where territory_id = ${territoryId}
		order by enrolled_at, display_name nulls last, id`;
}

/** Every lieu of the territory the user may see (RLS), for the CSV export. One query. */
export function exportLieux(tx: Tx, territoryId: string) {
	return tx<LieuExportRow[]>`
		select name, kind, commune, address, contact_name, contact_email, contact_phone, enrolled_at, status
		from public.lieux where territory_id = ${territoryId}
		order by name, commune, id`;
}

/** What the territory counts today, shown beside the import forms. One query. */
export async function registryCounts(tx: Tx, territoryId: string) {
	const [row] = await tx<{ citizens: number; lieux: number }[]>`
		select (select count(*)::int from public.citizens
		        where territory_id = ${territoryId} and status = 'active' and erased_at is null) as citizens,
		       (select count(*)::int from public.lieux
		        where territory_id = ${territoryId} and status = 'active') as lieux`;
	return row;
}
