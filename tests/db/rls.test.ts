import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Claims } from '../../src/lib/server/auth/claims';
import { asService } from '../../src/lib/server/db';
import { type TerritoryPair, accounts, asUserThenRollback, outcome, territoryPair, useTestDatabase } from './helpers';

/**
 * The RLS matrix, proved against the real migrations on a real Postgres, through the same
 * `asUser` path the app uses: each role is refused what it must not do, not only allowed
 * what it may.
 */

const PERSONAL = ['citizens', 'consent_events', 'lieux', 'attendances'] as const;
const TERRITORY_SCOPED = [...PERSONAL, 'workshops', 'milestones', 'indicator_values', 'audit_events'] as const;

let stop: () => Promise<void>;
let A: TerritoryPair['A'];
let B: TerritoryPair['B'];
let citizenOfB: string;
let as: TerritoryPair['as'];

beforeAll(async () => {
	stop = useTestDatabase();
	({ A, B, as } = await territoryPair());
	[{ id: citizenOfB }] = await asService(
		(tx) => tx`select id from public.citizens where territory_id = ${B.id} limit 1`
	);
});
afterAll(() => stop());

const countIn = (table: string) => async (tx: import('../../src/lib/server/db').Tx) => {
	const rows = await tx.unsafe(`select territory_id, count(*)::int as n from public.${table} group by 1`);
	return new Map(rows.map((r) => [r.territory_id as string, r.n as number]));
};

describe('reading territory data', () => {
	it.each(TERRITORY_SCOPED)('%s: a coordinator reads only their own territory', async (table) => {
		const seen = await asUserThenRollback(as.coordA, countIn(table));
		expect([...seen.keys()].every((id) => id === A.id)).toBe(true);
		if (table !== 'audit_events') expect(seen.get(A.id)).toBeGreaterThan(0);
	});

	it.each(TERRITORY_SCOPED)('%s: a facilitator and an admin read every territory', async (table) => {
		for (const who of [as.facilitator, as.admin]) {
			const seen = await asUserThenRollback(who, countIn(table));
			if (table !== 'audit_events') expect(seen.size).toBe(18);
		}
	});

	it.each(TERRITORY_SCOPED)('%s: a funder, and a user with no role, read not a single row', async (table) => {
		for (const who of [as.funder, as.outsider]) {
			const seen = await asUserThenRollback(who, countIn(table));
			expect(seen.size).toBe(0);
		}
	});

	it.each([...TERRITORY_SCOPED, 'territories', 'profiles', 'cohorts', 'indicators'])(
		'%s: anon is refused outright (no grant)',
		async (table) => {
			expect(await outcome(null, (tx) => tx.unsafe(`select 1 from public.${table} limit 1`))).toBe(403);
		}
	);

	it('profiles: a coordinator sees only their own; staff see all', async () => {
		const own = await asUserThenRollback(as.coordA, (tx) => tx`select user_id from public.profiles`);
		expect(own.map((r) => r.user_id)).toEqual([as.coordA.sub]);
		const all = await asUserThenRollback(as.facilitator, (tx) => tx`select count(*)::int as n from public.profiles`);
		expect(all[0].n).toBe(accounts.length);
	});

	it('program configuration is readable by every role', async () => {
		for (const who of [as.coordA, as.funder, as.facilitator]) {
			const [row] = await asUserThenRollback(who, (tx) => tx`
				select (select count(*) from public.territories)::int as territories,
				       (select count(*) from public.indicators)::int as indicators,
				       (select count(*) from public.milestone_templates)::int as templates`);
			expect(row.territories).toBe(18);
			expect(row.indicators).toBeGreaterThan(0);
			expect(row.templates).toBeGreaterThan(0);
		}
	});
});

