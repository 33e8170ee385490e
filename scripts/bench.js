// `npm run bench` (not part of `npm test`): the server cost of every main page, at two sizes of data,
// in one run, reported as ratios; then start-up time and page weight (EcoIndex) in a real Chromium.
//
// 1. For each scale (1: 18 territories, 10: 180), a fresh embedded database loaded with the
//    full-program dataset (src/lib/server/demo/seed.ts, MARATHON_DEMO_PROGRAM=full) and the
//    production build served by scripts/start.js: first with MARATHON_QUERY_STATS=true to count
//    each page's SQL statements (x-sql-statements), then restarted without it (that mode makes
//    postgres.js capture a stack trace per query) for the load: each page of PAGES loaded by
//    autocannon (10 connections, BENCH_DURATION seconds) as its role, in BENCH_ROUNDS rounds each
//    right after `/connexion` (a trivial SSR page of the same server), then the main writes
//    (enrol, check-in, indicator save).
// 2. Ratios of the same run: each page's throughput against the `/connexion` measured just before
//    it (the median of the rounds: this machine's speed drifts 1 → 2.5 within minutes), each page's
//    p50/p99 at scale 10 against scale 1, SQL statements per page at both scales.
// 3. A Markdown report in bench-report.md (copy it into docs/performance.md with the date).
// 4. EcoIndex budgets, as before: fails (exit 1) when a page leaves grade A or its budgets.
//
// Env: BENCH_PORT (4270), BENCH_DURATION (seconds per measure, 2), BENCH_ROUNDS (3), BENCH_SCALES ("1,10"),
//      BENCH_CONNECTIONS (10), BENCH_SKIP_ECOINDEX=true to skip step 4.
import { spawn } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, platform, release } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { chromium } from '@playwright/test';
import { buildIfNeeded } from './build-if-needed.js';
import { BUDGET, MAIN_PAGES, SECONDARY_PAGES, ecoindex } from './main-pages.js';

const PORT = Number(process.env.BENCH_PORT ?? 4270);
/**
 * The server is started with this address as its ORIGIN (scripts/start.js would print localhost
 * and send loopback aliases there with a 308): the load generator talks to it directly.
 */
const ORIGIN = `http://127.0.0.1:${PORT}`;
const TARGET = ORIGIN;
const DURATION = Number(process.env.BENCH_DURATION ?? 2);
/** Alternated rounds of `/connexion` then the page, per page (see `alternated`). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const SCALES = (process.env.BENCH_SCALES ?? '1,10').split(',').map(Number);
/** The full-program dataset's "today" (FULL_PROGRAM_TODAY in src/lib/server/demo/seed.ts). */
const FULL_PROGRAM_TODAY = '2027-07-29';
const PASSWORD = 'marathon-demo';
const SLUG = 'vallee-de-la-sourde';
const LOGINS = {
	admin: 'admin@demo.marathon.test',
	facilitator: 'facilitation@demo.marathon.test',
	funder: 'financeur@demo.marathon.test',
	coordinator: `coordination.${SLUG}@demo.marathon.test`
};

const withSlug = (p) => ({ ...p, path: p.path.replace('{slug}', SLUG) });
const PAGES = MAIN_PAGES.map(withSlug);
/** Pages only weighed (EcoIndex), not loaded: variants and forms of the pages above. */
const WEIGHED_ONLY = SECONDARY_PAGES.map(withSlug);

// ============ server ============

async function portInUse() {
	try {
		await fetch(`${TARGET}/connexion`);
		return true;
	} catch {
		return false;
	}
}

/**
 * The production server on the scale's data. `countStatements`: with MARATHON_QUERY_STATS=true
 * (the x-sql-statements header). Never while measuring throughput: postgres.js then captures a
 * stack trace for every query (its `debug` mode), a cost production does not pay.
 */
