import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import postgres, { type Sql } from 'postgres';
import { migrate, migrations } from '../../src/lib/server/db/migrate';

// As the owner role, which runs the migrations (and granted what these tests read).
let sql: Sql;
const db = () => sql;
beforeAll(() => {
	sql = postgres(inject('databaseUrl'), { max: 1, onnotice: () => {} });
});
afterAll(() => sql.end());

describe('migrations', () => {
	it('apply a second time with nothing to do, recorded like the Supabase CLI does', async () => {
		const report = await migrate(db());
		expect(report).toEqual({ shimApplied: false, applied: [] });
		const recorded = await db()`select version from supabase_migrations.schema_migrations order by version`;
		expect(recorded.map((r) => r.version)).toEqual(migrations.map((m) => m.version));
	});

	it('leave no table in public without row-level security', async () => {
		const tables = await db()`
			select c.relname, c.relrowsecurity from pg_class c
			join pg_namespace n on n.oid = c.relnamespace
			where n.nspname = 'public' and c.relkind = 'r'`;
		expect(tables.length).toBeGreaterThanOrEqual(15);
		expect(tables.filter((t) => !t.relrowsecurity).map((t) => t.relname)).toEqual([]);
	});

	it('give no policy to the catch-all PUBLIC role, and no table privilege to anon but the laws', async () => {
		const loose = await db()`select tablename, policyname from pg_policies
			where schemaname = 'public' and 'public' = any (roles)`;
		expect(loose).toEqual([]);
		const anon = await db()`select distinct table_name from information_schema.role_table_grants
			where grantee = 'anon' and table_schema = 'public'`;
		expect(anon.map((r) => r.table_name)).toEqual(['laws']);
	});

	it('keep the private schema out of reach of user roles', async () => {
		const grants = await db()`select table_name from information_schema.role_table_grants
			where table_schema = 'private' and grantee in ('anon', 'authenticated')`;
		expect(grants).toEqual([]);
	});
});
