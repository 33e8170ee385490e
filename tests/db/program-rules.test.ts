import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Claims } from '../../src/lib/server/auth/claims';
import { asService, asUser, type Tx } from '../../src/lib/server/db';
import { isLate } from '../../src/lib/domain/forecast';
import type { MilestoneStatus } from '../../src/lib/domain/milestones';
import { CONSENT_PURPOSE, CONSENT_TEXT_VERSION } from '../../src/lib/domain/citizens';
import { reactivateCitizen } from '../../src/lib/server/citizens';
import { dateRequestStatus, decideDateChange, listDateRequests, requestDateChange } from '../../src/lib/server/milestones/date-requests';
import { getMilestone, listMilestones } from '../../src/lib/server/milestones';
import { asUserThenRollback, outcome, territoryPair, type TerritoryPair, useTestDatabase } from './helpers';

/**
 * What the forms forbid, the database forbids: a coordinator typing SQL (as Supabase's API lets a
 * signed-in user do) meets the same rules as the forms. Each refusal is shown as the coordinator,
 * with the legitimate path beside it. Everything is rolled back unless said otherwise.
 */

let stop: () => Promise<void>;
let pair: TerritoryPair;
let coord: Claims;
let T: string;
let template: { id: string; due_date: string; status: MilestoneStatus };
let startedAt: Date;
let held: { id: string };
let withdrawn: { id: string };
let erased: { id: string };
const TODAY = '2026-11-29';

beforeAll(async () => {
	stop = useTestDatabase();
	pair = await territoryPair();
	coord = pair.as.coordA;
	T = pair.A.id;
	await asService(async (tx) => {
		[{ now: startedAt }] = await tx`select now()`;
		[template] = await tx`
			select id, due_date, status from public.milestones
			where territory_id = ${T} and template_id is not null and status <> 'done' order by due_date limit 1`;
		[held] = await tx`
			select w.id from public.workshops w
			where w.territory_id = ${T} and w.status = 'held' and exists (select 1 from public.attendances a where a.workshop_id = w.id)
			limit 1`;
		[withdrawn] = await tx`
			insert into public.citizens (territory_id, display_name, commune, source, enrolled_at, status, withdrawn_at)
			values (${T}, 'Règles — retirée', 'Riom', 'event', '2026-03-01', 'withdrawn', '2026-06-01') returning id`;
		[erased] = await tx`
			insert into public.citizens (territory_id, display_name, commune, source, enrolled_at, erased_at)
			values (${T}, null, 'Riom', 'event', '2026-03-01', now()) returning id`;
	});
});
afterAll(async () => {
	await asService(async (tx) => {
		await tx`delete from public.audit_events where entity_id in (${withdrawn.id}, ${erased.id})`;
		await tx`delete from public.citizens where id in (${withdrawn.id}, ${erased.id})`;
	});
	await stop();
});

/** The HTTP status a raw statement is refused with, 'ok', or the number of rows it touched when 0. */
async function raw(claims: Claims, fn: (tx: Tx) => PromiseLike<{ length: number }>) {
	let touched = -1;
	const status = await outcome(claims, async (tx) => {
		touched = (await fn(tx)).length;
	});
	return status === 'ok' ? (touched === 0 ? 'nothing' : 'ok') : status;
}

describe('program milestones keep their program date', () => {
	it('a coordinator cannot delete one (nothing deleted), nor detach it from its template', async () => {
		expect(await raw(coord, (tx) => tx`delete from public.milestones where id = ${template.id} returning id`)).toBe('nothing');
		expect(await raw(coord, (tx) => tx`update public.milestones set template_id = null where id = ${template.id} returning id`)).toBe(403);
	});

	it('a coordinator cannot move its due date; their own milestones they can', async () => {
		expect(await raw(coord, (tx) => tx`update public.milestones set due_date = '2027-03-01' where id = ${template.id} returning id`)).toBe(403);
		expect(await raw(coord, (tx) => tx`update public.milestones set title = 'Titre revu' where id = ${template.id} returning id`)).toBe('ok');
		expect(
			await raw(coord, async (tx) => {
				const [m] = await tx`insert into public.milestones (territory_id, title, due_date) values (${T}, 'À nous', '2027-01-10') returning id`;
				return tx`update public.milestones set due_date = '2027-03-01' where id = ${m.id} returning id`;
			})
		).toBe('ok');
		expect(
			await raw(coord, (tx) => tx`insert into public.milestones (territory_id, template_id, title, due_date)
				select ${T}, template_id, 'Copie', '2027-01-10' from public.milestones where id = ${template.id} returning id`)
		).toBe(403);
	});

	it('staff may (facilitators decide the program dates)', async () => {
		expect(await raw(pair.as.facilitator, (tx) => tx`update public.milestones set due_date = '2027-03-01' where id = ${template.id} returning id`)).toBe('ok');
	});
});

