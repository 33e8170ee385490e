import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isHttpError } from '@sveltejs/kit';
import type { Claims } from '../../src/lib/server/auth/claims';
import { asService, asUser, type Tx } from '../../src/lib/server/db';
import { LIEU_CHOICES, type QuickAddInput, type WorkshopInput } from '../../src/lib/domain/workshops';
import { compareFr } from '../../src/lib/domain/french';
import {
	cancelWorkshop,
	checkIn,
	closeWorkshop,
	createWorkshop,
	getWorkshop,
	listAttendees,
	listWorkshops,
	monthWorkshops,
	quickAddAttendee,
	searchCheckInCandidates,
	selectableLieux,
	uncheck,
	updateWorkshop,
	workshopCounts
} from '../../src/lib/server/workshops';
import { asUserThenRollback, outcome, territoryPair, useTestDatabase } from './helpers';

/**
 * Workshop and attendance write paths, through the same asUser path as the pages, as each role:
 * allowed for the territory's coordinator and a facilitator; refused to another territory's
 * coordinator, a funder and a user with no role. Everything the tests write is rolled back or
 * removed at the end.
 */

const SLUG = 'pays-de-la-forge';
const OTHER = 'val-d-ardoise';
const TODAY = '2026-11-29';
const NOW = new Date('2026-11-29T12:00:00Z'); // 13:00 in Paris

let stop: () => Promise<void>;
let T: string;
let otherT: string;
let lieu: string;
let inactiveLieu: string | null;
let lieuOfOther: string;
let ws: { id: string; version: number }; // planned, 10:00–12:00 Paris today
let future: { id: string; version: number };
let present: string; // checked in at `ws`
let absent: string; // active, not checked in
let withdrawn: string;
let citizenOfOther: string;
let as: Record<'coord' | 'otherCoord' | 'facilitator' | 'funder' | 'outsider', Claims>;

/** Test fixtures, written as the demo seed writes: outside the audit trail (no stray audit rows for other tests). */
const quietly = <T>(fn: (tx: Tx) => Promise<T>) =>
	asService(async (tx) => {
		await tx`select set_config('marathon.seeding', 'on', true)`;
		return fn(tx);
	});

const insertWorkshop = (territoryId: string, title: string, starts: string, ends: string) =>
	quietly(async (tx) => {
		const [row] = await tx<{ id: string; version: number }[]>`
			insert into public.workshops (territory_id, title, starts_at, ends_at, lieu_label, capacity)
			values (${territoryId}, ${title}, ${starts}, ${ends}, 'Salle de test', 20) returning id, version`;
		return row;
	});
const insertCitizen = (name: string, status: 'active' | 'withdrawn' = 'active') =>
	quietly(async (tx) => {
		const [row] = await tx<{ id: string }[]>`
			insert into public.citizens (territory_id, display_name, commune, source, enrolled_at, status, withdrawn_at)
			values (${T}, ${name}, 'Testville', 'event', '2026-10-01', ${status}, ${status === 'withdrawn' ? '2026-11-01' : null})
			returning id`;
		return row.id;
	});

beforeAll(async () => {
	stop = useTestDatabase();
	[{ id: T }] = await asService((tx) => tx`select id from public.territories where slug = ${SLUG}`);
	[{ id: otherT }] = await asService((tx) => tx`select id from public.territories where slug = ${OTHER}`);
	[{ id: lieu }] = await asService((tx) => tx`select id from public.lieux where territory_id = ${T} and status = 'active' limit 1`);
	inactiveLieu =
		(await asService((tx) => tx`select id from public.lieux where territory_id = ${T} and status = 'inactive' limit 1`))[0]?.id ?? null;
	[{ id: lieuOfOther }] = await asService((tx) => tx`select id from public.lieux where territory_id = ${otherT} limit 1`);
	[{ id: citizenOfOther }] = await asService(
		(tx) => tx`select id from public.citizens where territory_id = ${otherT} and status = 'active' limit 1`
	);
	ws = await insertWorkshop(T, 'Atelier de test (db)', '2026-11-29 10:00+01', '2026-11-29 12:00+01');
	future = await insertWorkshop(T, 'Atelier futur (db)', '2026-12-10 14:00+01', '2026-12-10 16:00+01');
	present = await insertCitizen('Zoé Pointée-Test');
	absent = await insertCitizen('Zacharie Absent-Test');
	withdrawn = await insertCitizen('Zélie Retirée-Test', 'withdrawn');
	await quietly((tx) => tx`insert into public.attendances (workshop_id, citizen_id, territory_id) values (${ws.id}, ${present}, ${T})`);
	const { as: r } = await territoryPair(SLUG, OTHER);
	as = { coord: r.coordA, otherCoord: r.coordB, facilitator: r.facilitator, funder: r.funder, outsider: r.outsider };
});
afterAll(async () => {
	await quietly(async (tx) => {
		await tx`delete from public.workshops where id in (${ws.id}, ${future.id})`;
		await tx`delete from public.citizens where id in (${present}, ${absent}, ${withdrawn})`;
	});
	await stop();
});