async function startServer(scale, { countStatements = false } = {}) {
	if (await portInUse()) throw new Error(`Le port ${PORT} est déjà pris : arrêtez ce serveur ou choisissez BENCH_PORT.`);
	const started = Date.now();
	const child = spawn(process.execPath, ['scripts/start.js'], {
		env: {
			...process.env, PORT: String(PORT), HOST: '127.0.0.1', ORIGIN, MARATHON_DATA_DIR: dataDir(scale),
			MARATHON_TODAY: FULL_PROGRAM_TODAY, MARATHON_QUERY_STATS: String(countStatements),
			MARATHON_DEMO_SCALE: String(scale), MARATHON_DEMO_PROGRAM: 'full'
		},
		stdio: ['ignore', 'pipe', 'inherit']
	});
	child.stdout.resume();
	// Never leave a server behind when the bench fails.
	const orphan = () => child.kill('SIGTERM');
	process.once('exit', orphan);
	child.once('exit', () => process.off('exit', orphan));
	return new Promise((resolve, reject) => {
		const poll = async () => {
			try {
				const r = await fetch(`${TARGET}/connexion`);
				if (r.ok) return resolve({ child, ms: Date.now() - started });
			} catch {}
			if (child.exitCode !== null) return reject(new Error('le serveur s’est arrêté'));
			setTimeout(poll, 100);
		};
		poll();
	});
}

const dataDir = (scale) => `.marathon-bench-x${scale}`;

/** SIGTERM, as a service manager sends it; clean means Postgres removed its postmaster.pid. */
function stopServer(child, scale) {
	const t0 = Date.now();
	return new Promise((resolve) => {
		child.once('exit', (code, signal) =>
			resolve({ code: code ?? signal, ms: Date.now() - t0, clean: !existsSync(join(dataDir(scale), 'pgdata', 'postmaster.pid')) })
		);
		child.kill('SIGTERM');
	});
}

// ============ HTTP helpers ============

/**
 * The headers of a request as `role` (none for the public), with a session just opened: a browser
 * gets a fresh session token at least once a minute (the server sends one), which autocannon does
 * not keep; a page trusts a token for a minute after its issue and confirms the session within its
 * own transaction (src/lib/server/auth/local.ts), later the session is read first, as for a write.
 */
async function headersOf(role) {
	return role ? { cookie: await login(LOGINS[role]) } : {};
}

/** A session cookie for each role. */
async function loginAll() {
	const cookies = {};
	for (const [role, email] of Object.entries(LOGINS)) cookies[role] = await login(email);
	return cookies;
}

async function login(email) {
	const r = await fetch(`${TARGET}/connexion`, {
		method: 'POST',
		redirect: 'manual',
		headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
		body: new URLSearchParams({ email, password: PASSWORD, suite: '/' })
	});
	const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
	if (!cookie.includes('marathon_session=')) throw new Error(`connexion refusée pour ${email} (${r.status})`);
	return cookie;
}

async function get(path, cookie) {
	const r = await fetch(`${TARGET}${path}`, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
	return { status: r.status, statements: Number(r.headers.get('x-sql-statements') ?? NaN), headers: r.headers, html: await r.text() };
}

/**
 * autocannon, quietly: GET `path` (autocannon has no top-level `path`: it goes in the URL, else
 * every request would load `/`), or `requests` for writes. Returns req/s, latency p50/p99 in ms,
 * errors and responses outside 2xx.
 */
async function load({ path, ...opts }) {
	const url = path ? `${TARGET}${path}` : TARGET;
	const result = await autocannon({ url, connections: CONNECTIONS, ...(opts.amount ? {} : { duration: DURATION }), ...opts });
	return {
		rps: Math.round(result.requests.average),
		p50: result.latency.p50,
		p99: result.latency.p99,
		errors: result.errors + result.timeouts,
		non2xx: result.non2xx,
		total: result.requests.total
	};
}

/** The value most often in `values` (the first of equals). */
const mostSeen = (values) => values.reduce((best, v) => (values.filter((x) => x === v).length > values.filter((x) => x === best).length ? v : best), values[0]);

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * The page's throughput as a share of `/connexion`'s, robust to the machine's drift: ROUNDS rounds
 * of `/connexion` then the page, each page measure divided by the reference measured just before
 * it (same conditions), and the median of those shares kept (one slow or fast second on the host
 * moves one round, not the result). Returns the page's median req/s, p50, p99, the median share
 * (`share`, 0–1), each round's share and the reference measures.
 */
async function alternated(path, role) {
	const rounds = [];
	for (let i = 0; i < ROUNDS; i++) {
		const reference = await load({ path: '/connexion' });
		const page = await load({ path, headers: await headersOf(role) });
		rounds.push({ reference, page, share: page.rps / reference.rps });
		// Requests still in flight would be counted in the next measure: let them finish.
		await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 2 * page.p99)));
	}
	const shares = rounds.map((r) => r.share);
	const pick = (key) => median(rounds.map((r) => r.page[key]));
	return {
		rps: pick('rps'), p50: pick('p50'), p99: pick('p99'),
		errors: rounds.reduce((n, r) => n + r.page.errors, 0),
		non2xx: rounds.reduce((n, r) => n + r.page.non2xx, 0),
		share: median(shares), shares,
		references: rounds.map((r) => r.reference),
		reference: median(rounds.map((r) => r.reference.rps))
	};
}

