/**
 * Bad input, sent to EVERY form action and endpoint of the app, enumerated from the route tree
 * (src/routes): a new action or endpoint is covered without touching this file. Each case must
 * get a 4xx with a French message, never a 5xx, and the database must be unchanged.
 */
import { request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { join, relative, sep } from 'node:path';
import { account, coordinators, expect, test } from './fixtures';
import { e2eDatabase, fingerprint } from './db';
import { DEMO_PASSWORD } from '../../src/lib/server/demo/seed';

const PORT = Number(process.env.E2E_PORT ?? 4173);
const ORIGIN = `http://localhost:${PORT}`;
const ROUTES = 'src/routes';

interface RouteFile {
	id: string; // '/territoires/[slug]/ateliers/[id]'
	actions: string[];
	methods: string[];
	page: boolean;
}

function walk(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? walk(path) : [path];
	});
}

/** Every route of the app with its form actions (keys of `export const actions`) and endpoint methods. */
function routeTree(): RouteFile[] {
	const byId = new Map<string, RouteFile>();
	for (const file of walk(ROUTES)) {
		const name = file.split(sep).pop()!;
		if (!['+page.server.ts', '+server.ts', '+page.svelte'].includes(name)) continue;
		const id = '/' + relative(ROUTES, file).split(sep).slice(0, -1).join('/');
		const route = byId.get(id) ?? { id: id === '/' ? '/' : id.replace(/\/$/, ''), actions: [], methods: [], page: false };
		byId.set(id, route);
		const source = readFileSync(file, 'utf8');
		if (name === '+page.svelte') route.page = true;
		if (name === '+page.server.ts') {
			const block = source.split('export const actions')[1]?.split('\n};')[0] ?? '';
			route.actions = [...block.matchAll(/^\t(\w+):/gm)].map((m) => m[1]);
		}
		if (name === '+server.ts') route.methods = [...source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]);
	}
	return [...byId.values()];
}

const tree = routeTree();
const actions = tree.flatMap((r) => r.actions.map((a) => ({ route: r.id, action: a })));
const gets = tree.filter((r) => r.page || r.methods.includes('GET')).map((r) => r.id);

/** Real ids for the path parameters, per parent folder (the facilitator may open any territory). */
let ids: Record<string, string> = {};
const slug = coordinators[0].territorySlug!;

function path(routeId: string, params: { id?: string; slug?: string } = {}): string {
	return routeId
		.replace('[slug]', params.slug ?? slug)
		.replace(/(\w+)\/\[id\]/, (_, parent: string) => `${parent}/${params.id ?? ids[parent]}`);
}
const actionUrl = (route: string, action: string, params = {}) =>
	`${path(route, params)}${action === 'default' ? '' : `?/${action}`}`;

const FRENCH = /(pas|données|formulaire|caractères|trop|autorisé|refusé|invalide|indiquez|existe|champ|version|choisissez|manquante|réessayez|valable|introuvable)/i;
const ENGLISH = /(Internal Error|Bad Request|Payload Too Large|forbidden|Not found|Form actions expect)/;

/** The text a person reads (tags and scripts out). */
const visibleText = (body: string) => body.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, ' ');

interface Case {
	name: string;
	url?: (route: string, action: string) => string;
	headers?: Record<string, string>;
	body: string | Buffer;
	/** Expected status when the refusal is the guard's own; else any 4xx. */
	status?: number;
}

const FORM = 'application/x-www-form-urlencoded';
const phantom = randomUUID();
const BODY_CASES: Case[] = [
	{ name: 'text/plain body', headers: { 'content-type': 'text/plain' }, body: 'version=1', status: 415 },
	{ name: 'JSON body', headers: { 'content-type': 'application/json' }, body: '{"version":1}', status: 415 },
	{ name: 'no content type', headers: {}, body: 'version=1', status: 415 },
	{
		name: 'broken multipart',
		headers: { 'content-type': 'multipart/form-data; boundary=XyZ' },
		body: '--XyZ\r\nContent-Disposition: form-data; name="version"\r\n\r\n1',
		status: 400
	},
	{ name: 'multipart without boundary', headers: { 'content-type': 'multipart/form-data' }, body: 'version=1', status: 400 },
	{ name: 'control character in a field name', headers: { 'content-type': FORM }, body: 'vers%01ion=1', status: 400 },
	{
		name: 'NUL in the query string',
		url: (r, a) => `${actionUrl(r, a)}${a === 'default' ? '?' : '&'}q=%00`,
		headers: { 'content-type': FORM },
		body: 'version=1',
		status: 400
	},
	{ name: 'oversized field (30,000 characters)', headers: { 'content-type': FORM }, body: `version=1&name=${'x'.repeat(30_000)}`, status: 400 },
	{ name: 'oversized body (4 MB)', headers: { 'content-type': FORM }, body: `version=1&name=${'x'.repeat(4 * 1024 * 1024)}`, status: 413 },
	{ name: 'cross-site origin', headers: { 'content-type': FORM, origin: 'https://evil.example' }, body: 'version=1', status: 403 },
	{ name: 'no Origin header', headers: { 'content-type': FORM, origin: '' }, body: 'version=1', status: 403 },
	{ name: 'same host, other port', headers: { 'content-type': FORM, origin: `http://localhost:${PORT + 1}` }, body: 'version=1', status: 403 },
	// These reach the action (the guard lets a well-formed form through): its schema (parseForm
	// refuses a control character at the field), a not-found id (404) or the database mapping
	// answers. A phantom id keeps any action that ignores its body from writing.
	{
		name: 'NUL in a text field',
		url: (r, a) => actionUrl(r, a, { id: phantom }),
		headers: { 'content-type': FORM },
		body: 'version=1&name=Jean%00Dupont&summary=a%00&citizen_id=' + phantom
	},
	{
		name: 'version over 2^31',
		url: (r, a) => actionUrl(r, a, { id: phantom }),
		headers: { 'content-type': FORM },
		body: 'version=2147483648&citizen_id=' + phantom
	},
	{
		name: 'invalid uuids',
		url: (r, a) => actionUrl(r, a, { id: 'pas-un-uuid' }),
		headers: { 'content-type': FORM },
		body: 'version=1&citizen_id=pas-un-uuid&milestone_id=%27%3B--&indicator_id=1'
	}
];

