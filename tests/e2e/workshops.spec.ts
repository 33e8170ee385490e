import type { Page } from '@playwright/test';
import { LIEU_CHOICES } from '../../src/lib/domain/workshops';
import { e2eDatabase } from './db';
import { account, coordinators, expect, expectAccessible, loginOk, test } from './fixtures';

/**
 * Workshops and attendance through the real UI. Runs on a territory the other specs leave alone
 * (Pays de la Forge, the 10th of the demo cohort) and on workshops and people it creates itself
 * (names made unique per run). « Today » is pinned to 2026-11-29.
 */
const me = coordinators.find((c) => c.territorySlug === 'pays-de-la-forge')!;
const other = coordinators.find((c) => c.territorySlug === 'val-d-ardoise')!;
const list = `/territoires/${me.territorySlug}/ateliers`;
const unique = () => Math.random().toString(36).slice(2, 7);

/** Fills the plan form; the workshop runs all day today so that it is both « to come » and « started ». */
async function fillWorkshop(page: Page, title: string) {
	await page.getByLabel('Titre').fill(title);
	await page.getByLabel('Format').selectOption({ label: 'Formation' });
	await page.getByLabel(/^Date/).fill('2026-11-29');
	await page.getByLabel('Heure de début').fill('00:00');
	await page.getByLabel('Durée (minutes)').fill('1439');
	await page.getByLabel('Capacité (places)').fill('20');
	await page.getByLabel('Animé par').fill('Alex T.');
}

/** Two distinct names of active people enrolled in the territory, read from the registry. */
async function twoEnrolledNames(page: Page): Promise<[string, string]> {
	await page.goto(`/territoires/${me.territorySlug}/citoyens?statut=actifs`);
	const names = await page.getByRole('table').getByRole('rowheader').allTextContents();
	const distinct = [...new Set(names.map((n) => n.trim()))];
	expect(distinct.length).toBeGreaterThanOrEqual(2);
	return [distinct[0], distinct[1]];
}

async function checkInByName(page: Page, name: string) {
	await page.getByRole('searchbox', { name: 'Rechercher une personne inscrite par son nom' }).fill(name);
	await page.getByRole('button', { name: 'Rechercher' }).click();
	await page.getByRole('button', { name: `Pointer ${name}` }).first().click();
	await expect(page.getByRole('list', { name: 'Présences' }).getByText(name).first()).toBeVisible();
}

