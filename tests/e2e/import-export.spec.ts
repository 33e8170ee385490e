import type { Page } from '@playwright/test';
import { account, coordinators, expect, expectAccessible, loginOk, test } from './fixtures';

// Territories the other specs do not use (auth uses coordinators[0..5]).
const me = coordinators.find((c) => c.territorySlug === 'pays-des-etangs-clairs')!;
const other = coordinators.find((c) => c.territorySlug === 'cretes-du-grand-vent')!;
const page_ = (slug = '') => `/territoires/${slug}/import-export`;
const run = Date.now().toString(36);
const HEADER = 'nom;email;telephone;commune;code_postal;tranche_age;source;societaire;inscrit_le';

const csvFile = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf-8') });

async function citizenCount(page: Page): Promise<number> {
	const text = await page.getByText(/ce territoire compte/).textContent();
	return Number(/compte (\d+) citoyens/.exec(text ?? '')?.[1]);
}

test.describe('import and export', () => {
	test('a file with one bad row is refused with a line-by-line report; fixed, all rows are written; the export has them', async ({ page }) => {
		await loginOk(page, me.email);
		await page.goto(page_(me.territorySlug));
		await expect(page.getByRole('heading', { name: 'Import / export' })).toBeVisible();
		const before = await citizenCount(page);
		expect(before).toBeGreaterThan(0);

		const rows = [
			`Louise ${run};louise.${run}@exemple.test;06 11 22 33 44;Blois;41000;26–40 ans;Atelier;oui;02/11/2026`,
			`Yann ${run};;;Vendôme;41100;;Événement;non;2026-11-03`,
			`Inès ${run};ines.${run}@exemple.test;;Blois;;61_75;en ligne;;`
		];
		const bad = `Malo ${run};pas-un-email;;Blois;;;Atelier;;`;
		await page.getByLabel('Fichier CSV des citoyens').setInputFiles(
			csvFile('citoyens.csv', `\uFEFF${[HEADER, rows[0], bad, rows[1], rows[2]].join('\r\n')}\r\n`)
		);
		await page.getByLabel(/ont donné leur consentement \(texte v1\.0\)/).check();
		await page.getByRole('button', { name: 'Importer les citoyens' }).click();

		const report = page.getByRole('alert');
		await expect(report).toContainText('Rien n’a été importé : 1 problème dans le fichier.');
		const problem = report.getByRole('row').nth(1);
		await expect(problem.getByRole('cell').nth(0)).toHaveText('3');
		await expect(problem.getByRole('cell').nth(1)).toHaveText('email');
		await expect(problem.getByRole('cell').nth(2)).toContainText('Cette adresse e-mail n’est pas valide');
		await expectAccessible(page);
		await page.goto(page_(me.territorySlug));
		expect(await citizenCount(page)).toBe(before);

		// fixed file, `,` separator this time
		const fixed = [HEADER, ...rows].map((l) => l.replaceAll(';', ',')).join('\n');
		await page.getByLabel('Fichier CSV des citoyens').setInputFiles(csvFile('citoyens-corrige.csv', fixed));
		await page.getByLabel(/ont donné leur consentement/).check();
		await page.getByRole('button', { name: 'Importer les citoyens' }).click();
		await expect(page.getByRole('status')).toHaveText('3 citoyens importés.');
		expect(await citizenCount(page)).toBe(before + 3);

		// export: UTF-8 with BOM, `;`, French header, the imported people
		const response = await page.request.get(`${page_(me.territorySlug)}/citoyens.csv`);
		expect(response.status()).toBe(200);
		expect(response.headers()['content-disposition']).toMatch(/^attachment; filename="citoyens-pays-des-etangs-clairs-2026-11-29\.csv"$/);
		const bytes = await response.body();
		expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const text = bytes.toString('utf-8');
		expect(text.slice(1).startsWith(`${HEADER};statut\r\n`)).toBe(true);
		expect(text).toContain(`Louise ${run};louise.${run}@exemple.test;06 11 22 33 44;Blois;41000;26–40 ans;Atelier;oui;2026-11-02;actif`);
		expect(text).toContain(`Inès ${run}`);

		const lieuxCsv = await page.request.get(`${page_(me.territorySlug)}/lieux.csv`);
		expect((await lieuxCsv.body()).subarray(0, 3).toString('hex')).toBe('efbbbf');
		const template = await page.request.get(`${page_(me.territorySlug)}/modele-citoyens.csv`);
		expect(await template.text()).toBe(`\uFEFF${HEADER};statut\r\n`);
	});

	test('the consent box and a file are required; French messages', async ({ page }) => {
		await loginOk(page, me.email);
		await page.goto(page_(me.territorySlug));
		await page.getByRole('button', { name: 'Importer les citoyens' }).click();
		await expect(page.getByText('Choisissez un fichier CSV.')).toBeVisible();
		await expect(page.getByText('Cochez cette case : personne n’est inscrit sans son consentement.')).toBeVisible();
	});
});

