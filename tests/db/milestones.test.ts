import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Claims } from '../../src/lib/server/auth/claims';
import { asService, type Tx } from '../../src/lib/server/db';
import { isLate } from '../../src/lib/domain/forecast';
import { LAWS, completeMilestoneSchema, type MilestoneStatus } from '../../src/lib/domain/milestones';
import {
	changeMilestoneStatus,
	createMilestone,
	deleteMilestone,
	getMilestone,
	listMilestones,
	milestoneHistory,
	updateMilestone
} from '../../src/lib/server/milestones';
import { asUserThenRollback, emailOf, outcome, territoryPair, useTestDatabase } from './helpers';

/**
 * Milestone write paths, through the same asUser path as the pages, as each role: allowed for the
 * territory's coordinator and a facilitator; refused to another territory's coordinator, a funder
 * and a user with no role. Everything is rolled back.
 */

const SLUG = 'haute-lande-numerique';
const OTHER = 'val-d-ardoise';
const TODAY = '2026-11-29';

let stop: () => Promise<void>;
let territoryId: string;
let own: { id: string; version: number };
let template: { id: string; version: number; status: MilestoneStatus };
let as: Record<'coord' | 'otherCoord' | 'facilitator' | 'funder' | 'outsider', Claims>;

beforeAll(async () => {
	stop = useTestDatabase();
	[{ id: territoryId }] = await asService((tx) => tx`select id from public.territories where slug = ${SLUG}`);
	// An own milestone to work on (committed: the demo may have none for this territory).
	// (as a fixture, like the seed: no audit event, so that other files see the demo's history only)
	[own] = await asService(async (tx) => {
		await tx`select set_config('marathon.seeding', 'on', true)`;
		return tx<{ id: string; version: number }[]>`
			insert into public.milestones (territory_id, title, due_date) values (${territoryId}, 'Jalon de test (db)', '2026-12-15')
			returning id, version`;
	});
	[template] = await asService(
		(tx) => tx<{ id: string; version: number; status: MilestoneStatus }[]>`
			select id, version, status from public.milestones
			where territory_id = ${territoryId} and template_id is not null and status <> 'done'
			order by due_date limit 1`
	);
	const { as: r } = await territoryPair(SLUG, OTHER);
	as = { coord: r.coordA, otherCoord: r.coordB, facilitator: r.facilitator, funder: r.funder, outsider: r.outsider };
});
afterAll(async () => {
	await asService(async (tx) => {
		await tx`select set_config('marathon.seeding', 'on', true)`;
		await tx`delete from public.milestones where id = ${own.id}`;
		// and the history a test below wrote by hand
		await tx`delete from public.audit_events where entity = 'milestones' and entity_id = ${own.id}`;
	});
	await stop();
});

const input = { title: 'Fête des communs', description: 'Dans la halle', due_date: '2027-03-15', laws: [2, 5] };
const complete = completeMilestoneSchema(TODAY).parse({
	version: '1',
	evidence_note: 'Compte rendu en ligne',
	evidence_url: 'https://exemple.fr/cr'
});

/** 'ok' when the write happened; false when it touched nothing; or the HTTP status it was refused with. */
async function attempt(claims: Claims, fn: (tx: Tx) => Promise<unknown>) {
	let result: unknown;
	const status = await outcome(claims, async (tx) => {
		result = await fn(tx);
	});
	return status === 'ok' ? (result === false ? false : 'ok') : status;
}

const writes: Record<string, (tx: Tx) => Promise<unknown>> = {
	create: (tx) => createMilestone(tx, territoryId, input),
	update: (tx) => updateMilestone(tx, territoryId, own.id, { ...input, version: own.version }),
	start: (tx) => changeMilestoneStatus(tx, territoryId, own.id, own.version, { action: 'start' }),
	complete: (tx) => changeMilestoneStatus(tx, territoryId, own.id, own.version, { action: 'complete', input: complete }),
	block: (tx) =>
		changeMilestoneStatus(tx, territoryId, own.id, own.version, { action: 'block', input: { version: 1, blocked_reason: 'Salle fermée' } }),
	delete: (tx) => deleteMilestone(tx, territoryId, own.id, own.version)
};

