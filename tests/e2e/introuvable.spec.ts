/**
 * Trust leftovers, as a person meets them:
 * - an action aimed at a record of another territory (hidden by RLS) or at no record answers 404
 *   « introuvable », never 409 « modifié entre-temps »; nothing is written;
 * - an impossible date reads « Cette date n’existe pas. », on forms and in the journal's filters;
 * - a control character typed in a form field comes back at the field, the rest of the form kept;
 * - an endpoint's error is a French page, whatever the client asks.
 */
import { randomUUID } from 'node:crypto';
import type { APIRequestContext, Page } from '@playwright/test';
import { account, coordinators, expect, expectAccessible, loginOk, test } from './fixtures';
import { e2eDatabase, fingerprint } from './db';

const mine = coordinators[0];
const theirs = coordinators.find((c) => c.territorySlug !== mine.territorySlug)!;
const t = (path: string) => `/territoires/${mine.territorySlug}${path}`;

/** A plain browser-like POST of a form action (no JavaScript), not following the redirect. */
function post(request: APIRequestContext, page: Page, path: string, form: Record<string, string>) {
	return request.post(path, { form, headers: { origin: new URL(page.url()).origin, accept: 'text/html' }, maxRedirects: 0, failOnStatusCode: false });
}

/** The text a person reads (tags and scripts out). */
const visibleText = (body: string) => body.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, ' ');

test.describe('a write aimed at a record this person cannot see is « introuvable » (404), never a conflict (409)', () => {
	let sql: ReturnType<typeof e2eDatabase>;
	const other: Record<string, string> = {};

	test.beforeAll(async () => {
		sql = e2eDatabase();
		const [b] = await sql`select id from public.territories where slug = ${theirs.territorySlug!}`;
		const one = async (table: string, where = 'true') =>
			(await sql.unsafe(`select id from public.${table} where territory_id = $1 and ${where} order by id limit 1`, [b.id]))[0].id as string;
		other.citizen = await one('citizens', `status = 'active' and erased_at is null`);
		other.withdrawn = (await sql`select id from public.citizens where territory_id = ${b.id} and status = 'withdrawn' and erased_at is null limit 1`)[0]?.id ?? other.citizen;
		other.lieu = await one('lieux');
		other.workshop = await one('workshops', `status = 'planned'`);
		other.milestone = await one('milestones', 'template_id is not null');
	});
	test.afterAll(async () => {
		await sql?.end();
	});

	test('citizens, lieux, workshops, milestones of another territory, and ids of nothing', async ({ page }) => {
		await loginOk(page, mine.email);
		const before = await fingerprint(sql);
		const phantom = randomUUID();
		const cases: [string, Record<string, string>][] = [];
		for (const [citizen, lieu, workshop, milestone] of [
			[other.citizen, other.lieu, other.workshop, other.milestone],
			[phantom, phantom, phantom, phantom]
		]) {
			cases.push(
				[`/citoyens/${citizen}?/withdraw`, {}],
				// (a withdrawn person of the other territory when there is one: the case the state would allow)
				[`/citoyens/${citizen === phantom ? phantom : other.withdrawn}?/reactivate`, { consent: 'on' }],
				[`/citoyens/${citizen}?/erase`, { confirm: 'on' }],
				[
					`/citoyens/${citizen}?/update`,
					{ display_name: 'Personne Ailleurs', commune: 'Rodez', age_band: 'non_renseigne', source: 'event', enrolled_at: '2026-11-01', version: '1' }
				],
				[`/lieux/${lieu}?/deactivate`, { version: '1' }],
				[`/lieux/${lieu}?/reactivate`, { version: '1' }],
				[`/lieux/${lieu}?/eraseContact`, { confirm: 'on' }],
				[`/ateliers/${workshop}?/cancel`, { version: '1', confirm: 'on' }],
				[`/ateliers/${workshop}?/close`, { version: '1', summary: 'Compte rendu.' }],
				[`/ateliers/${workshop}?/uncheck`, { citizen_id: citizen }],
				[`/jalons/${milestone}?/start`, { version: '1' }],
				[`/jalons/${milestone}?/delete`, { version: '1', confirm: 'on' }],
				[`/jalons/${milestone}?/requestDate`, { requested_due_date: '2027-03-01', reason: 'Salle indisponible.' }]
				// (deciding a date request is refused to every coordinator by role first: 403, milestones.spec.ts)
			);
		}
		const wrong: string[] = [];
		for (const [path, form] of cases) {
			const response = await post(page.request, page, t(path), form);
			const text = visibleText(await response.text());
			if (response.status() !== 404 || !/introuvable/i.test(text)) wrong.push(`${path}: ${response.status()} ${text.replace(/\s+/g, ' ').trim().slice(0, 160)}`);
		}
		expect(wrong).toEqual([]);
		expect(await fingerprint(sql)).toBe(before);
	});

	test('a facilitator archiving a territory, moving a template, removing an access that does not exist: 404 too', async ({ page }) => {
		await loginOk(page, account('facilitator').email);
		const before = await fingerprint(sql);
		const phantom = randomUUID();
		const coordinator = (await sql`select id from auth.users where email = ${mine.email}`)[0].id as string;
		const [b] = await sql`select id from public.territories where slug = ${theirs.territorySlug!}`;
		const cases: [string, Record<string, string>][] = [
			[`/configuration/territoires/${phantom}?/archive`, { version: '1', archive: 'true' }],
			[`/configuration/jalons?/move&id=${phantom}`, { direction: 'up' }],
			[`/configuration/indicateurs/${phantom}?/target`, { territory_id: b.id, target: '10' }],
			// a coordinator who has no access to that territory
			[`/personnes/${coordinator}?/removeTerritory`, { user_id: coordinator, territory_id: b.id }]
		];
		const wrong: string[] = [];
		for (const [path, form] of cases) {
			const response = await post(page.request, page, path, form);
			const text = visibleText(await response.text());
			if (response.status() !== 404 || !/introuvable/i.test(text)) wrong.push(`${path}: ${response.status()} ${text.replace(/\s+/g, ' ').trim().slice(0, 160)}`);
		}
		expect(wrong).toEqual([]);
		expect(await fingerprint(sql)).toBe(before);
	});

	test('the same person’s stale form still says « modifié entre-temps » (409), with the current values', async ({ page }) => {
		await loginOk(page, mine.email);
		const [a] = await sql`select id from public.territories where slug = ${mine.territorySlug!}`;
		const [lieu] = await sql`select id, version from public.lieux where territory_id = ${a.id} and status = 'active' order by id limit 1`;
		const before = await fingerprint(sql);
		const response = await post(page.request, page, t(`/lieux/${lieu.id}?/deactivate`), { version: String(lieu.version + 1) });
		expect(response.status()).toBe(409);
		expect(visibleText(await response.text())).toMatch(/Quelqu’un d’autre a modifié cette fiche/);
		expect(await fingerprint(sql)).toBe(before);
	});
});

