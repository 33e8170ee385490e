import iconv from 'iconv-lite';
import type { Page } from '@playwright/test';
import { account, coordinators, expect, expectAccessible, loginOk, test } from './fixtures';

/**
 * One person, one record, through the real UI: search as typed, lookalikes whatever the spelling
 * (form, import, lieu form, 10 parallel posts), French order, phones as French people write them,
 * Windows-1252 files, French generated text. Runs on a territory no other spec touches
 * (Rives de l’Aubrette; auth.spec throttles Coteaux du Vernet’s account), with names unique per run.
 */
const me = coordinators.find((c) => c.territorySlug === 'rives-de-l-aubrette')!;
const other = coordinators.find((c) => c.territorySlug === 'port-sauvage')!;
const base = `/territoires/${me.territorySlug}`;
// a word of its own in every name, so that searches by it find this run's records only
const run = Array.from({ length: 6 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');
const NBSP = '\u00a0';

async function fillPerson(page: Page, p: { name: string; commune: string; phone?: string }) {
	await page.goto(`${base}/citoyens/nouveau`);
	await page.getByLabel('Nom affiché').fill(p.name);
	await page.getByLabel('Commune').fill(p.commune);
	if (p.phone) await page.getByLabel('Téléphone (facultatif)').fill(p.phone);
	await page.getByLabel('Tranche d’âge').selectOption({ label: '26–40 ans' });
	await page.getByLabel('Arrivée par').selectOption({ label: 'Atelier' });
	await page.getByLabel('La personne a lu ce texte et donne son consentement').check();
}

const csv = (name: string, bytes: Buffer) => ({ name, mimeType: 'text/csv', buffer: bytes });

test.describe('one person, one record', () => {
	test('« Hélène Zéphyr » is found as typed, and every other spelling of her is refused', async ({ page }) => {
		const name = `Hélène Zéphyr ${run}`;
		await loginOk(page, me.email);
		await fillPerson(page, { name, commune: 'Besançon', phone: `06${NBSP}12${NBSP}34${NBSP}56${NBSP}78` });
		await page.getByRole('button', { name: 'Inscrire' }).click();
		await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
		// stored canonical, shown as French people write it
		await expect(page.getByLabel('Téléphone (facultatif)')).toHaveValue('06 12 34 56 78');
		const personPath = new URL(page.url()).pathname;

		for (const q of [`zephyr ${run}`, `HELENE ZEPHYR ${run}`, `Hélène  Zéphyr ${run}`]) {
			await page.goto(`${base}/citoyens?q=${encodeURIComponent(q)}`);
			await expect(page.getByRole('link', { name })).toHaveAttribute('href', personPath);
		}
		await page.goto(`${base}/citoyens?q=Besancon`);
		await expect(page.getByRole('link', { name })).toBeVisible();

		// NFD accents, a double space, no accents: the same person
		for (const spelling of [`He\u0301le\u0300ne Ze\u0301phyr ${run}`, `Helene  Zephyr ${run}`]) {
			await fillPerson(page, { name: spelling, commune: 'Besancon' });
			await page.getByRole('button', { name: 'Inscrire' }).click();
			await expect(page.getByText('Une personne qui lui ressemble')).toBeVisible();
			await expect(page.getByRole('link', { name: `${name} (Besançon)` })).toHaveAttribute('href', personPath);
		}
		await expectAccessible(page);

		// …and from a file: refused on line 2, column nom
		await page.goto(`${base}/import-export`);
		await page.getByLabel('Fichier CSV des citoyens').setInputFiles(
			csv('citoyens.csv', Buffer.from(`nom;commune;source\r\nHelene  Zephyr ${run};Besancon;atelier\r\n`, 'utf-8'))
		);
		await page.getByLabel(/consentement/).first().check();
		await page.getByRole('button', { name: 'Importer les citoyens' }).click();
		const problem = page.getByRole('alert').getByRole('row').nth(1);
		await expect(problem).toContainText('2');
		await expect(problem).toContainText('nom');
		await expect(problem).toContainText('Déjà inscrit dans ce territoire');
	});

	test('« O\'Neil » and « O’Neil » are one person; « +33 (0)6 … » is a phone', async ({ page }) => {
		await loginOk(page, me.email);
		await fillPerson(page, { name: `Sean O'Neil ${run}`, commune: 'Albi', phone: '+33 (0)6 98 76 54 32' });
		await page.getByRole('button', { name: 'Inscrire' }).click();
		await expect(page.getByRole('heading', { level: 1, name: `Sean O'Neil ${run}` })).toBeVisible();
		await expect(page.getByLabel('Téléphone (facultatif)')).toHaveValue('06 98 76 54 32');
		await fillPerson(page, { name: `Sean O’Neil ${run}`, commune: 'ALBI' });
		await page.getByRole('button', { name: 'Inscrire' }).click();
		await expect(page.getByText('Une personne qui lui ressemble')).toBeVisible();
	});

	test('10 parallel enrolments of the same person give one record and nine clear answers', async ({ page, baseURL }) => {
		const name = `Paul Parallèle ${run}`;
		await loginOk(page, me.email);
		const form = {
			display_name: name,
			commune: 'Castres',
			age_band: 'non_renseigne',
			source: 'workshop',
			enrolled_at: '2026-11-29',
			consent: 'on'
		};
		// ten people at ten devices: ten forms, each with its own submission token
		const responses = await Promise.all(
			Array.from({ length: 10 }, () =>
				page.request.post(`${base}/citoyens/nouveau?/create`, {
					form: { ...form, submission: crypto.randomUUID() },
					headers: { origin: baseURL!, accept: 'text/html' },
					maxRedirects: 0
				})
			)
		);
		const statuses = responses.map((r) => r.status()).sort();
		expect(statuses).toEqual([303, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
		for (const r of responses.filter((x) => x.status() === 409))
			expect(await r.text()).toContain('Une personne qui lui ressemble');
		await page.goto(`${base}/citoyens?q=${encodeURIComponent(`paul parallele ${run}`)}`);
		await expect(page.getByRole('link', { name })).toHaveCount(1);
	});

	test('a Windows-1252 file stores « Lœuvre », « L’Œuvre commune », « 12 rue de l’Église », « 41–60 ans » exactly', async ({ page }) => {
		await loginOk(page, me.email);
		await page.goto(`${base}/import-export`);
		const citizens = iconv.encode(`nom;commune;tranche_age;source\r\nCamille Lœuvre ${run};L’Œuvre commune;41–60 ans;atelier\r\n`, 'win1252');
		await page.getByLabel('Fichier CSV des citoyens').setInputFiles(csv('citoyens-excel.csv', citizens));
		await page.getByLabel(/consentement/).first().check();
		await page.getByRole('button', { name: 'Importer les citoyens' }).click();
		await expect(page.getByText('1 citoyen importé')).toBeVisible();
		const lieux = iconv.encode(`nom;type;commune;adresse\r\nL’Œuvre commune ${run};association;Gaillac;12 rue de l’Église\r\n`, 'win1252');
		await page.getByLabel('Fichier CSV des lieux').setInputFiles(csv('lieux-excel.csv', lieux));
		await page.getByRole('button', { name: 'Importer les lieux' }).click();
		await expect(page.getByText('1 lieu importé')).toBeVisible();

		await page.goto(`${base}/citoyens?q=${encodeURIComponent(`loeuvre ${run}`)}`);
		const row = page.getByRole('row', { name: new RegExp(`Camille Lœuvre ${run}`) });
		await expect(row).toContainText('L’Œuvre commune');
		await expect(row).toContainText('41–60 ans');
		await page.goto(`${base}/lieux?q=${encodeURIComponent(`oeuvre commune ${run}`)}`);
		await page.getByRole('link', { name: `L’Œuvre commune ${run}` }).click();
		await expect(page.getByLabel('Adresse')).toHaveValue('12 rue de l’Église');

		// A file mixing encodings is refused with its line; nothing is written.
		const mixed = Buffer.concat([
			Buffer.from(`nom;commune;source\r\nHélène Mixte ${run};Albi;atelier\r\n`, 'utf-8'),
			iconv.encode(`Lœuvre Mixte ${run};Albi;atelier\r\n`, 'win1252')
		]);
		await page.goto(`${base}/import-export`);
		await page.getByLabel('Fichier CSV des citoyens').setInputFiles(csv('melange.csv', mixed));
		await page.getByLabel(/consentement/).first().check();
		await page.getByRole('button', { name: 'Importer les citoyens' }).click();
		await expect(page.getByRole('alert')).toContainText('Encodage incohérent à la ligne 3');
		await page.goto(`${base}/citoyens?q=${encodeURIComponent(`mixte ${run}`)}`);
		await expect(page.getByRole('link', { name: new RegExp(`Mixte ${run}`) })).toHaveCount(0);
	});

	test('lieux read « Abbaye, école, Écomusée, Ferme, Zèbre » on the page and in the CSV; a lieu is engaged once', async ({ page }) => {
		const commune = `Ordreville ${run}`;
		await loginOk(page, me.email);
		await page.goto(`${base}/import-export`);
		const rows = ['Zèbre', 'Ferme', 'école', 'Écomusée', 'Abbaye'].map((n) => `${n};autre;${commune}`);
		await page.getByLabel('Fichier CSV des lieux').setInputFiles(csv('lieux.csv', Buffer.from(['nom;type;commune', ...rows].join('\n'), 'utf-8')));
		await page.getByRole('button', { name: 'Importer les lieux' }).click();
		await expect(page.getByText('5 lieux importés')).toBeVisible();

		await page.goto(`${base}/lieux?q=${encodeURIComponent(commune)}`);
		const names = await page.getByRole('table').getByRole('link').allTextContents();
		expect(names.map((n) => n.trim())).toEqual(['Abbaye', 'école', 'Écomusée', 'Ferme', 'Zèbre']);
		const file = await (await page.request.get(`${base}/import-export/lieux.csv`)).text();
		const inCsv = file.split('\r\n').filter((l) => l.includes(commune)).map((l) => l.split(';')[0]);
		expect(inCsv).toEqual(['Abbaye', 'école', 'Écomusée', 'Ferme', 'Zèbre']);

		// The lieu form refuses « ECOMUSEE » in the same commune, with a link to the existing one.
		await page.goto(`${base}/lieux/nouveau`);
		await page.getByLabel('Nom du lieu').fill('  ECOMUSEE ');
		await page.getByLabel('Type de lieu').selectOption({ label: 'Autre' });
		await page.getByLabel('Commune').fill(commune.toUpperCase());
		await page.getByRole('button', { name: 'Engager le lieu' }).click();
		await expect(page.getByText('Un lieu de ce nom est déjà engagé dans cette commune')).toBeVisible();
		await expect(page.getByRole('link', { name: `Écomusée (${commune})` })).toBeVisible();
		await expect(page.getByLabel('Nom du lieu')).toHaveAttribute('aria-invalid', 'true');
		await expectAccessible(page);
	});

	test('the workshop roster search finds « zephyr »', async ({ page }) => {
		const name = `Zoé Zéphyrine ${run}`;
		await loginOk(page, me.email);
		await fillPerson(page, { name, commune: 'Mazamet' });
		await page.getByRole('button', { name: 'Inscrire' }).click();
		await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
		await page.goto(`${base}/ateliers?vue=passes`);
		await page.getByRole('table').getByRole('link').first().click();
		await page.getByLabel('Rechercher une personne inscrite par son nom').fill(`zephyrine ${run}`);
		await page.getByRole('button', { name: 'Rechercher' }).click();
		await expect(page.getByText(name)).toBeVisible();
	});

	test('territories and generated text read as French', async ({ page }) => {
		await loginOk(page, account('facilitator').email);
		await page.goto('/');
		const names = (await page.getByRole('table').first().getByRole('row').allTextContents()).join('\n');
		expect(names.indexOf('Pays des Étangs Clairs')).toBeGreaterThan(-1);
		expect(names.indexOf('Pays des Étangs Clairs')).toBeLessThan(names.indexOf('Pays des Trois Rivières'));
		await page.goto(`${base}/ateliers?vue=calendrier&mois=2026-10`);
		await expect(page.getByRole('heading', { name: 'Calendrier d’octobre 2026' })).toBeVisible();
		await page.goto(`${base}/ateliers?vue=calendrier&mois=2026-08`);
		await expect(page.getByRole('heading', { name: 'Calendrier d’août 2026' })).toBeVisible();
	});

	test('another territory’s coordinator cannot search this registry (403)', async ({ page }) => {
		await loginOk(page, other.email);
		const response = await page.goto(`${base}/citoyens?q=zephyr`);
		expect(response?.status()).toBe(403);
	});
});
