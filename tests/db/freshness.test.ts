import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TerritoryPair, asUserOnOwnerThenRollback, territoryPair, useTestDatabase } from './helpers';

/**
 * Days without update (the cockpit's freshness, `territory_figures.last_change_on`) measure the
 * territory's own activity: a change made by one of its members, not one the facilitation made to
 * every territory at once (a milestone template applied to all) — the attack of issue #8 found
 * that applying a template made all 18 territories look updated today.
 */
let stop: () => Promise<void>;
let A: TerritoryPair['A'];
let as: TerritoryPair['as'];

beforeAll(async () => {
	stop = useTestDatabase();
	({ A, as } = await territoryPair());
});
afterAll(() => stop());

describe('last change of a territory', () => {
	it('moves with a change by its coordinator, not with one by a facilitator', async () => {
		const seen = await asUserOnOwnerThenRollback(as.facilitator, async (tx) => {
			const last = async () =>
				(await tx<{ d: string | null }[]>`select last_change_on::text as d from public.territory_figures('2099-01-01', ${A.id})`)[0].d;
			await tx`reset role`;
			await tx`delete from public.audit_events where territory_id = ${A.id} and at > now() - interval '2 days'`;
			await tx`select set_config('role', 'authenticated', true)`;
			const before = await last();
			await tx`reset role`;
			await tx`insert into public.audit_events (at, actor_id, territory_id, entity, entity_id, action, changes)
				values (now(), ${as.facilitator.sub}, ${A.id}, 'milestones', 'x', 'update', '{"template_synced": [null, true]}')`;
			await tx`select set_config('role', 'authenticated', true)`;
			const afterStaff = await last();
			await tx`reset role`;
			await tx`insert into public.audit_events (at, actor_id, territory_id, entity, entity_id, action, changes)
				values (now(), ${as.coordA.sub}, ${A.id}, 'citizens', 'y', 'update', '{}')`;
			await tx`select set_config('role', 'authenticated', true)`;
			const afterMember = await last();
			const [{ today }] = await tx<{ today: string }[]>`select (now() at time zone 'Europe/Paris')::date::text as today`;
			return { before, afterStaff, afterMember, today };
		});
		expect(seen.before).not.toBe(seen.today);
		expect(seen.afterStaff).toBe(seen.before);
		expect(seen.afterMember).toBe(seen.today);
	});
});

describe('the cohort as configured reaches every page through territory_figures', () => {
	it('gives each territory the cohort’s program length and phases', async () => {
		const rows = await asUserOnOwnerThenRollback(as.facilitator, async (tx) => {
			await tx`update public.cohorts set duration_months = 24`;
			return tx<{ program_months: number; phases: { code: string }[] }[]>`select program_months, phases from public.territory_figures(current_date, ${A.id})`;
		});
		expect(rows[0].program_months).toBe(24);
		expect(rows[0].phases.map((p) => p.code).length).toBeGreaterThan(0);
	});
});