let api: APIRequestContext;
/** Signed out: the login form is posted by people who are not signed in yet. */
let anon: APIRequestContext;
let sql: ReturnType<typeof e2eDatabase>;
let before: string;

test.beforeAll(async () => {
	sql = e2eDatabase();
	const [t] = await sql`select id from public.territories where slug = ${slug}`;
	const one = async (table: string) =>
		(await sql.unsafe(`select id from public.${table} where territory_id = $1 order by id limit 1`, [t.id]))[0].id as string;
	ids = {
		ateliers: await one('workshops'),
		jalons: await one('milestones'),
		citoyens: await one('citizens'),
		lieux: await one('lieux'),
		indicateurs: (await sql`select id from public.indicators order by id limit 1`)[0].id
	};
	api = await playwrightRequest.newContext({ baseURL: ORIGIN, extraHTTPHeaders: { accept: 'text/html' } });
	anon = await playwrightRequest.newContext({ baseURL: ORIGIN, extraHTTPHeaders: { accept: 'text/html' } });
	const login = await api.post('/connexion', {
		headers: { origin: ORIGIN },
		form: { email: account('facilitator').email, password: DEMO_PASSWORD },
		maxRedirects: 0
	});
	expect(login.status(), (await login.text()).slice(0, 3000)).toBe(303);
	before = await fingerprint(sql);
});

test.afterAll(async () => {
	await api?.dispose();
	await anon?.dispose();
	await sql?.end();
});

test('the route tree has the actions and endpoints we expect to cover', () => {
	expect(actions.length).toBeGreaterThanOrEqual(27);
	expect(actions).toContainEqual({ route: '/territoires/[slug]/ateliers/[id]', action: 'uncheck' });
	expect(gets).toContain('/territoires/[slug]/import-export/citoyens.csv');
});

test(`every action × every bad body: 4xx, French, nothing written`, async () => {
	test.setTimeout(300_000);
	const failures: string[] = [];
	let sent = 0;
	for (const { route, action } of actions) {
		for (const c of BODY_CASES) {
			// Logging out reads no field: a well-formed post with extra fields is a real logout.
			if (route === '/deconnexion' && !c.status) continue;
			const url = c.url ? c.url(route, action) : actionUrl(route, action);
			const headers = { origin: ORIGIN, accept: 'text/html', ...c.headers };
			if (headers.origin === '') delete (headers as Record<string, string>).origin;
			const response = await (route === '/connexion' ? anon : api).fetch(url, { method: 'POST', headers, data: c.body, maxRedirects: 0, failOnStatusCode: false });
			sent++;
			const status = response.status();
			const text = visibleText(await response.text());
			const ok =
				status >= 400 && status < 500 && (c.status === undefined || status === c.status) && FRENCH.test(text) && !ENGLISH.test(text);
			if (!ok) failures.push(`${route} ?/${action} — ${c.name}: ${status} ${text.trim().slice(0, 120)}`);
		}
	}
	test.info().annotations.push({ type: 'count', description: `${actions.length} actions × ${BODY_CASES.length} cases = ${sent} requests` });
	console.log(`bad input: ${actions.length} actions × ${BODY_CASES.length} cases = ${sent} requests`);
	expect(failures).toEqual([]);
	expect(await fingerprint(sql)).toBe(before);
});

