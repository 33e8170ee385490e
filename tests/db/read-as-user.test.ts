import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isHttpError } from '@sveltejs/kit';
import { asUser, readAsUser, type Tx } from '../../src/lib/server/db';
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

	describe('in one trip (the commit leaves with the reads)', () => {
		const whoAndWhere = (tx: Tx) =>
			Promise.all([
				tx<{ role: string; sub: string; read_only: string }[]>`
					select current_user as role, (current_setting('request.jwt.claims', true)::jsonb ->> 'sub') as sub,
					       current_setting('transaction_read_only') as read_only`,
				tx<{ slug: string }[]>`select distinct t.slug from public.citizens c join public.territories t on t.id = c.territory_id`
			]);

		it('reads as the user, in the transaction, RLS deciding — like the ordinary read', async () => {
			const [[who], seen] = await readAsUser(coordinator, whoAndWhere, { oneTrip: true });
			expect(who.role).toBe('authenticated');
			expect(who.sub).toBe(coordinator.sub);
			expect(seen.map((r) => r.slug)).toEqual([slug]);
			// inside the read-only transaction (outside it, a session's default is off)
			expect(who.read_only).toBe('on');
		});

		it('a query that waits for another one is not sent after the commit: the read runs again, the ordinary way, and is right', async () => {
			let runs = 0;
			const result = await readAsUser(
				coordinator,
				async (tx) => {
					runs++;
					const [first] = await tx<{ n: number }[]>`select count(*)::int as n from public.lieux`;
					// sent after an answer came back: after the commit in one trip
					const [who] = await tx<{ role: string }[]>`select current_user as role`;
					return { n: first.n, role: who.role };
				},
				{ oneTrip: true }
			);
			expect(runs).toBe(2);
			expect(result.role).toBe('authenticated');
			const [ordinary] = await readAsUser(coordinator, (tx) => tx<{ n: number }[]>`select count(*)::int as n from public.lieux`);
			expect(result.n).toBe(ordinary.n);
		});

		it('late queries built in two ways at once (an async helper, a plain one) leave nothing unhandled and the answer is right', async () => {
			let runs = 0;
			const count = async (tx: Tx) => (await tx<{ n: number }[]>`select count(*)::int as n from public.lieux`)[0].n;
			const result = await readAsUser(
				coordinator,
				async (tx) => {
					runs++;
					await tx`select 1`;
					// the shape of countAndPage's second look: a promise made, then a query built
					const [n, [who]] = await Promise.all([count(tx), tx<{ role: string }[]>`select current_user as role`]);
					return { n, role: who.role };
				},
				{ oneTrip: true }
			);
			expect(runs).toBe(2);
			expect(result.role).toBe('authenticated');
			expect(result.n).toBe((await readAsUser(coordinator, count)));
		});

		it('refuses writes and gives back its connection after an error', async () => {
			const refused = await readAsUser(coordinator, (tx) => tx`update public.lieux set name = name where true`, { oneTrip: true }).catch(
				(e: unknown) => e
			);
			expect(isHttpError(refused) || (refused as { code?: string }).code === '25006').toBe(true);
			await expect(readAsUser(coordinator, (tx) => tx`select 1 / 0`, { oneTrip: true })).rejects.toBeTruthy();
			for (let i = 0; i < 15; i++) {
				const [[who]] = await readAsUser(coordinator, whoAndWhere, { oneTrip: true });
				expect(who.role).toBe('authenticated');
			}
		});

		it('a read that sends nothing still ends its transaction', async () => {
			for (let i = 0; i < 12; i++) expect(await readAsUser(coordinator, async () => i, { oneTrip: true })).toBe(i);
			const [[who]] = await readAsUser(coordinator, whoAndWhere, { oneTrip: true });
			expect(who.role).toBe('authenticated');
		});
	});
});
