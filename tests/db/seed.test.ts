import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import postgres, { type Sql } from 'postgres';
import bcrypt from 'bcryptjs';
import { DEMO_PASSWORD, DEMO_TERRITORIES, demoAccounts, seedDemo } from '../../src/lib/server/demo/seed';

/** The demo cohort, as seeded by the global setup, checked as the superuser (no RLS). */

const TODAY = '2026-11-29';
/** Days left after 2026-11-29 until the end of month 18 (2027-07-31). */
const DAYS_LEFT = 244;

interface Figures {
	slug: string;
	citizens: number;
	citizens_in_pace_window: number;
	lieux: number;
	lieux_in_pace_window: number;
	societaires: number;
	milestones_late: number;
	workshops_held: number;
	last_change_on: Date | null;
}

let sql: Sql;
let figures: Figures[];

const count = async (table: string): Promise<number> => {
	const [row] = await sql<{ n: number }[]>`select count(*)::int as n from ${sql(table)}`;
	return row.n;
};
const projected = (current: number, recent: number): number => current + (recent / 90) * DAYS_LEFT;

beforeAll(async () => {
	sql = postgres(inject('databaseUrl'), { max: 1, onnotice: () => {} });
	const [facilitator] = await sql<{ id: string }[]>`
		select id from auth.users where email = 'facilitation@demo.marathon.test'`;
	const claims = JSON.stringify({ sub: facilitator.id, role: 'authenticated' });
	figures = await sql.begin(async (tx) => {
		await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${claims}, true)`;
		return tx<Figures[]>`select * from public.territory_figures(${TODAY})`;
	});
});

afterAll(async () => {
	await sql.end();
});

describe('demo cohort', () => {
	it('has one demo cohort, published, and 18 demo territories using its start date', async () => {
		const cohorts = await sql`select name, start_date::text, is_demo, transparency_published from public.cohorts`;
		expect(cohorts).toEqual([
			{ name: 'Marathon coopératif 2026 (démo)', start_date: '2026-02-01', is_demo: true, transparency_published: true }
		]);
		const territories = await sql`select slug, is_demo, start_date from public.territories order by slug`;
		expect(territories).toHaveLength(18);
		expect(territories.every((t) => t.is_demo && t.start_date === null)).toBe(true);
		expect(territories.map((t) => t.slug)).toEqual(DEMO_TERRITORIES.map((t) => t.slug).sort());
		expect(figures).toHaveLength(18);
	});

	it('creates every demo account with its profile and, for coordinators, its membership', async () => {
		const rows = await sql<{ email: string; app_role: string; display_name: string; slugs: string[] }[]>`
			select u.email, p.app_role, p.display_name,
				array_remove(array_agg(t.slug order by t.slug), null) as slugs
			from auth.users u
			join public.profiles p on p.user_id = u.id
			left join public.territory_members m on m.user_id = u.id
			left join public.territories t on t.id = m.territory_id
			group by u.email, p.app_role, p.display_name`;
		const accounts = demoAccounts();
		expect(accounts).toHaveLength(21);
		for (const a of accounts) {
			const row = rows.find((r) => r.email === a.email);
			expect(row, a.email).toBeDefined();
			expect(row?.app_role).toBe(a.role);
			expect(row?.display_name).toBe(a.displayName);
			expect(row?.slugs).toEqual(a.territorySlug ? [a.territorySlug] : []);
		}
	});

	it('stores one bcrypt hash of the demo password, confirmed e-mails, provider email', async () => {
		const users = await sql<{ encrypted_password: string; email_confirmed_at: Date | null; raw_app_meta_data: { provider: string } }[]>`
			select encrypted_password, email_confirmed_at, raw_app_meta_data from auth.users
			where email like '%@demo.marathon.test'`;
		expect(users).toHaveLength(demoAccounts().length);
		expect(new Set(users.map((u) => u.encrypted_password)).size).toBe(1);
		expect(users.every((u) => u.email_confirmed_at !== null && u.raw_app_meta_data.provider === 'email')).toBe(true);
		expect(await bcrypt.compare(DEMO_PASSWORD, users[0].encrypted_password)).toBe(true);
		expect(await bcrypt.compare('mauvais', users[0].encrypted_password)).toBe(false);
	});
});

describe('volumes', () => {
	it('has realistic per-territory volumes and program totals', async () => {
		const totals = figures.reduce((s, f) => s + f.citizens, 0);
		expect(totals).toBeGreaterThan(2000);
		expect(totals).toBeLessThan(6000);
		for (const f of figures) {
			expect(f.citizens, f.slug).toBeGreaterThanOrEqual(55);
			expect(f.citizens, f.slug).toBeLessThanOrEqual(400);
			expect(f.lieux, f.slug).toBeGreaterThanOrEqual(18);
			expect(f.lieux, f.slug).toBeLessThanOrEqual(160);
			expect(f.workshops_held, f.slug).toBeGreaterThanOrEqual(10);
		}
		const [c] = await sql<{ withdrawn: number; societaires: number; n: number }[]>`
			select count(*) filter (where status = 'withdrawn')::int as withdrawn,
				count(*) filter (where is_societaire)::int as societaires, count(*)::int as n
			from public.citizens`;
		expect(c.withdrawn / c.n).toBeGreaterThan(0.005);
		expect(c.withdrawn / c.n).toBeLessThan(0.06);
		expect(c.societaires / c.n).toBeGreaterThanOrEqual(0.15);
		expect(c.societaires / c.n).toBeLessThanOrEqual(0.25);
	});

	it('gives every citizen a consent, and every workshop 15–40 per territory', async () => {
		const [missing] = await sql<{ n: number }[]>`
			select count(*)::int as n from public.citizens c
			where not exists (select 1 from public.consent_events e
				where e.citizen_id = c.id and e.action = 'given' and e.at::date = c.enrolled_at)`;
		expect(missing.n).toBe(0);
		const perTerritory = await sql<{ n: number; planned: number }[]>`
			select count(*)::int as n, count(*) filter (where status = 'planned')::int as planned
			from public.workshops group by territory_id`;
		expect(perTerritory).toHaveLength(18);
		for (const w of perTerritory) {
			expect(w.n).toBeGreaterThanOrEqual(15);
			expect(w.n).toBeLessThanOrEqual(40);
			expect(w.planned).toBeGreaterThanOrEqual(1);
		}
	});

	it('has 4–20 attendees per held workshop, enrolled by the workshop date', async () => {
		const [a] = await sql<{ min: number; max: number; early: number }[]>`
			select min(n)::int as min, max(n)::int as max,
				(select count(*)::int from public.attendances x join public.citizens c on c.id = x.citizen_id
					join public.workshops w on w.id = x.workshop_id where c.enrolled_at > w.starts_at::date) as early
			from (select count(a.citizen_id) as n from public.workshops w
				left join public.attendances a on a.workshop_id = w.id
				where w.status = 'held' group by w.id) s`;
		expect(a).toEqual({ min: 4, max: 20, early: 0 });
	});

	it('dates everything between the start and today, except the December workshops', async () => {
		const [d] = await sql<{ min: string; max: string; ws: string }[]>`
			select least((select min(enrolled_at) from public.citizens), (select min(enrolled_at) from public.lieux))::text as min,
				greatest((select max(enrolled_at) from public.citizens), (select max(enrolled_at) from public.lieux),
					(select max(completed_at) from public.milestones))::text as max,
				(select max(starts_at) filter (where status <> 'planned') from public.workshops)::date::text as ws`;
		expect(d.min >= '2026-02-01').toBe(true);
		expect(d.max <= '2026-11-28').toBe(true);
		expect(d.ws <= '2026-11-28').toBe(true);
	});

	it('fills indicators for every law, Feb–Oct for all and November for about half', async () => {
		const laws = await sql<{ law: number; n: number }[]>`
			select law, count(*)::int as n from public.indicators group by law order by law`;
		expect(laws.map((l) => l.law)).toEqual([1, 2, 3, 4, 5]);
		expect(laws.every((l) => l.n >= 2 && l.n <= 3)).toBe(true);
		const months = await sql<{ month: string; territories: number }[]>`
			select month::text, count(distinct territory_id)::int as territories
			from public.indicator_values group by month order by month`;
		expect(months.map((m) => m.month)).toEqual([
			'2026-02-01', '2026-03-01', '2026-04-01', '2026-05-01', '2026-06-01', '2026-07-01', '2026-08-01',
			'2026-09-01', '2026-10-01', '2026-11-01'
		]);
		expect(months.slice(0, 9).every((m) => m.territories === 18)).toBe(true);
		expect(months[9].territories).toBeGreaterThanOrEqual(6);
		expect(months[9].territories).toBeLessThanOrEqual(12);
		expect(await count('public.indicator_targets')).toBeGreaterThan(0);
	});
});

describe('a mixed picture for the facilitator', () => {
	it('puts territories on both sides of the 350 citizens and 150 lieux projections', () => {
		const citizens = figures.map((f) => projected(f.citizens, f.citizens_in_pace_window));
		const lieux = figures.map((f) => projected(f.lieux, f.lieux_in_pace_window));
		expect(citizens.some((p) => p >= 350)).toBe(true);
		expect(citizens.some((p) => p >= 280 && p < 350)).toBe(true);
		expect(citizens.some((p) => p < 280)).toBe(true);
		expect(lieux.some((p) => p >= 150)).toBe(true);
		expect(lieux.some((p) => p < 150)).toBe(true);
		expect(figures.some((f) => f.citizens >= 350)).toBe(true);
		expect(figures.some((f) => f.lieux >= 150)).toBe(true);
	});

	it('has late and blocked milestones in some territories only', async () => {
		const late = figures.filter((f) => f.milestones_late > 0).length;
		expect(late).toBeGreaterThan(2);
		expect(late).toBeLessThan(18);
		const [m] = await sql<{ blocked: number; templates: number }[]>`
			select count(*) filter (where status = 'blocked')::int as blocked,
				(select count(*)::int from public.milestone_templates) as templates
			from public.milestones`;
		expect(m.blocked).toBeGreaterThanOrEqual(1);
		expect(m.blocked).toBeLessThanOrEqual(2);
		expect(m.templates).toBe(12);
	});

	it('spreads the last change of territories from today to about 45 days ago', () => {
		const ages = figures.map((f) => {
			expect(f.last_change_on, f.slug).not.toBeNull();
			// postgres.js reads a date as UTC midnight
			return Math.round((Date.parse(`${TODAY}T00:00:00Z`) - (f.last_change_on?.getTime() ?? 0)) / 86_400_000);
		});
		expect(Math.min(...ages)).toBe(0);
		expect(Math.max(...ages)).toBeGreaterThanOrEqual(30);
		expect(Math.max(...ages)).toBeLessThanOrEqual(50);
	});

	it('writes synthetic audit events by coordinators, with object changes, and no trigger rows', async () => {
		const [a] = await sql<{ n: number; objects: number; by_coordinator: number }[]>`
			select count(*)::int as n,
				count(*) filter (where jsonb_typeof(changes) = 'object')::int as objects,
				count(*) filter (where exists (select 1 from public.territory_members m
					where m.user_id = e.actor_id and m.territory_id = e.territory_id))::int as by_coordinator
			from public.audit_events e where e.id <= ${inject('seedAuditId')}`;
		expect(a.n).toBeGreaterThanOrEqual(18 * 4);
		expect(a.n).toBeLessThanOrEqual(18 * 8);
		expect(a.objects).toBe(a.n);
		expect(a.by_coordinator).toBe(a.n);
	});
});

describe('idempotence', () => {
	it('does nothing the second time', async () => {
		const tables = ['auth.users', 'public.cohorts', 'public.citizens', 'public.workshops', 'public.audit_events'];
		const before = await Promise.all(tables.map(count));
		expect(await seedDemo(sql)).toBe(false);
		expect(await Promise.all(tables.map(count))).toEqual(before);
	});
});