test.describe('impossible dates and control characters come back at the field, with what was typed', () => {
	test('« Cette date n’existe pas. » on the citizen form, JJ/MM/AAAA and AAAA-MM-JJ alike', async ({ page }) => {
		await loginOk(page, mine.email);
		await page.goto(t('/citoyens/nouveau'));
		const submission = await page.locator('form[action="?/create"] input[name="submission"]').inputValue();
		for (const day of ['31/02/2026', '2026-02-31']) {
			const response = await post(page.request, page, t('/citoyens/nouveau?/create'), {
				submission,
				display_name: 'Date Impossible',
				commune: 'Rodez',
				age_band: 'non_renseigne',
				source: 'event',
				enrolled_at: day,
				consent: 'on'
			});
			expect(response.status()).toBe(400);
			const text = visibleText(await response.text());
			expect(text).toContain('Cette date n’existe pas.');
			expect(text).not.toContain('Indiquez la date');
		}
	});

	test('/journal?du=2026-02-31 shows the journal, the message at « Du » and what was typed', async ({ page }) => {
		await loginOk(page, account('facilitator').email);
		const response = await page.goto('/journal?du=2026-02-31&au=30/11/2026');
		expect(response?.status()).toBeLessThan(500);
		await expect(page.getByRole('heading', { level: 1, name: 'Journal des modifications' })).toBeVisible();
		const du = page.getByLabel('Du', { exact: true });
		await expect(du).toHaveAttribute('aria-invalid', 'true');
		await expect(du).toHaveAccessibleDescription('Cette date n’existe pas.');
		expect(await response!.text()).toMatch(/name="du"[^>]*value="2026-02-31"|value="2026-02-31"[^>]*name="du"/);
		// the filter that could be read applies; the other is not applied
		await expect(page.getByLabel('Au', { exact: true })).toHaveValue('2026-11-30');
		await expect(page.getByRole('table')).toBeVisible();
		await expectAccessible(page);
	});

	test('a control character typed in a name: refused at the field, nothing lost, nothing written', async ({ page }) => {
		const sql = e2eDatabase();
		try {
			await loginOk(page, mine.email);
			await page.goto(t('/citoyens/nouveau'));
			const name = `Jean\u0007Contrôle ${Date.now().toString(36)}`;
			await page.getByLabel('Nom affiché').fill(name);
			await page.getByLabel('Commune').fill('Espalion');
			await page.getByLabel('Adresse e-mail').fill('jean.controle@exemple.test');
			await page.getByLabel('Arrivée par').selectOption({ label: 'Événement' });
			await page.getByLabel('La personne a lu ce texte et donne son consentement').check();
			await page.getByRole('button', { name: 'Inscrire' }).click();
			const field = page.getByLabel('Nom affiché');
			await expect(field).toHaveAccessibleDescription(/caractère invisible non autorisé/);
			// use:enhance: the field keeps exactly what was typed (the page without JS sends it back
			// without the control character: next test)
			await expect(field).toHaveValue(name);
			await expect(page.getByLabel('Commune')).toHaveValue('Espalion');
			await expect(page.getByLabel('Adresse e-mail')).toHaveValue('jean.controle@exemple.test');
			const [{ n }] = await sql`select count(*)::int as n from public.citizens where email = 'jean.controle@exemple.test'`;
			expect(n).toBe(0);
		} finally {
			await sql.end();
		}
	});

	test('without JavaScript too: a NUL byte in a posted field is a 400 at the field, the other values kept', async ({ page }) => {
		await loginOk(page, mine.email);
		await page.goto(t('/lieux/nouveau'));
		const submission = await page.locator('input[name="submission"]').first().inputValue();
		const response = await post(page.request, page, t('/lieux/nouveau?/create'), {
			submission,
			name: 'Café\u0000 des Lilas',
			kind: 'cafe',
			commune: 'Espalion',
			enrolled_at: '2026-11-01'
		});
		expect(response.status()).toBe(400);
		const body = await response.text();
		expect(visibleText(body)).toContain('caractère invisible non autorisé');
		expect(body).toContain('value="Café des Lilas"');
		expect(body).toContain('value="Espalion"');
		expect(body).not.toContain('\u0000');
	});
});

