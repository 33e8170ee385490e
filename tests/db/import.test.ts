import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asService, type Tx } from '../../src/lib/server/db';
import { CONSENT_PURPOSE, CONSENT_TEXT_VERSION, type CitizenInput } from '../../src/lib/domain/citizens';
import { parseCitizensCsv, parseLieuxCsv } from '../../src/lib/domain/csv';
import {
	existingCitizenDuplicates,
	existingLieuDuplicates,
	exportCitizens,
	exportLieux,
	importCitizens,
	importLieux,
	registryCounts
} from '../../src/lib/server/import';
import { type TerritoryPair, asUserThenRollback, outcome, territoryPair, useTestDatabase } from './helpers';

let stop: () => Promise<void>;
let A: TerritoryPair['A'];
let B: TerritoryPair['B'];
let as: TerritoryPair['as'];
const consent = { consent_purpose: CONSENT_PURPOSE, consent_text_version: CONSENT_TEXT_VERSION };

const citizen = (i: number, over: Partial<CitizenInput> = {}): CitizenInput => ({
	display_name: `Import Test ${i}`,
	email: `import.test.${i}@exemple.test`,
	phone: null,
	commune: 'Testville',
	postal_code: null,
	age_band: 'non_renseigne',
	source: 'event',
	is_societaire: i % 2 === 0,
	enrolled_at: '2026-11-20',
	...over
});

beforeAll(async () => {
	stop = useTestDatabase();
	({ A, B, as } = await territoryPair());
});
afterAll(() => stop());

const countA = (tx: Tx) =>
	tx<{ citizens: number; consents: number }[]>`
		select (select count(*)::int from public.citizens where territory_id = ${A.id}) as citizens,
		       (select count(*)::int from public.consent_events where territory_id = ${A.id}) as consents`.then((r) => r[0]);

describe('bulk citizen import', () => {
	it('enrols every row with a given consent, in one statement, for the own coordinator and a facilitator', async () => {
		for (const who of [as.coordA, as.facilitator]) {
			const result = await asUserThenRollback(who, async (tx) => {
				const before = await countA(tx);
				const n = await importCitizens(tx, A.id, [citizen(1), citizen(2, { email: null, phone: '0612345678' }), citizen(3)], consent);
				const after = await countA(tx);
				const consents = await tx`
					select e.action, e.text_version, e.purpose from public.consent_events e
					join public.citizens c on c.id = e.citizen_id where c.display_name like 'Import Test %'`;
				const [audited] = await tx`select count(*)::int as n from public.audit_events
					where entity = 'citizens' and action = 'insert' and actor_id = ${who.sub}
					  and entity_id in (select id::text from public.citizens where display_name like 'Import Test %')`;
				return { n, before, after, consents, audited: audited.n };
			});
			expect(result.n).toBe(3);
			expect(result.after.citizens - result.before.citizens).toBe(3);
			expect(result.after.consents - result.before.consents).toBe(3);
			expect(result.consents).toHaveLength(3);
			expect(result.consents.every((c) => c.action === 'given' && c.text_version === CONSENT_TEXT_VERSION)).toBe(true);
			expect(result.audited).toBe(3);
		}
	});

	it('is refused for a coordinator of another territory, a funder and a user with no role', async () => {
		for (const who of [as.coordB, as.funder, as.outsider])
			expect(await outcome(who, (tx) => importCitizens(tx, A.id, [citizen(4)], consent))).toBe(403);
	});

	it('writes all rows or none: one bad row and nothing is written', async () => {
		const before = await asUserThenRollback(as.coordA, countA);
		// bypass the zod validation to prove the database statement itself is atomic
		const status = await outcome(as.coordA, (tx) =>
			importCitizens(tx, A.id, [citizen(5), citizen(6, { postal_code: 'abcde' }), citizen(7)], consent)
		);
		expect(status).toBe(400);
		// and through the real path (commit attempted): still nothing
		const committed = await import('../../src/lib/server/db').then(({ asUser }) =>
			asUser(as.coordA, (tx) => importCitizens(tx, A.id, [citizen(8), citizen(8)], consent)).then(
				() => 'ok',
				(e) => e.status
			)
		);
		expect(committed).toBe(409);
		expect(await asUserThenRollback(as.coordA, countA)).toEqual(before);
	});

	it('finds duplicates against existing citizens: same email, or same name and commune', async () => {
		const [existing] = await asService(
			(tx) => tx<{ display_name: string; email: string; commune: string | null }[]>`
				select display_name, email, commune from public.citizens
				where territory_id = ${A.id} and email is not null and erased_at is null limit 1`
		);
		const file = [
			'nom;email;commune;source',
			`Quelqu’un d’autre;${existing.email.toUpperCase()};Ailleurs;atelier`,
			`${existing.display_name.toUpperCase()};;${existing.commune ?? ''};atelier`,
			'Personne Nouvelle;nouvelle@exemple.test;Ailleurs;atelier'
		].join('\n');
		const parsed = parseCitizensCsv(file, '2026-11-29');
		expect(parsed.problems).toEqual([]);
		const problems = await asUserThenRollback(as.coordA, (tx) => existingCitizenDuplicates(tx, A.id, parsed.rows));
		expect(problems.map((p) => [p.line, p.column])).toEqual([
			[2, 'email'],
			[3, 'nom']
		]);
		expect(problems[0].message).toContain(existing.display_name);
		// another territory's coordinator sees none of A's people: nothing to compare with, and the insert is refused
		expect(await asUserThenRollback(as.coordB, (tx) => existingCitizenDuplicates(tx, A.id, parsed.rows))).toEqual([]);
	});
});

