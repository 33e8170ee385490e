import type { Tx } from '$lib/server/db';
import type { CitizenInput, ConsentInput } from '$lib/domain/citizens';

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

/** Existing citizens of the territory that look like this person: same email, or same name and commune. */
export function findLookalikes(tx: Tx, territoryId: string, c: Pick<CitizenInput, 'display_name' | 'email' | 'commune'>) {
	return tx<{ id: string; display_name: string; commune: string | null }[]>`
		select id, display_name, commune from public.citizens
		where territory_id = ${territoryId} and erased_at is null
		  and ((${c.email}::text is not null and lower(email) = lower(${c.email}))
		    or (lower(display_name) = lower(${c.display_name})
		        and lower(coalesce(commune, '')) = lower(coalesce(${c.commune}, ''))))
		limit 5`;
}