const input: WorkshopInput = {
	title: 'Fresque du numérique (db)',
	format: 'atelier',
	date: '2026-12-12',
	start_time: '14:30',
	duration_minutes: 150,
	lieu_id: null,
	lieu_label: 'Médiathèque',
	laws: [1, 4],
	capacity: 15,
	facilitator_name: 'Alex T.',
	summary: ''
};
const newcomer: QuickAddInput = { display_name: 'Nina Nouvelle-Test', commune: 'Testville', email: null, age_band: '18_25', consent: 'on' };

/** 'ok' when the write happened; 'nothing' when it touched nothing; or the HTTP status it was refused with. */
async function attempt(claims: Claims, fn: (tx: Tx) => Promise<boolean>) {
	let done = false;
	const status = await outcome(claims, async (tx) => {
		done = await fn(tx);
	});
	return status === 'ok' ? (done ? 'ok' : 'nothing') : status;
}

const writes: Record<string, (tx: Tx) => Promise<boolean>> = {
	create: async (tx) => (await createWorkshop(tx, T, input)) !== null,
	'create at a lieu': async (tx) => (await createWorkshop(tx, T, { ...input, lieu_id: lieu, lieu_label: '' })) !== null,
	update: (tx) => updateWorkshop(tx, T, ws.id, { ...input, version: ws.version }),
	cancel: (tx) => cancelWorkshop(tx, T, ws.id, ws.version),
	close: (tx) => closeWorkshop(tx, T, ws.id, ws.version, 'Belle séance.', NOW),
	'check in': async (tx) => (await checkIn(tx, T, ws.id, absent, TODAY)) === 'ok',
	uncheck: (tx) => uncheck(tx, T, ws.id, present),
	'quick-add': async (tx) => (await quickAddAttendee(tx, T, ws.id, newcomer, TODAY)).kind === 'added'
};

describe('who may write workshops and attendance', () => {
	it.each(Object.keys(writes))('%s: the territory’s coordinator and a facilitator may', async (name) => {
		expect(await attempt(as.coord, writes[name])).toBe('ok');
		expect(await attempt(as.facilitator, writes[name])).toBe('ok');
	});

	it.each(Object.keys(writes))('%s: another territory’s coordinator, a funder, a user with no role may not', async (name) => {
		for (const who of [as.otherCoord, as.funder, as.outsider]) {
			// insert: refused outright (RLS with check → 403); otherwise the workshop is invisible: nothing touched
			expect([403, 'nothing']).toContain(await attempt(who, writes[name]));
		}
		const [row] = await asService((tx) => tx`select status, title, version from public.workshops where id = ${ws.id}`);
		expect(row).toMatchObject({ status: 'planned', title: 'Atelier de test (db)', version: ws.version });
		const people = await asService((tx) => tx`select citizen_id from public.attendances where workshop_id = ${ws.id}`);
		expect(people.map((p) => p.citizen_id)).toEqual([present]);
		const [n] = await asService((tx) => tx`select count(*)::int as n from public.citizens where display_name = ${newcomer.display_name}`);
		expect(n.n).toBe(0);
	});

	it('writing attendance rows directly is refused to another territory’s coordinator (RLS)', async () => {
		const direct = (tx: Tx) =>
			tx`insert into public.attendances (workshop_id, citizen_id, territory_id) values (${ws.id}, ${absent}, ${T})`;
		expect(await outcome(as.otherCoord, direct)).toBe(403);
		expect(await outcome(as.funder, direct)).toBe(403);
		const removed = await asUserThenRollback(
			as.otherCoord,
			(tx) => tx`delete from public.attendances where workshop_id = ${ws.id} returning citizen_id`
		);
		expect(removed).toHaveLength(0);
	});
});

