import { account, coordinators, expect, expectAccessible, loginOk, test } from './fixtures';

// RGPD (issue #7, point 10): a lieu's contact person has the same rights as a citizen — access
// (JSON export) and erasure — from the lieu page, for the territory's team only.

const me = coordinators.find((c) => c.territorySlug === 'causses-et-garrigues')!;
const run = Date.now().toString(36);

test('a coordinator exports a lieu contact’s data, then erases it on request; a funder gets neither', async ({ page, browser, baseURL }) => {
	await loginOk(page, me.email);
	await page.goto(`/territoires/${me.territorySlug}/lieux/nouveau`);
	const name = `Café des Causses ${run}`;
	await page.getByLabel('Nom du lieu').fill(name);
	await page.getByLabel('Type de lieu').selectOption({ label: 'Café' });
	await page.getByLabel('Commune').fill('Saint-Guilhem');
	await page.getByLabel('Nom du contact').fill('Inès R.');
	await page.getByLabel('E-mail du contact').fill(`ines.${run}@exemple.test`);
	await page.getByRole('button', { name: 'Engager le lieu' }).click();
	await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
	const lieuUrl = new URL(page.url()).pathname;

	// right of access: a JSON file with everything held about the contact
	const exported = await page.request.get(`${lieuUrl}/contact.json`);
	expect(exported.status()).toBe(200);
	expect(exported.headers()['content-disposition']).toMatch(/attachment; filename="contact-lieu-/);
	const body = await exported.json();
	expect(body.contact).toEqual({ name: 'Inès R.', email: `ines.${run}@exemple.test`, phone: null });
	expect(body.lieu.name).toBe(name);
	await expect(page.getByRole('link', { name: 'Télécharger ses données (JSON)' })).toBeVisible();

	// a funder never reads it
	const funder = await browser.newContext({ baseURL });
	const funderPage = await funder.newPage();
	await loginOk(funderPage, account('funder').email);
	const refused = await funderPage.request.get(`${lieuUrl}/contact.json`);
	expect(refused.status()).toBe(403);
	expect(await refused.text()).not.toContain('exemple.test');
	await funder.close();

	// erasure: confirmed explicitly, irreversible
	await page.getByRole('button', { name: 'Effacer les coordonnées du contact' }).click();
	await expect(page.getByText('Cochez « Je confirme l’effacement » pour effacer les coordonnées du contact.')).toBeVisible();
	await page.getByLabel('Je confirme l’effacement').check();
	await page.getByRole('button', { name: 'Effacer les coordonnées du contact' }).click();
	await expect(page.getByRole('status')).toHaveText('Coordonnées du contact effacées.');
	await expect(page.getByText('Aucune coordonnée de contact enregistrée.')).toBeVisible();
	await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
	await expectAccessible(page);
	const after = await (await page.request.get(`${lieuUrl}/contact.json`)).json();
	expect(after.contact).toEqual({ name: null, email: null, phone: null });
});
