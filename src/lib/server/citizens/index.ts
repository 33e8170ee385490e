import type { PendingQuery, Row } from 'postgres';
import type { Tx } from '$lib/server/db';
import { containsPattern, keyContains, lockIdentity, searchable } from '$lib/server/identity';
import { phoneSearchDigits } from '$lib/domain/contact';
import {
	CONSENT_PURPOSE,
	CONSENT_TEXT_VERSION,
	type AgeBand,
	type CitizenFilters,
	type CitizenInput,
	type CitizenRow,
	type CitizenSource,
	type ConsentInput
} from '$lib/domain/citizens';

/**
 * Enrols a citizen with their consent, in one statement: the citizen row and the 'given'
 * consent event exist together or not at all. Returns the new id.
 */
export async function enrolCitizen(
	tx: Tx,
	territoryId: string,
	c: CitizenInput,
	consent: ConsentInput
): Promise<string> {
	const [row] = await tx<{ id: string }[]>`
		with citizen as (
			insert into public.citizens (territory_id, display_name, email, phone, commune, postal_code,
				age_band, source, is_societaire, enrolled_at)
			values (${territoryId}, ${c.display_name}, ${c.email}, ${c.phone}, ${c.commune}, ${c.postal_code},
				${c.age_band}, ${c.source}, ${c.is_societaire}, ${c.enrolled_at})
			returning id, territory_id
		), consent as (
			insert into public.consent_events (citizen_id, territory_id, action, purpose, text_version)
			select id, territory_id, 'given', ${consent.consent_purpose}, ${consent.consent_text_version} from citizen
		)
		select id from citizen`;
	return row.id;
}

export interface Lookalike {
	id: string;
	display_name: string;
	commune: string | null;
}

/**
 * Existing citizens of the territory that look like this person (at most 5): same e-mail (trimmed,
 * case-insensitive), same phone (canonical, E.164), or same name and commune by the identity rule
 * (`private.identity_key`: « Helene  Zephyr / Besancon » is « Hélène Zéphyr / Besançon »). Erased
 * people have no name or contact left and match nothing. One query, on citizens_identity_idx.
 */
export function findLookalikes(
	tx: Tx,
	territoryId: string,
	c: Pick<CitizenInput, 'display_name' | 'email' | 'commune'> & { phone?: string | null }
) {
	return tx<Lookalike[]>`
		select c.id, c.display_name, c.commune from public.citizens c
		where c.territory_id = ${territoryId} and c.erased_at is null
		  and ((${c.email}::text is not null and lower(c.email) = lower(btrim(${c.email}::text)))
		    or (${c.phone ?? null}::text is not null and c.phone = ${c.phone ?? null}::text)
		    or (c.name_key = (select private.identity_key(${c.display_name}::text))
		        and coalesce(c.commune_key, '') = (select coalesce(private.identity_key(${c.commune}::text), ''))))
		order by c.display_name, c.id
		limit 5`;
}

export type CheckedEnrolResult =
	| { kind: 'enrolled'; id: string }
	| { kind: 'lookalikes'; lookalikes: Lookalike[] }
	| { kind: 'duplicate_email' };

/**
 * Enrols a person unless someone alike is already in the territory's registry — the one path for
 * the enrol form (and, through `enrolUnlessLookalike`, the quick-add). `confirmedDifferent`: the
 * coordinator ticked « Il s’agit bien d’une autre personne » after seeing the lookalikes.
 * Holds under concurrency: the identity lock (lockIdentity) makes 10 parallel enrolments of the
 * same name and commune give one record and nine « lookalikes » answers. Two to three queries.
 */
export async function enrolChecked(
	tx: Tx,
	territoryId: string,
	c: CitizenInput,
	consent: ConsentInput,
	confirmedDifferent: boolean
): Promise<CheckedEnrolResult> {
	await lockIdentity(tx, 'citizens', territoryId, c.display_name, c.commune);
	if (!confirmedDifferent) {
		const lookalikes = await findLookalikes(tx, territoryId, c);
		if (lookalikes.length > 0) return { kind: 'lookalikes', lookalikes };
	}
	const enrolled = await tryEnrolCitizen(tx, territoryId, c, consent);
	return enrolled.ok ? { kind: 'enrolled', id: enrolled.id } : { kind: 'duplicate_email' };
}

