import type { APIRequestContext, Page } from '@playwright/test';
import { account, coordinators, expect, expectAccessible, loginOk, test } from './fixtures';

// Territories the other specs do not use.
const me = coordinators.find((c) => c.territorySlug === 'causses-et-garrigues')!;
const t = (path = '') => `/territoires/${me.territorySlug}${path}`;
const run = Date.now().toString(36);

/** The submission token the page drew for its create form. */
const tokenOf = (page: Page, form = 'form[action="?/create"]') =>
	page.locator(`${form} input[name="submission"]`).inputValue();

/** A plain browser-like POST of a form action (no JavaScript), not following the redirect. */
function post(request: APIRequestContext, baseURL: string, path: string, form: Record<string, string>) {
	return request.post(path, { form, headers: { origin: baseURL, accept: 'text/html' }, maxRedirects: 0 });
}

test.describe('forms that never write twice', () => {
	test('a double-click on « Inscrire » enrols one person, and the page shows that person', async ({ page }) => {
		const name = `Double Clic ${run}`;
		await loginOk(page, me.email);
		await page.goto(t('/citoyens/nouveau'));
		await page.getByLabel('Nom affiché').fill(name);
		await page.getByLabel('Commune').fill('Millau');
		await page.getByLabel('Arrivée par').selectOption({ label: 'Événement' });
		await page.getByLabel('La personne a lu ce texte et donne son consentement').check();
		await page.getByRole('button', { name: 'Inscrire' }).dblclick();
		await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
		await page.goto(t(`/citoyens?q=${encodeURIComponent(name)}`));
		await expect(page.getByRole('link', { name })).toHaveCount(1);
	});

	test('a double-click on « Engager le lieu » engages one lieu', async ({ page }) => {
		const name = `Café double ${run}`;
		await loginOk(page, me.email);
		await page.goto(t('/lieux/nouveau'));
		await page.getByLabel('Nom du lieu').fill(name);
		await page.getByLabel('Type de lieu').selectOption({ label: 'Café' });
		await page.getByLabel('Commune').fill('Millau');
		await page.getByRole('button', { name: 'Engager le lieu' }).dblclick();
		await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
		await page.goto(t(`/lieux?q=${encodeURIComponent(name)}`));
		await expect(page.getByRole('link', { name })).toHaveCount(1);
	});

	test('two parallel identical posts of the lieu form write one lieu; both answers lead to it', async ({ page, baseURL }) => {
		const name = `Tiers-lieu parallèle ${run}`;
		await loginOk(page, me.email);
		await page.goto(t('/lieux/nouveau'));
		const submission = await tokenOf(page);
		const form = { submission, name, kind: 'tiers_lieu', commune: 'Rodez', address: '', enrolled_at: '2026-11-29', status: 'active' };
		const answers = await Promise.all([1, 2].map(() => post(page.request, baseURL!, t('/lieux/nouveau?/create'), form)));
		expect(answers.map((a) => a.status())).toEqual([303, 303]);
		const [a, b] = answers.map((r) => r.headers()['location']);
		expect(a).toMatch(new RegExp(`${t('/lieux/')}[0-9a-f-]{36}`));
		expect(b).toBe(a);
		await page.goto(t(`/lieux?q=${encodeURIComponent(name)}`));
		await expect(page.getByRole('link', { name })).toHaveCount(1);
	});

	test('two parallel identical enrolments write one person; a NUL byte is a 400 in French', async ({ page, baseURL }) => {
		const name = `Parallèle ${run}`;
		await loginOk(page, me.email);
		await page.goto(t('/citoyens/nouveau'));
		const submission = await tokenOf(page);
		const form = { submission, display_name: name, commune: 'Rodez', age_band: 'non_renseigne', source: 'event', enrolled_at: '29/11/2026', consent: 'on' };
		const answers = await Promise.all([1, 2, 3].map(() => post(page.request, baseURL!, t('/citoyens/nouveau?/create'), form)));
		expect(answers.map((a) => a.status())).toEqual([303, 303, 303]);
		expect(new Set(answers.map((r) => r.headers()['location'])).size).toBe(1);
		await page.goto(t(`/citoyens?q=${encodeURIComponent(name)}`));
		await expect(page.getByRole('link', { name })).toHaveCount(1);

		const nul = await post(page.request, baseURL!, t('/citoyens/nouveau?/create'), {
			...form,
			submission: crypto.randomUUID(),
			display_name: `Nul\u0000${run}`
		});
		// refused by the action at the field (parseForm), the rest of the form sent back
		expect(nul.status()).toBe(400);
		const body = await nul.text();
		expect(body).toContain('caractère invisible non autorisé');
		expect(body).toContain(`value="Nul${run}"`);
		expect(body).toContain('value="Rodez"');
	});

	test('the dates: 0001-01-01 and a future date refused on the citizen form; 2030-01-01 on the lieu form', async ({ page }) => {
		await loginOk(page, me.email);
		await page.goto(t('/citoyens/nouveau'));
		await page.getByLabel('Nom affiché').fill(`Date ${run}`);
		await page.getByLabel('Commune').fill('Millau');
		await page.getByLabel('Inscrite le').fill('0001-01-01');
		await page.getByLabel('La personne a lu ce texte et donne son consentement').check();
		await page.getByRole('button', { name: 'Inscrire' }).click();
		await expect(page.getByText(/Cette date est trop ancienne : le programme commence le 16\/10\/2025/)).toBeVisible();
		await page.getByLabel('Inscrite le').fill('2026-11-30');
		await page.getByRole('button', { name: 'Inscrire' }).click();
		await expect(page.getByText('La date d’inscription ne peut pas être dans le futur.')).toBeVisible();

		await page.goto(t('/lieux/nouveau'));
		await page.getByLabel('Nom du lieu').fill(`Futur ${run}`);
		await page.getByLabel('Type de lieu').selectOption({ label: 'Café' });
		await page.getByLabel('Commune').fill('Millau');
		await page.getByLabel('Engagé le').fill('2030-01-01');
		await page.getByRole('button', { name: 'Engager le lieu' }).click();
		await expect(page.getByText('La date d’engagement ne peut pas être dans le futur.')).toBeVisible();
		await expectAccessible(page);
	});

	test('a double-click on the quick-add at the door enrols and checks in one person', async ({ page }) => {
		const name = `Porte ${run}`;
		await loginOk(page, me.email);
		await page.goto(t('/ateliers?vue=passes'));
		await page.getByRole('table').getByRole('rowheader').getByRole('link').first().click();
		await expect(page.getByRole('button', { name: 'Inscrire et pointer' })).toBeVisible();
		await page.getByLabel('Nom affiché').fill(name);
		await page.getByLabel('Commune (facultative)').fill('Millau');
		await page.getByLabel('La personne a lu ce texte et donne son consentement').check();
		await page.getByRole('button', { name: 'Inscrire et pointer' }).dblclick();
		await expect(page.getByRole('list', { name: 'Présences' }).getByText(name)).toHaveCount(1);
		await page.goto(t(`/citoyens?q=${encodeURIComponent(name)}`));
		await expect(page.getByRole('link', { name })).toHaveCount(1);
	});
});