describe('milestone date-change requests', () => {
	it('the coordinator asks, the facilitator accepts: the due date changes, audited, and lateness follows it', async () => {
		// committed here: two people, two transactions; undone at the end
		const asked = await asUser(coord, (tx) =>
			requestDateChange(tx, T, template.id, { requested_due_date: '2026-11-01', reason: 'Salle indisponible en juillet.' })
		);
		expect(asked.ok).toBe(true);
		try {
			const again = await asUser(coord, (tx) => requestDateChange(tx, T, template.id, { requested_due_date: '2027-01-01', reason: 'Autre' }));
			expect(again).toEqual({ ok: false, reason: 'pending' });
			const seen = await asUser(coord, (tx) => listDateRequests(tx, T, template.id));
			expect(seen[0]).toMatchObject({ status: 'pending', current_due_date: template.due_date, requested_due_date: '2026-11-01' });
			// the coordinator cannot decide for themselves
			expect(await asUser(coord, (tx) => decideDateChange(tx, T, template.id, { request_id: seen[0].id, decision: 'accept', decision_note: '' }))).toBe(false);
			expect(await raw(coord, (tx) => tx`update public.milestone_date_requests set status = 'accepted' where id = ${seen[0].id} returning id`)).toBe('nothing');

			const lateBefore = await asUser(coord, (tx) => listMilestones(tx, T, { filter: 'late', today: TODAY }));
			expect(await asUser(pair.as.facilitator, (tx) => decideDateChange(tx, T, template.id, { request_id: seen[0].id, decision: 'accept', decision_note: 'D’accord.' }))).toBe(true);
			const m = await asUser(coord, (tx) => getMilestone(tx, T, template.id));
			expect(m?.due_date).toBe('2026-11-01');
			const lateAfter = await asUser(coord, (tx) => listMilestones(tx, T, { filter: 'late', today: TODAY }));
			expect(lateAfter.rows.map((r) => r.id)).toContain(template.id); // now measured against 2026-11-01
			expect(lateAfter.total).toBe(lateBefore.total + (lateBefore.rows.some((r) => r.id === template.id) ? 0 : 1));
			const [audit] = await asService(
				(tx) => tx`select actor_id, changes from public.audit_events
					where entity = 'milestones' and entity_id = ${template.id} and changes ? 'due_date' order by id desc limit 1`
			);
			expect(audit.actor_id).toBe(pair.as.facilitator.sub);
			expect(audit.changes.due_date).toEqual([template.due_date, '2026-11-01']);
			// decided once
			expect(await asUser(pair.as.facilitator, (tx) => decideDateChange(tx, T, template.id, { request_id: seen[0].id, decision: 'refuse', decision_note: '' }))).toBe(false);
		} finally {
			await asService(async (tx) => {
				const requests = await tx<{ id: string }[]>`
					delete from public.milestone_date_requests where milestone_id = ${template.id} returning id::text`;
				await tx`update public.milestones set due_date = ${template.due_date} where id = ${template.id}`;
				// leave the demo's audit trail as found (other tests count it)
				await tx`delete from public.audit_events
					where entity_id = any(${[template.id, ...requests.map((r) => r.id)]}::text[]) and at >= ${startedAt}`;
			});
		}
	});

	it('a refusal leaves the date; only program milestones, only the territory, never the funder', async () => {
		await asUserThenRollback(coord, async (tx) => {
			const r = await requestDateChange(tx, T, template.id, { requested_due_date: '2027-05-01', reason: 'Élections.' });
			expect(r.ok).toBe(true);
		});
		const own = await asUserThenRollback(coord, async (tx) => {
			const [m] = await tx`insert into public.milestones (territory_id, title, due_date) values (${T}, 'À nous', '2027-01-10') returning id`;
			return requestDateChange(tx, T, m.id, { requested_due_date: '2027-02-01', reason: 'x' });
		});
		expect(own).toEqual({ ok: false, reason: 'refused' });
		// another territory's milestone is hidden by RLS: not found (the page answers 404), not « refused »
		expect(
			await asUserThenRollback(pair.as.coordB, (tx) =>
				requestDateChange(tx, pair.B.id, template.id, { requested_due_date: '2027-02-01', reason: 'x' })
			)
		).toEqual({ ok: false, reason: 'not_found' });
		expect(
			await asUserThenRollback(pair.as.facilitator, (tx) => dateRequestStatus(tx, T, template.id, crypto.randomUUID()))
		).toBeNull();
		expect(
			await raw(pair.as.coordB, (tx) => tx`insert into public.milestone_date_requests (milestone_id, territory_id, current_due_date, requested_due_date, reason)
				values (${template.id}, ${pair.B.id}, '2027-01-01', '2027-02-01', 'x') returning id`)
		).toBe(403);
		expect(await outcome(pair.as.funder, (tx) => tx`select * from public.milestone_date_requests`)).toBe('ok');
		expect(await asUserThenRollback(pair.as.funder, (tx) => tx`select * from public.milestone_date_requests`)).toHaveLength(0);
		expect(await raw(coord, (tx) => tx`delete from public.milestone_date_requests returning id`)).toBe(403);
	});
});