describe('writing territory data', () => {
	const newCitizen = (territoryId: string) => (tx: import('../../src/lib/server/db').Tx) =>
		tx`insert into public.citizens (territory_id, display_name, source) values (${territoryId}, 'Test T.', 'event')`;

	it('a coordinator enrols a citizen in their territory, and the audit trail masks the name', async () => {
		const audit = await asUserThenRollback(as.coordA, async (tx) => {
			const [c] = await tx`insert into public.citizens (territory_id, display_name, source)
				values (${A.id}, 'Claude Test', 'event') returning id`;
			return tx`select actor_id, territory_id, action, changes from public.audit_events
				where entity = 'citizens' and entity_id = ${c.id}`;
		});
		expect(audit).toHaveLength(1);
		expect(audit[0]).toMatchObject({ actor_id: as.coordA.sub, territory_id: A.id, action: 'insert' });
		expect(JSON.stringify(audit[0].changes)).not.toContain('Claude Test');
	});

	it('a coordinator cannot enrol a citizen in another territory', async () => {
		expect(await outcome(as.coordA, newCitizen(B.id))).toBe(403);
	});

	it('a funder and a user with no role cannot enrol anyone', async () => {
		expect(await outcome(as.funder, newCitizen(A.id))).toBe(403);
		expect(await outcome(as.outsider, newCitizen(A.id))).toBe(403);
	});

	it('a coordinator cannot change another territory’s citizen (0 rows), a facilitator can', async () => {
		const update = (tx: import('../../src/lib/server/db').Tx) =>
			tx`update public.citizens set commune = 'Ailleurs' where id = ${citizenOfB}`;
		expect((await asUserThenRollback(as.coordA, update)).count).toBe(0);
		expect((await asUserThenRollback(as.funder, update)).count).toBe(0);
		expect((await asUserThenRollback(as.facilitator, update)).count).toBe(1);
		expect((await asUserThenRollback(as.coordB, update)).count).toBe(1);
	});

	it('nobody deletes citizens or lieux (erasure anonymises), nor consent history', async () => {
		for (const table of ['citizens', 'lieux', 'consent_events'])
			expect(await outcome(as.admin, (tx) => tx.unsafe(`delete from public.${table}`))).toBe(403);
		expect(
			await outcome(as.coordB, (tx) => tx`update public.consent_events set purpose = 'x' where territory_id = ${B.id}`)
		).toBe(403);
	});

	it('a coordinator cannot record consent for another territory’s citizen', async () => {
		const insert = (tx: import('../../src/lib/server/db').Tx) => tx`
			insert into public.consent_events (citizen_id, territory_id, action, purpose, text_version)
			values (${citizenOfB}, ${A.id}, 'given', 'test', 'v1')`;
		expect(await outcome(as.coordA, insert)).toBe(403);
		expect(await outcome(as.coordB, insert)).toBe('ok');
	});

	it('nobody writes the audit trail by hand', async () => {
		for (const who of [as.coordA, as.facilitator, as.admin])
			expect(
				await outcome(who, (tx) => tx`insert into public.audit_events (entity, entity_id, action)
					values ('x', 'y', 'insert')`)
			).toBe(403);
	});

	it('lost updates are detectable: every update bumps the version', async () => {
		const versions = await asUserThenRollback(as.coordB, async (tx) => {
			const [before] = await tx`select version from public.citizens where id = ${citizenOfB}`;
			await tx`update public.citizens set commune = 'Ici' where id = ${citizenOfB}`;
			const stale = await tx`update public.citizens set commune = 'Là'
				where id = ${citizenOfB} and version = ${before.version}`;
			return { before: before.version as number, staleCount: stale.count };
		});
		expect(versions.staleCount).toBe(0);
	});
});