test.describe('program milestones keep their program date', () => {
	test('the coordinator asks for a new date; the facilitator accepts; the due date and lateness follow', async ({ page: coord, browser, baseURL }) => {
		test.setTimeout(60_000);
		await loginOk(coord, me.email);
		// a program milestone still to come (not late today)
		await coord.goto(t('/jalons?statut=prevu'));
		await coord.getByRole('table').getByRole('link').first().click();
		await expect(coord.getByText('Jalon du programme (commun à tous les territoires)')).toBeVisible();
		const title = (await coord.getByRole('heading', { level: 1 }).textContent())!.trim();
		const url = coord.url();
		// the edit form shows the program's date, not a date field
		await expect(coord.getByLabel('Échéance', { exact: true })).toHaveCount(0);
		await expect(coord.getByText(/Échéance du programme : /)).toBeVisible();

		await coord.getByRole('button', { name: 'Demander la nouvelle date' }).click();
		await expect(coord.getByText('Expliquez pourquoi l’échéance doit changer.')).toBeVisible();
		await coord.getByLabel('Nouvelle échéance demandée').fill('2026-11-02');
		await coord.getByLabel('Pourquoi cette date ?').fill('Le comité de pilotage a avancé la restitution.');
		await coord.getByRole('button', { name: 'Demander la nouvelle date' }).click();
		await expect(coord.getByRole('listitem').filter({ hasText: 'En attente' })).toContainText(/au\s+2 novembre 2026, demandé le/);
		await expect(coord.getByRole('button', { name: 'Demander la nouvelle date' })).toHaveCount(0);
		await expect(coord.getByRole('button', { name: 'Accepter la nouvelle date' })).toHaveCount(0); // not theirs to decide
		await expectAccessible(coord);

		const staffContext = await browser.newContext({ baseURL, locale: 'fr-FR' });
		const staff = await staffContext.newPage();
		await loginOk(staff, account('facilitator').email);
		await staff.goto(url);
		await staff.getByRole('button', { name: 'Accepter la nouvelle date' }).click();
		await expect(staff.getByRole('listitem').filter({ hasText: 'Acceptée' })).toContainText(/au\s+2 novembre 2026, demandé le [^]*Décision le/);
		await expect(staff.getByText('2 novembre 2026', { exact: true })).toBeVisible(); // the due date now
		await expect(staff.getByText(/échéance : .* → 02\/11\/2026/)).toBeVisible(); // audited
		await expectAccessible(staff);

		// lateness is measured against the accepted date
		await coord.goto(t('/jalons?statut=en-retard'));
		await expect(coord.getByRole('link', { name: title })).toBeVisible();
		await staffContext.close();
	});
});
