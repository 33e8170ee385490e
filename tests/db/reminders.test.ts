import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asService } from '../../src/lib/server/db';
import { recordReminder, reminderItems } from '../../src/lib/server/reminders';
import { asUserThenRollback, outcome, territoryPair, useTestDatabase, type TerritoryPair } from './helpers';

/**
 * Recorded reminders (/pilotage/relances) as each role, on the real migrations and RLS: staff
 * record them (the sender is always themselves), a territory's coordinator reads those about their
 * territory, funders and others nothing; nobody edits or deletes one; each is audited without
 * making the territory look fresh. Everything a role writes is rolled back.
 */

const TODAY = '2026-11-29';
let stop: () => Promise<void>;
let pair: TerritoryPair;
/** A reminder about territory A, committed by the owner (as the seed would), removed after. */
const FIXTURE = '00000000-0000-4000-8000-00000000e001';

const reminder = (territoryId: string) => ({
	territoryId,
	channel: 'email' as const,
	summary: '1 mois d’indicateurs manquant (octobre 2026)',
	missingMonths: ['2026-10-01'],
	daysSinceChange: 12
});

beforeAll(async () => {
	stop = useTestDatabase();
	pair = await territoryPair();
	await asService(
		(tx) => tx`insert into public.reminders (id, territory_id, sent_by, channel, summary)
			values (${FIXTURE}, ${pair.A.id}, ${pair.as.facilitator.sub}, 'phone', 'Test de lecture')`
	);
});
afterAll(async () => {
	await asService(async (tx) => {
		await tx`delete from public.reminders where id = ${FIXTURE}`;
		await tx`delete from public.audit_events where entity = 'reminders' and entity_id = ${FIXTURE}`;
	});
	await stop();
});

describe('recording a reminder, as each role', () => {
	it('facilitators and admins record one; the sender and time are theirs, whatever was sent', async () => {
		for (const who of [pair.as.facilitator, pair.as.admin]) {
			const row = await asUserThenRollback(who, async (tx) => {
				await recordReminder(tx, reminder(pair.A.id));
				// a forged sender is replaced by the signed-in person
				const [forged] = await tx<{ sent_by: string; sent_at: Date; now: Date }[]>`
					insert into public.reminders (territory_id, sent_by, sent_at, channel, summary)
					values (${pair.A.id}, ${pair.as.coordA.sub}, '2020-01-01', 'message', 'Falsifiée')
					returning sent_by, sent_at, now() as now`;
				return forged;
			});
			expect(row.sent_by).toBe(who.sub);
			expect(row.sent_at.getTime()).toBe(row.now.getTime());
		}
	});

	it('coordinators (even of the territory), funders and people without a role are refused by the database', async () => {
		for (const who of [pair.as.coordA, pair.as.coordB, pair.as.funder, pair.as.outsider]) {
			expect(await outcome(who, (tx) => recordReminder(tx, reminder(pair.A.id)))).toBe(403);
			expect(
				await outcome(who, (tx) => tx`insert into public.reminders (territory_id, channel, summary) values (${pair.A.id}, 'email', 'x')`)
			).toBe(403);
		}
	});

	it('a bad value is refused by the database too (channel, empty summary)', async () => {
		await expect(
			asUserThenRollback(pair.as.facilitator, (tx) => tx`insert into public.reminders (territory_id, channel, summary) values (${pair.A.id}, 'pigeon', 'x')`)
		).rejects.toThrow();
		await expect(
			asUserThenRollback(pair.as.facilitator, (tx) => recordReminder(tx, { ...reminder(pair.A.id), summary: '   ' }))
		).rejects.toThrow();
	});

	it('is audited, without the territory on the event: it does not reset « days since the last change »', async () => {
		const result = await asUserThenRollback(pair.as.facilitator, async (tx) => {
			const before = await tx<{ last_change_on: string | null }[]>`select last_change_on from public.territory_figures(${TODAY}::date, ${pair.A.id})`;
			const id = await recordReminder(tx, reminder(pair.A.id));
			const events = await tx<{ territory_id: string | null; actor_id: string; action: string; changes: Record<string, unknown> }[]>`
				select territory_id, actor_id, action, changes from public.audit_events where entity = 'reminders' and entity_id = ${id}`;
			const after = await tx<{ last_change_on: string | null }[]>`select last_change_on from public.territory_figures(${TODAY}::date, ${pair.A.id})`;
			return { before: before[0].last_change_on, after: after[0].last_change_on, events };
		});
		expect(result.events).toHaveLength(1);
		expect(result.events[0]).toMatchObject({ territory_id: null, actor_id: pair.as.facilitator.sub, action: 'insert' });
		expect(result.events[0].changes).toMatchObject({ territory_id: pair.A.id, channel: 'email', summary: '1 mois d’indicateurs manquant (octobre 2026)' });
		expect(result.after).toEqual(result.before);
	});
});

