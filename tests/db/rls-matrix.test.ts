import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import postgres, { type Sql } from 'postgres';
import { asAnon, asUser, type Tx } from '../../src/lib/server/db';
import { type TerritoryPair, territoryPair, useTestDatabase } from './helpers';

/**
 * The RLS matrix (issue #7, point 9), read from the catalog: every table, view and function of
 * `public` must have its row below, and each cell is asserted as the real role, through the app's
 * own asUser/asAnon path. DOMAIN.md « Users and what each may do » is the source:
 * - coordinator: everything of their own territories; program configuration read-only; other
 *   territories only as anonymous aggregates;
 * - facilitator: all territories; cohort, milestone templates, indicator catalog, territories,
 *   accounts (not admins);
 * - funder: aggregates only, never a row of personal data;
 * - admin: everything; the public (anon): the published transparency totals only.
 *
 * A cell is `true` when the role reaches the sample row: select returns it; update/delete affect
 * it (or a delete reaches a foreign key, past RLS); insert of a copy succeeds or reaches a unique
 * key (past the policy's WITH CHECK); a function returns a non-empty, non-false answer.
 * `false`: a permission error, or the row is invisible / unchanged / the answer empty.
 */

type Who = 'anon' | 'coordA' | 'coordB' | 'facilitator' | 'funder' | 'admin' | 'outsider';
const WHO: Who[] = ['anon', 'coordA', 'coordB', 'facilitator', 'funder', 'admin', 'outsider'];

// Who may, as lists (the sample row belongs to territory A, coordinated by coordA).
const NOBODY: Who[] = [];
const ADMIN: Who[] = ['admin'];
const STAFF: Who[] = ['facilitator', 'admin'];
/** The row's territory team: its coordinator and the staff. Never coordB, never the funder. */
const TEAM: Who[] = ['coordA', 'facilitator', 'admin'];
const WITH_A_ROLE: Who[] = ['coordA', 'coordB', 'facilitator', 'funder', 'admin'];
const SIGNED_IN: Who[] = [...WITH_A_ROLE, 'outsider'];
const EVERYONE: Who[] = ['anon', ...SIGNED_IN];
/** Aggregated impact: the funder and the staff (DOMAIN.md: funders read aggregates, never rows). */
const IMPACT: Who[] = ['facilitator', 'funder', 'admin'];

interface Relation {
	/** SQL condition choosing the sample row; `:A` is territory A's id, `:coordA` its coordinator's user id. */
	sample: string;
	/** columns that identify the sample row, for a view or a table without a primary key */
	key?: string[];
	select: Who[];
	insert: Who[];
	update: Who[];
	delete: Who[];
	/** SQLSTATEs a trigger of this table raises to refuse a write (counted as refused, like 42501) */
	refusedBy?: string[];
}
interface Routine {
	/** A call returning rows; its first column false/null, or no row, counts as refused. */
	call: string;
	execute: Who[];
}