describe('held workshops, withdrawn and erased citizens', () => {
	it('a held workshop cannot be reopened, then deleted with its attendance', async () => {
		expect(held).toBeTruthy();
		expect(await raw(coord, (tx) => tx`update public.workshops set status = 'planned' where id = ${held.id} returning id`)).toBe(403);
		expect(await raw(coord, (tx) => tx`delete from public.workshops where id = ${held.id} returning id`)).toBe('nothing');
		// a planned workshop with attendance neither
		expect(
			await raw(coord, async (tx) => {
				const [w] = await tx`insert into public.workshops (territory_id, title, starts_at, ends_at, lieu_label)
					values (${T}, 'Test', '2026-11-28 14:00+01', '2026-11-28 16:00+01', 'Salle') returning id`;
				await tx`insert into public.attendances (workshop_id, citizen_id, territory_id)
					select ${w.id}, id, territory_id from public.citizens where territory_id = ${T} and status = 'active' and erased_at is null limit 1`;
				return tx`delete from public.workshops where id = ${w.id} returning id`;
			})
		).toBe(403);
		// one without attendance may go
		expect(
			await raw(coord, async (tx) => {
				const [w] = await tx`insert into public.workshops (territory_id, title, starts_at, ends_at, lieu_label)
					values (${T}, 'Test', '2026-12-28 14:00+01', '2026-12-28 16:00+01', 'Salle') returning id`;
				return tx`delete from public.workshops where id = ${w.id} returning id`;
			})
		).toBe('ok');
	});

	it('a withdrawn citizen comes back only with a new consent event', async () => {
		expect(await raw(coord, (tx) => tx`update public.citizens set status = 'active', withdrawn_at = null where id = ${withdrawn.id} returning id`)).toBe(400);
		// an old consent event re-dated by hand does not count: the database dates it
		expect(
			await raw(coord, async (tx) => {
				const [e] = await tx`insert into public.consent_events (citizen_id, territory_id, action, purpose, text_version, at)
					values (${withdrawn.id}, ${T}, 'withdrawn', 'x', 'v1', '2020-01-01') returning at`;
				expect(new Date(e.at).getFullYear()).toBe(2026);
				return [e];
			})
		).toBe('ok');
		const legit = await asUserThenRollback(coord, (tx) =>
			reactivateCitizen(tx, T, withdrawn.id, { consent: 'on', consent_purpose: CONSENT_PURPOSE, consent_text_version: CONSENT_TEXT_VERSION })
		);
		expect(legit).toBe(true);
		// as through Supabase's API: first the consent, then the status
		expect(
			await raw(coord, async (tx) => {
				await tx`insert into public.consent_events (citizen_id, territory_id, action, purpose, text_version)
					values (${withdrawn.id}, ${T}, 'given', ${CONSENT_PURPOSE}, ${CONSENT_TEXT_VERSION})`;
				return tx`update public.citizens set status = 'active', withdrawn_at = null where id = ${withdrawn.id} returning id`;
			})
		).toBe('ok');
		// a 'withdrawn' event does not count as consent
		expect(
			await raw(coord, async (tx) => {
				await tx`insert into public.consent_events (citizen_id, territory_id, action, purpose, text_version)
					values (${withdrawn.id}, ${T}, 'withdrawn', ${CONSENT_PURPOSE}, ${CONSENT_TEXT_VERSION})`;
				return tx`update public.citizens set status = 'active', withdrawn_at = null where id = ${withdrawn.id} returning id`;
			})
		).toBe(400);
	});

	it('an erased citizen stays erased', async () => {
		expect(await raw(coord, (tx) => tx`update public.citizens set display_name = 'Revenue', erased_at = null where id = ${erased.id} returning id`)).toBe(403);
		expect(await raw(coord, (tx) => tx`update public.citizens set email = 'a@b.fr' where id = ${erased.id} returning id`)).toBe(403);
		expect(await raw(coord, (tx) => tx`update public.citizens set status = 'withdrawn', withdrawn_at = '2026-11-01' where id = ${erased.id} returning id`)).toBe(403);
		expect(await raw(pair.as.admin, (tx) => tx`update public.citizens set erased_at = null, display_name = 'X' where id = ${erased.id} returning id`)).toBe(403);
	});
});