describe('what the writes do', () => {
	it('creating stores Paris times as instants, the laws and the capacity', async () => {
		const w = await asUserThenRollback(as.coord, async (tx) => getWorkshop(tx, T, (await createWorkshop(tx, T, input))!));
		expect(w).toMatchObject({ status: 'planned', local_date: '2026-12-12', start_time: '14:30', end_time: '17:00', duration_minutes: 150 });
		expect(w!.starts_at.toISOString()).toBe('2026-12-12T13:30:00.000Z'); // winter: UTC+1
		expect(w!.laws).toEqual([1, 4]);
		expect(w!.law_names).toEqual(['Visée régénérative', 'Sobriété']);
		const summer = await asUserThenRollback(as.coord, async (tx) =>
			getWorkshop(tx, T, (await createWorkshop(tx, T, { ...input, date: '2027-06-12' }))!)
		);
		expect(summer!.starts_at.toISOString()).toBe('2027-06-12T12:30:00.000Z'); // summer: UTC+2
	});

	it('a lieu must be an active lieu of the territory', async () => {
		const ofOther = await asUserThenRollback(as.facilitator, (tx) => createWorkshop(tx, T, { ...input, lieu_id: lieuOfOther, lieu_label: '' }));
		expect(ofOther).toBe(null);
		if (inactiveLieu) {
			const inactive = await asUserThenRollback(as.coord, (tx) => createWorkshop(tx, T, { ...input, lieu_id: inactiveLieu, lieu_label: '' }));
			expect(inactive).toBe(null);
		}
	});

	it('an edit at a stale version touches nothing', async () => {
		expect(await attempt(as.coord, (tx) => updateWorkshop(tx, T, ws.id, { ...input, version: ws.version + 1 }))).toBe('nothing');
	});

	it('closing: only once started, only when planned; cancelling only when planned', async () => {
		expect(await attempt(as.coord, (tx) => closeWorkshop(tx, T, future.id, future.version, 'Trop tôt', NOW))).toBe('nothing');
		const held = await asUserThenRollback(as.coord, async (tx) => {
			await closeWorkshop(tx, T, ws.id, ws.version, 'Belle séance.', NOW);
			const w = await getWorkshop(tx, T, ws.id);
			return { w, cancelled: await cancelWorkshop(tx, T, ws.id, w!.version) };
		});
		expect(held.w).toMatchObject({ status: 'held', summary: 'Belle séance.', version: ws.version + 1 });
		expect(held.cancelled).toBe(false);
	});

	it('check-in: idempotent; refused when cancelled, before the day, or for a withdrawn person', async () => {
		const result = await asUserThenRollback(as.coord, async (tx) => {
			const first = await checkIn(tx, T, ws.id, absent, TODAY);
			const again = await checkIn(tx, T, ws.id, absent, TODAY);
			const w = await getWorkshop(tx, T, ws.id);
			return { first, again, count: w!.attendees };
		});
		expect(result).toEqual({ first: 'ok', again: 'ok', count: 2 });
		expect(await asUserThenRollback(as.coord, (tx) => checkIn(tx, T, future.id, absent, TODAY))).toBe('future');
		expect(await asUserThenRollback(as.coord, (tx) => checkIn(tx, T, ws.id, withdrawn, TODAY))).toBe('inactive');
		const cancelled = await asUserThenRollback(as.coord, async (tx) => {
			await cancelWorkshop(tx, T, ws.id, ws.version);
			return checkIn(tx, T, ws.id, absent, TODAY);
		});
		expect(cancelled).toBe('cancelled');
	});

	it('checking in a person of another territory is refused by the database (23514 → 400)', async () => {
		for (const who of [as.coord, as.facilitator]) {
			expect(await outcome(who, (tx) => checkIn(tx, T, ws.id, citizenOfOther, TODAY))).toBe(400);
		}
	});

	it('quick-add writes the citizen (source workshop, enrolled on the workshop’s day), the consent and the attendance together', async () => {
		const written = await asUserThenRollback(as.coord, async (tx) => {
			const r = await quickAddAttendee(tx, T, ws.id, newcomer, TODAY);
			if (r.kind !== 'added') throw new Error(r.kind);
			const [c] = await tx`select territory_id, display_name, source, enrolled_at, age_band, status from public.citizens where id = ${r.citizenId}`;
			const consents = await tx`select action, text_version from public.consent_events where citizen_id = ${r.citizenId}`;
			const attendance = await tx`select territory_id from public.attendances where workshop_id = ${ws.id} and citizen_id = ${r.citizenId}`;
			return { c, consents, attendance };
		});
		expect(written.c).toMatchObject({ territory_id: T, display_name: 'Nina Nouvelle-Test', source: 'workshop', enrolled_at: TODAY, age_band: '18_25' });
		expect(written.consents).toEqual([expect.objectContaining({ action: 'given', text_version: 'v1.0' })]);
		expect(written.attendance).toEqual([{ territory_id: T }]);
	});

	it('quick-add writes nothing at all when the attendance cannot be written', async () => {
		await asService(async (tx) => {
			await tx`create function public.test_refuse_attendance() returns trigger language plpgsql as $$
				begin raise exception 'refus de test' using errcode = '23514'; end $$`;
			await tx.unsafe(`create trigger test_refuse_attendance before insert on public.attendances
				for each row when (new.workshop_id = '${ws.id}') execute function public.test_refuse_attendance()`);
		});
		try {
			let status: number | 'ok' = 'ok';
			try {
				await asUser(as.coord, (tx) => quickAddAttendee(tx, T, ws.id, newcomer, TODAY));
			} catch (e) {
				if (!isHttpError(e)) throw e;
				status = e.status;
			}
			expect(status).toBe(400);
			const [left] = await asService(
				(tx) => tx`select (select count(*)::int from public.citizens where display_name = ${newcomer.display_name}) as citizens,
					(select count(*)::int from public.consent_events e join public.citizens c on c.id = e.citizen_id
					  where c.display_name = ${newcomer.display_name}) as consents`
			);
			expect(left).toEqual({ citizens: 0, consents: 0 });
		} finally {
			await asService(async (tx) => {
				await tx`drop trigger test_refuse_attendance on public.attendances`;
				await tx`drop function public.test_refuse_attendance()`;
			});
		}
	});

	it('quick-add refuses someone alike (same name and commune) and writes nothing', async () => {
		const r = await asUserThenRollback(as.coord, async (tx) => {
			const result = await quickAddAttendee(tx, T, ws.id, { ...newcomer, display_name: 'zacharie absent-test' }, TODAY);
			const [n] = await tx`select count(*)::int as n from public.citizens where lower(display_name) = 'zacharie absent-test'`;
			return { result, n: n.n };
		});
		expect(r.result).toEqual({ kind: 'lookalikes', lookalikes: [{ id: absent, display_name: 'Zacharie Absent-Test', commune: 'Testville' }] });
		expect(r.n).toBe(1);
		expect(await asUserThenRollback(as.coord, (tx) => quickAddAttendee(tx, T, future.id, newcomer, TODAY))).toEqual({
			kind: 'refused',
			reason: 'future'
		});
	});
});