describe('program configuration and roles', () => {
	it('only staff change territories and the indicator catalog', async () => {
		const rename = (tx: import('../../src/lib/server/db').Tx) =>
			tx`update public.territories set description = 'modifié' where id = ${A.id}`;
		expect((await asUserThenRollback(as.coordA, rename)).count).toBe(0);
		expect((await asUserThenRollback(as.funder, rename)).count).toBe(0);
		expect((await asUserThenRollback(as.facilitator, rename)).count).toBe(1);
		const newTerritory = (tx: import('../../src/lib/server/db').Tx) => tx`
			insert into public.territories (cohort_id, name, slug, region, departement, carrier_kind)
			select cohort_id, 'Nouveau', 'nouveau', 'R', 'D', 'mixte' from public.territories limit 1`;
		expect(await outcome(as.coordA, newTerritory)).toBe(403);
		expect(await outcome(as.funder, newTerritory)).toBe(403);
		expect(await outcome(as.facilitator, newTerritory)).toBe('ok');
		const retire = (tx: import('../../src/lib/server/db').Tx) =>
			tx`update public.indicators set active = false`;
		expect((await asUserThenRollback(as.coordA, retire)).count).toBe(0);
	});

	it('nobody raises their own role; facilitators cannot make admins; admins can', async () => {
		const promote = (who: Claims) => (tx: import('../../src/lib/server/db').Tx) =>
			tx`update public.profiles set app_role = 'admin' where user_id = ${who.sub}`;
		expect((await asUserThenRollback(as.coordA, promote(as.coordA))).count).toBe(0);
		expect((await asUserThenRollback(as.funder, promote(as.funder))).count).toBe(0);
		expect(await outcome(as.facilitator, promote(as.facilitator))).toBe(403);
		expect((await asUserThenRollback(as.admin, promote(as.funder))).count).toBe(1);
	});

	it('a coordinator cannot join another territory', async () => {
		const join = (tx: import('../../src/lib/server/db').Tx) =>
			tx`insert into public.territory_members (territory_id, user_id) values (${B.id}, ${as.coordA.sub})`;
		expect(await outcome(as.coordA, join)).toBe(403);
		expect(await outcome(as.facilitator, join)).toBe('ok');
	});
});

describe('aggregates', () => {
	const figures = (tx: import('../../src/lib/server/db').Tx) =>
		tx`select territory_id, citizens from public.territory_figures('2026-11-29')`;

	it('funders get every territory’s counts; coordinators their own; others nothing', async () => {
		expect(await asUserThenRollback(as.funder, figures)).toHaveLength(18);
		expect(await asUserThenRollback(as.facilitator, figures)).toHaveLength(18);
		const own = await asUserThenRollback(as.coordA, figures);
		expect(own.map((r) => r.territory_id)).toEqual([A.id]);
		expect(await asUserThenRollback(as.outsider, figures)).toHaveLength(0);
		expect(await outcome(null, figures)).toBe(403);
	});

	it('the counts equal what the territory’s own team sees row by row', async () => {
		const [fig] = await asUserThenRollback(as.funder, (tx) =>
			tx`select citizens from public.territory_figures('2026-11-29') where territory_id = ${A.id}`
		);
		const [rows] = await asUserThenRollback(as.coordA, (tx) =>
			tx`select count(*)::int as n from public.citizens where status = 'active'`
		);
		expect(fig.citizens).toBe(rows.n);
	});

	it('program totals: every role; the public once published; no role, nothing', async () => {
		const [totals] = await asUserThenRollback(as.funder, (tx) => tx`select * from public.program_totals()`);
		expect(totals.territories).toBe(18);
		expect(totals.citizens).toBeGreaterThan(1000);
		expect(await asUserThenRollback(as.outsider, (tx) => tx`select * from public.program_totals()`)).toHaveLength(0);
		expect(await outcome(null, (tx) => tx`select * from public.program_totals()`)).toBe(403);
		const published = await asUserThenRollback(null, (tx) => tx`select * from public.public_program_totals()`);
		expect(published[0].citizens).toBe(totals.citizens);
		// Unpublished by the server itself (the request login could not: `reset role` gives it
		// nothing), then seen as anon, in one transaction rolled back.
		const rollback = new Error('rollback');
		let hidden: unknown[] = [];
		await asService(async (tx) => {
			await tx`update public.cohorts set transparency_published = false`;
			await tx`select set_config('role', 'anon', true), set_config('request.jwt.claims', '{"role":"anon"}', true)`;
			hidden = [...(await tx`select * from public.public_program_totals()`)];
			throw rollback;
		}).catch((e: unknown) => {
			if (e !== rollback) throw e;
		});
		expect(hidden).toHaveLength(0);
	});
});