describe('bulk lieu import', () => {
	const lieux = parseLieuxCsv('nom;type;commune\nLieu Import 1;café;Testville\nLieu Import 2;mairie;Testville', '2026-11-29').rows;

	it('inserts every row for the own coordinator and a facilitator, refused for the others', async () => {
		for (const who of [as.coordA, as.facilitator])
			expect(await asUserThenRollback(who, (tx) => importLieux(tx, A.id, lieux.map((r) => r.data)))).toBe(2);
		for (const who of [as.coordB, as.funder, as.outsider])
			expect(await outcome(who, (tx) => importLieux(tx, A.id, lieux.map((r) => r.data)))).toBe(403);
	});

	it('finds existing lieux with the same name in the same commune', async () => {
		const [existing] = await asService(
			(tx) => tx<{ name: string; commune: string }[]>`select name, commune from public.lieux where territory_id = ${A.id} limit 1`
		);
		const rows = parseLieuxCsv(`nom;type;commune\n${existing.name};autre;${existing.commune.toLowerCase()}\nNeuf;autre;X`, '2026-11-29').rows;
		const problems = await asUserThenRollback(as.coordA, (tx) => existingLieuDuplicates(tx, A.id, rows));
		expect(problems.map((p) => [p.line, p.column])).toEqual([[2, 'nom']]);
	});
});

describe('export and counts', () => {
	it('exports what RLS lets the user see: everything of A for its coordinator, nothing for others', async () => {
		const own = await asUserThenRollback(as.coordA, (tx) => Promise.all([exportCitizens(tx, A.id), exportLieux(tx, A.id), registryCounts(tx, A.id)]));
		expect(own[0].length).toBeGreaterThan(0);
		expect(own[1].length).toBeGreaterThan(0);
		expect(own[2].citizens).toBeGreaterThan(0);
		for (const who of [as.coordB, as.funder, as.outsider]) {
			const seen = await asUserThenRollback(who, (tx) => Promise.all([exportCitizens(tx, A.id), exportLieux(tx, A.id)]));
			expect(seen).toEqual([[], []]);
		}
	});

	it('marks erased citizens so the CSV carries no personal data for them', async () => {
		const rows = await asUserThenRollback(as.facilitator, async (tx) => {
			const [c] = await tx`select id from public.citizens where territory_id = ${A.id} and erased_at is null limit 1`;
			await tx`update public.citizens set display_name = null, email = null, phone = null, erased_at = now() where id = ${c.id}`;
			return exportCitizens(tx, A.id);
		});
		expect(rows.filter((r) => r.erased).length).toBeGreaterThan(0);
		expect(rows.filter((r) => r.erased).every((r) => r.display_name === null && r.email === null)).toBe(true);
	});
});