// ───────────────────────── The registry ─────────────────────────
// Every function takes the territory the page is about and filters on it: a citizen id of
// another territory is « not found » here, and RLS refuses it underneath anyway.

export type { CitizenRow };

export type CitizenListRow = Pick<
	CitizenRow,
	'id' | 'display_name' | 'commune' | 'postal_code' | 'age_band' | 'source' | 'is_societaire' | 'enrolled_at' | 'status' | 'withdrawn_at' | 'erased_at'
>;

export interface CitizenCounts {
	/** rows matching the filters (for pagination) */
	matching: number;
	/** the territory's whole registry */
	registered: number;
	/** counted for the 350 threshold: not withdrawn (erasure does not undo an enrolment) — same rule as territory_figures */
	counted: number;
	withdrawn: number;
	erased: number;
}

const EMAIL_KEY = 'citizens_territory_email_key';

function isDuplicateEmail(e: unknown): boolean {
	const err = e as { code?: string; constraint_name?: string } | null;
	return err?.code === '23505' && err.constraint_name === EMAIL_KEY;
}

/**
 * What the search box finds, as typed: name or commune by the identity rule (accents, case,
 * apostrophes, double spaces ignored), or part of the e-mail — each on a trigram index, so the
 * planner can combine them (BitmapOr) — plus the postal code or phone when the text is digits.
 */
function searchCondition(tx: Tx, q: string) {
	const like = containsPattern(q);
	// Nothing but punctuation (« _ », « % »): looked for literally in the names.
	if (!searchable(q)) return tx`c.display_name ilike ${like}`;
	const arms = [keyContains(tx, 'c.name_key', q), keyContains(tx, 'c.commune_key', q), tx`lower(c.email) like ${like}`];
	const digits = q.replace(/\D/g, '');
	if (/^[\d\s.+()-]+$/.test(q) && digits.length >= 2) {
		arms.push(tx`c.postal_code like ${`${digits}%`}`);
		const phone = phoneSearchDigits(q);
		if (phone.length >= 2) arms.push(tx`c.phone like ${`%${phone}%`}`);
	}
	return tx`(${arms.reduce((a, b) => tx`${a} or ${b}`)})`;
}

/** The list's filters as one SQL condition on `c` (citizens). */
function matching(tx: Tx, f: CitizenFilters) {
	const conds = [];
	if (f.q) conds.push(searchCondition(tx, f.q));
	if (f.statut === 'actifs') conds.push(tx`(c.status = 'active' and c.erased_at is null)`);
	if (f.statut === 'retires') conds.push(tx`(c.status = 'withdrawn' and c.erased_at is null)`);
	if (f.statut === 'effaces') conds.push(tx`c.erased_at is not null`);
	if (f.source) conds.push(tx`c.source = ${f.source}`);
	if (f.societaire) conds.push(tx`c.is_societaire = ${f.societaire === 'oui'}`);
	return conds.reduce((a, b) => tx`${a} and ${b}`, tx`true`);
}

/** The registry's counts and how many rows match the filters: one query. */
export async function citizenCounts(tx: Tx, territoryId: string, f: CitizenFilters): Promise<CitizenCounts> {
	const [row] = await tx<CitizenCounts[]>`
		select count(*) filter (where ${matching(tx, f)})::int as matching,
		       count(*)::int as registered,
		       count(*) filter (where c.status = 'active')::int as counted,
		       count(*) filter (where c.status = 'withdrawn')::int as withdrawn,
		       count(*) filter (where c.erased_at is not null)::int as erased
		from public.citizens c
		where c.territory_id = ${territoryId}`;
	return row;
}

