import type { TestProject } from 'vitest/node';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { startEmbedded } from '../../src/lib/server/db/embedded';
import { migrate } from '../../src/lib/server/db/migrate';
import { embeddedRoles } from '../../src/lib/server/db/roles';
import { seedDemo } from '../../src/lib/server/demo/seed';

/**
 * One real Postgres 17 for the database tests: a fresh embedded server in a temporary folder,
 * the real roles (roles.ts), the real migrations, the real demo cohort — set up exactly as the app
 * does it. Tests reach it through `inject('databaseUrl')` (the owner role: migrations, system
 * jobs; it may `set role` to anon/authenticated), `inject('appDatabaseUrl')` (the request login the
 * app's pages use) and `inject('superDatabaseUrl')` (the embedded superuser, for tests that create
 * a second database).
 */
export default async function setup(project: TestProject) {
	const dir = process.env.MARATHON_TEST_DB_DIR ?? (await mkdtemp(join(tmpdir(), 'marathon-db-test-')));
	const embedded = await startEmbedded(dir);
	const urls = await embeddedRoles(dir, embedded.url);
	const sql = postgres(urls.owner, { max: 2, onnotice: () => {} });
	await migrate(sql);
	await seedDemo(sql);
	// The demo's audit trail ends here: tests that commit writes add to it after this id.
	const [{ last }] = await sql<{ last: number }[]>`select coalesce(max(id), 0)::int as last from public.audit_events`;
	await sql.end();
	project.provide('databaseUrl', urls.owner);
	project.provide('appDatabaseUrl', urls.app);
	project.provide('superDatabaseUrl', embedded.url);
	project.provide('databaseDir', dir);
	project.provide('seedAuditId', last);
	return async () => {
		await embedded.stop();
		if (!process.env.MARATHON_TEST_DB_DIR) await rm(dir, { recursive: true, force: true });
	};
}

declare module 'vitest' {
	export interface ProvidedContext {
		databaseUrl: string;
		appDatabaseUrl: string;
		superDatabaseUrl: string;
		databaseDir: string;
		/** the last audit event the demo seed wrote */
		seedAuditId: number;
	}
}
