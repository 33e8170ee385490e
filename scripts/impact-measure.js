// `node scripts/impact-measure.js`: the funder dashboard's cost, measured on the built app with
// the demo cohort in a real Chromium: page weight with and without JavaScript (DOM nodes,
// requests, kilobytes, EcoIndex), SQL statements per page (x-sql-statements), and the latency of
// /impact at 1× and at 10× the demo's citizens (9 copies of every citizen inserted in one
// statement, rollups maintained by their triggers). Prints tables; exits 0.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import postgres from 'postgres';
import { buildIfNeeded } from './build-if-needed.js';

const PORT = Number(process.env.PORT ?? 4306);
const ORIGIN = `http://localhost:${PORT}`;
const DATA_DIR = process.env.MARATHON_DATA_DIR ?? '.marathon-impact-measure';
const FUNDER = 'financeur@demo.marathon.test';

// EcoIndex, as scripts/bench.js computes it (that file runs the whole bench when imported).
const Q = {
	dom: [0, 47, 75, 159, 233, 298, 358, 417, 476, 537, 603, 674, 753, 843, 949, 1076, 1237, 1459, 1801, 2479, 594601],
	req: [0, 2, 15, 25, 34, 42, 49, 56, 63, 70, 78, 86, 95, 105, 117, 130, 147, 170, 205, 281, 3920],
	size: [0, 1.37, 144.7, 319.53, 479.46, 631.97, 783.38, 937.91, 1098.62, 1265.47, 1448.32, 1648.27, 1876.08,
		2142.06, 2465.37, 2866.31, 3401.59, 4155.73, 5400.08, 8037.54, 223212.26]
};
const quantile = (q, v) => {
	for (let i = 1; i < q.length; i++) if (v < q[i]) return i - 1 + (v - q[i - 1]) / (q[i] - q[i - 1]);
	return q.length - 1;
};
function ecoindex(dom, requests, kilobytes) {
	const score = 100 - (5 * (3 * quantile(Q.dom, dom) + 2 * quantile(Q.req, requests) + quantile(Q.size, kilobytes))) / 6;
	const grade = score > 80 ? 'A' : score > 70 ? 'B' : score > 55 ? 'C' : score > 40 ? 'D' : score > 25 ? 'E' : score > 10 ? 'F' : 'G';
	return { score: Math.round(score), grade };
}

function startServer() {
	const child = spawn(process.execPath, ['scripts/start.js'], {
		env: { ...process.env, PORT: String(PORT), HOST: '127.0.0.1', MARATHON_DATA_DIR: DATA_DIR, MARATHON_TODAY: '2026-11-29', MARATHON_QUERY_STATS: 'true' },
		stdio: ['ignore', 'pipe', 'inherit']
	});
	child.stdout.resume();
	return new Promise((resolve, reject) => {
		const poll = async () => {
			try {
				if ((await fetch(`${ORIGIN}/connexion`)).ok) return resolve(child);
			} catch {}
			if (child.exitCode !== null) return reject(new Error('le serveur s’est arrêté'));
			setTimeout(poll, 100);
		};
		poll();
	});
}

async function loggedInContext(browser, options = {}) {
	const context = await browser.newContext(options);
	const p = await context.newPage();
	await p.goto(`${ORIGIN}/connexion`);
	await p.getByLabel('Adresse e-mail').fill(FUNDER);
	await p.getByLabel('Mot de passe').fill('marathon-demo');
	await p.getByRole('button', { name: 'Se connecter' }).click();
	await p.waitForURL((url) => url.pathname !== '/connexion');
	await p.close();
	return context;
}

async function weigh(context, path) {
	const page = await context.newPage();
	const cdp = await context.newCDPSession(page);
	await cdp.send('Network.enable');
	await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
	let bytes = 0;
	let requests = 0;
	cdp.on('Network.loadingFinished', (e) => {
		bytes += e.encodedDataLength;
		requests++;
	});
	const response = await page.goto(`${ORIGIN}${path}`, { waitUntil: 'networkidle' });
	const dom = await page.evaluate(() => document.getElementsByTagName('*').length);
	await page.close();
	const kilobytes = Math.round(bytes / 102.4) / 10;
	return { status: response?.status(), dom, requests, kilobytes, statements: Number(response?.headers()['x-sql-statements']), ...ecoindex(dom, requests, kilobytes) };
}

