import postgres from 'postgres';
import { connect, disconnect } from './index';
import { startEmbedded, type EmbeddedDatabase } from './embedded';
import { migrate } from './migrate';
import { embeddedRoles, privilegeWarnings, type DatabaseUrls } from './roles';
import { DEMO_PASSWORD, demoAccounts, demoOptionsFromEnv, seedDemo } from '$lib/server/demo/seed';
import { isDemoMode } from '$lib/server/auth/demo';

let embedded: EmbeddedDatabase | null = null;

/**
 * Brings the database up before the first request: the embedded Postgres when DATABASE_URL is
 * not set (data under MARATHON_DATA_DIR, default `.marathon/`; its superuser only creates the
 * roles), then the migrations and, in demo mode (embedded database unless MARATHON_DEMO=false, or
 * MARATHON_DEMO=true), the demo cohort — at MARATHON_DEMO_SCALE and MARATHON_DEMO_PROGRAM (the
 * benchmark's datasets; see DemoOptions) — as the owner role; then the request pool, as the login
 * that can only become anon/authenticated. With DATABASE_URL: that URL is the owner (migrations,
 * system jobs) and DATABASE_APP_URL the request login; without DATABASE_APP_URL the app still starts
 * on the one URL and warns loudly that least privilege is not in force (README « Rôles Postgres »).
 */
export async function startDatabase(log: (line: string) => void = console.log): Promise<void> {
	let urls: DatabaseUrls;
	const external = process.env.DATABASE_URL;
	if (external) {
		urls = { owner: external, app: process.env.DATABASE_APP_URL || external };
	} else {
		const dir = process.env.MARATHON_DATA_DIR ?? '.marathon';
		embedded = await startEmbedded(dir);
		urls = await embeddedRoles(dir, embedded.url);
	}
	// Migrations and seed on a connection of their own: the app's pool opens afterwards, so that
	// postgres.js learns the types (enums and their arrays) the migrations created.
	const setup = postgres(urls.owner, { max: 1, onnotice: () => {} });
	try {
		const report = await migrate(setup);
		if (report.applied.length) log(`Migrations appliquées : ${report.applied.join(', ')}`);
		const options = demoOptionsFromEnv();
		if (isDemoMode() && (await seedDemo(setup, options))) {
			// Statistics and visibility map right after the bulk load, not whenever autovacuum gets
			// to it: the first requests get good plans (and index-only scans), and no background
			// vacuum competes with them.
			await setup.unsafe('vacuum (analyze)');
			log(`Cohorte de démonstration chargée (${18 * options.scale} territoires fictifs).`);
		}
	} finally {
		await setup.end();
	}
	const pool = connect(urls.app, urls.owner, embedded?.socket);
	const warnings = await privilegeWarnings(pool);
	if (warnings.length)
		log(
			`\n*** ATTENTION : moindre privilège non appliqué — ${warnings.join(' ; ')}.\n` +
				'*** Les requêtes des utilisateurs devraient se connecter avec un rôle dédié (DATABASE_APP_URL) :\n' +
				'*** voir README, « Rôles Postgres ».\n'
		);
	if (isDemoMode()) printDemoLogins(log, demoOptionsFromEnv().scale);
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