const MATRIX: Record<string, Relation | Routine> = {
	// ---- program configuration: read by every signed-in user, written by staff ----
	'public.cohorts': { sample: 'true', select: SIGNED_IN, insert: STAFF, update: STAFF, delete: ADMIN },
	'public.territories': { sample: 'id = :A', select: SIGNED_IN, insert: STAFF, update: STAFF, delete: ADMIN },
	'public.milestone_templates': { sample: 'true', select: SIGNED_IN, insert: STAFF, update: STAFF, delete: STAFF },
	'public.laws': { sample: 'true', select: EVERYONE, insert: NOBODY, update: NOBODY, delete: NOBODY },
	'public.indicators': { sample: 'true', select: SIGNED_IN, insert: STAFF, update: STAFF, delete: STAFF },
	'public.indicator_targets': { sample: 'territory_id = :A', select: SIGNED_IN, insert: STAFF, update: STAFF, delete: STAFF },
	// ---- accounts: one's own; staff manage non-admins; admins everything ----
	'public.profiles': { sample: 'user_id = :coordA', select: ['coordA', ...STAFF], insert: STAFF, update: STAFF, delete: ADMIN },
	'public.territory_members': {
		sample: 'territory_id = :A and user_id = :coordA',
		select: ['coordA', ...STAFF], insert: STAFF, update: STAFF, delete: STAFF
	},
	// ---- history: read by the territory's team, written by the trigger only ----
	'public.audit_events': { sample: 'territory_id = :A', select: TEAM, insert: NOBODY, update: NOBODY, delete: NOBODY },
	// ---- personal data: the territory's team only; erasure anonymises, never deletes ----
	'public.citizens': { sample: 'territory_id = :A', select: TEAM, insert: TEAM, update: TEAM, delete: NOBODY },
	'public.consent_events': { sample: 'territory_id = :A', select: TEAM, insert: TEAM, update: NOBODY, delete: NOBODY },
	'public.lieux': { sample: 'territory_id = :A', select: TEAM, insert: TEAM, update: TEAM, delete: NOBODY },
	'public.attendances': { sample: 'territory_id = :A', select: TEAM, insert: TEAM, update: TEAM, delete: TEAM },
	// ---- the territory's work ----
	'public.workshops': { sample: "territory_id = :A and status = 'planned'", select: TEAM, insert: TEAM, update: TEAM, delete: TEAM },
	// a program milestone: the territory edits it (not its date), only staff create or remove one
	'public.milestones': { sample: 'territory_id = :A and template_id is not null', select: TEAM, insert: STAFF, update: TEAM, delete: STAFF },
	// a date-change request (fixture): the territory's coordinator asks, nobody deletes; staff decide
	// through its status alone (program-rules.test.ts), so changing any other column is refused
	'public.milestone_date_requests': {
		sample: 'territory_id = :A', select: TEAM, insert: ['coordA'], update: NOBODY, delete: NOBODY, refusedBy: ['23514']
	},
	// ---- people and access (fixture invitation): staff only; admins alone invite admins ----
	'public.invitations': { sample: 'territory_id = :A', select: STAFF, insert: STAFF, update: STAFF, delete: NOBODY },
	'public.people_directory()': { call: 'select 1 from public.people_directory()', execute: STAFF },
	'public.change_role(uuid, app_role)': { call: "select true from public.change_role(:coordA, 'funder')", execute: STAFF },
	'public.remove_access(uuid)': { call: 'select true from public.remove_access(:coordA)', execute: STAFF },
	// ---- published snapshots (fixture): read by every signed-in user, the public through the function ----
	// update: only the withdrawal columns are granted (staff withdraw; impact.test.ts), so changing
	// any other column is refused to everyone
	'public.transparency_snapshots': { sample: 'true', select: SIGNED_IN, insert: STAFF, update: NOBODY, delete: NOBODY },
	'public.published_snapshot()': { call: 'select 1 from public.published_snapshot()', execute: EVERYONE },
	'public.indicator_values': { sample: 'territory_id = :A', select: TEAM, insert: TEAM, update: TEAM, delete: STAFF },
	// ---- relances (fixture reminder): staff record; the territory's team reads; history, never changed ----
	'public.reminders': { sample: 'territory_id = :A', select: TEAM, insert: STAFF, update: NOBODY, delete: NOBODY },
	// ---- functions ----
	'public.can_access_territory(uuid)': { call: 'select public.can_access_territory(:A)', execute: TEAM },
	'public.territory_figures(date, uuid)': {
		call: "select territory_id from public.territory_figures('2026-11-29', :A)",
		execute: ['coordA', 'facilitator', 'funder', 'admin']
	},
	'public.program_totals()': { call: 'select territories from public.program_totals()', execute: WITH_A_ROLE },
	// the demo cohort publishes its totals
	'public.public_program_totals()': { call: 'select territories from public.public_program_totals()', execute: EVERYONE },
	// ---- impact aggregates: funders and staff; coordinators get no rows; the public is refused ----
	'public.impact_totals(date, date)': { call: "select 1 from public.impact_totals('2026-02-01', '2026-11-01')", execute: IMPACT },
	'public.impact_territories(date, date)': { call: "select 1 from public.impact_territories('2026-02-01', '2026-11-01')", execute: IMPACT },
	'public.impact_trend(date, date, text)': { call: "select 1 from public.impact_trend('2026-02-01', '2026-11-01', 'calendar')", execute: IMPACT },
	'public.impact_breakdown(date, date, text)': { call: "select 1 from public.impact_breakdown('2026-02-01', '2026-11-01', 'source')", execute: IMPACT },
	'public.impact_indicators(date, date)': { call: "select 1 from public.impact_indicators('2026-02-01', '2026-11-01')", execute: IMPACT },
	// where a territory stands among all (anonymous quartiles): its team
	'public.territory_standing(uuid, date)': { call: "select 1 from public.territory_standing(:A, '2026-11-29')", execute: TEAM },
	// ---- comparaison: territories side by side by program month, staff only (not even the territory's coordinator) ----
	'public.comparison_months(uuid[], uuid)': { call: 'select 1 from public.comparison_months(array[:A])', execute: STAFF }
};