describe('who may write a milestone', () => {
	it.each(Object.keys(writes))('%s: the territory’s coordinator and a facilitator may', async (name) => {
		expect(await attempt(as.coord, writes[name])).toBe('ok');
		expect(await attempt(as.facilitator, writes[name])).toBe('ok');
	});

	it.each(Object.keys(writes))('%s: another territory’s coordinator, a funder, a user with no role may not', async (name) => {
		for (const who of [as.otherCoord, as.funder, as.outsider]) {
			const result = await attempt(who, writes[name]);
			// insert: refused outright (RLS with check → 403); update/delete: the row is invisible, nothing touched
			expect([403, false]).toContain(result);
		}
		// and nothing changed
		const [row] = await asService((tx) => tx`select status, title, version from public.milestones where id = ${own.id}`);
		expect(row).toMatchObject({ status: 'planned', title: 'Jalon de test (db)', version: own.version });
	});

	it('a coordinator cannot delete a template milestone, even at the right version (RLS too)', async () => {
		expect(await attempt(as.coord, (tx) => deleteMilestone(tx, territoryId, template.id, template.version))).toBe(false);
		const raw = await asUserThenRollback(as.coord, (tx) => tx`delete from public.milestones where id = ${template.id} returning id`);
		expect(raw).toHaveLength(0);
		const [still] = await asService((tx) => tx`select count(*)::int as n from public.milestones where id = ${template.id}`);
		expect(still.n).toBe(1);
	});
});

describe('what the writes do', () => {
	it('completing sets the status, completed_at and the evidence; reopening clears the date', async () => {
		const after = await asUserThenRollback(as.coord, async (tx) => {
			expect(await changeMilestoneStatus(tx, territoryId, own.id, own.version, { action: 'complete', input: complete })).toBe(true);
			const done = await getMilestone(tx, territoryId, own.id);
			expect(await changeMilestoneStatus(tx, territoryId, own.id, done!.version, { action: 'reopen' })).toBe(true);
			return { done, reopened: await getMilestone(tx, territoryId, own.id) };
		});
		expect(after.done).toMatchObject({
			status: 'done',
			completed_at: TODAY,
			evidence_note: 'Compte rendu en ligne',
			evidence_url: 'https://exemple.fr/cr',
			version: own.version + 1
		});
		expect(after.reopened).toMatchObject({ status: 'in_progress', completed_at: null });
	});

	it('blocking keeps the reason; unblocking clears it', async () => {
		const after = await asUserThenRollback(as.coord, async (tx) => {
			await changeMilestoneStatus(tx, territoryId, own.id, own.version, {
				action: 'block',
				input: { version: own.version, blocked_reason: 'Salle fermée' }
			});
			const blocked = await getMilestone(tx, territoryId, own.id);
			await changeMilestoneStatus(tx, territoryId, own.id, blocked!.version, { action: 'unblock' });
			return { blocked, unblocked: await getMilestone(tx, territoryId, own.id) };
		});
		expect(after.blocked).toMatchObject({ status: 'blocked', blocked_reason: 'Salle fermée' });
		expect(after.unblocked).toMatchObject({ status: 'in_progress', blocked_reason: '' });
	});

	it('a stale version, or a status change the milestone cannot make, touches nothing', async () => {
		await asUserThenRollback(as.coord, async (tx) => {
			expect(await updateMilestone(tx, territoryId, own.id, { ...input, version: own.version + 1 })).toBe(false);
			expect(await changeMilestoneStatus(tx, territoryId, own.id, own.version, { action: 'reopen' })).toBe(false);
			expect(await changeMilestoneStatus(tx, territoryId, own.id, own.version, { action: 'unblock' })).toBe(false);
		});
	});

	it('the database refuses done without a date and blocked without a reason (check constraints)', async () => {
		expect(await outcome(as.coord, (tx) => tx`update public.milestones set status = 'done' where id = ${own.id}`)).toBe(400);
		expect(await outcome(as.coord, (tx) => tx`update public.milestones set status = 'blocked' where id = ${own.id}`)).toBe(400);
	});

	it('writes are audited, and the history names who did it', async () => {
		const history = await asUserThenRollback(as.facilitator, async (tx) => {
			await updateMilestone(tx, territoryId, own.id, { ...input, version: own.version });
			return milestoneHistory(tx, own.id);
		});
		expect(history[0]).toMatchObject({ action: 'update', actor_name: 'Équipe d’animation CoopCoNuT (démo)' });
		expect(Object.keys(history[0].changes)).toEqual(expect.arrayContaining(['title', 'due_date', 'laws']));
	});

	it('a coordinator sees the facilitator’s name in the history; another territory’s coordinator sees no history', async () => {
		const [facilitatorId] = await asService((tx) => tx`select id from auth.users where email = ${emailOf('facilitator')}`);
		await asService(
			(tx) => tx`insert into public.audit_events (actor_id, territory_id, entity, entity_id, action, changes)
				values (${facilitatorId.id}, ${territoryId}, 'milestones', ${own.id}, 'update', '{"title": ["a", "b"]}')`
		);
		const mine = await asUserThenRollback(as.coord, (tx) => milestoneHistory(tx, own.id));
		expect(mine[0].actor_name).toBe('Équipe d’animation CoopCoNuT (démo)');
		expect(await asUserThenRollback(as.otherCoord, (tx) => milestoneHistory(tx, own.id))).toEqual([]);
		// a funder may run the helper but learns no coordinator's name
		const [coordId] = await asService((tx) => tx`select id from auth.users where email = ${emailOf('coordinator', SLUG)}`);
		const [seen] = await asUserThenRollback(as.funder, (tx) => tx`select private.visible_display_name(${coordId.id}) as name`);
		expect(seen.name).toBeNull();
	});
});

