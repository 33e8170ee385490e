import type { Page } from '@playwright/test';
import { coordinators, expect, expectAccessible, loginOk, test } from './fixtures';

/**
 * Milestones, through the real UI, on one territory no other spec uses (the 12th of the demo).
 * Each test creates the milestones it changes, so the order of tests does not matter.
 */
const me = coordinators[11];
const slug = me.territorySlug!;
const other = coordinators[12];
const list = `/territoires/${slug}/jalons`;

const unique = (what: string) => `${what} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

/** Adds one of the territory's own milestones through the list page's form; lands on its page. */
async function addMilestone(page: Page, title: string, due: string) {
	await page.goto(list);
	await page.getByLabel('Titre').fill(title);
	await page.getByLabel('Échéance').fill(due);
	await page.getByLabel('Ancrage').check();
	await page.getByRole('button', { name: 'Ajouter le jalon' }).click();
	await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
	await expect(page).toHaveURL(/\/jalons\/[0-9a-f-]{36}$/);
	return page.url();
}

const rowOf = (page: Page, title: string) => page.getByRole('row').filter({ hasText: title });

test.describe('milestones of a territory', () => {
	test.beforeEach(async ({ page }) => {
		await loginOk(page, me.email);
	});

	test('the list shows the program’s milestones with dates, month, phase, status and laws', async ({ page }) => {
		await page.goto(`/territoires/${slug}`);
		await page.getByRole('navigation', { name: 'Espace du territoire' }).getByRole('link', { name: 'Jalons', exact: true }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Jalons' })).toBeVisible();
		for (const name of ['Jalon', 'Échéance', 'Mois · phase', 'Statut', 'Lois'])
			await expect(page.getByRole('columnheader', { name })).toBeVisible();
		const launch = rowOf(page, 'Lancement public du marathon');
		await expect(launch).toContainText('28 février 2026');
		await expect(launch).toContainText('Mois 1 · Semer');
		await expect(launch).toContainText('Visée régénérative, Ancrage');
		await expect(rowOf(page, 'Restitution finale et suites')).toContainText('Mois 18 · Régénérer');
		await expectAccessible(page);
	});

	test('the timeline lays out the 18 months with dates and phases, the current month marked', async ({ page }) => {
		await page.goto(list);
		await page.getByRole('link', { name: 'Frise mois par mois' }).click();
		await expect(page).toHaveURL(`${list}?vue=frise`);
		for (const phase of ['Semer', 'Germer', 'Régénérer'])
			await expect(page.getByRole('heading', { level: 3, name: new RegExp(`^${phase}`) })).toBeVisible();
		await expect(page.getByRole('heading', { level: 4 })).toHaveCount(18);
		const current = page.locator('li[aria-current="date"]');
		await expect(current).toHaveCount(1);
		await expect(current).toContainText('Mois 10');
		await expect(current).toContainText('mois en cours');
		await expect(current).toContainText('du 1 novembre 2026 au 30 novembre 2026');
		await expect(current).toContainText('Assemblée citoyenne de mi-parcours');
		await expectAccessible(page);
	});

	test('a coordinator completes a milestone with evidence and sees it done in the list and the timeline', async ({ page }) => {
		const title = unique('Fête des communs');
		await addMilestone(page, title, '2026-12-12');
		await page.getByLabel('Preuve de réalisation').fill('Compte rendu signé par le comité de pilotage.');
		await page.getByLabel('Lien vers la preuve').fill('https://exemple.fr/compte-rendu.pdf');
		await page.getByRole('button', { name: 'Marquer comme fait' }).click();
		await expect(page.getByText('Compte rendu signé par le comité de pilotage.')).toBeVisible();
		await expect(page.getByRole('link', { name: 'https://exemple.fr/compte-rendu.pdf' })).toBeVisible();
		// done today by default (MARATHON_TODAY)
		await expect(page.getByRole('definition').filter({ hasText: /^29 novembre 2026$/ })).toBeVisible();
		await expect(page.getByRole('listitem').filter({ hasText: 'statut : Prévu → Fait' })).toBeVisible();
		await expectAccessible(page);

		await page.goto(`${list}?statut=fait`);
		await expect(rowOf(page, title)).toContainText('Fait');
		await page.goto(`${list}?vue=frise`);
		const month = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Mois 11' }) });
		await expect(month.getByRole('listitem').filter({ hasText: title })).toContainText('Fait');
	});

	test('a coordinator blocks a milestone with a reason, then unblocks it', async ({ page }) => {
		const title = unique('Ressourcerie');
		await addMilestone(page, title, '2027-01-20');
		await page.getByRole('button', { name: 'Démarrer' }).click();
		await expect(page.getByText('En cours', { exact: true })).toBeVisible();
		await page.getByLabel('Ce qui bloque').fill('Local indisponible jusqu’en février.');
		await page.getByRole('button', { name: 'Marquer comme bloqué' }).click();
		await expect(page.getByText('Bloqué', { exact: true })).toBeVisible();
		await expect(page.getByText('Local indisponible jusqu’en février.')).toBeVisible();
		await page.goto(`${list}?statut=bloque`);
		await expect(rowOf(page, title)).toContainText('Bloqué');
		await rowOf(page, title).getByRole('link').click();
		await page.getByRole('button', { name: 'Débloquer' }).click();
		await expect(page.getByText('En cours', { exact: true })).toBeVisible();
	});

	test('a late milestone shows « en retard », in the list, its filter and the timeline', async ({ page }) => {
		const title = unique('Cartographie');
		await addMilestone(page, title, '2026-10-15');
		await expect(page.getByText('en retard')).toBeVisible();
		await page.goto(list);
		await expect(rowOf(page, title)).toContainText('Prévu · en retard');
		await page.getByRole('link', { name: 'En retard' }).click();
		await expect(page).toHaveURL(`${list}?statut=en-retard`);
		await expect(rowOf(page, title)).toBeVisible();
		await expect(rowOf(page, 'Restitution finale et suites')).toHaveCount(0);
		await page.goto(`${list}?vue=frise&statut=en-retard`);
		await expect(page.getByRole('listitem').filter({ hasText: title }).last()).toContainText('en retard');
	});

	test('bad input shows French messages beside the fields, and keeps what was typed', async ({ page }) => {
		await page.goto(list);
		// the browser would stop an empty required field: lift the constraint, as an old browser would
		await page.getByLabel('Titre').evaluate((el) => el.removeAttribute('required'));
		await page.getByLabel('Description').fill('Sans titre');
		await page.getByLabel('Échéance').fill('2027-02-02');
		await page.getByRole('button', { name: 'Ajouter le jalon' }).click();
		await expect(page.getByText('Indiquez le titre du jalon.')).toBeVisible();
		await expect(page.getByLabel('Description')).toHaveValue('Sans titre');

		await addMilestone(page, unique('Jumelage'), '2027-02-02');
		await page.getByLabel('Preuve de réalisation').evaluate((el) => el.removeAttribute('required'));
		await page.getByLabel('Lien vers la preuve').fill('exemple.fr/cr');
		await page.getByLabel('Lien vers la preuve').evaluate((el) => el.setAttribute('type', 'text'));
		await page.getByRole('button', { name: 'Marquer comme fait' }).click();
		const note = page.getByLabel('Preuve de réalisation');
		await expect(note).toHaveAttribute('aria-invalid', 'true');
		await expect(page.getByText(/^Décrivez la preuve de réalisation/)).toBeVisible();
		await expect(note).toHaveAccessibleDescription(/Décrivez la preuve de réalisation/);
		await expect(page.getByText(/^Ce lien n’est pas une adresse web complète/)).toBeVisible();
		await expect(page.getByText('Prévu', { exact: true })).toBeVisible();
	});

	test('a stale edit (two tabs) gets the conflict message with the current values', async ({ page, context }) => {
		const url = await addMilestone(page, unique('Fonds de matériel'), '2027-04-04');
		const other = await context.newPage();
		await other.goto(url);
		await other.getByLabel('Titre').fill('Titre changé dans l’autre onglet');
		await other.getByRole('button', { name: 'Enregistrer' }).click();
		await expect(other.getByRole('heading', { level: 1, name: 'Titre changé dans l’autre onglet' })).toBeVisible();

		await page.getByLabel('Titre').fill('Mon titre à moi');
		await page.getByRole('button', { name: 'Enregistrer' }).click();
		const alert = page.getByRole('alert');
		await expect(alert).toContainText('Quelqu’un d’autre a modifié cette fiche');
		await expect(alert).toContainText('Titre changé dans l’autre onglet');
		await expect(page.getByLabel('Titre')).toHaveValue('Mon titre à moi');
		// saving again, knowingly, now goes through
		await page.getByRole('button', { name: 'Enregistrer' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Mon titre à moi' })).toBeVisible();
	});

	test('an own milestone can be deleted after confirming; a program milestone offers no deletion', async ({ page }) => {
		const title = unique('À supprimer');
		await addMilestone(page, title, '2027-05-05');
		await page.getByRole('button', { name: 'Supprimer' }).click();
		// the required box stops the browser; the page is still there
		await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
		await page.getByLabel('Je confirme la suppression').check();
		await page.getByRole('button', { name: 'Supprimer' }).click();
		await expect(page).toHaveURL(list);
		await expect(rowOf(page, title)).toHaveCount(0);
		await rowOf(page, 'Restitution finale et suites').getByRole('link').click();
		await expect(page.getByRole('heading', { level: 1, name: 'Restitution finale et suites' })).toBeVisible();
		await expect(page.getByRole('button', { name: 'Supprimer' })).toHaveCount(0);
	});
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('a coordinator adds and completes a milestone with plain forms', async ({ page }) => {
		await loginOk(page, me.email);
		const title = unique('Sans JS');
		await addMilestone(page, title, '2026-11-20');
		await page.getByLabel('Preuve de réalisation').fill('Feuille d’émargement archivée.');
		await page.getByLabel('Fait le').fill('2026-11-21');
		await page.getByRole('button', { name: 'Marquer comme fait' }).click();
		await expect(page.getByText('Feuille d’émargement archivée.')).toBeVisible();
		await expect(page.getByRole('definition').filter({ hasText: /^21 novembre 2026$/ })).toBeVisible();
		await page.goto(list);
		await expect(rowOf(page, title)).toContainText('Fait');
		await expect(rowOf(page, title)).not.toContainText('en retard');
	});

	test('an edit form shows the stored description, and saving it keeps it (a textarea is rendered on the server)', async ({ page }) => {
		await loginOk(page, me.email);
		const title = unique('Lavoir');
		await page.goto(list);
		await page.getByLabel('Titre').fill(title);
		await page.getByLabel('Description').fill('Réunir les habitants au lavoir.');
		await page.getByLabel('Échéance').fill('2027-03-03');
		await page.getByRole('button', { name: 'Ajouter le jalon' }).click();
		await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
		await expect(page.getByLabel('Description')).toHaveValue('Réunir les habitants au lavoir.');
		await page.getByRole('button', { name: 'Enregistrer' }).click();
		await expect(page.getByLabel('Description')).toHaveValue('Réunir les habitants au lavoir.');
		await page.reload();
		await expect(page.getByText('Réunir les habitants au lavoir.').first()).toBeVisible();
	});
});

test.describe('refusals', () => {
	test('a coordinator of another territory gets 403 on its milestone pages and actions', async ({ page }) => {
		await loginOk(page, me.email);
		await page.goto(list);
		const href = await rowOf(page, 'Restitution finale et suites').getByRole('link').getAttribute('href');
		await page.getByRole('button', { name: 'Se déconnecter' }).click();

		await loginOk(page, other.email);
		expect((await page.goto(list))?.status()).toBe(403);
		const response = await page.goto(href!);
		expect(response?.status()).toBe(403);
		await expect(page.getByText('Ce territoire n’est pas le vôtre')).toBeVisible();
		const post = await page.request.post(`${href}?/start`, {
			form: { version: '1' },
			headers: { origin: new URL(page.url()).origin }
		});
		expect(post.status()).toBe(403);
	});

	test('a coordinator cannot decide a date-change request of their own territory (403, the facilitation decides)', async ({ page }) => {
		await loginOk(page, me.email);
		await page.goto(list);
		const href = await rowOf(page, 'Restitution finale et suites').getByRole('link').getAttribute('href');
		const post = await page.request.post(`${href}?/decideDate`, {
			form: { request_id: '00000000-0000-4000-8000-000000000000', decision: 'accept' },
			headers: { origin: new URL(page.url()).origin }
		});
		expect(post.status()).toBe(403);
		expect(await post.text()).toContain('Seule l’animation du programme');
	});
});