/** One page of the registry, most recent enrolments first: one query. */
export function listCitizens(tx: Tx, territoryId: string, f: CitizenFilters, page: { offset: number; limit: number }) {
	return tx<CitizenListRow[]>`
		select c.id, c.display_name, c.commune, c.postal_code, c.age_band, c.source, c.is_societaire,
		       c.enrolled_at, c.status, c.withdrawn_at, c.erased_at
		from public.citizens c
		where c.territory_id = ${territoryId} and ${matching(tx, f)}
		order by c.enrolled_at desc, c.created_at desc, c.id
		limit ${page.limit} offset ${page.offset}`;
}

export async function getCitizen(tx: Tx, territoryId: string, id: string): Promise<CitizenRow | null> {
	const [row] = await tx<CitizenRow[]>`
		select * from public.citizens where id = ${id} and territory_id = ${territoryId}`;
	return row ?? null;
}

export interface ConsentEventRow {
	id: string;
	action: 'given' | 'withdrawn';
	purpose: string;
	text_version: string;
	at: Date;
}

export interface AttendanceRow {
	workshop_id: string;
	title: string;
	format: string;
	starts_at: Date;
	status: string;
	checked_in_at: Date;
}

export interface CitizenRecord {
	citizen: CitizenRow;
	consents: ConsentEventRow[];
	attendances: AttendanceRow[];
}

/** Everything the registry holds about one person (person page, right of access): three queries. */
export async function citizenRecord(tx: Tx, territoryId: string, id: string): Promise<CitizenRecord | null> {
	const citizen = await getCitizen(tx, territoryId, id);
	if (!citizen) return null;
	const [consents, attendances] = await Promise.all([
		tx<ConsentEventRow[]>`
			select id, action, purpose, text_version, at from public.consent_events
			where citizen_id = ${id} and territory_id = ${territoryId}
			order by at, id`,
		tx<AttendanceRow[]>`
			select w.id as workshop_id, w.title, w.format, w.starts_at, w.status, a.checked_in_at
			from public.attendances a join public.workshops w on w.id = a.workshop_id
			where a.citizen_id = ${id} and a.territory_id = ${territoryId}
			order by w.starts_at desc`
	]);
	return { citizen, consents, attendances };
}

export type EnrolResult = { ok: true; id: string } | { ok: false; reason: 'duplicate_email' };

/**
 * `enrolCitizen`, with the territory's one-email-per-person rule turned into an answer instead of
 * an error (the unique index decides, so two coordinators enrolling at once cannot both win).
 */
export async function tryEnrolCitizen(
	tx: Tx,
	territoryId: string,
	c: CitizenInput,
	consent: ConsentInput
): Promise<EnrolResult> {
	try {
		const id = await tx.savepoint((sp) => enrolCitizen(sp as unknown as Tx, territoryId, c, consent));
		return { ok: true, id };
	} catch (e) {
		if (isDuplicateEmail(e)) return { ok: false, reason: 'duplicate_email' };
		throw e;
	}
}

export type UpdateResult =
	| { ok: true; row: CitizenRow }
	| { ok: false; reason: 'conflict'; current: CitizenRow | null }
	| { ok: false; reason: 'duplicate_email' };

/**
 * Edits a person's data if nobody changed it since `version` was read. An erased person cannot be
 * edited (there is nothing left to edit). 0 rows → the current row, for the conflict message.
 */
export async function updateCitizen(
	tx: Tx,
	territoryId: string,
	id: string,
	version: number,
	c: CitizenInput
): Promise<UpdateResult> {
	let rows: CitizenRow[];
	try {
		rows = await tx.savepoint(
			(sp) => sp<CitizenRow[]>`
				update public.citizens set
					display_name = ${c.display_name}, email = ${c.email}, phone = ${c.phone}, commune = ${c.commune},
					postal_code = ${c.postal_code}, age_band = ${c.age_band}, source = ${c.source},
					is_societaire = ${c.is_societaire}, enrolled_at = ${c.enrolled_at}, updated_at = now()
				where id = ${id} and territory_id = ${territoryId} and version = ${version} and erased_at is null
				returning *`
		);
	} catch (e) {
		if (isDuplicateEmail(e)) return { ok: false, reason: 'duplicate_email' };
		throw e;
	}
	if (rows.length === 1) return { ok: true, row: rows[0] };
	return { ok: false, reason: 'conflict', current: await getCitizen(tx, territoryId, id) };
}

