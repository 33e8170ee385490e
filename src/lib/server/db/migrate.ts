import type { Sql } from 'postgres';

/** The Supabase shim and migrations, bundled with the server so that a build runs anywhere. */
const shim = import.meta.glob('/supabase/local/shim.sql', { query: '?raw', import: 'default', eager: true });
const files = import.meta.glob('/supabase/migrations/*.sql', { query: '?raw', import: 'default', eager: true });

export interface Migration {
	version: string;
	name: string;
	sql: string;
}

/** Migrations in order, named as the Supabase CLI names them: `<version>_<name>.sql`. */
export const migrations: Migration[] = Object.entries(files)
	.map(([path, sql]) => {
		const match = /\/(\d{14})_([a-z0-9_]+)\.sql$/.exec(path);
		if (!match) throw new Error(`Nom de migration invalide : ${path}`);
		return { version: match[1], name: match[2], sql: sql as string };
	})
	.sort((a, b) => a.version.localeCompare(b.version));

/** Any constant: all servers starting on one database take this lock in turn. */
const LOCK_KEY = 4_242_001;

export interface MigrationReport {
	shimApplied: boolean;
	applied: string[];
}

/**
 * Brings the database up to date, safe to run at every start and from several servers at once:
 * the Supabase shim where `auth` does not exist (plain Postgres), then each pending migration in
 * its own transaction, recorded in `supabase_migrations.schema_migrations` like the Supabase CLI.
 * With `upTo`, stops after that version.
 */
export async function migrate(sql: Sql, options: { upTo?: string } = {}): Promise<MigrationReport> {
	const report: MigrationReport = { shimApplied: false, applied: [] };
	await sql.begin(async (tx) => {
		await tx`select pg_advisory_xact_lock(${LOCK_KEY})`;
		const [{ has_auth }] = await tx`select to_regnamespace('auth') is not null as has_auth`;
		if (!has_auth) {
			await tx.unsafe(Object.values(shim)[0] as string);
			report.shimApplied = true;
		}
		await tx`create schema if not exists supabase_migrations`;
		await tx`create table if not exists supabase_migrations.schema_migrations (
			version text primary key, statements text[], name text)`;
	});
	for (const m of migrations) {
		// A restore stops at its backup's version, loads the data, then goes on (backup.ts).
		if (options.upTo && m.version > options.upTo) break;
		await sql.begin(async (tx) => {
			await tx`select pg_advisory_xact_lock(${LOCK_KEY})`;
			const done = await tx`select 1 from supabase_migrations.schema_migrations where version = ${m.version}`;
			if (done.length) return;
			await tx.unsafe(m.sql);
			await tx`insert into supabase_migrations.schema_migrations (version, name, statements)
				values (${m.version}, ${m.name}, ${[m.sql]})`;
			report.applied.push(`${m.version}_${m.name}`);
		});
	}
	return report;
}