describe('listing', () => {
	it('the late filter in SQL agrees with isLate, milestone by milestone', async () => {
		const all = await asUserThenRollback(as.coord, (tx) => listMilestones(tx, territoryId, { filter: null, today: TODAY }));
		const late = await asUserThenRollback(as.coord, (tx) => listMilestones(tx, territoryId, { filter: 'late', today: TODAY }));
		const expected = all.rows.filter((m) => isLate({ dueDate: m.due_date, status: m.status }, TODAY)).map((m) => m.id);
		expect(expected.length).toBeGreaterThan(0);
		expect(late.rows.map((m) => m.id)).toEqual(expected);
		expect(late.total).toBe(expected.length);
	});

	it('paginates with the filtered total; another territory’s coordinator sees nothing', async () => {
		const page = await asUserThenRollback(as.coord, (tx) =>
			listMilestones(tx, territoryId, { filter: null, today: TODAY, limit: 5, offset: 5 })
		);
		expect(page.rows).toHaveLength(5);
		expect(page.total).toBeGreaterThanOrEqual(13);
		const beyond = await asUserThenRollback(as.coord, (tx) =>
			listMilestones(tx, territoryId, { filter: null, today: TODAY, limit: 25, offset: 500 })
		);
		expect(beyond).toEqual({ total: page.total, rows: [] });
		const other = await asUserThenRollback(as.otherCoord, (tx) => listMilestones(tx, territoryId, { filter: null, today: TODAY }));
		expect(other).toEqual({ total: 0, rows: [] });
	});
});

describe('labels', () => {
	it('the law names the pages show are those of public.laws', async () => {
		const rows = await asService((tx) => tx<{ id: number; name_fr: string }[]>`select id, name_fr from public.laws order by id`);
		expect(rows.map((r) => ({ n: r.id, name: r.name_fr }))).toEqual(LAWS);
	});
});
