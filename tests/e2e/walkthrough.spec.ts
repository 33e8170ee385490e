import type { Page } from '@playwright/test';
import { coordinators, expect, loginOk, test } from './fixtures';

/**
 * The coordinator's whole month, end to end, on a territory no other spec touches — and the
 * territory's home page figures move accordingly. « Today » is pinned to 2026-11-29.
 */
const me = coordinators.find((c) => c.territorySlug === 'hauts-de-bois-vert')!;
const home = `/territoires/${me.territorySlug}`;
const run = Date.now().toString(36);

interface HomeFigures {
	citizens: number;
	lieux: number;
	milestonesDone: number;
	workshopsHeld: number;
	indicatorsMissing: number;
}

const firstNumber = (text: string | null) => Number((text ?? '').replace(/[\s\u202f\u00a0]/g, '').match(/\d+/)?.[0]);

async function homeFigures(page: Page): Promise<HomeFigures> {
	await page.goto(home);
	const card = (label: string) => page.locator('.card').filter({ hasText: label }).locator('dd').first();
	const missingText = await page.getByRole('region', { name: 'Indicateurs du mois' }).textContent();
	return {
		citizens: firstNumber(await card('Citoyens inscrits').textContent()),
		lieux: firstNumber(await card('Lieux engagés').textContent()),
		milestonesDone: firstNumber(await page.getByText(/faits sur \d+/).textContent()),
		workshopsHeld: firstNumber(await page.getByText(/\d+ ateliers? tenus?/).textContent()),
		indicatorsMissing: /Tous les indicateurs du mois sont saisis/.test(missingText ?? '')
			? 0
			: firstNumber(/(\d+) indicateurs/.exec(missingText ?? '')?.[1] ?? null)
	};
}

const csv = (name: string, lines: string[]) => ({
	name,
	mimeType: 'text/csv',
	buffer: Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf-8')
});

