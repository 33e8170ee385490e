// `npm run bench`: start-up time, page weight (EcoIndex) and SQL statements per page, measured
// on the built app with the demo cohort in a real Chromium. Fails when a budget is exceeded.
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { buildIfNeeded } from './build-if-needed.js';

const PORT = 4175;
const ORIGIN = `http://localhost:${PORT}`;
const DATA_DIR = '.marathon-bench-e2e';
const BUDGET = { dom: 300, requests: 20, kilobytes: 200, grade: 'A' };

// EcoIndex (ecoindex.fr): quantiles of the HTTP Archive, weights 3 (DOM) / 2 (requests) / 1 (size).
const Q = {
	dom: [0, 47, 75, 159, 233, 298, 358, 417, 476, 537, 603, 674, 753, 843, 949, 1076, 1237, 1459, 1801, 2479, 594601],
	req: [0, 2, 15, 25, 34, 42, 49, 56, 63, 70, 78, 86, 95, 105, 117, 130, 147, 170, 205, 281, 3920],
	size: [0, 1.37, 144.7, 319.53, 479.46, 631.97, 783.38, 937.91, 1098.62, 1265.47, 1448.32, 1648.27, 1876.08,
		2142.06, 2465.37, 2866.31, 3401.59, 4155.73, 5400.08, 8037.54, 223212.26]
};
function quantile(q, value) {
	for (let i = 1; i < q.length; i++) if (value < q[i]) return i - 1 + (value - q[i - 1]) / (q[i] - q[i - 1]);
	return q.length - 1;
}
export function ecoindex(dom, requests, kilobytes) {
	const score = 100 - (5 * (3 * quantile(Q.dom, dom) + 2 * quantile(Q.req, requests) + quantile(Q.size, kilobytes))) / 6;
	const grade = score > 80 ? 'A' : score > 70 ? 'B' : score > 55 ? 'C' : score > 40 ? 'D' : score > 25 ? 'E' : score > 10 ? 'F' : 'G';
	return { score: Math.round(score), grade };
}

function startServer() {
	const started = Date.now();
	const child = spawn(process.execPath, ['scripts/start.js'], {
		env: { ...process.env, PORT: String(PORT), HOST: '127.0.0.1', MARATHON_DATA_DIR: DATA_DIR,
			MARATHON_TODAY: '2026-11-29', MARATHON_QUERY_STATS: 'true' },
		stdio: ['ignore', 'pipe', 'inherit']
	});
	child.stdout.resume();
	return new Promise((resolve, reject) => {
		const poll = async () => {
			try {
				const r = await fetch(`${ORIGIN}/connexion`);
				if (r.ok) return resolve({ child, ms: Date.now() - started });
			} catch {}
			if (child.exitCode !== null) return reject(new Error('le serveur s’est arrêté'));
			setTimeout(poll, 50);
		};
		poll();
	});
}

/** SIGTERM, as a service manager sends it; clean means Postgres removed its postmaster.pid. */
function stopServer(child) {
	const t0 = Date.now();
	return new Promise((resolve) => {
		child.once('exit', (code, signal) =>
			resolve({
				code: code ?? signal,
				ms: Date.now() - t0,
				clean: !existsSync(join(DATA_DIR, 'pgdata', 'postmaster.pid'))
			})
		);
		child.kill('SIGTERM');
	});
}

async function measure(browser, page, { login, path }) {
	const context = await browser.newContext();
	const p = await context.newPage();
	if (login) {
		await p.goto(`${ORIGIN}/connexion`);
		await p.getByLabel('Adresse e-mail').fill(login);
		await p.getByLabel('Mot de passe').fill('marathon-demo');
		await p.getByRole('button', { name: 'Se connecter' }).click();
		await p.waitForURL((url) => url.pathname !== '/connexion');
	}
	// A first visit: nothing cached.
	const fresh = await context.newPage();
	const cdp = await context.newCDPSession(fresh);
	await cdp.send('Network.enable');
	await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
	let bytes = 0;
	let requests = 0;
	cdp.on('Network.loadingFinished', (e) => {
		bytes += e.encodedDataLength;
		requests++;
	});
	const response = await fresh.goto(`${ORIGIN}${path}`, { waitUntil: 'networkidle' });
	const dom = await fresh.evaluate(() => document.getElementsByTagName('*').length);
	const statements = Number(response?.headers()['x-sql-statements'] ?? NaN);
	await context.close();
	const kilobytes = Math.round(bytes / 102.4) / 10;
	return { page, status: response?.status(), dom, requests, kilobytes, statements, ...ecoindex(dom, requests, kilobytes) };
}

