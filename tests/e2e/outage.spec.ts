import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { freePort, startEmbedded, type EmbeddedDatabase } from '../../src/lib/server/db/embedded';
import { embeddedRoles } from '../../src/lib/server/db/roles';
import { DEMO_PASSWORD } from '../../src/lib/server/demo/seed';
import { account } from './fixtures';

// Outages (issue #7, point 7): the built app keeps serving while its Postgres stops, answers 503
// with Retry-After, and recovers by itself once Postgres is back — no restart of the app.
// The app runs here on a Postgres of the test's own (through DATABASE_URL and DATABASE_APP_URL,
// as on a server), so that the test can stop and restart it under the app's feet.

let dir: string;
let dbPort: number;
let db: EmbeddedDatabase | null = null;
let app: ChildProcess;
let origin: string;

test.describe.configure({ mode: 'serial', timeout: 120_000 });

test.beforeAll(async () => {
	test.setTimeout(180_000);
	dir = await mkdtemp(join(tmpdir(), 'marathon-outage-'));
	dbPort = await freePort();
	db = await startEmbedded(dir, { port: dbPort });
	const urls = await embeddedRoles(dir, db.url);
	const appPort = await freePort();
	origin = `http://localhost:${appPort}`;
	app = spawn(process.execPath, ['build/index.js'], {
		env: {
			...process.env,
			DATABASE_URL: urls.owner,
			DATABASE_APP_URL: urls.app,
			MARATHON_DEMO: 'true',
			MARATHON_TODAY: '2026-11-29',
			HOST: '127.0.0.1',
			PORT: String(appPort),
			ORIGIN: origin
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	app.stdout?.resume();
	app.stderr?.resume();
	await waitFor(async () => (await fetch(`${origin}/connexion`)).ok, 150_000);
});

test.afterAll(async () => {
	if (app && app.exitCode === null) {
		const exited = new Promise((ok) => app.once('exit', ok));
		app.kill('SIGTERM');
		await exited;
	}
	await db?.stop();
	await rm(dir, { recursive: true, force: true });
});

async function waitFor(check: () => Promise<boolean>, ms: number) {
	const until = Date.now() + ms;
	for (;;) {
		try {
			if (await check()) return;
		} catch {
			// not yet
		}
		if (Date.now() > until) throw new Error('délai dépassé');
		await new Promise((r) => setTimeout(r, 250));
	}
}

test('pages answer 503 with Retry-After while Postgres is down, then recover without restarting the app', async ({ page, request }) => {
	await page.goto(`${origin}/connexion`);
	await page.getByLabel('Adresse e-mail').fill(account('facilitator').email);
	await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await page.waitForURL((url) => url.pathname !== '/connexion');
	expect((await page.goto(`${origin}/`))!.status()).toBe(200);
	expect((await request.get(`${origin}/transparence`)).status()).toBe(200);
	const pid = app.pid;

	await db!.stop();
	db = null;

	// signed in: the session lookup fails first (authentication, the owner's pool)
	const signedIn = await page.goto(`${origin}/`);
	expect(signedIn!.status()).toBe(503);
	expect(Number(signedIn!.headers()['retry-after'])).toBeGreaterThan(0);
	// the public: the page's own query fails (the request pool)
	const anonymous = await request.get(`${origin}/transparence`);
	expect(anonymous.status()).toBe(503);
	expect(Number(anonymous.headers()['retry-after'])).toBeGreaterThan(0);
	expect(await anonymous.text()).toMatch(/momentanément injoignable/);

	db = await startEmbedded(dir, { port: dbPort });
	await waitFor(async () => (await request.get(`${origin}/transparence`)).status() === 200, 30_000);
	await waitFor(async () => (await page.goto(`${origin}/`))!.status() === 200, 30_000);
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	// same process: it recovered by itself
	expect(app.pid).toBe(pid);
	expect(app.exitCode).toBeNull();
});
