import { coordinators, account, expect, expectAccessible, loginOk, test } from './fixtures';

// Territories the other specs do not use (auth uses coordinators[0..5]).
const me = coordinators.find((c) => c.territorySlug === 'presqu-ile-des-goelands')!;
const other = coordinators.find((c) => c.territorySlug === 'vallons-du-lizet')!;
const lieux = (slug = '') => `/territoires/${slug}/lieux`;
const run = Date.now().toString(36);

test.describe('lieux registry', () => {
	test('a coordinator enrols a lieu (French errors first), edits it, deactivates and reactivates it', async ({ page }) => {
		await loginOk(page, me.email);
		await page.goto(lieux(me.territorySlug));
		await expect(page.getByRole('heading', { name: 'Lieux engagés' })).toBeVisible();
		await expectAccessible(page);
		await page.getByRole('link', { name: 'Engager un lieu' }).click();

		// today is prefilled; bad input is refused field by field, in French
		await expect(page.getByLabel('Engagé le')).toHaveValue('2026-11-29');
		await page.getByLabel('E-mail du contact').fill('pas-un-email');
		await page.getByRole('button', { name: 'Engager le lieu' }).click();
		await expect(page.getByText('Indiquez le nom du lieu.')).toBeVisible();
		await expect(page.getByText('Choisissez le type de lieu.')).toBeVisible();
		await expect(page.getByText('Indiquez la commune.')).toBeVisible();
		await expect(page.getByText('Cette adresse e-mail n’est pas valide')).toBeVisible();
		await expect(page.getByLabel('E-mail du contact')).toHaveValue('pas-un-email');
		await expectAccessible(page);

		const name = `Ressourcerie du Port ${run}`;
		await page.getByLabel('Nom du lieu').fill(name);
		await page.getByLabel('Type de lieu').selectOption({ label: 'Association' });
		await page.getByLabel('Commune').fill('Crozon');
		await page.getByLabel('Adresse', { exact: true }).fill('3 quai du Fret');
		await page.getByLabel('Nom du contact').fill('Maël K.');
		await page.getByLabel('E-mail du contact').fill('mael@exemple.test');
		await page.getByRole('button', { name: 'Engager le lieu' }).click();
		await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
		await expect(page.getByRole('status')).toHaveText('Lieu engagé.');

		// edit
		await page.getByLabel('Nom du lieu').fill(`${name} (quai)`);
		await page.getByLabel('Type de lieu').selectOption({ label: 'Tiers-lieu' });
		await page.getByRole('button', { name: 'Enregistrer' }).click();
		await expect(page.getByRole('heading', { level: 1, name: `${name} (quai)` })).toBeVisible();
		await expect(page.getByRole('status')).toHaveText('Modifications enregistrées.');
		await expect(page.getByText(/Tiers-lieu · Crozon/)).toBeVisible();

		// deactivate (no delete), then it shows in the list filtered on inactive lieux
		await page.getByRole('button', { name: 'Désactiver ce lieu' }).click();
		await expect(page.getByRole('status')).toContainText('Lieu désactivé');
		await expect(page.getByRole('button', { name: 'Réactiver ce lieu' })).toBeVisible();
		await page.goto(`${lieux(me.territorySlug)}?q=${encodeURIComponent(run)}&statut=inactive`);
		const row = page.getByRole('row', { name: new RegExp(run) });
		await expect(row).toContainText('Inactif');
		await expect(page.getByText('1 au total')).toBeVisible();
		await page.goto(`${lieux(me.territorySlug)}?q=${encodeURIComponent(run)}&statut=active`);
		await expect(page.getByText('Aucun lieu ne correspond à ces critères.')).toBeVisible();

		await page.goto(`${lieux(me.territorySlug)}?q=${encodeURIComponent(run)}`);
		await page.getByRole('link', { name: `${name} (quai)` }).click();
		await page.getByRole('button', { name: 'Réactiver ce lieu' }).click();
		await expect(page.getByRole('status')).toHaveText('Lieu réactivé.');
	});

	test('the list shows 25 a page and filters by kind', async ({ page }) => {
		await loginOk(page, me.email);
		await page.goto(lieux(me.territorySlug));
		await expect(page.getByRole('navigation', { name: 'Pagination' })).toBeVisible();
		await expect(page.locator('tbody tr')).toHaveCount(25);
		await page.getByLabel('Type').selectOption({ label: 'Médiathèque' });
		await page.getByRole('button', { name: 'Filtrer' }).click();
		await expect(page).toHaveURL(/type=mediatheque/);
		const kinds = await page.locator('tbody tr td:nth-child(2)').allTextContents();
		expect(kinds.length).toBeGreaterThan(0);
		expect(new Set(kinds)).toEqual(new Set(['Médiathèque']));
	});

	test('two people edit the same lieu: the second is told, nothing is silently overwritten', async ({ page, context }) => {
		await loginOk(page, me.email);
		await page.goto(lieux(me.territorySlug));
		await page.locator('tbody tr th a').first().click();
		await page.waitForURL(/\/lieux\/[0-9a-f-]{36}$/);
		const url = page.url();
		const second = await context.newPage();
		await second.goto(url);
		await page.getByLabel('Adresse', { exact: true }).fill(`1 rue A ${run}`);
		await page.getByRole('button', { name: 'Enregistrer' }).click();
		await expect(page.getByRole('status')).toHaveText('Modifications enregistrées.');
		await second.getByLabel('Adresse', { exact: true }).fill('2 rue B');
		await second.getByRole('button', { name: 'Enregistrer' }).click();
		await expect(second.getByRole('alert')).toContainText('Quelqu’un d’autre a modifié cette fiche');
		await expect(second.getByText(`1 rue A ${run}`)).toBeVisible();
		await expect(second.getByLabel('Adresse', { exact: true })).toHaveValue('2 rue B');
		// saving again, knowingly, works
		await second.getByRole('button', { name: 'Enregistrer' }).click();
		await expect(second.getByRole('status')).toHaveText('Modifications enregistrées.');
	});
});

