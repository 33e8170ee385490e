import postgres from 'postgres';
import { connect, disconnect } from './index';
import { startEmbedded, type EmbeddedDatabase } from './embedded';
import { migrate } from './migrate';
import { DEMO_PASSWORD, demoAccounts, demoOptionsFromEnv, seedDemo } from '$lib/server/demo/seed';

let embedded: EmbeddedDatabase | null = null;

/**
 * Brings the database up before the first request: the embedded Postgres when DATABASE_URL is
 * not set (data under MARATHON_DATA_DIR, default `.marathon/`), then the migrations, then on an
 * empty embedded database (or with MARATHON_DEMO=true) the demo cohort — at MARATHON_DEMO_SCALE
 * and MARATHON_DEMO_PROGRAM (the benchmark's datasets; see DemoOptions).
 */
export async function startDatabase(log: (line: string) => void = console.log): Promise<void> {
	let url = process.env.DATABASE_URL;
	if (!url) {
		embedded = await startEmbedded(process.env.MARATHON_DATA_DIR ?? '.marathon');
		url = embedded.url;
	}
	// Migrations and seed on a connection of their own: the app's pool opens afterwards, so that
	// postgres.js learns the types (enums and their arrays) the migrations created.
	const setup = postgres(url, { max: 1, onnotice: () => {} });
	try {
		const report = await migrate(setup);
		if (report.applied.length) log(`Migrations appliquées : ${report.applied.join(', ')}`);
		const demo = embedded !== null || process.env.MARATHON_DEMO === 'true';
		const options = demoOptionsFromEnv();
		if (demo && (await seedDemo(setup, options))) {
			// Statistics and visibility map right after the bulk load, not whenever autovacuum gets
			// to it: the first requests get good plans (and index-only scans), and no background
			// vacuum competes with them.
			await setup.unsafe('vacuum (analyze)');
			log(`Cohorte de démonstration chargée (${18 * options.scale} territoires fictifs).`);
		}
	} finally {
		await setup.end();
	}
	connect(url);
	if (embedded) printDemoLogins(log, demoOptionsFromEnv().scale);
}

function printDemoLogins(log: (line: string) => void, scale: number) {
	const accounts = demoAccounts(scale);
	const byRole = (role: string) => accounts.filter((a) => a.role === role);
	log(`Comptes de démonstration (mot de passe : ${DEMO_PASSWORD}) :`);
	for (const role of ['admin', 'facilitator', 'funder'] as const)
		for (const a of byRole(role)) log(`  ${role.padEnd(12)} ${a.email}`);
	const coordinators = byRole('coordinator');
	log(`  coordinator  ${coordinators[0]?.email}  (un par territoire, ${coordinators.length} en tout :`);
	log(`               coordination.<territoire>@demo.marathon.test)`);
}

/** Closes the pool, then stops the embedded Postgres cleanly (its data stays). */
export async function stopDatabase(): Promise<void> {
	await disconnect();
	await embedded?.stop();
	embedded = null;
}