let stop: () => Promise<void>;
let owner: Sql;
let pair: TerritoryPair;
/** Sample rows the demo has none of (committed by the owner, removed with their audit events after). */
const FIXTURE = {
	request: '00000000-0000-4000-8000-00000000d001',
	invitation: '00000000-0000-4000-8000-00000000d002',
	snapshot: '00000000-0000-4000-8000-00000000d003',
	// relances
	reminder: '00000000-0000-4000-8000-00000000d004'
};
beforeAll(async () => {
	stop = useTestDatabase();
	owner = postgres(inject('databaseUrl'), { max: 1, onnotice: () => {} });
	pair = await territoryPair();
	const A = pair.A.id;
	await owner.begin(async (sql) => {
		await sql`insert into public.milestone_date_requests (id, milestone_id, territory_id, current_due_date, requested_due_date, reason, requested_by)
			select ${FIXTURE.request}, m.id, m.territory_id, m.due_date, m.due_date + 30, 'Matrice RLS', ${pair.as.coordA.sub}
			from public.milestones m where m.territory_id = ${A} and m.template_id is not null order by m.id limit 1`;
		await sql`insert into public.invitations (id, token_hash, email, display_name, app_role, territory_id, expires_at)
			values (${FIXTURE.invitation}, repeat('a', 64), 'matrice.rls@exemple.test', 'Matrice RLS', 'coordinator', ${A}, now() + interval '7 days')`;
		await sql`insert into public.transparency_snapshots (id, cohort_id, period_from, period_to, data_date, figures)
			select ${FIXTURE.snapshot}, t.cohort_id, '2026-02-01', '2026-11-01', '2026-11-29', '{}'::jsonb
			from public.territories t where t.id = ${A}`;
		// relances
		await sql`insert into public.reminders (id, territory_id, channel, summary) values (${FIXTURE.reminder}, ${A}, 'email', 'Matrice RLS')`;
	});
});
afterAll(async () => {
	const ids = Object.values(FIXTURE);
	await owner.begin(async (sql) => {
		await sql`delete from public.milestone_date_requests where id = ${FIXTURE.request}`;
		await sql`delete from public.invitations where id = ${FIXTURE.invitation}`;
		await sql`delete from public.transparency_snapshots where id = ${FIXTURE.snapshot}`;
		await sql`delete from public.reminders where id = ${FIXTURE.reminder}`;
		await sql`delete from public.audit_events where entity_id = any(${ids}::text[])`;
	});
	await owner.end();
	await stop();
});

const bind = (text: string) =>
	text.replaceAll(':A', `'${pair.A.id}'::uuid`).replaceAll(':coordA', `'${pair.as.coordA.sub}'::uuid`);

async function catalog(): Promise<string[]> {
	const rows = await owner<{ name: string }[]>`
		select format('public.%I', c.relname) as name from pg_class c
		where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p', 'v', 'm', 'f')
		union all
		select format('public.%I(%s)', p.proname, oidvectortypes(p.proargtypes)) from pg_proc p
		where p.pronamespace = 'public'::regnamespace and p.prokind in ('f', 'p')
		  and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
		order by 1`;
	return rows.map((r) => r.name);
}

const ROLLBACK = new Error('rollback');

/** Runs `fn` as `who` in a transaction that is always rolled back. */
async function as<T>(who: Who, fn: (tx: Tx) => Promise<T>): Promise<T> {
	let result: T | undefined;
	const run = async (tx: Tx) => {
		result = await fn(tx);
		throw ROLLBACK;
	};
	await (who === 'anon' ? asAnon(run) : asUser(pair.as[who], run)).catch((e: unknown) => {
		if (e !== ROLLBACK) throw e;
	});
	return result as T;
}

/** One statement in a savepoint that is always rolled back: its rows, or its SQLSTATE. */
async function attempt(tx: Tx, statement: string, params: unknown[] = []): Promise<{ rows: number; code?: string }> {
	let rows = 0;
	try {
		await tx.savepoint(async (sp) => {
			rows = (await sp.unsafe(statement, params as never[])).length;
			throw ROLLBACK;
		});
	} catch (e) {
		if (e === ROLLBACK) return { rows };
		return { rows: 0, code: (e as { code?: string }).code ?? String(e) };
	}
	return { rows };
}

interface Shape {
	key: string[];
	insertable: string[];
	settable: string;
}

async function shapeOf(name: string, given?: string[]): Promise<Shape> {
	const cols = await owner<{ attname: string; key: boolean; generated: boolean }[]>`
		select a.attname, coalesce(a.attnum = any (i.indkey), false) as key,
		       (a.attgenerated <> '' or a.attidentity = 'a') as generated
		from pg_attribute a
		left join pg_index i on i.indrelid = a.attrelid and i.indisprimary
		where a.attrelid = ${name}::regclass and a.attnum > 0 and not a.attisdropped
		order by a.attnum`;
	const key = given ?? cols.filter((c) => c.key).map((c) => c.attname);
	if (!key.length) throw new Error(`${name} has no primary key: give its MATRIX row a key`);
	const settable = cols.find((c) => !c.key && !c.generated)?.attname;
	if (!settable) throw new Error(`${name}: no column to update`);
	return { key, insertable: cols.filter((c) => !c.generated).map((c) => c.attname), settable };
}