test('every page and endpoint × bad query strings and path ids: 4xx, French', async () => {
	const failures: string[] = [];
	let sent = 0;
	const cases: { name: string; url: (r: string) => string | null; status?: number }[] = [
		{ name: 'NUL in the query string', url: (r) => `${path(r)}?q=%00&page=1`, status: 400 },
		{ name: 'control character in a parameter name', url: (r) => `${path(r)}?%01=1`, status: 400 },
		{ name: 'invalid uuid in the path', url: (r) => (r.includes('[id]') ? path(r, { id: 'pas-un-uuid' }) : null), status: 404 },
		{ name: 'id of nothing in the path', url: (r) => (r.includes('[id]') ? path(r, { id: phantom }) : null), status: 404 },
		{ name: 'unknown territory', url: (r) => (r.includes('[slug]') ? path(r, { slug: 'nulle-part' }) : null), status: 404 }
	];
	for (const route of gets) {
		for (const c of cases) {
			const url = c.url(route);
			if (!url) continue;
			const response = await api.get(url, { headers: { accept: 'text/html' }, maxRedirects: 0, failOnStatusCode: false });
			sent++;
			const status = response.status();
			const text = visibleText(await response.text());
			if (status !== c.status || !/(pas|introuvable|existe|caractères|refusé)/i.test(text) || ENGLISH.test(text))
				failures.push(`${route} — ${c.name}: ${status} ${text.trim().slice(0, 120)}`);
		}
	}
	console.log(`bad input: ${gets.length} pages and endpoints, ${sent} GET requests`);
	expect(failures).toEqual([]);
	expect(await fingerprint(sql)).toBe(before);
});

test('a version over 2^31 on a real milestone is a 400, not a 500 (database mapping 22003)', async () => {
	const url = `/territoires/${slug}/jalons/${ids.jalons}?/start`;
	const response = await api.post(url, { headers: { origin: ORIGIN }, form: { version: '2147483648' }, maxRedirects: 0, failOnStatusCode: false });
	expect(response.status()).toBe(400);
	expect(visibleText(await response.text())).toMatch(FRENCH);
	expect(await fingerprint(sql)).toBe(before);
});

test('with use:enhance, a refused body comes back as an action error the page can show', async () => {
	const response = await api.post(`/territoires/${slug}/citoyens/nouveau?/create`, {
		headers: { origin: ORIGIN, 'x-sveltekit-action': 'true', accept: 'application/json', 'content-type': FORM },
		data: 'na%01me=a',
		failOnStatusCode: false
	});
	expect(response.status()).toBe(400);
	expect(await response.json()).toMatchObject({ type: 'error', error: { message: expect.stringMatching(/caractères de contrôle/) } });
});

test('with use:enhance, a NUL in a value is a failure at its field, the typed values sent back without it', async () => {
	const response = await api.post(`/territoires/${slug}/citoyens/nouveau?/create`, {
		headers: { origin: ORIGIN, 'x-sveltekit-action': 'true', accept: 'application/json', 'content-type': FORM },
		data: 'display_name=Jean%00Dupont&commune=Rodez',
		failOnStatusCode: false
	});
	// (SvelteKit answers an enhanced action with HTTP 200 and the action's status in the JSON)
	const result = await response.json();
	expect(result).toMatchObject({ type: 'failure', status: 400 });
	// SvelteKit serialises `data` with devalue: the field's message and the values kept are in it
	expect(result.data).toContain('caractère invisible non autorisé');
	expect(result.data).toContain('JeanDupont');
	expect(result.data).toContain('Rodez');
	expect(await fingerprint(sql)).toBe(before);
});

test('the keep-alive connection survives a rejected body (the server keeps the socket open)', async () => {
	// A raw socket: Node's own client agent gives up a socket whose response came before the
	// upload ended, which would hide what the server does.
	const socket = net.connect(PORT, '127.0.0.1');
	await new Promise((resolve) => socket.once('connect', resolve));
	let received = '';
	let closed = false;
	socket.on('data', (d) => (received += d.toString('latin1')));
	socket.on('close', () => (closed = true));
	const statusLine = async () => {
		await expect.poll(() => received.includes('\r\n')).toBe(true);
		const line = received.split('\r\n')[0];
		await new Promise((resolve) => setTimeout(resolve, 300));
		received = '';
		return line;
	};
	const post = (body: string) =>
		socket.write(
			`POST /connexion HTTP/1.1\r\nHost: localhost:${PORT}\r\nOrigin: ${ORIGIN}\r\nAccept: text/html\r\n` +
				`Content-Type: ${FORM}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
		);
	const get = () => socket.write(`GET /connexion HTTP/1.1\r\nHost: localhost:${PORT}\r\nAccept: text/html\r\n\r\n`);
	post(`email=a&password=${'x'.repeat(4 * 1024 * 1024)}`);
	expect(await statusLine()).toMatch(/^HTTP\/1\.1 413/);
	get();
	expect(await statusLine()).toMatch(/^HTTP\/1\.1 200/);
	post('em%00ail=a&password=b');
	expect(await statusLine()).toMatch(/^HTTP\/1\.1 400/);
	get();
	expect(await statusLine()).toMatch(/^HTTP\/1\.1 200/);
	expect(closed).toBe(false);
	socket.destroy();
});
