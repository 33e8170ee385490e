import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { account, coordinators, expect, expectAccessible, loginOk, test } from './fixtures';
import { expectedIndicators, expectedTotals } from '../support/expected-impact';

// Files of this spec share one database, in this order: nothing is published at first.
test.describe.configure({ mode: 'serial' });

const digits = (s: string | null) => Number((s ?? '').replace(/[^\d,-]/g, '').replace(',', '.'));
/** The big number of a totals card (its first dd). */
const card = (page: Page, title: string) =>
	page.locator('.card').filter({ has: page.locator('dt', { hasText: new RegExp(`^${title}$`) }) }).locator('dd').first();

async function csvRows(path: string) {
	const text = await readFile(path, 'utf8');
	expect(text.charCodeAt(0)).toBe(0xfeff);
	const [header, ...lines] = text.slice(1).trim().split('\r\n');
	const columns = header.split(';');
	return lines.map((line) => Object.fromEntries(line.split(';').map((v, i) => [columns[i], v])));
}

test('the public page shows nothing until a facilitator publishes', async ({ page }) => {
	await page.goto('/transparence');
	await expect(page.getByText('Les chiffres du programme ne sont pas encore publiés.')).toBeVisible();
	// nothing published: the open-data files answer a French 404 page, for a browser and for curl alike
	for (const file of ['/transparence/donnees.csv', '/transparence/donnees.json'])
		for (const accept of ['text/html,application/xhtml+xml,*/*;q=0.8', '*/*']) {
			const response = await page.request.get(file, { headers: { accept } });
			expect(response.status(), `${file} ${accept}`).toBe(404);
			expect(response.headers()['content-type'], `${file} ${accept}`).toBe('text/html; charset=utf-8');
			const body = await response.text();
			expect(body).toContain('<html lang="fr">');
			expect(body).toContain('Aucun chiffre n’est encore publié.');
		}
});

