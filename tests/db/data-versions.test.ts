import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asService, asUser } from '../../src/lib/server/db';
import { memoAcrossTerritories } from '../../src/lib/server/db/memo';
import { type TerritoryPair, asUserThenRollback, territoryPair, useTestDatabase } from './helpers';

/**
 * The data version that aggregates across territories are kept against (migration
 * 20261129190000_add_data_versions, src/lib/server/db/memo.ts), and the PL/pgSQL helpers whose
 * plans are kept (20261129190100, 20261129190200): issue #10, per-request cost.
 */
let stop: () => Promise<void>;
let A: TerritoryPair['A'];
let B: TerritoryPair['B'];
let as: TerritoryPair['as'];

beforeAll(async () => {
	stop = useTestDatabase();
	({ A, B, as } = await territoryPair());
});
afterAll(() => stop());

const version = () => asService((tx) => tx<{ v: string }[]>`select private.data_version() as v`).then(([r]) => r.v);
/** A committed write that changes nothing a person sees (a no-op update still is a write). */
const touchCitizenOf = (territoryId: string) =>
	asService((tx) => tx`update public.citizens set display_name = display_name where id = (
		select id from public.citizens where territory_id = ${territoryId} limit 1)`);

describe('data version', () => {
	it('every table of public increases it on insert, update and delete (a new table cannot forget)', async () => {
		const missing = await asService(
			(tx) => tx<{ missing: string }[]>`
				select c.relname || ' ' || e.event as missing
				from pg_class c join pg_namespace n on n.oid = c.relnamespace
				cross join (values ('insert', 4), ('update', 16), ('delete', 8)) e(event, bit)
				where n.nspname = 'public' and c.relkind = 'r'
				  and not exists (
					select from pg_trigger t join pg_proc p on p.oid = t.tgfoid
					where t.tgrelid = c.oid and p.proname = 'bump_data_version' and (t.tgtype & e.bit) <> 0)
				order by 1`
		);
		expect(missing.map((r) => r.missing)).toEqual([]);
	});

	it('moves with a committed write in any territory, not with a rolled back one', async () => {
		const before = await version();
		await asUserThenRollback(as.coordA, (tx) => tx`update public.citizens set display_name = display_name where territory_id = ${A.id}`);
		expect(await version()).toBe(before);
		await touchCitizenOf(B.id);
		const after = await version();
		expect(after).not.toBe(before);
		expect(after.split(':')[0]).toBe(before.split(':')[0]);
		expect(Number(after.split(':')[1])).toBeGreaterThan(Number(before.split(':')[1]));
	});

	it('is readable by signed-in users only; its counters by nobody but their owner', async () => {
		await expect(asUserThenRollback(null, (tx) => tx`select private.data_version()`)).rejects.toMatchObject({ status: 403 });
		await expect(asUserThenRollback(as.funder, (tx) => tx`select * from private.data_versions`)).rejects.toMatchObject({ status: 403 });
		await expect(asUserThenRollback(as.coordA, (tx) => tx`update private.data_versions set v = 0`)).rejects.toMatchObject({ status: 403 });
	});
});

describe('memoAcrossTerritories', () => {
	it('computes once per data version for staff and funders, again after a write; always for a coordinator', async () => {
		let computed = 0;
		const key = `test|${crypto.randomUUID()}`;
		const compute = async () => ++computed;
		const read = (claims: typeof as.facilitator) => asUser(claims, (tx) => memoAcrossTerritories(tx, claims, key, compute));

		expect(await read(as.facilitator)).toBe(1);
		expect(await read(as.facilitator)).toBe(1);
		expect(await read(as.funder)).toBe(2); // another role: its own value
		expect(await read(as.funder)).toBe(2);
		await touchCitizenOf(A.id);
		expect(await read(as.facilitator)).toBe(3);
		expect(await read(as.coordA)).toBe(4);
		expect(await read(as.coordA)).toBe(5);
	});

	it('gives the cockpit the figures of a write committed by a coordinator (no stale table)', async () => {
		const { activeCockpitRows } = await import('../../src/lib/server/cockpit');
		const today = new Date().toISOString().slice(0, 10);
		const before = (await activeCockpitRows(as.facilitator, today)).rows.find((r) => r.territory_id === A.id)!;
		const [{ id }] = await asService(
			(tx) => tx<{ id: string }[]>`select id from public.milestones where territory_id = ${A.id} and status <> 'done' order by due_date limit 1`
		);
		const [old] = await asService((tx) => tx`select status, completed_at from public.milestones where id = ${id}`);
		await asService((tx) => tx`update public.milestones set status = 'done', completed_at = now() where id = ${id}`);
		try {
			const after = (await activeCockpitRows(as.facilitator, today)).rows.find((r) => r.territory_id === A.id)!;
			expect(after.milestones_done).toBe(before.milestones_done + 1);
		} finally {
			await asService((tx) => tx`update public.milestones set status = ${old.status}, completed_at = ${old.completed_at} where id = ${id}`);
		}
	});
});

describe('kept plans', () => {
	it('the policy helpers and the per-request figure functions are PL/pgSQL', async () => {
		const rows = await asService(
			(tx) => tx<{ f: string; lang: string }[]>`
				select p.oid::regprocedure::text as f, l.lanname as lang
				from pg_proc p join pg_language l on l.oid = p.prolang join pg_namespace n on n.oid = p.pronamespace
				where (n.nspname = 'private' and p.proname in ('app_role', 'is_staff', 'is_admin', 'my_territory_ids', 'can_access_territory'))
				   or (n.nspname = 'public' and p.proname in ('territory_figures', 'territory_standing', 'program_totals')
				       or p.proname like 'impact\\_%' and n.nspname = 'public')
				order by 1`
		);
		expect(rows.length).toBeGreaterThanOrEqual(13);
		expect(rows.filter((r) => r.lang !== 'plpgsql')).toEqual([]);
	});
});
