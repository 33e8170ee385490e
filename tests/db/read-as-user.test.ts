import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isHttpError } from '@sveltejs/kit';
import { asUser, readAsUser } from '../../src/lib/server/db';
import { accounts, claimsOf, emailOf, useTestDatabase } from './helpers';
import type { Claims } from '../../src/lib/server/auth/claims';

// readAsUser: the read-only transaction of page loads, its begin and claims pipelined with the
// first queries (src/lib/server/db/index.ts). The same rules as asUser: the user's role and claims,
// RLS deciding; and nothing written.
let stop: () => Promise<void>;
let coordinator: Claims;
let slug: string;

beforeAll(async () => {
	stop = useTestDatabase();
	const account = accounts.find((a) => a.role === 'coordinator')!;
	slug = account.territorySlug!;
	coordinator = await claimsOf(emailOf('coordinator', slug));
});
afterAll(() => stop());

describe('readAsUser', () => {
	it('reads as the user: role authenticated, their claims, RLS deciding which territories they see', async () => {
		const { role, sub, territories } = await readAsUser(coordinator, async (tx) => {
			const [who] = await tx<{ role: string; sub: string }[]>`
				select current_user as role, (current_setting('request.jwt.claims', true)::jsonb ->> 'sub') as sub`;
			const seen = await tx<{ slug: string }[]>`
				select distinct t.slug from public.citizens c join public.territories t on t.id = c.territory_id`;
			return { ...who, territories: seen.map((r) => r.slug) };
		});
		expect(role).toBe('authenticated');
		expect(sub).toBe(coordinator.sub);
		expect(territories).toEqual([slug]);
	});

	it('refuses any write (read only): nothing is written, the answer is an HTTP error', async () => {
		const before = await asUser(coordinator, (tx) => tx<{ n: number }[]>`select count(*)::int as n from public.lieux`);
		const refused = await readAsUser(coordinator, (tx) =>
			tx`update public.lieux set name = name || ' !' where true`
		).catch((e: unknown) => e);
		expect(isHttpError(refused) || (refused as { code?: string }).code === '25006').toBe(true);
		const after = await asUser(coordinator, (tx) => tx<{ n: number; changed: number }[]>`
			select count(*)::int as n, count(*) filter (where name like '% !')::int as changed from public.lieux`);
		expect(after[0].n).toBe(before[0].n);
		expect(after[0].changed).toBe(0);
	});

	it('gives back its connection after an error: the next reads work', async () => {
		await expect(readAsUser(coordinator, (tx) => tx`select 1 / 0`)).rejects.toBeTruthy();
		for (let i = 0; i < 15; i++) {
			const [row] = await readAsUser(coordinator, (tx) => tx<{ one: number }[]>`select 1 as one`);
			expect(row.one).toBe(1);
		}
	});
});