test.describe('import without JavaScript', () => {
	test.use({ javaScriptEnabled: false });
	test('imports lieux and citizens with plain posts, then refuses the same citizens again as duplicates', async ({ page }) => {
		await loginOk(page, me.email);
		await page.goto(page_(me.territorySlug));
		await page.getByLabel('Fichier CSV des lieux').setInputFiles(
			csvFile('lieux.csv', `nom;type;commune\nAtelier vélo ${run};Association;Romorantin\nÉcole ${run};école;Salbris\n`)
		);
		await page.getByRole('button', { name: 'Importer les lieux' }).click();
		await expect(page.getByRole('status')).toHaveText('2 lieux importés.');

		const file = csvFile('c.csv', `${HEADER}\nNoJS ${run};nojs.${run}@exemple.test;;Blois;;;partenaire;;\n`);
		await page.getByLabel('Fichier CSV des citoyens').setInputFiles(file);
		await page.getByLabel(/ont donné leur consentement/).check();
		await page.getByRole('button', { name: 'Importer les citoyens' }).click();
		await expect(page.getByRole('status')).toHaveText('1 citoyen importé.');

		await page.getByLabel('Fichier CSV des citoyens').setInputFiles(file);
		await page.getByLabel(/ont donné leur consentement/).check();
		await page.getByRole('button', { name: 'Importer les citoyens' }).click();
		const report = page.getByRole('alert');
		await expect(report).toContainText('Rien n’a été importé : 2 problèmes');
		await expect(report).toContainText('Déjà inscrit dans ce territoire : une personne a déjà cet e-mail');
		await expect(report).toContainText('une personne a déjà ce nom dans cette commune');
	});
});

test.describe('import / export refusals', () => {
	test('a coordinator of another territory gets 403 on the page, the CSV downloads and the import; a funder too', async ({ page }) => {
		await loginOk(page, me.email);
		const base = page_(other.territorySlug);
		const response = await page.goto(base);
		expect(response?.status()).toBe(403);
		await expect(page.getByText('Ce territoire n’est pas le vôtre')).toBeVisible();
		for (const file of ['citoyens.csv', 'lieux.csv', 'modele-citoyens.csv']) {
			const r = await page.request.get(`${base}/${file}`);
			expect(r.status(), file).toBe(403);
			expect(await r.text()).not.toContain(';email;');
		}
		const origin = new URL(page.url()).origin;
		const post = await page.request.post(`${base}?/citoyens`, {
			headers: { origin },
			multipart: {
				consentement: 'on',
				fichier: csvFile('c.csv', `${HEADER}\nIntrus ${run};;;;;;atelier;;\n`)
			}
		});
		expect(post.status()).toBe(403);
		expect(await post.text()).toContain('Ce territoire n’est pas le vôtre');

		await page.context().clearCookies();
		await loginOk(page, account('funder').email);
		expect((await page.goto(page_(me.territorySlug)))?.status()).toBe(403);
		expect((await page.request.get(`${page_(me.territorySlug)}/citoyens.csv`)).status()).toBe(403);
	});
});
