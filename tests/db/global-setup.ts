import type { TestProject } from 'vitest/node';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { startEmbedded } from '../../src/lib/server/db/embedded';
import { migrate } from '../../src/lib/server/db/migrate';
import { seedDemo } from '../../src/lib/server/demo/seed';

/**
 * One real Postgres 17 for the database tests: a fresh embedded server in a temporary folder,
 * the real migrations, the real demo cohort. Tests reach it through `inject('databaseUrl')`.
 */
export default async function setup(project: TestProject) {
	const dir = process.env.MARATHON_TEST_DB_DIR ?? (await mkdtemp(join(tmpdir(), 'marathon-db-test-')));
	const embedded = await startEmbedded(dir);
	const sql = postgres(embedded.url, { max: 2, onnotice: () => {} });
	await migrate(sql);
	await seedDemo(sql);
	await sql.end();
	project.provide('databaseUrl', embedded.url);
	return async () => {
		await embedded.stop();
		if (!process.env.MARATHON_TEST_DB_DIR) await rm(dir, { recursive: true, force: true });
	};
}

declare module 'vitest' {
	export interface ProvidedContext {
		databaseUrl: string;
	}
}