test('the monthly indicators: a NUL in a note is refused at that field, nothing saved, never a 500', async ({ page }) => {
	const sql = e2eDatabase();
	try {
		await loginOk(page, mine.email);
		await page.goto(t('/indicateurs'));
		const form = page.locator('form[method="POST"]', { has: page.locator('input[type="hidden"][name="mois"]') });
		const fields: Record<string, string> = {};
		for (const input of await form.locator('input[type="hidden"]').all()) fields[(await input.getAttribute('name'))!] = await input.inputValue();
		const value = form.locator('input[name^="valeur-"]').first();
		const id = (await value.getAttribute('name'))!.slice('valeur-'.length);
		const before = await fingerprint(sql);
		const response = await post(page.request, page, t('/indicateurs?/save'), {
			...fields,
			[`valeur-${id}`]: '7',
			[`note-${id}`]: 'Fête\u0000 du numérique'
		});
		expect(response.status()).toBe(400);
		const body = await response.text();
		expect(visibleText(body)).toContain('caractère invisible non autorisé');
		expect(body).toContain('Fête du numérique');
		expect(await fingerprint(sql)).toBe(before);
	} finally {
		await sql.end();
	}
});

test.describe('endpoints answer errors as French pages', () => {
	test('a right-of-access file of nobody: a French 404 page for a browser and for curl alike', async ({ page }) => {
		await loginOk(page, mine.email);
		for (const accept of ['text/html', '*/*']) {
			const response = await page.request.get(t(`/citoyens/${randomUUID()}/donnees.json`), { headers: { accept }, failOnStatusCode: false });
			expect(response.status(), accept).toBe(404);
			expect(response.headers()['content-type'], accept).toContain('text/html');
			const text = visibleText(await response.text());
			expect(text).toContain('Introuvable');
			expect(text).toContain('Personne introuvable');
		}
	});
});