const quote = (c: string) => `"${c}"`;

/** The four outcomes of one role on one relation's sample row. */
async function relationCells(name: string, rel: Relation, who: Who, sample: unknown, shape: Shape) {
	const src = `jsonb_populate_record(null::${name}, $1::jsonb) s`;
	const match = shape.key.map((k) => `t.${quote(k)} = s.${quote(k)}`).join(' and ');
	const cols = shape.insertable.map(quote).join(', ');
	return as(who, async (tx) => {
		const allowed = (r: { rows: number; code?: string }, passing: string[]) => {
			if (r.code === undefined) return r.rows > 0;
			if (r.code === '42501' || rel.refusedBy?.includes(r.code)) return false;
			if (passing.includes(r.code)) return true;
			throw new Error(`${name} as ${who}: unexpected SQLSTATE ${r.code}`);
		};
		const params = [sample];
		return {
			select: allowed(await attempt(tx, `select 1 from ${name} t, ${src} where ${match}`, params), []),
			insert: allowed(
				await attempt(tx, `insert into ${name} (${cols}) select ${shape.insertable.map((c) => `s.${quote(c)}`).join(', ')} from ${src} returning 1`, params),
				['23505']
			),
			update: allowed(
				await attempt(tx, `update ${name} t set ${quote(shape.settable)} = s.${quote(shape.settable)} from ${src} where ${match} returning 1`, params),
				[]
			),
			delete: allowed(await attempt(tx, `delete from ${name} t using ${src} where ${match} returning 1`, params), ['23503'])
		};
	});
}

async function routineCell(name: string, fn: Routine, who: Who): Promise<boolean> {
	return as(who, async (tx) => {
		let rows: Record<string, unknown>[] = [];
		try {
			await tx.savepoint(async (sp) => {
				rows = await sp.unsafe(bind(fn.call));
				throw ROLLBACK;
			});
		} catch (e) {
			if (e !== ROLLBACK) {
				if ((e as { code?: string }).code === '42501') return false;
				throw new Error(`${name} as ${who}: ${e}`);
			}
		}
		const first = rows[0] ? Object.values(rows[0])[0] : null;
		return rows.length > 0 && first !== false && first !== null;
	});
}

const expectedFor = (list: Who[]) => Object.fromEntries(WHO.map((w) => [w, list.includes(w)]));
let cells = 0;

describe('RLS matrix from the catalog', () => {
	it('has a row for every table, view and function of public, and none for what is gone', async () => {
		const present = await catalog();
		const missing = present.filter((n) => !(n in MATRIX)).map((n) => `add ${n} to the RLS matrix (tests/db/rls-matrix.test.ts)`);
		const gone = Object.keys(MATRIX).filter((n) => !present.includes(n)).map((n) => `remove ${n} from the RLS matrix: it is not in the catalog`);
		expect([...missing, ...gone]).toEqual([]);
	});

	for (const [name, entry] of Object.entries(MATRIX)) {
		it(`${name}: ${'call' in entry ? 'execute' : 'select / insert / update / delete'} for each role`, async () => {
			if ('call' in entry) {
				const actual: Record<string, boolean> = {};
				for (const who of WHO) actual[who] = await routineCell(name, entry, who);
				expect({ execute: actual }).toEqual({ execute: expectedFor(entry.execute) });
				cells += WHO.length;
				return;
			}
			const shape = await shapeOf(name, entry.key);
			const [row] = await owner.unsafe(`select to_jsonb(t) as j from ${name} t where ${bind(entry.sample)} limit 1`);
			expect(row, `${name}: no sample row for « ${entry.sample} » in the demo data`).toBeDefined();
			const actual: Record<string, Record<string, boolean>> = { select: {}, insert: {}, update: {}, delete: {} };
			for (const who of WHO) {
				const r = await relationCells(name, entry, who, row.j, shape);
				for (const op of ['select', 'insert', 'update', 'delete'] as const) actual[op][who] = r[op];
			}
			expect(actual).toEqual({
				select: expectedFor(entry.select),
				insert: expectedFor(entry.insert),
				update: expectedFor(entry.update),
				delete: expectedFor(entry.delete)
			});
			cells += WHO.length * 4;
		});
	}

	afterAll(() => {
		console.log(`RLS matrix: ${Object.keys(MATRIX).length} objects, ${cells} cells asserted`);
	});
});