test('a coordinator’s month: lieu, workshop, attendance, milestone, indicators, import, export, erasure', async ({ page }) => {
	test.setTimeout(120_000);
	await loginOk(page, me.email);
	const before = await homeFigures(page);
	expect(before.indicatorsMissing).toBeGreaterThan(0);

	// 1. Enrol a lieu.
	const lieu = `Café des Possibles ${run}`;
	await page.goto(`${home}/lieux/nouveau`);
	await page.getByLabel('Nom du lieu').fill(lieu);
	await page.getByLabel('Type de lieu').selectOption({ label: 'Café' });
	await page.getByLabel('Commune').fill('Bois-Vert');
	await page.getByRole('button', { name: 'Engager le lieu' }).click();
	await expect(page.getByRole('heading', { level: 1, name: lieu })).toBeVisible();

	// 2. Plan a workshop there (all day today: both started and to come).
	const title = `Atelier réparation ${run}`;
	await page.goto(`${home}/ateliers/nouveau`);
	await page.getByLabel('Titre').fill(title);
	await page.getByLabel('Format').selectOption({ label: 'Atelier' });
	await page.getByLabel(/^Date/).fill('2026-11-29');
	await page.getByLabel('Heure de début').fill('00:00');
	await page.getByLabel('Durée (minutes)').fill('1439');
	await page.getByLabel('Capacité (places)').fill('12');
	const lieuSelect = page.getByLabel('Un lieu engagé du territoire');
	const option = lieuSelect.locator('option').filter({ hasText: lieu });
	await lieuSelect.selectOption(await option.getAttribute('value'));
	await page.getByRole('button', { name: 'Planifier l’atelier' }).click();
	await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
	await expect(page.getByText(lieu).first()).toBeVisible();
	const workshopUrl = page.url();

	// 3. Check in two enrolled citizens by name, quick-add a third with consent.
	await page.goto(`${home}/citoyens?statut=actifs`);
	const names = [...new Set((await page.getByRole('table').getByRole('rowheader').allTextContents()).map((n) => n.trim()))];
	await page.goto(workshopUrl);
	for (const name of names.slice(0, 2)) {
		await page.getByRole('searchbox', { name: 'Rechercher une personne inscrite par son nom' }).fill(name);
		await page.getByRole('button', { name: 'Rechercher' }).click();
		await page.getByRole('button', { name: `Pointer ${name}` }).first().click();
		await expect(page.getByRole('list', { name: 'Présences' }).getByText(name).first()).toBeVisible();
	}
	const newcomer = `Sacha ${run}`;
	await page.getByLabel('Nom affiché').fill(newcomer);
	await page.getByLabel('Commune (facultative)').fill('Bois-Vert');
	await page.getByLabel('La personne a lu ce texte et donne son consentement').check();
	await page.getByRole('button', { name: 'Inscrire et pointer' }).click();
	await expect(page.getByText('3 personnes pointées')).toBeVisible();

	// 4. Close the workshop with a summary.
	await page.getByLabel('Compte rendu').fill('Trois vélos et une radio réparés.');
	await page.getByRole('button', { name: 'Clore l’atelier' }).click();
	await expect(page.getByText('Tenu', { exact: true })).toBeVisible();

	// 5. Complete a milestone with evidence.
	await page.goto(`${home}/jalons?statut=prevu`);
	await page.getByRole('table').getByRole('row').nth(1).getByRole('link').first().click();
	await page.getByLabel('Preuve de réalisation').fill(`Compte rendu du comité ${run}.`);
	await page.getByLabel('Lien vers la preuve').fill('https://exemple.fr/comite.pdf');
	await page.getByRole('button', { name: 'Marquer comme fait' }).click();
	await expect(page.getByText(`Compte rendu du comité ${run}.`)).toBeVisible();

	// 6. Enter this month's indicators (every one still empty).
	await page.goto(`${home}/indicateurs`);
	const inputs = page.getByLabel(/ : valeur$/);
	for (const input of await inputs.all()) if (!(await input.inputValue())) await input.fill('4');
	await page.getByRole('button', { name: 'Enregistrer les valeurs de novembre 2026' }).click();
	await expect(page.getByRole('status')).toContainText('enregistrée');
	await expect(page.getByText('Tous les indicateurs sont saisis')).toBeVisible();

	// 7. Import a CSV with one bad row: report, nothing written. Fixed: all written.
	const header = 'nom;email;telephone;commune;code_postal;tranche_age;source;societaire;inscrit_le';
	const good = [
		`Lou ${run};lou.${run}@exemple.test;;Bois-Vert;;26–40 ans;Atelier;oui;2026-11-20`,
		`Ezra ${run};;;Bois-Vert;;;Événement;non;2026-11-21`
	];
	await page.goto(`${home}/import-export`);
	await page.getByLabel('Fichier CSV des citoyens').setInputFiles(csv('c.csv', [header, good[0], `Tom ${run};pas-un-email;;Bois-Vert;;;Atelier;;`, good[1]]));
	await page.getByLabel(/ont donné leur consentement/).check();
	await page.getByRole('button', { name: 'Importer les citoyens' }).click();
	const report = page.getByRole('alert');
	await expect(report).toContainText('email');
	await expect(report.getByRole('row').nth(1).getByRole('cell').first()).toHaveText('3');
	await page.goto(`${home}/citoyens?q=${run}`);
	await expect(page.getByRole('link', { name: `Lou ${run}` })).toHaveCount(0);
	await page.goto(`${home}/import-export`);
	await page.getByLabel('Fichier CSV des citoyens').setInputFiles(csv('c.csv', [header, ...good]));
	await page.getByLabel(/ont donné leur consentement/).check();
	await page.getByRole('button', { name: 'Importer les citoyens' }).click();
	await expect(page.getByRole('status')).toHaveText('2 citoyens importés.');

	// 8. Export: UTF-8 with BOM, the imported people in it.
	const exported = await page.request.get(`${home}/import-export/citoyens.csv`);
	const body = await exported.body();
	expect(body.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
	expect(body.toString('utf-8')).toContain(`Lou ${run}`);

	// 9. Erase a citizen on request: counts unchanged, name gone.
	const beforeErasure = await homeFigures(page);
	await page.goto(`${home}/citoyens?q=${encodeURIComponent(`Ezra ${run}`)}`);
	await page.getByRole('link', { name: `Ezra ${run}` }).click();
	await page.getByLabel('Je confirme l’effacement').check();
	await page.getByRole('button', { name: 'Effacer ses données' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Personne effacée' })).toBeVisible();
	await page.goto(`${home}/citoyens?q=${encodeURIComponent(`Ezra ${run}`)}`);
	await expect(page.getByRole('link', { name: `Ezra ${run}` })).toHaveCount(0);
	const after = await homeFigures(page);
	expect(after.citizens).toBe(beforeErasure.citizens);

	// The home page moved: +1 lieu, +1 quick-added and +2 imported citizens, +1 workshop held,
	// +1 milestone done, no indicator left to enter this month.
	expect(after).toEqual({
		citizens: before.citizens + 3,
		lieux: before.lieux + 1,
		milestonesDone: before.milestonesDone + 1,
		workshopsHeld: before.workshopsHeld + 1,
		indicatorsMissing: 0
	});
});