test.describe('lieux without JavaScript', () => {
	test.use({ javaScriptEnabled: false });
	test('enrol and deactivate with plain form posts', async ({ page }) => {
		await loginOk(page, me.email);
		await page.goto(`${lieux(me.territorySlug)}/nouveau`);
		await page.getByRole('button', { name: 'Engager le lieu' }).click();
		await expect(page.getByText('Indiquez le nom du lieu.')).toBeVisible();
		const name = `Café sans JS ${run}`;
		await page.getByLabel('Nom du lieu').fill(name);
		await page.getByLabel('Type de lieu').selectOption('cafe');
		await page.getByLabel('Commune').fill('Camaret');
		await page.getByRole('button', { name: 'Engager le lieu' }).click();
		await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
		await page.getByRole('button', { name: 'Désactiver ce lieu' }).click();
		await expect(page.getByRole('status')).toContainText('Lieu désactivé');
	});
});

test.describe('lieux refusals', () => {
	test('a coordinator of another territory gets 403 on pages and actions; a funder too', async ({ page }) => {
		await loginOk(page, me.email);
		await page.goto(lieux(me.territorySlug));
		for (const path of [lieux(other.territorySlug), `${lieux(other.territorySlug)}/nouveau`]) {
			const response = await page.goto(path);
			expect(response?.status()).toBe(403);
			await expect(page.getByText('Ce territoire n’est pas le vôtre')).toBeVisible();
		}
		const origin = new URL(page.url()).origin;
		const post = await page.request.post(`${lieux(other.territorySlug)}/nouveau?/create`, {
			headers: { origin },
			form: { name: 'Intrus', kind: 'cafe', commune: 'X', enrolled_at: '2026-11-29', status: 'active' }
		});
		expect(post.status()).toBe(403);
		expect(await post.text()).toContain('Ce territoire n’est pas le vôtre');

		await page.context().clearCookies();
		await loginOk(page, account('funder').email);
		expect((await page.goto(lieux(me.territorySlug)))?.status()).toBe(403);
	});
});