describe('reading, changing and removing reminders, as each role', () => {
	const seen = (who: keyof TerritoryPair['as']) =>
		asUserThenRollback(pair.as[who], (tx) => tx<{ id: string }[]>`select id from public.reminders where id = ${FIXTURE}`);

	it('staff and the territory’s coordinator read it; another coordinator, the funder and others do not', async () => {
		expect(await seen('facilitator')).toHaveLength(1);
		expect(await seen('admin')).toHaveLength(1);
		expect(await seen('coordA')).toHaveLength(1);
		expect(await seen('coordB')).toHaveLength(0);
		expect(await seen('funder')).toHaveLength(0);
		expect(await seen('outsider')).toHaveLength(0);
	});

	it('nobody edits or deletes one, staff included', async () => {
		for (const who of Object.values(pair.as)) {
			expect(await outcome(who, (tx) => tx`update public.reminders set summary = 'changée' where id = ${FIXTURE}`)).toBe(403);
			expect(await outcome(who, (tx) => tx`delete from public.reminders where id = ${FIXTURE}`)).toBe(403);
		}
	});
});

describe('reminderItems (the page’s data)', () => {
	it('lists, as staff, the months each territory has not entered — which indicators for a partial one — its coordinator and last reminder', async () => {
		const { items, one } = await asUserThenRollback(pair.as.facilitator, async (tx) => {
			// the demo has every month entered: remove October 2026, and one indicator of September
			const [one] = await tx<{ id: string; name: string }[]>`
				select i.id, i.name_fr as name from public.indicator_values v join public.indicators i on i.id = v.indicator_id
				where v.territory_id = ${pair.A.id} and v.month = '2026-09-01' and i.active order by i.law, i.sort_order, i.code limit 1`;
			await tx`delete from public.indicator_values where territory_id = ${pair.A.id} and month = '2026-10-01'`;
			await tx`delete from public.indicator_values where territory_id = ${pair.A.id} and month = '2026-09-01' and indicator_id = ${one.id}`;
			return { items: await reminderItems(tx, TODAY, 30), one };
		});
		const a = items.find((i) => i.row.territory_id === pair.A.id)!;
		expect(a.needs.months).toEqual([
			{ month: '2026-09-01', indicators: [one.name], all: false },
			{ month: '2026-10-01', indicators: a.territory.catalog.map((i) => i.name), all: true }
		]);
		expect(a.territory.catalog.length).toBeGreaterThan(1);
		expect(a.coordinators).toEqual([{ name: expect.any(String), email: `coordination.${pair.A.slug}@demo.marathon.test` }]);
		expect(a.last).toMatchObject({ channel: 'phone', sent_by_name: expect.any(String) });
		// the others listed are those without change for 30 days or more (the demo has some)
		for (const other of items.filter((i) => i !== a)) expect(other.needs.staleDays ?? 0).toBeGreaterThanOrEqual(30);
		expect(items.length).toBeGreaterThan(1);
	});

	it('lists nobody with N = 365 days: every demo month is entered and every territory changed this year', async () => {
		const items = await asUserThenRollback(pair.as.facilitator, (tx) => reminderItems(tx, TODAY, 365));
		expect(items).toEqual([]);
	});

	it('gives a coordinator no one’s e-mail (the directory is staff only)', async () => {
		const items = await asUserThenRollback(pair.as.coordA, (tx) => reminderItems(tx, TODAY, 30));
		expect(items.every((i) => i.coordinators.length === 0)).toBe(true);
	});
});
