import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import postgres, { type Sql } from 'postgres';
import { OWNER_ROLE } from '../../src/lib/server/db/roles';
import { isHttpError, isRedirect } from '@sveltejs/kit';

/**
 * Budgets that must hold as data grows (issue #10), checked on the real migrations (and the
 * benchmark's dataset checked against what the issue asks of it):
 * - every page load sends the same number of SQL statements on the small demo cohort (18
 *   territories, month 10) and on a larger one (36 territories, full 18-month program, about
 *   twice the people and lieux per territory): no N+1, no query per row;
 * - every policy wraps its calls (`(select auth.uid())`, `(select private.x())`), evaluated once
 *   per statement rather than once per row;
 * - every foreign key and every column a policy compares leads an index.
 *
 * Page loads are found by `import.meta.glob`, so pages other branches add (/pilotage, /impact)
 * are checked too; routes with an [id] are detail pages, left out. Each load runs as every role
 * (and anonymous); the ones it refuses (403, 404, redirect) are skipped.
 */

// Read when the db module loads (imported below, after this line runs); restored after the file.
const savedEnv = { stats: process.env.MARATHON_QUERY_STATS, today: process.env.MARATHON_TODAY };
process.env.MARATHON_QUERY_STATS = 'true';

type Load = (event: unknown) => Promise<unknown>;
const modules = import.meta.glob('/src/routes/**/+page.server.ts');
const pages = Object.keys(modules)
	.filter((file) => !/\[(?!slug\])[^\]]+\]/.test(file))
	.map((file) => ({ file, route: file.replace('/src/routes', '').replace('/+page.server.ts', '') || '/' }));

const SLUG = 'vallee-de-la-sourde';
const ROLES = ['anon', 'admin', 'facilitator', 'funder', 'coordinator'] as const;
const GROWTH_DB = 'marathon_growth';

type Db = typeof import('../../src/lib/server/db');
let db: Db;
let admin: Sql;
let owner: Sql;
let growthUrl: string;
let growthAppUrl: string;

/** `url` on another database of the same server. */
const onDatabase = (url: string, name: string) => {
	const target = new URL(url);
	target.pathname = `/${name}`;
	return target.toString();
};

/** Statements each page load sends as each role that may open it, on the database `url`, on `today`. */
async function statementCounts(appUrl: string, ownerUrl: string, today: string): Promise<Record<string, number>> {
	const { demoAccounts } = await import('../../src/lib/server/demo/seed');
	db.connect(appUrl, ownerUrl);
	process.env.MARATHON_TODAY = today;
	const counts: Record<string, number> = {};
	try {
		const claims: Record<string, unknown> = { anon: null };
		for (const role of ROLES.slice(1)) {
			const email = demoAccounts().find((a) => a.role === role && (role !== 'coordinator' || a.territorySlug === SLUG))!.email;
			const [row] = await db.asService(
				(tx) => tx`select u.id, u.email, p.app_role from auth.users u join public.profiles p on p.user_id = u.id where u.email = ${email}`
			);
			claims[role] = { sub: row.id, role: 'authenticated', email: row.email, app_role: row.app_role };
		}
		for (const { file, route } of pages) {
			const { load } = (await modules[file]()) as { load?: Load };
			if (!load) continue;
			const path = route.replace('[slug]', SLUG);
			for (const role of ROLES) {
				const event = {
					locals: { claims: claims[role], displayName: null },
					params: { slug: SLUG },
					url: new URL(`http://localhost${path}`),
					route: { id: route },
					setHeaders: () => {},
					depends: () => {},
					untrack: <T>(fn: () => T) => fn(),
					parent: async () => ({}),
					cookies: { get: () => undefined, getAll: () => [], set: () => {}, delete: () => {} },
					getClientAddress: () => '127.0.0.1',
					request: new Request(`http://localhost${path}`),
					fetch
				};
				const stats = { statements: 0 };
				try {
					await db.queryStats.run(stats, () => load(event));
				} catch (e) {
					if (isRedirect(e) || (isHttpError(e) && [401, 403, 404].includes(e.status))) continue;
					throw e;
				}
				counts[`${route} (${role})`] = stats.statements;
			}
		}
	} finally {
		await db.disconnect();
	}
	return counts;
}

beforeAll(async () => {
	db = await import('../../src/lib/server/db');
	const { migrate } = await import('../../src/lib/server/db/migrate');
	const { seedDemo } = await import('../../src/lib/server/demo/seed');
	// Only the server's superuser creates databases; the owner role migrates and seeds it, as the app does.
	admin = postgres(inject('superDatabaseUrl'), { max: 1, onnotice: () => {} });
	owner = postgres(inject('databaseUrl'), { max: 1, onnotice: () => {} });
	await admin.unsafe(`drop database if exists ${GROWTH_DB}`);
	await admin.unsafe(`create database ${GROWTH_DB} owner ${OWNER_ROLE}`);
	growthUrl = onDatabase(inject('databaseUrl'), GROWTH_DB);
	growthAppUrl = onDatabase(inject('appDatabaseUrl'), GROWTH_DB);
	const growth = postgres(growthUrl, { max: 1, onnotice: () => {} });
	try {
		await migrate(growth);
		await seedDemo(growth, { scale: 2, program: 'full' });
	} finally {
		await growth.end();
	}
}, 240_000);