describe('dates and text, in the database', () => {
	const citizen = (enrolled: string, name = 'Règles — date') => (tx: Tx) =>
		tx`insert into public.citizens (territory_id, display_name, commune, source, enrolled_at)
			values (${T}, ${name}, 'Riom', 'event', ${enrolled}) returning id`;

	it('refuses out-of-range dates whatever the path', async () => {
		expect(await raw(coord, citizen('2026-11-29'))).toBe('ok');
		expect(await raw(coord, citizen('2025-10-16'))).toBe('ok');
		for (const bad of ['2026-12-11', '2027-06-15', '0001-01-01', '2025-10-15']) expect(await raw(coord, citizen(bad)), bad).toBe(400);
		expect(
			await raw(coord, (tx) => tx`insert into public.lieux (territory_id, name, kind, commune, enrolled_at)
				values (${T}, 'Café', 'cafe', 'Riom', '2030-01-01') returning id`)
		).toBe(400);
		expect(await raw(coord, (tx) => tx`update public.milestones set due_date = '2050-01-01' where territory_id = ${T} and template_id is null returning id`)).not.toBe('ok');
		expect(
			await raw(coord, (tx) => tx`update public.milestones set status = 'done', completed_at = '2026-12-25', evidence_note = 'x'
				where id = ${template.id} returning id`)
		).toBe(400);
		expect(
			await raw(coord, (tx) => tx`insert into public.workshops (territory_id, title, starts_at, ends_at, lieu_label)
				values (${T}, 'Test', '2020-01-01 14:00+01', '2020-01-01 16:00+01', 'Salle') returning id`)
		).toBe(400);
	});

	it('stores no control character: C1, C0 and bidirectional overrides refused (400), NUL a 400 too', async () => {
		expect(await raw(coord, citizen('2026-11-20', 'L\u009Cuvre'))).toBe(400);
		expect(await raw(coord, citizen('2026-11-20', 'Bip\u0007'))).toBe(400);
		expect(await raw(coord, citizen('2026-11-20', 'Nul\u0000'))).toBe(400);
		// a right-to-left override (U+202E) and an isolate (U+2067): refused like a control character
		expect(await raw(coord, citizen('2026-11-20', 'Abc\u202Edef'))).toBe(400);
		expect(await raw(coord, citizen('2026-11-20', 'Abc\u2067def'))).toBe(400);
		expect(await raw(coord, citizen('2026-11-20', 'Prix\u202F: 10\u202F%'))).toBe('ok');
		expect(await raw(coord, citizen('2026-11-20', 'Lœuvre — L’Œuvre'))).toBe('ok');
		expect(
			await raw(coord, (tx) => tx`update public.milestones set description = ${'ligne 1\nligne 2\tfin'} where id = ${template.id} returning id`)
		).toBe('ok');
	});

	it('the version is an integer: 99999999999 is a 400, not a 500', async () => {
		expect(await raw(coord, (tx) => tx`update public.milestones set title = 'x' where id = ${template.id} and version = ${'99999999999'} returning id`)).toBe(400);
	});
});

describe('one rule of « late »', () => {
	it('the SQL function and the TypeScript function agree', async () => {
		const statuses: MilestoneStatus[] = ['planned', 'in_progress', 'blocked', 'done'];
		const days = ['2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30', '2027-01-01'];
		const cases = statuses.flatMap((status) => days.flatMap((due) => days.map((today) => ({ status, due, today }))));
		const rows = await asUserThenRollback(coord, (tx) =>
			tx<{ late: boolean }[]>`
				select private.is_late(u.due::date, u.status::public.milestone_status, u.today::date) as late
				from unnest(${cases.map((c) => c.due)}::text[], ${cases.map((c) => c.status)}::text[], ${cases.map((c) => c.today)}::text[])
					with ordinality as u(due, status, today, n)
				order by n`
		);
		expect(rows.map((r) => r.late)).toEqual(cases.map((c) => isLate({ dueDate: c.due, status: c.status }, c.today)));
		expect(rows.some((r) => r.late) && rows.some((r) => !r.late)).toBe(true);
	});
});