buildIfNeeded();
rmSync(DATA_DIR, { recursive: true, force: true });
const cold = await startServer();
const coldStop = await stopServer(cold.child);
const warm = await startServer();

const slug = 'vallee-de-la-sourde';
const pages = [
	{ page: 'connexion', path: '/connexion' },
	{ page: 'transparence', path: '/transparence' },
	{ page: 'accueil (animation, 18 territoires)', path: '/', login: 'facilitation@demo.marathon.test' },
	{ page: 'accueil (financeur)', path: '/', login: 'financeur@demo.marathon.test' },
	{ page: 'territoire (coordination)', path: `/territoires/${slug}`, login: `coordination.${slug}@demo.marathon.test` },
	{ page: 'territoire (animation)', path: `/territoires/${slug}`, login: 'facilitation@demo.marathon.test' },
	...[
		['jalons (liste)', 'jalons'],
		['jalons (frise)', 'jalons?vue=frise'],
		['citoyens (liste)', 'citoyens'],
		['citoyens (recherche)', 'citoyens?q=a'],
		['indicateurs (saisie du mois)', 'indicateurs'],
		['ateliers (à venir)', 'ateliers'],
		['ateliers (passés)', 'ateliers?vue=passes'],
		['ateliers (calendrier)', 'ateliers?vue=calendrier&mois=2026-11'],
		['ateliers (planifier)', 'ateliers/nouveau'],
		['lieux (liste)', 'lieux'],
		['lieux (engager)', 'lieux/nouveau'],
		['citoyens (inscrire)', 'citoyens/nouveau'],
		['import / export', 'import-export']
	].map(([page, sub]) => ({ page, path: `/territoires/${slug}/${sub}`, login: `coordination.${slug}@demo.marathon.test` }))
];
const chromiumPath = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
const browser = await chromium.launch({
	executablePath: chromiumPath,
	args: ['--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic']
});
const rows = [];
for (const p of pages) rows.push(await measure(browser, p.page, p));
await browser.close();
const warmStop = await stopServer(warm.child);
rmSync(DATA_DIR, { recursive: true, force: true });

const stopped = (s) => `${s.ms} ms (${s.clean ? 'Postgres arrêté proprement' : 'Postgres NON arrêté proprement'}, code ${s.code})`;
console.log(`\nDémarrage à froid (initdb + migrations + démo) : ${cold.ms} ms ; arrêt : ${stopped(coldStop)}`);
console.log(`Démarrage à chaud (base existante)             : ${warm.ms} ms ; arrêt : ${stopped(warmStop)}\n`);
console.table(rows);
const over = rows.filter(
	(r) => r.status !== 200 || r.dom > BUDGET.dom || r.requests > BUDGET.requests || r.kilobytes > BUDGET.kilobytes || r.grade !== BUDGET.grade
);
if (over.length || !coldStop.clean || !warmStop.clean) {
	console.error(`Budget dépassé (≤ ${BUDGET.dom} nœuds, ≤ ${BUDGET.requests} requêtes, ≤ ${BUDGET.kilobytes} Ko, note ${BUDGET.grade}) :`, over.map((r) => r.page));
	process.exit(1);
}
console.log(`Budgets tenus : ≤ ${BUDGET.dom} nœuds DOM, ≤ ${BUDGET.requests} requêtes, ≤ ${BUDGET.kilobytes} Ko, EcoIndex ${BUDGET.grade}.`);