describe('what the pages read', () => {
	it('lists count attendance with one aggregate; the views split on « now »; the calendar finds the month', async () => {
		const read = await asUserThenRollback(as.coord, async (tx) => ({
			counts: await workshopCounts(tx, T, NOW),
			upcoming: await listWorkshops(tx, T, 'a-venir', NOW, { offset: 0, limit: 1000 }),
			past: await listWorkshops(tx, T, 'passes', NOW, { offset: 0, limit: 1000 }),
			month: await monthWorkshops(tx, T, '2026-12', '2027-01'),
			truth: await tx<{ id: string; n: number }[]>`select w.id, count(a.*)::int as n from public.workshops w
				left join public.attendances a on a.workshop_id = w.id where w.territory_id = ${T} group by w.id`
		}));
		const truth = new Map(read.truth.map((r) => [r.id, r.n]));
		expect(read.upcoming.length + read.past.length).toBe(truth.size);
		expect(read.counts).toEqual({ upcoming: read.upcoming.length, past: read.past.length });
		for (const w of [...read.upcoming, ...read.past]) expect(w.attendees).toBe(truth.get(w.id));
		// ended at 12:00 Paris, « now » is 13:00 Paris: past, though not closed
		expect(read.past.map((w) => w.id)).toContain(ws.id);
		expect(read.upcoming[0].starts_at <= read.upcoming[read.upcoming.length - 1].starts_at).toBe(true);
		expect(read.upcoming.map((w) => w.id)).toContain(future.id);
		expect(read.month.map((w) => w.id)).toContain(future.id);
		expect(read.month.every((w) => w.local_date.startsWith('2026-12'))).toBe(true);
	});

	it('another territory’s coordinator sees none of it', async () => {
		const read = await asUserThenRollback(as.otherCoord, async (tx) => ({
			list: await listWorkshops(tx, T, 'passes', NOW, { offset: 0, limit: 100 }),
			one: await getWorkshop(tx, T, ws.id),
			roster: await listAttendees(tx, ws.id, { offset: 0, limit: 25 }),
			search: await searchCheckInCandidates(tx, T, ws.id, 'Test')
		}));
		expect(read).toEqual({ list: [], one: null, roster: [], search: [] });
	});

	it('the name search lists active people not yet checked in; the roster names erased people « null »', async () => {
		const read = await asUserThenRollback(as.coord, async (tx) => {
			const search = await searchCheckInCandidates(tx, T, ws.id, '-test');
			await tx`update public.citizens set display_name = null, email = null, phone = null, erased_at = now() where id = ${present}`;
			return { search, roster: await listAttendees(tx, ws.id, { offset: 0, limit: 25 }) };
		});
		expect(read.search.map((c) => c.citizen_id)).toEqual([absent]);
		expect(read.roster).toEqual([{ citizen_id: present, display_name: null, commune: 'Testville' }]);
	});
});

