import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import postgres, { type Sql } from 'postgres';
import type { Tx } from '../../src/lib/server/db';
import { purgeExpired, retentionMonths } from '../../src/lib/server/rgpd/retention';

// RGPD retention (issue #7, point 10): `npm run db:retention` runs purgeExpired as the owner.

let owner: Sql;
beforeAll(() => {
	owner = postgres(inject('databaseUrl'), { max: 1, onnotice: () => {} });
});
afterAll(() => owner.end());

const ROLLBACK = new Error('rollback');
async function rolledBack<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
	let result: T | undefined;
	await owner
		.begin(async (tx) => {
			result = await fn(tx as unknown as Tx);
			throw ROLLBACK;
		})
		.catch((e: unknown) => {
			if (e !== ROLLBACK) throw e;
		});
	return result as T;
}

describe('retention', () => {
	it('purges what remains of people withdrawn or erased before the period, keeps the rows and the counts', async () => {
		const r = await rolledBack(async (tx) => {
			const people = await tx<{ id: string; territory_id: string }[]>`
				select id, territory_id from public.citizens
				where status = 'active' and erased_at is null and commune is not null and age_band <> 'non_renseigne'
				order by id limit 4`;
			const [oldWithdrawn, oldErased, recentWithdrawn, active] = people.map((p) => p.id);
			await tx`update public.citizens set status = 'withdrawn', withdrawn_at = '2020-01-15' where id = ${oldWithdrawn}`;
			await tx`update public.citizens set display_name = null, email = null, phone = null, postal_code = null,
				erased_at = '2020-01-15' where id = ${oldErased}`;
			await tx`update public.citizens set status = 'withdrawn', withdrawn_at = current_date - 30 where id = ${recentWithdrawn}`;
			await tx`insert into private.login_attempts (email, ip, at, succeeded) values
				('ancien@exemple.test', '192.0.2.1', now() - interval '200 days', false),
				('recent@exemple.test', '192.0.2.1', now() - interval '2 days', false)`;
			const counts = () => tx<{ status: string; n: number }[]>`
				select status::text, count(*)::int as n from public.citizens group by status order by status`;
			const before = await counts();
			const report = await purgeExpired(tx, { months: 36 });
			const again = await purgeExpired(tx, { months: 36 });
			const rows = await tx`select id, display_name, email, phone, commune, postal_code, age_band::text, status::text,
					erased_at is not null as erased
				from public.citizens where id = any (${[oldWithdrawn, oldErased, recentWithdrawn, active]})`;
			const byId = Object.fromEntries(rows.map((row) => [row.id, row]));
			const [audit] = await tx<{ n: number }[]>`select count(*)::int as n from public.audit_events
				where entity = 'citizens' and entity_id = any (${[oldWithdrawn, oldErased]}) and changes ? 'age_band'`;
			const attempts = await tx`select email from private.login_attempts where email like '%@exemple.test' order by email`;
			const runs = await tx`select months, citizens, login_attempts from private.retention_runs order by id`;
			return { report, again, before, after: await counts(), byId, ids: { oldWithdrawn, oldErased, recentWithdrawn, active }, audit, attempts, runs };
		});
		expect(r.report).toMatchObject({ months: 36, citizens: 2, login_attempts: 1 });
		expect(r.again).toMatchObject({ citizens: 0, login_attempts: 0 });
		const gone = { display_name: null, email: null, phone: null, commune: null, postal_code: null, age_band: 'non_renseigne', erased: true };
		expect(r.byId[r.ids.oldWithdrawn]).toMatchObject({ ...gone, status: 'withdrawn' });
		expect(r.byId[r.ids.oldErased]).toMatchObject({ ...gone, status: 'active' });
		expect(r.byId[r.ids.recentWithdrawn].display_name).not.toBeNull();
		expect(r.byId[r.ids.recentWithdrawn].commune).not.toBeNull();
		expect(r.byId[r.ids.active].display_name).not.toBeNull();
		// rows stay: the enrolment counts are unchanged
		expect(r.after).toEqual(r.before);
		expect(r.audit.n).toBe(0);
		expect(r.attempts.map((a) => a.email)).toEqual(['recent@exemple.test']);
		expect(r.runs.map((x) => [x.months, x.citizens, x.login_attempts])).toEqual([
			[36, 2, 1],
			[36, 0, 0]
		]);
	});

	it('takes its period from MARATHON_RETENTION_MONTHS, 36 months by default, and refuses nonsense', () => {
		expect(retentionMonths(undefined)).toBe(36);
		expect(retentionMonths('12')).toBe(12);
		expect(() => retentionMonths('0')).toThrow(/invalide/);
		expect(() => retentionMonths('abc')).toThrow(/invalide/);
	});
});
