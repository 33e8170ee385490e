import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { coordinators, expect, expectAccessible, loginOk, test } from './fixtures';

/**
 * The citizens registry through the real UI. Runs on a territory the other specs leave alone
 * (Crêtes du Grand Vent) and on people it creates itself (names made unique per run).
 */
const me = coordinators.find((c) => c.territorySlug === 'cretes-du-grand-vent')!;
const other = coordinators.find((c) => c.territorySlug === 'port-sauvage')!;
const list = `/territoires/${me.territorySlug}/citoyens`;
const unique = () => Math.random().toString(36).slice(2, 7);

/** « N personnes comptées pour le seuil » on the list page: the threshold count (same rule as the territory figures). */
async function countedForThreshold(page: Page): Promise<number> {
	await page.goto(list);
	const text = await page.getByText(/personnes comptées pour le seuil/).textContent();
	return Number(text!.match(/^\s*([\d\s  ]+?)\s*personnes/)![1].replace(/\D/g, ''));
}

async function enrol(page: Page, person: { name: string; email?: string; commune: string }) {
	await page.goto(`${list}/nouveau`);
	await page.getByLabel('Nom affiché').fill(person.name);
	if (person.email) await page.getByLabel('Adresse e-mail (facultative)').fill(person.email);
	await page.getByLabel('Commune').fill(person.commune);
	await page.getByLabel('Tranche d’âge').selectOption({ label: '26–40 ans' });
	await page.getByLabel('Arrivée par').selectOption({ label: 'Atelier' });
	await page.getByLabel('La personne a lu ce texte et donne son consentement').check();
}