describe('test hygiene', () => {
	it('the fixtures leave no audit rows behind (other tests count them)', async () => {
		const [row] = await asService(
			(tx) => tx`select count(*)::int as n from public.audit_events
				where entity_id in (${ws.id}, ${future.id}, ${present}, ${absent}, ${withdrawn}) or entity_id like ${`${ws.id}:%`}`
		);
		expect(row.n).toBe(0);
	});
});

describe('the lieux the workshop form offers (selectableLieux)', () => {
	const activeOfT = () =>
		asService((tx) => tx<{ id: string; name: string }[]>`select id, name from public.lieux where territory_id = ${T} and status = 'active'`);

	it('at most LIEU_CHOICES active lieux of the territory, in French order, and how many there are', async () => {
		const active = await activeOfT();
		const { lieux, total } = await asUserThenRollback(as.coord, (tx) => selectableLieux(tx, T));
		expect(total).toBe(active.length);
		expect(lieux.length).toBe(Math.min(LIEU_CHOICES, active.length));
		const ids = new Set(active.map((l) => l.id));
		expect(lieux.every((l) => ids.has(l.id))).toBe(true);
		expect(lieux.map((l) => l.name)).toEqual([...lieux.map((l) => l.name)].sort(compareFr));
	});

	it('the lieu of the latest workshop comes first among those offered, even when its name comes last', async () => {
		const active = await activeOfT();
		const last = [...active].sort((a, b) => compareFr(a.name, b.name)).at(-1)!;
		const offered = await asUserThenRollback(as.coord, async (tx) => {
			await createWorkshop(tx, T, { ...input, date: '2027-01-15', lieu_id: last.id, lieu_label: '' });
			return selectableLieux(tx, T);
		});
		expect(offered.lieux.map((l) => l.id)).toContain(last.id);
	});

	it('finds by name without accents or capitals a lieu the first list does not show', async () => {
		const active = await activeOfT();
		const { lieux: first } = await asUserThenRollback(as.coord, (tx) => selectableLieux(tx, T));
		const shown = new Set(first.map((l) => l.id));
		const hidden = active.find((l) => !shown.has(l.id));
		if (!hidden) return; // fewer active lieux than the form shows: nothing hidden
		const typed = hidden.name.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase(); // « ÉCOLE » → « ECOLE »
		const found = await asUserThenRollback(as.coord, (tx) => selectableLieux(tx, T, { q: typed }));
		expect(found.total).toBeGreaterThanOrEqual(1);
		if (found.total <= LIEU_CHOICES) expect(found.lieux.map((l) => l.id)).toContain(hidden.id);
	});

	it('keeps the workshop’s current lieu, even inactive and not matching the search; never another territory’s', async () => {
		if (inactiveLieu) {
			const { lieux } = await asUserThenRollback(as.coord, (tx) => selectableLieux(tx, T, { currentId: inactiveLieu, q: 'zzzz introuvable' }));
			expect(lieux.map((l) => l.id)).toEqual([inactiveLieu]);
			expect(lieux[0].active).toBe(false); // the form says « inactif »
		}
		const stranger = await asUserThenRollback(as.otherCoord, (tx) => selectableLieux(tx, T));
		expect(stranger).toEqual({ lieux: [], total: 0 });
		const crafted = await asUserThenRollback(as.coord, (tx) => selectableLieux(tx, T, { currentId: lieuOfOther }));
		expect(crafted.lieux.map((l) => l.id)).not.toContain(lieuOfOther);
	});
});