test('a funder filters a period and a law, sees tables and charts, downloads the CSV and JSON, opens the report', async ({ page }) => {
	test.slow(); // four pages checked with axe, two downloads
	await loginOk(page, account('funder').email);
	await expect(page).toHaveURL('/impact');
	await expect(page.getByRole('heading', { name: 'L’impact du programme' })).toBeVisible();
	await expect(page.getByRole('heading', { name: /^Loi 1 — / })).toBeVisible();

	await page.getByLabel('Du mois').fill('2026-05');
	await page.getByLabel('Au mois').fill('2026-09');
	await page.getByLabel('Loi', { exact: true }).selectOption('3');
	await page.getByRole('button', { name: 'Afficher' }).click();
	await expect(page).toHaveURL('/impact?du=2026-05&au=2026-09&loi=3');
	await expect(page.getByRole('heading', { name: 'Loi 3 — Encapacitation' })).toBeVisible();
	await expect(page.getByRole('heading', { name: /^Loi 1 — / })).toHaveCount(0);
	await expect(page.getByText('de mai 2026 à septembre 2026')).toBeVisible();

	// figures computed independently from the seeded rows (periods and measures no earlier spec writes to)
	const expected = expectedTotals('2026-05', '2026-09');
	expect(digits(await card(page, 'Ateliers tenus').textContent())).toBe(expected.workshops_held);
	const trained = expectedIndicators('2026-05', '2026-09').find((i) => i.code === 'personnes_formees')!;
	const trainedRow = page.getByRole('row', { name: /Personnes formées/ });
	await expect(trainedRow.getByRole('cell').nth(3)).toHaveText(new Intl.NumberFormat('fr-FR').format(trained.actual!));
	await expect(trainedRow.getByRole('cell').nth(0)).toHaveText('somme des mois de la période, puis somme des territoires qui ont saisi');
	await expect(trainedRow.getByRole('cell').nth(4)).toHaveText('18 / 18');
	await expectAccessible(page);
	const shownCitizens = digits(await card(page, 'Citoyens inscrits').textContent());

	// trends: a chart beside each table, drawn after the page
	await page.getByRole('link', { name: 'Tendances' }).click();
	await expect(page).toHaveURL('/impact/tendances?du=2026-05&au=2026-09&loi=3');
	await expect(page.locator('canvas[data-chart="trend"]')).toHaveCount(1);
	await expect(page.locator('#tendance-mois tbody tr')).toHaveCount(5);
	await expectAccessible(page);
	await page.getByRole('link', { name: 'Voir par mois du programme (1 à 18)' }).click();
	await expect(page).toHaveURL('/impact/tendances?du=2026-05&au=2026-09&loi=3&axe=programme');
	await expect(page.locator('canvas[data-chart="trend"]')).toHaveCount(1);
	await expect(page.locator('#tendance-programme tbody tr')).toHaveCount(18);
	await expectAccessible(page);

	await page.getByRole('link', { name: 'Territoires' }).click();
	await expect(page.getByRole('table', { name: /Par territoire/ }).locator('tbody tr')).toHaveCount(18);
	await page.getByRole('link', { name: 'Sources' }).click();
	await expect(page.getByRole('table', { name: /par source/ }).locator('tbody tr')).toHaveCount(18);
	await expect(page.getByText(/« < 11 » : moins de 11 personnes/)).toBeVisible();
	await expectAccessible(page);

	// open data: the same figures
	const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Télécharger les chiffres (CSV)' }).click()]);
	expect(csvDownload.suggestedFilename()).toBe('marathon-impact-2026-05-2026-09.csv');
	const rows = await csvRows((await csvDownload.path())!);
	const program = (m: string) => rows.find((r) => r.section === 'programme' && r.mesure === m)!;
	expect(Number(program('workshops_held').valeur)).toBe(expected.workshops_held);
	expect(Number(program('citizens').valeur)).toBe(shownCitizens);
	expect(rows.find((r) => r.indicateur === 'personnes_formees' && r.mesure === 'realise')!.valeur).toBe(String(trained.actual));
	expect(rows.every((r) => r.du === '2026-05' && r.au === '2026-09')).toBe(true);

	const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Télécharger les chiffres (JSON)' }).click()]);
	const json = JSON.parse(await readFile((await jsonDownload.path())!, 'utf8'));
	expect(json.seuil_secret).toBe(11);
	expect(json.lignes).toHaveLength(rows.length);
	expect(json.lignes.find((r: Record<string, unknown>) => r.section === 'programme' && r.mesure === 'citizens').valeur).toBe(shownCitizens);

	// the printable report: same figures, one A4 landscape page per section
	await page.getByRole('link', { name: 'Rapport imprimable' }).click();
	await expect(page).toHaveURL('/impact/rapport?du=2026-05&au=2026-09&loi=3');
	await expect(page.getByRole('heading', { name: 'Rapport d’impact du Marathon coopératif' })).toBeVisible();
	expect(digits(await card(page, 'Citoyens inscrits').textContent())).toBe(shownCitizens);
	await page.emulateMedia({ media: 'print' });
	await expect(page.locator('header.site')).toBeHidden();
	expect(await page.locator('section.sheet').first().evaluate((el) => getComputedStyle(el).breakAfter)).toBe('page');
	await expectAccessible(page);
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });
	test('the filter is a plain form in the URL; tables stand without charts', async ({ page }) => {
		await loginOk(page, account('funder').email);
		await page.getByLabel('Du mois').fill('2026-10');
		await page.getByLabel('Au mois').fill('2026-11');
		await page.getByRole('button', { name: 'Afficher' }).click();
		await expect(page).toHaveURL(/du=2026-10&au=2026-11/);
		await page.getByRole('link', { name: 'Tendances' }).click();
		await expect(page.locator('#tendance-mois tbody tr')).toHaveCount(2);
		await expect(page.locator('canvas')).toHaveCount(0);
		const wrong = await page.goto('/impact?du=2026-13&au=2026-11');
		expect(wrong?.status()).toBe(200);
		await expect(page.getByText('Choisissez un mois au format AAAA-MM')).toBeVisible();
	});
});