test.describe('the citizens registry', () => {
	test('a coordinator enrols, finds, edits, exports and erases a person', async ({ page, context }) => {
		const name = `Capucine ${unique()}`;
		const email = `${name.replace(' ', '.').toLowerCase()}@exemple.test`;
		await loginOk(page, me.email);
		const countBefore = await countedForThreshold(page);
		await expectAccessible(page);

		// Enrol: the consent text is shown, and nothing is enrolled without the box ticked.
		await page.getByRole('link', { name: 'Inscrire une personne' }).click();
		await expect(page.getByRole('heading', { name: 'Inscrire une personne' })).toBeVisible();
		await expect(page.getByText('Participation au Marathon coopératif et suivi de l’impact')).toBeVisible();
		await enrol(page, { name, email, commune: 'Gérardmer' });
		await page.getByLabel('La personne a lu ce texte et donne son consentement').uncheck();
		await page.getByRole('button', { name: 'Inscrire' }).click();
		await expect(page.getByText('La personne doit donner son consentement pour être inscrite.')).toBeVisible();
		await expect(page.getByLabel('Nom affiché')).toHaveValue(name);
		await page.getByLabel('La personne a lu ce texte et donne son consentement').check();
		await page.getByLabel('Sociétaire de la coopérative').check();
		await page.getByRole('button', { name: 'Inscrire' }).click();
		await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
		await expect(page.getByRole('cell', { name: 'Consentement donné' })).toBeVisible();
		await expectAccessible(page);
		expect(await countedForThreshold(page)).toBe(countBefore + 1);

		// Find them by search.
		await page.getByRole('searchbox', { name: 'Rechercher' }).fill(name.split(' ')[1]);
		await page.getByRole('button', { name: 'Filtrer' }).click();
		await expect(page).toHaveURL(/q=/);
		const row = page.getByRole('row').filter({ hasText: name });
		await expect(row).toHaveCount(1);
		await expect(row).toContainText('Gérardmer');
		await expect(row).toContainText('Active · sociétaire');
		await row.getByRole('link', { name }).click();
		await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
		const personUrl = page.url();

		// A second tab opens the edit form before the first one saves.
		const stale = await context.newPage();
		await stale.goto(personUrl);
		await stale.getByText('Modifier la fiche').click();
		await expect(stale.getByLabel('Téléphone (facultatif)')).toBeVisible();

		await page.getByText('Modifier la fiche').click();
		await page.getByLabel('Commune').fill('Xonrupt-Longemer');
		await page.getByRole('button', { name: 'Enregistrer' }).click();
		await expect(page.getByText('Xonrupt-Longemer')).toBeVisible();

		await stale.getByLabel('Téléphone (facultatif)').fill('03 29 00 00 00');
		await stale.getByRole('button', { name: 'Enregistrer' }).click();
		await expect(stale.getByText('Quelqu’un d’autre a modifié cette fiche')).toBeVisible();
		await expect(stale.getByRole('definition').filter({ hasText: 'Xonrupt-Longemer' })).toBeVisible();
		await stale.close();

		// Right of access: a JSON file with their data and consent history.
		const downloading = page.waitForEvent('download');
		await page.getByRole('link', { name: 'Télécharger toutes ses données (JSON)' }).click();
		const download = await downloading;
		expect(download.suggestedFilename()).toMatch(/^donnees-.*\.json$/);
		const exported = JSON.parse(await readFile((await download.path())!, 'utf8'));
		expect(exported.citizen).toMatchObject({ display_name: name, email, commune: 'Xonrupt-Longemer', is_societaire: true });
		expect(exported.consent_events.map((e: { action: string }) => e.action)).toEqual(['given']);

		// Erasure on request: a confirmation first.
		await page.getByRole('button', { name: 'Effacer ses données' }).click();
		await expect(page.getByText('Cochez « Je confirme l’effacement »')).toBeVisible();
		await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
		await page.getByLabel('Je confirme l’effacement').check();
		await page.getByRole('button', { name: 'Effacer ses données' }).click();
		await expect(page.getByRole('heading', { level: 1, name: 'Personne effacée' })).toBeVisible();
		await expect(page.getByText(name)).toHaveCount(0);
		await expect(page.getByRole('cell', { name: 'Consentement retiré' })).toBeVisible();

		// Still counted, named nowhere.
		expect(await countedForThreshold(page)).toBe(countBefore + 1);
		await page.goto(`${list}?q=${encodeURIComponent(name)}`);
		await expect(page.getByText('Aucune personne ne correspond à cette recherche.')).toBeVisible();
		await page.goto(`${list}?statut=effaces`);
		await expect(page.getByRole('link', { name: 'Personne effacée' }).first()).toBeVisible();
		const after = await page.request.get(`${personUrl}/donnees.json`);
		expect(await after.text()).not.toContain(name.split(' ')[1]);
	});

	test('a lookalike is refused with a link to the existing person, unless it is someone else', async ({ page }) => {
		const name = `Basile ${unique()}`;
		const email = `${name.replace(' ', '.').toLowerCase()}@exemple.test`;
		await loginOk(page, me.email);
		await enrol(page, { name, email, commune: 'Saint-Dié' });
		await page.getByRole('button', { name: 'Inscrire' }).click();
		await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
		const firstUrl = page.url();

		await enrol(page, { name, commune: 'Saint-Dié' });
		await page.getByRole('button', { name: 'Inscrire' }).click();
		await expect(page.getByText('Une personne qui lui ressemble')).toBeVisible();
		await expect(page.getByRole('link', { name: `${name} (Saint-Dié)` })).toHaveAttribute('href', new URL(firstUrl).pathname);

		// Someone else after all, but with the first person's email: a clear field error, not a 500.
		await page.getByLabel('Adresse e-mail (facultative)').fill(email.toUpperCase());
		await page.getByLabel('Il s’agit bien d’une autre personne').check();
		await page.getByRole('button', { name: 'Inscrire' }).click();
		await expect(page.getByText('Cette adresse e-mail est déjà celle d’une autre personne inscrite dans ce territoire.')).toBeVisible();
		await expect(page.getByLabel('Adresse e-mail (facultative)')).toHaveAttribute('aria-invalid', 'true');

		await page.getByLabel('Adresse e-mail (facultative)').fill('');
		await page.getByRole('button', { name: 'Inscrire' }).click();
		await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
		expect(page.url()).not.toBe(firstUrl);
	});

	test('bad input shows French messages beside each field, and keeps what was typed', async ({ page }) => {
		await loginOk(page, me.email);
		await page.goto(`${list}/nouveau`);
		await page.getByLabel('Adresse e-mail (facultative)').fill('pas-une-adresse');
		await page.getByLabel('Code postal').fill('88A');
		await page.getByLabel('Inscrite le').fill('2027-01-15');
		await page.getByRole('button', { name: 'Inscrire' }).click();
		await expect(page.getByLabel('Nom affiché')).toHaveAccessibleDescription(/Indiquez le nom affiché/);
		await expect(page.getByLabel('Adresse e-mail (facultative)')).toHaveAccessibleDescription(
			'Cette adresse e-mail n’est pas valide (exemple : prenom@exemple.fr).'
		);
		await expect(page.getByLabel('Code postal')).toHaveAccessibleDescription(/^Ce code postal n’est pas valide : 5 chiffres, le 0 du début compris/);
		await expect(page.getByLabel('Arrivée par')).toHaveAccessibleDescription('Choisissez comment la personne est arrivée.');
		await expect(page.getByText('La personne doit donner son consentement pour être inscrite.')).toBeVisible();
		await expect(page.getByLabel('Adresse e-mail (facultative)')).toHaveValue('pas-une-adresse');
		await expectAccessible(page);

		// The date is checked once the rest is right.
		await enrol(page, { name: `Date ${unique()}`, commune: 'Épinal' });
		await page.getByLabel('Inscrite le').fill('2027-01-15');
		await page.getByRole('button', { name: 'Inscrire' }).click();
		await expect(page.getByLabel('Inscrite le')).toHaveAccessibleDescription('La date d’inscription ne peut pas être dans le futur.');
	});

	test('a coordinator of another territory gets 403 on its list, its person pages and its actions', async ({ page, baseURL }) => {
		await loginOk(page, me.email);
		const otherList = `/territoires/${other.territorySlug}/citoyens`;
		const someone = '0b7e2c1a-3f4d-4e5f-8a9b-0c1d2e3f4a5b';
		for (const url of [otherList, `${otherList}/nouveau`, `${otherList}/${someone}`, `${otherList}/${someone}/donnees.json`]) {
			const response = await page.goto(url);
			expect(response?.status()).toBe(403);
			await expect(page.getByText('Ce territoire n’est pas le vôtre')).toBeVisible();
		}
		const post = await page.request.post(`${otherList}/nouveau?/create`, {
			headers: { origin: baseURL! },
			form: { display_name: 'Intrus', commune: 'Bobigny', age_band: '26_40', source: 'event', enrolled_at: '2026-11-29', consent: 'on' }
		});
		expect(post.status()).toBe(403);

		// In their own territory, an unknown person is a 404, page and export alike.
		for (const url of [`${list}/${someone}`, `${list}/${someone}/donnees.json`, `${list}/pas-un-id`]) {
			expect((await page.request.get(url)).status()).toBe(404);
		}
	});
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('enrolment, withdrawal and re-enrolment work with plain forms', async ({ page }) => {
		const name = `Anatole ${unique()}`;
		await loginOk(page, me.email);
		await enrol(page, { name, commune: 'Remiremont' });
		await page.getByRole('button', { name: 'Inscrire' }).click();
		await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();

		await page.getByRole('button', { name: 'Retirer la personne du programme' }).click();
		await expect(page.getByText('Statut : Retirée')).toBeVisible();
		await expect(page.getByRole('cell', { name: 'Consentement retiré' })).toBeVisible();

		await page.getByRole('button', { name: 'Réinscrire la personne' }).click();
		await expect(page.getByText('La personne doit donner son consentement pour être inscrite.')).toBeVisible();
		await page.getByLabel('La personne a lu ce texte et donne son consentement').check();
		await page.getByRole('button', { name: 'Réinscrire la personne' }).click();
		await expect(page.getByText('Statut : Active')).toBeVisible();
		await expect(page.getByRole('cell', { name: 'Consentement donné' })).toHaveCount(2);
	});
});