afterAll(async () => {
	for (const [key, value] of [['MARATHON_QUERY_STATS', savedEnv.stats], ['MARATHON_TODAY', savedEnv.today]] as const)
		if (value === undefined) delete process.env[key];
		else process.env[key] = value;
	await admin.unsafe(`drop database if exists ${GROWTH_DB} with (force)`);
	await admin.end();
	await owner.end();
});

describe('statements per page do not grow with the data', () => {
	it('sends as many statements on the larger dataset as on the demo cohort, page by page and role by role', async () => {
		const small = await statementCounts(inject('appDatabaseUrl'), inject('databaseUrl'), '2026-11-29');
		const large = await statementCounts(growthAppUrl, growthUrl, '2027-07-29');
		// The main pages are there, each opened by at least one role.
		for (const route of ['/pilotage', '/pilotage/comparaison', '/impact', '/transparence', '/territoires/[slug]', '/territoires/[slug]/citoyens', '/territoires/[slug]/ateliers'])
			expect(Object.keys(small).some((k) => k.startsWith(`${route} (`)), route).toBe(true);
		expect(Object.keys(large).sort()).toEqual(Object.keys(small).sort());
		expect(large).toEqual(small);
		// A fixed, small number: the session check is not counted here (hooks), the rest is.
		for (const [page, n] of Object.entries(small)) expect(n, page).toBeLessThanOrEqual(20);
	}, 120_000);
});

describe('the benchmark dataset (full program, scale 2)', () => {
	it('has 36 territories, most with ≥ 350 citizens and ≥ 150 lieux, a held workshop a week with attendance, 18 months of values', async () => {
		const growth = postgres(growthUrl, { max: 1, onnotice: () => {} });
		try {
			const perTerritory = await growth<{ slug: string; citizens: number; lieux: number; weeks: number; held: number; attended: number; months: number }[]>`
				select t.slug,
					(select count(*)::int from public.citizens c where c.territory_id = t.id) as citizens,
					(select count(*)::int from public.lieux l where l.territory_id = t.id) as lieux,
					(select count(distinct date_trunc('week', w.starts_at))::int from public.workshops w
					  where w.territory_id = t.id and w.status <> 'planned') as weeks,
					(select count(*)::int from public.workshops w where w.territory_id = t.id and w.status = 'held') as held,
					(select count(distinct a.workshop_id)::int from public.attendances a where a.territory_id = t.id) as attended,
					(select count(distinct v.month)::int from public.indicator_values v where v.territory_id = t.id) as months
				from public.territories t`;
			expect(perTerritory).toHaveLength(36);
			const big = perTerritory.filter((t) => t.citizens >= 350 && t.lieux >= 150);
			expect(big.length).toBeGreaterThan(perTerritory.length / 2);
			for (const t of perTerritory) {
				// one a week from the first dozen enrolments to the last change (late territories stop earlier)
				expect(t.weeks, t.slug).toBeGreaterThanOrEqual(40);
				expect(t.attended, t.slug).toBe(t.held);
				expect(t.months, t.slug).toBeGreaterThanOrEqual(17);
			}
			expect(Math.max(...perTerritory.map((t) => t.months))).toBe(18);
			expect(perTerritory.map((t) => t.slug)).toContain('vallee-de-la-sourde-2');
		} finally {
			await growth.end();
		}
	});
});

describe('policies and indexes', () => {
	it('wraps every auth.* and private.* call of every policy in a scalar subquery (evaluated once)', async () => {
		const policies = await owner<{ name: string; expr: string }[]>`
			select tablename || '.' || policyname as name, coalesce(qual, '') || ' ' || coalesce(with_check, '') as expr
			from pg_policies where schemaname = 'public'`;
		expect(policies.length).toBeGreaterThan(20);
		const unwrapped = policies.filter((p) =>
			[...p.expr.matchAll(/(auth|private)\.\w+\(/g)].some((m) => !p.expr.slice(0, m.index).trimEnd().endsWith('SELECT'))
		);
		expect(unwrapped.map((p) => p.name)).toEqual([]);
	});

	it('has an index led by every foreign-key column of public and private tables', async () => {
		const missing = await owner<{ fk: string }[]>`
			select c.conrelid::regclass::text || ' (' || a.attname || ')' as fk
			from pg_constraint c
			join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
			where c.contype = 'f' and c.connamespace in ('public'::regnamespace, 'private'::regnamespace)
			  and not exists (select 1 from pg_index i where i.indrelid = c.conrelid and i.indkey[0] = c.conkey[1])`;
		expect(missing.map((m) => m.fk)).toEqual([]);
	});

	it('has an index led by every column a policy compares to the user (territory_id, user_id)', async () => {
		const rows = await owner<{ tbl: string; expr: string }[]>`
			select tablename as tbl, coalesce(qual, '') || ' ' || coalesce(with_check, '') as expr
			from pg_policies where schemaname = 'public'`;
		const indexed = await owner<{ tbl: string; col: string }[]>`
			select t.relname as tbl, a.attname as col
			from pg_index i join pg_class t on t.oid = i.indrelid join pg_namespace n on n.oid = t.relnamespace
			join pg_attribute a on a.attrelid = t.oid and a.attnum = i.indkey[0]
			where n.nspname = 'public'`;
		const has = new Set(indexed.map((r) => `${r.tbl}.${r.col}`));
		const compared = new Set(rows.flatMap((r) => [...r.expr.matchAll(/\((\w+) = (?:ANY \(|\( SELECT)/g)].map((m) => `${r.tbl}.${m[1]}`)));
		expect(compared.size).toBeGreaterThan(5);
		expect([...compared].filter((c) => !has.has(c))).toEqual([]);
	});
});