const form = (fields) => new URLSearchParams(fields).toString();
const postHeaders = (cookie) => ({ cookie, origin: ORIGIN, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' });

// ============ the writes ============

/** Enrol: a new person per request (unique name and e-mail, so no lookalike), with consent and its own submission token. */
function enrolRequests(cookie, scale) {
	let n = 0;
	return [{
		method: 'POST',
		path: `/territoires/${SLUG}/citoyens/nouveau?/create`,
		headers: postHeaders(cookie),
		setupRequest: (req) => {
			n++;
			return { ...req, body: form({
				display_name: `Banc ${scale}-${n} ${Date.now().toString(36)}`, email: `banc.${scale}.${n}.${Date.now()}@example.org`,
				phone: '', commune: 'Beaulieu', postal_code: '', age_band: 'non_renseigne', source: 'workshop',
				// the real day: the database refuses an enrolment dated after it, whatever MARATHON_TODAY says
				enrolled_at: new Date().toISOString().slice(0, 10), consent: 'on',
				// a new form each time, as a person enrolling one after another (src/lib/server/forms)
				submission: crypto.randomUUID()
			}) };
		}
	}];
}

/** Check-in: people of the territory checked in at a past workshop, in turn (idempotent). */
async function checkInRequests(cookie) {
	const past = await get(`/territoires/${SLUG}/ateliers?vue=passes`, cookie);
	const workshop = [...past.html.matchAll(/\/ateliers\/([0-9a-f-]{36})"/g)].map((m) => m[1])[0];
	const people = await get(`/territoires/${SLUG}/citoyens`, cookie);
	const ids = [...new Set([...people.html.matchAll(/\/citoyens\/([0-9a-f-]{36})"/g)].map((m) => m[1]))];
	if (!workshop || ids.length === 0) throw new Error('pas d’atelier passé ou de personne à pointer');
	let n = 0;
	return [{
		method: 'POST',
		path: `/territoires/${SLUG}/ateliers/${workshop}?/checkIn`,
		headers: postHeaders(cookie),
		setupRequest: (req) => ({ ...req, body: form({ citizen_id: ids[n++ % ids.length], q: '' }) })
	}];
}

/**
 * Indicator save: each connection owns one indicator of this month and saves a new value at the
 * version it last wrote (+1 per saved row, bump_version), as a person re-saving the form would.
 */
async function indicatorRequests(cookie) {
	const page = await get(`/territoires/${SLUG}/indicateurs`, cookie);
	const month = page.html.match(/name="mois" value="([^"]+)"/)?.[1];
	const versions = Object.fromEntries(
		(page.html.match(/name="versions" value="([^"]*)"/)?.[1] ?? '').split(',').filter(Boolean).map((p) => {
			const [id, v] = p.split(':');
			return [id, Number(v)];
		})
	);
	const ids = Object.keys(versions);
	if (!month || ids.length < CONNECTIONS) throw new Error('formulaire des indicateurs introuvable');
	const encoded = () => Object.entries(versions).map(([id, v]) => `${id}:${v}`).join(',');
	// autocannon starts a new context for each request: a row is taken while its save is in flight
	// (at most CONNECTIONS at once, fewer than the rows), so no two saves race on one row. (Until
	// 30/11 each request after the first rows posted an « undefined » row, saved as nothing.)
	const busy = new Set();
	let value = 1000;
	return [{
		method: 'POST',
		path: `/territoires/${SLUG}/indicateurs?/save`,
		headers: postHeaders(cookie),
		setupRequest: (req, context) => {
			context.id = ids.find((id) => !busy.has(id));
			busy.add(context.id);
			value++;
			return { ...req, body: form({ mois: month, versions: encoded(), [`valeur-${context.id}`]: String(value) }) };
		},
		onResponse: (status, _body, context) => {
			busy.delete(context.id);
			if (status === 303) versions[context.id]++;
		}
	}];
}

// ============ one scale ============

async function benchScale(scale) {
	rmSync(dataDir(scale), { recursive: true, force: true });
	// 1. Cold start (initdb, migrations, data), then each page's SQL statements, counted.
	const cold = await startServer(scale, { countStatements: true });
	console.log(`× ${scale} : serveur prêt en ${cold.ms} ms (initdb, migrations, ${18 * scale} territoires)`);
	const statements = {};
	for (const p of PAGES) {
		const { cookie } = await headersOf(p.role);
		// The first requests miscount: a new pooled connection adds postgres.js's one-off type
		// lookup, and a statement seen for the first time on a connection is described first,
		// the statements queued behind it leaving later from the socket's callback, outside the
		// request's count. After a warm-up (every pooled connection), the count most seen.
		let probe = await get(p.path, cookie);
		const seen = [];
		for (let i = 0; i < 16 && probe.status === 200; i++) {
			probe = await get(p.path, cookie);
			if (i >= 10) seen.push(probe.statements);
		}
		if (seen.length) probe = { ...probe, statements: mostSeen(seen) };
		statements[p.page] = probe;
	}
	await stopServer(cold.child, scale);

	// 2. Throughput and latency, on the same data, served as in production (no statement counting).
	const server = await startServer(scale);
	const pages = {};
	const references = [];
	for (const p of PAGES) {
		const probe = statements[p.page];
		if (probe.status !== 200) {
			pages[p.page] = { skipped: probe.status === 404 ? 'absente (404)' : `répond ${probe.status} ${probe.headers.get('location') ?? ''}` };
			continue;
		}
		await load({ path: p.path, headers: await headersOf(p.role), amount: 30 }); // warm-up
		const r = p.path === '/connexion' ? await load({ path: p.path }) : await alternated(p.path, p.role);
		if (r.references) references.push(...r.references);
		pages[p.page] = { ...r, statements: probe.statements };
		console.log(`  ${p.page.padEnd(32)} ${String(r.rps).padStart(5)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  ${probe.statements} requêtes SQL${r.references ? `  (part de /connexion par manche : ${r.shares.map(pct).join(', ')})` : ''}${r.non2xx ? `  (${r.non2xx} réponses ≠ 2xx)` : ''}`);
		// Requests still in flight would be counted in the next measure: let them finish.
		await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 2 * r.p99)));
	}
	// The reference's own row: the mean of all its measures.
	const own = pages['connexion (référence)'];
	if (own && !own.skipped && references.length) {
		own.rps = Math.round([own, ...references].reduce((sum, r) => sum + r.rps, 0) / (references.length + 1));
		own.reference = own.rps;
	}

	// The cost of the session check alone: a signed-in GET /connexion reads the session (always, see
	// src/lib/server/auth/context.ts) and redirects.
	const cookies = await loginAll();
	const session = await load({ path: '/connexion', headers: { cookie: cookies.coordinator } });
	console.log(`  ${'contrôle de session (→ 303)'.padEnd(32)} ${String(session.rps).padStart(5)} req/s  p50 ${session.p50} ms  p99 ${session.p99} ms`);

	const writes = {};
	const c = cookies.coordinator;
	for (const [name, requests] of [
		['inscrire une personne', enrolRequests(c, scale)],
		['pointer une présence', await checkInRequests(c)],
		['enregistrer un indicateur', await indicatorRequests(c)]
	]) {
		// Every write answers 303 (redirect after post): anything else is a failure.
		const statuses = { ok: 0, failed: 0 };
		const counted = requests.map((q) => ({
			...q,
			onResponse: (status, body, context) => {
				statuses[status === 303 ? 'ok' : 'failed']++;
				if (status !== 303 && statuses.failed === 1) console.log(`    (${name} : réponse ${status} ${String(body).replace(/\s+/g, ' ').slice(0, 300)})`);
				q.onResponse?.(status, body, context);
			}
		}));
		const r = await load({ method: 'POST', requests: counted });
		writes[name] = { ...r, failed: statuses.failed };
		console.log(`  ${name.padEnd(32)} ${String(r.rps).padStart(5)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  (${r.total} écritures)`);
	}
	const assets = await checkAssets();
	return { scale, coldMs: cold.ms, child: server.child, pages, session, writes, assets };
}

/** Compression and caching as served: a hashed asset (immutable, brotli) and the public page. */
async function checkAssets() {
	const html = await (await fetch(`${TARGET}/connexion`)).text();
	const asset = html.match(/\/_app\/immutable\/[^"']+\.js/)?.[0];
	const a = asset ? await fetch(`${TARGET}${asset}`, { headers: { 'accept-encoding': 'br, gzip' } }) : null;
	const t = await fetch(`${TARGET}/transparence`, { headers: { 'accept-encoding': 'br, gzip' } });
	return {
		asset: a ? `${asset.split('/').pop()} : ${a.headers.get('content-encoding') ?? 'non compressé'}, cache-control « ${a.headers.get('cache-control')} »` : 'aucun script',
		transparence: `${t.headers.get('content-encoding') ?? 'non compressée'}, cache-control « ${t.headers.get('cache-control') ?? '—'} »`
	};
}

// ============ report ============

const pct = (x) => `${Math.round(x * 100)} %`;
const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}×` : '—');

function report(runs) {
	const [small, large] = [runs[0], runs[runs.length - 1]];
	const base = (run) => run.pages['connexion (référence)']?.rps;
	const lines = [];
	const cpu = cpus();
	lines.push(`Mesuré le ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — ${cpu.length} × ${cpu[0]?.model.trim()}, ` +
		`${Math.round(totalmem() / 2 ** 30)} Go, ${platform()} ${release()}, Node ${process.version} ; autocannon ${CONNECTIONS} connexions × ${DURATION} s par mesure, ${ROUNDS} manches alternées (/connexion puis la page) par page ; ` +
		`build de production (scripts/start.js), Postgres embarqué ; données « programme complet » au ${FULL_PROGRAM_TODAY}.`);
	lines.push('');
	lines.push(`Démarrage à froid (initdb + migrations + données) : ${runs.map((r) => `× ${r.scale} ${(r.coldMs / 1000).toFixed(1)} s`).join(', ')}.`);
	lines.push('');
	const s = small.scale;
	const l = large.scale;
	lines.push(`| page | req/s × ${s} | part de /connexion × ${s} | req/s × ${l} | part de /connexion × ${l} | p50 × ${s} → × ${l} (ms) | rapport p50 | p99 × ${s} → × ${l} (ms) | rapport p99 | requêtes SQL × ${s} / × ${l} |`);
	lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
	const verdicts = [];
	for (const p of PAGES) {
		const a = small.pages[p.page];
		const b = large.pages[p.page];
		if (!a || !b) continue;
		if (a.skipped || b.skipped) {
			lines.push(`| ${p.page} | ${a.skipped ?? b.skipped} | | | | | | | | |`);
			continue;
		}
		// median share of the alternated rounds (see `alternated`); the reference's own row is 1
		const shareA = a.share ?? 1;
		const shareB = b.share ?? 1;
		const p50 = b.p50 / Math.max(a.p50, 1);
		lines.push(`| ${p.page} | ${a.rps} | ${pct(shareA)} | ${b.rps} | ${pct(shareB)} | ${a.p50} → ${b.p50} | ${ratio(b.p50, Math.max(a.p50, 1))} | ${a.p99} → ${b.p99} | ${ratio(b.p99, Math.max(a.p99, 1))} | ${a.statements} / ${b.statements} |`);
		if (p.path !== '/connexion') {
			if (Math.min(shareA, shareB) < 0.3) verdicts.push(`${p.page} : moins de 30 % du débit de /connexion`);
			if (p50 > 2) verdicts.push(`${p.page} : p50 à × ${l} plus de 2 fois celui à × ${s}`);
		}
		if (a.statements !== b.statements) verdicts.push(`${p.page} : ${a.statements} requêtes SQL à × ${s}, ${b.statements} à × ${l}`);
		// a page measured is a page served: a redirect or an error would be measured instead
		for (const run of [a, b]) if (run.non2xx || run.errors) verdicts.push(`${p.page} : ${run.non2xx} réponses hors 2xx, ${run.errors} erreurs pendant la charge`);
	}
	lines.push('');
	lines.push(`Part de /connexion : médiane, sur ${ROUNDS} manches, du débit de la page ÷ débit de /connexion mesuré juste avant elle ; req/s, p50 et p99 d’une page : médianes de ses manches (la ligne de référence donne la moyenne de toutes les mesures de /connexion).`);
	lines.push('');
	lines.push(`Contrôle de session seul (GET /connexion connecté, qui redirige) : ${runs.map((r) => `× ${r.scale} ${r.session.rps} req/s (${pct(r.session.rps / base(r))} de /connexion anonyme), p50 ${r.session.p50} ms`).join(' ; ')}.`);
	lines.push('');
	lines.push(`| écriture | req/s × ${s} | req/s × ${l} | p50 × ${s} → × ${l} (ms) | p99 × ${s} → × ${l} (ms) | échecs (réponse ≠ 303) × ${s} / × ${l} |`);
	lines.push('|---|---:|---:|---:|---:|---:|');
	for (const name of Object.keys(small.writes)) {
		const a = small.writes[name];
		const b = large.writes[name];
		lines.push(`| ${name} | ${a.rps} | ${b.rps} | ${a.p50} → ${b.p50} | ${a.p99} → ${b.p99} | ${a.failed + a.errors} / ${b.failed + b.errors} |`);
	}
	lines.push('');
	lines.push(`Ressources : ${small.assets.asset} ; /transparence : ${small.assets.transparence}.`);
	lines.push('');
	lines.push(verdicts.length ? `Objectifs non tenus :\n${verdicts.map((v) => `- ${v}`).join('\n')}` :
		'Objectifs tenus : chaque page ≥ 30 % du débit de /connexion, p50 à × 10 ≤ 2 × celui à × 1, requêtes SQL identiques aux deux échelles.');
	return lines.join('\n');
}

// ============ EcoIndex (page weight) ============

async function weigh(browser, cookie, { page, path }) {
	const context = await browser.newContext();
	if (cookie) {
		// "session=…; appareil=…": every cookie of the login, each on its own
		const cookies = cookie.split('; ').map((pair) => {
			const [name, value] = pair.split(/=(.*)/s);
			return { name, value, url: ORIGIN };
		});
		await context.addCookies(cookies);
	}
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
	await context.close();
	const kilobytes = Math.round(bytes / 102.4) / 10;
	return { page, status: response?.status(), dom, requests, kilobytes, ...ecoindex(dom, requests, kilobytes) };
}

async function ecoindexCheck(cookies) {
	const chromiumPath = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
	const browser = await chromium.launch({
		executablePath: chromiumPath,
		args: ['--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic']
	});
	const rows = [];
	for (const p of [...PAGES, ...WEIGHED_ONLY]) {
		const cookie = p.role ? cookies[p.role] : undefined;
		const probe = await get(p.path, cookie);
		if (probe.status !== 200) continue;
		rows.push(await weigh(browser, cookie, p));
	}
	await browser.close();
	return rows;
}

// ============ main ============

buildIfNeeded();
const runs = [];
for (const scale of SCALES) {
	const run = await benchScale(scale);
	run.stop = await stopServer(run.child, scale);
	runs.push(run);
}
const markdown = report(runs);
writeFileSync('bench-report.md', `${markdown}\n`);
console.log(`\n${markdown}\n\n(écrit dans bench-report.md)`);

let failed = false;
if (process.env.BENCH_SKIP_ECOINDEX !== 'true') {
	const warm = await startServer(SCALES[0]);
	const rows = await ecoindexCheck(await loginAll());
	const warmStop = await stopServer(warm.child, SCALES[0]);
	const stopped = (s) => `${s.ms} ms (${s.clean ? 'Postgres arrêté proprement' : 'Postgres NON arrêté proprement'}, code ${s.code})`;
	console.log(`\nDémarrage à froid × ${SCALES[0]} : ${runs[0].coldMs} ms ; arrêt : ${stopped(runs[0].stop)}`);
	console.log(`Démarrage à chaud (base existante) : ${warm.ms} ms ; arrêt : ${stopped(warmStop)}\n`);
	console.table(rows);
	const over = rows.filter(
		(r) => r.status !== 200 || r.dom > BUDGET.dom || r.requests > BUDGET.requests || r.kilobytes > BUDGET.kilobytes || r.grade !== BUDGET.grade
	);
	if (over.length || !runs[0].stop.clean || !warmStop.clean) {
		console.error(`Budget dépassé (≤ ${BUDGET.dom} nœuds, ≤ ${BUDGET.requests} requêtes, ≤ ${BUDGET.kilobytes} Ko, note ${BUDGET.grade}) :`, over.map((r) => r.page));
		failed = true;
	} else console.log(`Budgets tenus : ≤ ${BUDGET.dom} nœuds DOM, ≤ ${BUDGET.requests} requêtes, ≤ ${BUDGET.kilobytes} Ko, EcoIndex ${BUDGET.grade}.`);
}
for (const scale of SCALES) rmSync(dataDir(scale), { recursive: true, force: true });
process.exit(failed ? 1 : 0);