/**
 * The 'withdrawn' consent event that goes with a withdrawal or an erasure, in the same statement
 * as the citizen's update: it withdraws what was last given (purpose and text version). `changed`
 * returns `id, territory_id, withdraws`: the event is written only where `withdraws` is true — an
 * erasure of a person already withdrawn records no second withdrawal (their consent was withdrawn
 * once; the erasure itself is in the audit journal). Returns the ids of the rows `changed` touched.
 */
function withdrawnEventFrom(tx: Tx, changed: PendingQuery<Row[]>) {
	return tx`
		with changed as (${changed}),
		event as (
			insert into public.consent_events (citizen_id, territory_id, action, purpose, text_version)
			select ch.id, ch.territory_id, 'withdrawn',
			       coalesce(g.purpose, ${CONSENT_PURPOSE}), coalesce(g.text_version, ${CONSENT_TEXT_VERSION})
			from changed ch
			left join lateral (
				select e.purpose, e.text_version from public.consent_events e
				where e.citizen_id = ch.id and e.action = 'given' order by e.at desc limit 1
			) g on true
			where ch.withdraws
			returning citizen_id
		)
		select id from changed`;
}

/**
 * Withdraws an active person from the program (they stop counting for the threshold), and records
 * the consent withdrawal. Reversible with a fresh consent (`reactivateCitizen`). True if done;
 * false when nothing changed (already withdrawn, erased, or not visible: the caller tells which).
 */
export async function withdrawCitizen(tx: Tx, territoryId: string, id: string, today: string): Promise<boolean> {
	const rows = await withdrawnEventFrom(
		tx,
		tx`update public.citizens set status = 'withdrawn', withdrawn_at = ${today}::date, updated_at = now()
			where id = ${id} and territory_id = ${territoryId} and status = 'active' and erased_at is null
			returning id, territory_id, true as withdraws`
	);
	return rows.length === 1;
}

/** Enrols a withdrawn person again, with a new consent given now. True if done. */
export async function reactivateCitizen(tx: Tx, territoryId: string, id: string, consent: ConsentInput): Promise<boolean> {
	const rows = await tx`
		with changed as (
			update public.citizens set status = 'active', withdrawn_at = null, updated_at = now()
			where id = ${id} and territory_id = ${territoryId} and status = 'withdrawn' and erased_at is null
			returning id, territory_id
		), event as (
			insert into public.consent_events (citizen_id, territory_id, action, purpose, text_version)
			select id, territory_id, 'given', ${consent.consent_purpose}, ${consent.consent_text_version} from changed
			returning citizen_id
		)
		select citizen_id from event`;
	return rows.length === 1;
}

/**
 * Erasure on request (RGPD art. 17): name and contact details are deleted, the row stays so that
 * counts and history (attendance, consent events) stay true; for an active person a 'withdrawn'
 * consent event records the end of their consent (a withdrawn person's was recorded already: no
 * second one). The status is kept: an enrolment that happened still counts. Irreversible. True if
 * done; false when already erased or not visible (the caller tells which).
 */
export async function eraseCitizen(tx: Tx, territoryId: string, id: string): Promise<boolean> {
	const rows = await withdrawnEventFrom(
		tx,
		tx`update public.citizens set display_name = null, email = null, phone = null, postal_code = null,
				erased_at = now(), updated_at = now()
			where id = ${id} and territory_id = ${territoryId} and erased_at is null
			returning id, territory_id, status = 'active' as withdraws`
	);
	return rows.length === 1;
}