test('a funder is refused every coordinator and facilitator page, and cannot publish', async ({ page }) => {
	await loginOk(page, account('funder').email);
	const slug = coordinators[0].territorySlug!;
	for (const path of [`/territoires/${slug}`, `/territoires/${slug}/citoyens`, `/territoires/${slug}/lieux`, `/territoires/${slug}/import-export/citoyens.csv`])
		expect((await page.request.get(path)).status(), path).toBe(403);
	await expect(page.getByRole('button', { name: 'Publier ces chiffres' })).toHaveCount(0);
	const publish = await page.request.post('/impact?/publier', { form: {}, headers: { origin: new URL(page.url()).origin } });
	expect(publish.status()).toBe(403);
	// and a coordinator is refused the funder dashboard
	await page.context().clearCookies();
	await loginOk(page, coordinators[0].email);
	expect((await page.request.get('/impact')).status()).toBe(403);
	// a coordinator sees where their territory stands, among anonymous quartiles
	await expect(page.getByRole('heading', { name: 'Parmi les territoires du programme' })).toBeVisible();
	await expect(page.getByRole('table', { name: /Cumul à la fin du mois 10 du programme/ })).toContainText('Médiane');
	await expect(page.getByRole('table', { name: /des 18 territoires/ }).locator('tbody tr')).toHaveCount(5);
	expect((await page.request.get('/impact/donnees.csv')).status()).toBe(403);
});

test('a facilitator publishes; the public page shows the same totals, dated, and does not move when a coordinator enrols someone', async ({ page }) => {
	test.slow();
	await loginOk(page, account('facilitator').email);
	await page.goto('/impact');
	const live = digits(await card(page, 'Citoyens inscrits').textContent());
	const lieux = digits(await card(page, 'Lieux engagés').textContent());
	await page.getByRole('button', { name: 'Publier ces chiffres' }).click();
	await expect(page).toHaveURL('/transparence');
	await expect(page.getByText(/Chiffres publiés le/)).toBeVisible();
	await expect(page.getByText('de février 2026 à novembre 2026, données au 29 novembre 2026')).toBeVisible();
	expect(digits(await card(page, 'Citoyens inscrits').textContent())).toBe(live);
	expect(digits(await card(page, 'Lieux engagés').textContent())).toBe(lieux);

	// a coordinator enrols someone afterwards
	await page.context().clearCookies();
	const coordinator = coordinators[1];
	await loginOk(page, coordinator.email);
	await page.goto(`/territoires/${coordinator.territorySlug}/citoyens/nouveau`);
	await page.getByLabel('Nom affiché').fill('Publication Après');
	await page.getByLabel('Commune').fill('Ailleurs');
	await page.getByLabel('Tranche d’âge').selectOption({ label: '26–40 ans' });
	await page.getByLabel('Arrivée par').selectOption({ label: 'Atelier' });
	await page.getByLabel('La personne a lu ce texte et donne son consentement').check();
	await page.getByRole('button', { name: 'Inscrire' }).click();
	await expect(page.getByText('Publication Après').first()).toBeVisible();

	// the public page (anyone) has not moved; its data files hold the same figures
	await page.context().clearCookies();
	const response = await page.goto('/transparence');
	expect(response?.headers()['cache-control']).toBe('public, max-age=300, stale-while-revalidate=600');
	await page.getByRole('link', { name: 'Les chiffres de chaque territoire' }).click();
	await expect(page.getByRole('table', { name: /Par territoire/ }).locator('tbody tr')).toHaveCount(18);
	await expectAccessible(page);
	await page.goto('/transparence');
	expect(digits(await card(page, 'Citoyens inscrits').textContent())).toBe(live);
	await expectAccessible(page);
	const csv = await page.request.get('/transparence/donnees.csv');
	const text = (await csv.text()).replace(/^\uFEFF/, '');
	const citizensRow = text.split('\r\n').find((l) => l.startsWith('programme;') && l.includes(';citizens;'))!;
	expect(citizensRow).toContain(`;citizens;${live};`);

	// while the live dashboard counts the new person
	await loginOk(page, account('facilitator').email);
	await page.goto('/impact');
	expect(digits(await card(page, 'Citoyens inscrits').textContent())).toBe(live + 1);
});