async function latency(cookie, path, total = 120, concurrency = 4) {
	const times = [];
	let next = 0;
	const worker = async () => {
		while (next < total) {
			next++;
			const t0 = performance.now();
			try {
				const r = await fetch(`${ORIGIN}${path}`, { headers: { cookie, connection: 'close' } });
				await r.arrayBuffer();
				if (!r.ok) throw new Error(`${path}: ${r.status}`);
				times.push(performance.now() - t0);
			} catch (e) {
				if (e?.cause?.code !== 'ECONNRESET') throw e;
			}
		}
	};
	for (let i = 0; i < 10; i++) await (await fetch(`${ORIGIN}${path}`, { headers: { cookie } })).arrayBuffer();
	await Promise.all(Array.from({ length: concurrency }, worker));
	times.sort((a, b) => a - b);
	const q = (p) => Math.round(times[Math.floor(p * (times.length - 1))]);
	return { median: q(0.5), p95: q(0.95) };
}

function database() {
	const pid = readFileSync(join(DATA_DIR, 'pgdata', 'postmaster.pid'), 'utf8').split('\n');
	const password = readFileSync(join(DATA_DIR, 'pg-password'), 'utf8').trim();
	return postgres({ host: '127.0.0.1', port: Number(pid[3]), user: 'postgres', password, database: 'postgres', onnotice: () => {} });
}

// MEASURE_RUNNING=true: measure a server already running on PORT (its data dir: MARATHON_DATA_DIR).
const running = process.env.MEASURE_RUNNING === 'true';
if (!running) {
	buildIfNeeded();
	rmSync(DATA_DIR, { recursive: true, force: true });
}
const server = running ? null : await startServer();
const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined)
});
try {
	const withJs = await loggedInContext(browser);
	const withoutJs = await loggedInContext(browser, { javaScriptEnabled: false });
	const weights = [];
	for (const path of ['/impact', '/impact/tendances', '/impact/territoires', '/impact/sources', '/impact/rapport', '/impact/dictionnaire', '/transparence']) {
		weights.push({ page: `${path} (JS)`, ...(await weigh(withJs, path)) });
		weights.push({ page: `${path} (sans JS)`, ...(await weigh(withoutJs, path)) });
	}
	console.table(weights);
	if (process.env.MEASURE_WEIGHTS_ONLY === 'true') throw Object.assign(new Error('weights only'), { quiet: true });
	const cookie = (await withJs.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
	const sql = database();
	const [{ n: before }] = await sql`select count(*)::int as n from public.citizens`;
	const one = {
		citizens: before,
		'/impact': await latency(cookie, '/impact'),
		'/impact (un mois)': await latency(cookie, '/impact/territoires?du=2026-11&au=2026-11')
	};
	const t0 = performance.now();
	await sql.begin(async (tx) => {
		await tx`select set_config('marathon.seeding', 'on', true)`;
		await tx`insert into public.citizens (territory_id, display_name, commune, age_band, enrolled_at, source, is_societaire, status, withdrawn_at)
			select territory_id, coalesce(display_name, 'Copie'), commune, age_band, enrolled_at, source, is_societaire, status, withdrawn_at
			from public.citizens cross join generate_series(1, 9)`;
	});
	const insertMs = Math.round(performance.now() - t0);
	const [{ n: after }] = await sql`select count(*)::int as n from public.citizens`;
	await sql.end();
	const ten = {
		citizens: after,
		'/impact': await latency(cookie, '/impact'),
		'/impact (un mois)': await latency(cookie, '/impact/territoires?du=2026-11&au=2026-11')
	};
	const statements = await weigh(withJs, '/impact');
	console.table({ '1×': one, '10×': ten });
	console.log(`Insertion de ${after - before} citoyens en une instruction (cumuls tenus par les déclencheurs) : ${insertMs} ms`);
	console.log(`Instructions SQL de /impact à 10× : ${statements.statements}`);
	await withJs.close();
	await withoutJs.close();
} catch (e) {
	if (!e.quiet) throw e;
} finally {
	await browser.close();
	if (server) {
		server.kill('SIGTERM');
		await new Promise((r) => server.once('exit', r));
		rmSync(DATA_DIR, { recursive: true, force: true });
	}
}