test.describe('workshops', () => {
	test('a coordinator plans a workshop, checks people in, quick-adds one and closes it', async ({ page }) => {
		const title = `Atelier réemploi ${unique()}`;
		const newcomer = `Noé ${unique()}`;
		await loginOk(page, me.email);
		const [first, second] = await twoEnrolledNames(page);

		// Plan it at one of the territory's lieux.
		await page.goto(list);
		await expectAccessible(page);
		await page.getByRole('link', { name: 'Planifier un atelier' }).click();
		await expect(page.getByRole('heading', { name: 'Planifier un atelier' })).toBeVisible();
		await fillWorkshop(page, title);
		const lieuSelect = page.getByLabel('Un lieu engagé du territoire');
		const lieuName = (await lieuSelect.locator('option').nth(1).textContent())!.trim();
		await lieuSelect.selectOption({ index: 1 });
		await page.getByLabel('2. Ancrage').check();
		await page.getByLabel('3. Encapacitation').check();
		await expectAccessible(page);
		await page.getByRole('button', { name: 'Planifier l’atelier' }).click();
		await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
		await expect(page.getByText('dimanche 29 novembre 2026, 0 h 00 – 23 h 59')).toBeVisible();
		await expect(page.getByText(lieuName.replace(/ \(.*\)$/, ''), { exact: false }).first()).toBeVisible();
		await expect(page.getByText('Ancrage, Encapacitation')).toBeVisible();

		// Found in « À venir » and in the calendar of November 2026.
		await page.getByRole('link', { name: '← Ateliers' }).click();
		await expect(page.getByRole('link', { name: /^À venir/ })).toHaveAttribute('aria-current', 'page');
		await expect(page.getByRole('link', { name: title })).toBeVisible();
		await page.getByRole('link', { name: 'Calendrier' }).click();
		await expect(page.getByRole('heading', { name: 'Calendrier de novembre 2026' })).toBeVisible();
		const day29 = page.getByRole('cell').filter({ has: page.getByText('29', { exact: true }) }).last();
		await expect(day29.getByRole('link', { name: new RegExp(title) })).toBeVisible();
		await expectAccessible(page);
		await page.getByRole('link', { name: 'décembre 2026 →' }).click();
		await expect(page.getByRole('heading', { name: 'Calendrier de décembre 2026' })).toBeVisible();
		await expect(page.getByRole('link', { name: new RegExp(title) })).toHaveCount(0);
		await page.getByRole('link', { name: '← novembre 2026' }).click();
		await page.getByRole('link', { name: new RegExp(title) }).click();

		// Check in two enrolled people by name, quick-add a third with their consent.
		await expect(page.getByText('0 personne pointée')).toBeVisible();
		await expect(page.getByText('taux de remplissage : 0 %')).toBeVisible();
		await checkInByName(page, first);
		await checkInByName(page, second);
		await expect(page.getByText('2 personnes pointées')).toBeVisible();

		await page.getByLabel('Nom affiché').fill(newcomer);
		await page.getByLabel('Commune (facultative)').fill('Roubaix');
		await page.getByLabel('Tranche d’âge').selectOption({ label: '41–60 ans' });
		await page.getByRole('button', { name: 'Inscrire et pointer' }).click();
		await expect(page.getByText('La personne doit donner son consentement pour être inscrite.')).toBeVisible();
		await expect(page.getByLabel('Nom affiché')).toHaveValue(newcomer);
		await page.getByLabel('La personne a lu ce texte et donne son consentement').check();
		await page.getByRole('button', { name: 'Inscrire et pointer' }).click();
		await expect(page.getByText('3 personnes pointées')).toBeVisible();
		await expect(page.getByText('taux de remplissage : 15 %')).toBeVisible();
		await expect(page.getByRole('list', { name: 'Présences' }).getByText(newcomer)).toBeVisible();
		await expectAccessible(page);

		// The same person again: refused, with the existing one to check in instead.
		await page.getByLabel('Nom affiché').fill(newcomer);
		await page.getByLabel('Commune (facultative)').fill('Roubaix');
		await page.getByLabel('La personne a lu ce texte et donne son consentement').check();
		await page.getByRole('button', { name: 'Inscrire et pointer' }).click();
		await expect(page.getByText(/Une personne qui lui ressemble .* est déjà inscrite/)).toBeVisible();
		await expect(page.getByRole('link', { name: newcomer })).toBeVisible();
		await expect(page.getByText('3 personnes pointées')).toBeVisible();

		// Un-check one, then check them back in.
		await page.getByRole('button', { name: `Retirer ${second} des présences` }).first().click();
		await expect(page.getByText('2 personnes pointées')).toBeVisible();
		await checkInByName(page, second);
		await expect(page.getByText('3 personnes pointées')).toBeVisible();

		// Close it with a summary: now in « Passés », no longer « À venir ».
		await page.getByLabel('Compte rendu').fill('Trois personnes, deux ordinateurs remis en état.');
		await page.getByRole('button', { name: 'Clore l’atelier' }).click();
		await expect(page.getByText('Tenu', { exact: true })).toBeVisible();
		await expect(page.getByText('Trois personnes, deux ordinateurs remis en état.')).toBeVisible();
		await expect(page.getByRole('button', { name: 'Clore l’atelier' })).toHaveCount(0);
		await page.goto(list);
		await expect(page.getByRole('link', { name: title })).toHaveCount(0);
		await page.getByRole('link', { name: /^Passés/ }).click();
		const row = page.getByRole('row').filter({ hasText: title });
		await expect(row).toContainText('Tenu');
		await expect(row).toContainText('3 / 20');
		await expectAccessible(page);
	});

	test('bad input shows French messages beside the fields, and keeps what was typed', async ({ page }) => {
		await loginOk(page, me.email);
		await page.goto(`${list}/nouveau`);
		await fillWorkshop(page, '');
		await page.getByLabel('Durée (minutes)').fill('-30');
		await page.getByLabel('Ou un autre lieu (texte libre)').fill('Salle des fêtes');
		await page.getByLabel('Capacité (places)').fill('0');
		await page.getByRole('button', { name: 'Planifier l’atelier' }).click();
		await expect(page.getByText('L’atelier n’a pas été enregistré')).toBeVisible();
		await expect(page.getByLabel('Titre')).toHaveAccessibleDescription('Indiquez le titre de l’atelier.');
		await expect(page.getByLabel('Durée (minutes)')).toHaveAccessibleDescription(
			/La fin doit être après le début : indiquez une durée d’au moins 1 minute\./
		);
		await expect(page.getByLabel('Capacité (places)')).toHaveAccessibleDescription(/au moins 1 place/);
		await expect(page.getByLabel('Titre')).toHaveAttribute('aria-invalid', 'true');
		await expect(page.getByLabel('Animé par')).toHaveValue('Alex T.');
		await expect(page.getByLabel('Ou un autre lieu (texte libre)')).toHaveValue('Salle des fêtes');
		await expectAccessible(page);

		// A lieu from the list and a free one at once: asked to choose.
		await page.getByLabel('Titre').fill('Deux lieux');
		await page.getByLabel('Durée (minutes)').fill('60');
		await page.getByLabel('Capacité (places)').fill('');
		await page.getByLabel('Un lieu engagé du territoire').selectOption({ index: 1 });
		await page.getByRole('button', { name: 'Planifier l’atelier' }).click();
		await expect(page.getByLabel('Ou un autre lieu (texte libre)')).toHaveAccessibleDescription(/pas les deux/);
	});

	test('a stale edit (two tabs) gets the conflict message with the current values, nothing overwritten', async ({ page, context }) => {
		const title = `Cartopartie ${unique()}`;
		await loginOk(page, me.email);
		await page.goto(`${list}/nouveau`);
		await fillWorkshop(page, title);
		await page.getByLabel('Ou un autre lieu (texte libre)').fill('Parc du Lion');
		await page.getByRole('button', { name: 'Planifier l’atelier' }).click();
		await page.getByRole('link', { name: 'Modifier l’atelier' }).click();
		await page.waitForURL(/\/modifier$/);
		const edit = page.url();
		const second = await context.newPage();
		await second.goto(edit);

		await page.getByLabel('Titre').fill(`${title} (tab 1)`);
		await page.getByRole('button', { name: 'Enregistrer' }).click();
		await expect(page.getByRole('heading', { level: 1, name: `${title} (tab 1)` })).toBeVisible();

		await second.getByLabel('Animé par').fill('Sam K.');
		await second.getByRole('button', { name: 'Enregistrer' }).click();
		await expect(second.getByText(/Quelqu’un d’autre a modifié cette fiche/)).toBeVisible();
		await expect(second.getByText(`${title} (tab 1)`, { exact: true })).toBeVisible();
		await expect(second.getByLabel('Animé par')).toHaveValue('Sam K.');
		// Saved again on purpose: now at the current version.
		await second.getByRole('button', { name: 'Enregistrer' }).click();
		await expect(second.getByRole('heading', { level: 1 })).toHaveText(title);
		await expect(second.getByText('Sam K.')).toBeVisible();
	});

	test('a coordinator of another territory gets 403 on its workshops, pages and actions', async ({ page, browser, baseURL }) => {
		// A real workshop of the other territory, seen by a facilitator.
		const staff = await browser.newPage();
		await loginOk(staff, account('facilitator').email);
		await staff.goto(`/territoires/${other.territorySlug}/ateliers?vue=passes`);
		const href = await staff.getByRole('table').getByRole('rowheader').getByRole('link').first().getAttribute('href');
		await staff.close();
		expect(href).toMatch(/\/ateliers\/[0-9a-f-]{36}$/);

		await loginOk(page, me.email);
		for (const url of [
			`/territoires/${other.territorySlug}/ateliers`,
			`/territoires/${other.territorySlug}/ateliers?vue=calendrier`,
			`/territoires/${other.territorySlug}/ateliers/nouveau`,
			href!,
			`${href}/modifier`
		]) {
			const response = await page.goto(url);
			expect(response?.status(), url).toBe(403);
			await expect(page.getByText('Ce territoire n’est pas le vôtre')).toBeVisible();
		}
		for (const [action, form] of [
			['checkIn', { citizen_id: '0b7e2c1a-3f4d-4e5f-8a9b-0c1d2e3f4a5b' }],
			['cancel', { version: '1', confirm: 'on' }],
			['quickAdd', { display_name: 'Intrus', age_band: '26_40', consent: 'on' }]
		] as const) {
			const post = await page.request.post(`${href}?/${action}`, { headers: { origin: baseURL! }, form });
			expect(post.status(), action).toBe(403);
		}
		// In their own territory, an unknown workshop is a 404.
		expect((await page.request.get(`${list}/0b7e2c1a-3f4d-4e5f-8a9b-0c1d2e3f4a5b`)).status()).toBe(404);
		expect((await page.request.get(`${list}/pas-un-id`)).status()).toBe(404);
	});
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('more lieux than the form offers: the others are found by name, and a refused post keeps what was found', async ({ page }) => {
		await loginOk(page, me.email);
		await page.goto(`${list}/nouveau`);
		const lieuSelect = page.getByLabel('Un lieu engagé du territoire');
		const offered = await lieuSelect.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
		expect(offered.length).toBe(LIEU_CHOICES);
		// (axe needs JavaScript: budgets.spec.ts checks this page with it)
		await expect(page.getByText(/Les 30 lieux actifs utilisés le plus récemment, sur \d+/)).toBeVisible();

		// an active lieu of the territory that the form does not offer
		const sql = e2eDatabase();
		const [hidden] = await sql<{ id: string; name: string }[]>`
			select l.id, l.name from public.lieux l join public.territories t on t.id = l.territory_id
			where t.slug = ${me.territorySlug!} and l.status = 'active' and not (l.id = any(${offered}::uuid[]))
			order by l.name desc limit 1`;
		await sql.end();
		const typed = hidden.name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase(); // « école » typed « ecole »
		await page.getByLabel('Chercher un lieu engagé (nom ou commune)').fill(typed);
		await page.getByRole('button', { name: 'Chercher' }).click();
		await expect(page.getByText(new RegExp(`trouvés? pour « ${typed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} »`))).toBeVisible();
		await lieuSelect.selectOption(hidden.id);
		// refused (no title): the same lieux are offered again, the chosen one still chosen
		await page.getByRole('button', { name: 'Planifier l’atelier' }).click();
		await expect(page.getByText('L’atelier n’a pas été enregistré')).toBeVisible();
		await expect(lieuSelect).toHaveValue(hidden.id);
		const title = `Atelier au lieu cherché ${unique()}`;
		await fillWorkshop(page, title);
		await page.getByRole('button', { name: 'Planifier l’atelier' }).click();
		await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
		await expect(page.getByText(hidden.name).first()).toBeVisible();
	});

	test('planning, editing, checking in and cancelling work with plain forms', async ({ page }) => {
		const title = `Permanence ${unique()}`;
		await loginOk(page, me.email);
		const [first, second] = await twoEnrolledNames(page);
		await page.goto(`${list}/nouveau`);
		await fillWorkshop(page, title);
		await page.getByLabel('Ou un autre lieu (texte libre)').fill('Salle paroissiale');
		await page.getByRole('button', { name: 'Planifier l’atelier' }).click();
		await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
		await expect(page.getByText('Salle paroissiale')).toBeVisible();

		await page.getByRole('link', { name: 'Modifier l’atelier' }).click();
		await expect(page.getByLabel('Titre')).toHaveValue(title);
		await expect(page.getByLabel('Durée (minutes)')).toHaveValue('1439');
		await page.getByLabel('Capacité (places)').fill('1');
		await page.getByRole('button', { name: 'Enregistrer' }).click();
		await expect(page.getByText('capacité : 1')).toBeVisible();

		await checkInByName(page, first);
		await expect(page.getByText('1 personne pointée')).toBeVisible();
		await expect(page.getByText('taux de remplissage : 100 %')).toBeVisible();
		await expect(page.getByText(/Capacité dépassée/)).toHaveCount(0);
		// Over capacity: allowed (people came), with a warning.
		await checkInByName(page, second);
		await expect(page.getByText('Capacité dépassée : 2 personnes pointées pour 1 places. Le pointage reste possible.')).toBeVisible();
		await expect(page.getByText('taux de remplissage : 200 %')).toBeVisible();

		await page.getByRole('button', { name: 'Annuler l’atelier' }).click();
		await expect(page.getByText('Cochez « Je confirme l’annulation » pour annuler cet atelier.')).toBeVisible();
		await page.getByLabel('Je confirme l’annulation de cet atelier').check();
		await page.getByRole('button', { name: 'Annuler l’atelier' }).click();
		await expect(page.getByText('Annulé', { exact: true })).toBeVisible();
		await expect(page.getByText('Cet atelier est annulé : on ne peut pas y pointer de présence.')).toBeVisible();
	});
});
