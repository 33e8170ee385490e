import { account, coordinators, expect, expectAccessible, login, loginOk, test } from './fixtures';
import { e2eDatabase } from './db';

/**
 * /pilotage/comparaison: territories side by side by program month (demo cohort, today pinned to
 * 2026-11-29: month 10 for territories that started with the cohort on 2026-02-01). One
 * territory of the first page is made to start on 2026-05-10 for this file (restored after), so
 * that the page shows two calendars on one axis.
 */

const sql = e2eDatabase();
let later: { id: string; name: string };

test.beforeAll(async () => {
	const rows = await sql<{ id: string; name: string }[]>`
		select t.id, t.name from public.territories t where t.archived_at is null order by t.name, t.id limit 6`;
	later = rows[1];
	await moveStart(later.id, '2026-05-10');
});
test.afterAll(async () => {
	await moveStart(later.id, null);
	await sql.end();
});

/**
 * A start date the rules refuse (never after the territory's first data: 20261129182000), set as
 * a fixture: triggers off for this transaction, then a plain no-op update so that the change is
 * seen (audit trail, data version of the kept cockpit figures).
 */
async function moveStart(id: string, start: string | null) {
	await sql.begin(async (tx) => {
		await tx`set local session_replication_role = replica`;
		await tx`update public.territories set start_date = ${start} where id = ${id}`;
		await tx`set local session_replication_role = origin`;
		await tx`update public.territories set name = name where id = ${id}`;
	});
}

/** The texts of the `n`-th column's cells of the table's body (1: the month). */
const column = (page: import('@playwright/test').Page, n: number) =>
	page.locator(`table tbody tr > :nth-child(${n})`).allInnerTexts();

test('a facilitator compares territories month by month against the ideal pace, with a chart', async ({ page }) => {
	await loginOk(page, account('facilitator').email);
	await page.getByRole('navigation', { name: 'Pilotage' }).getByRole('link', { name: 'Comparaison' }).click();
	await expect(page).toHaveURL('/pilotage/comparaison');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Comparaison par mois du programme');

	const table = page.getByRole('table');
	await expect(table.getByRole('columnheader', { name: 'Rythme idéal (350)' })).toBeVisible();
	// header, 18 months, month the threshold was met, gap to the pace
	await expect(table.getByRole('row')).toHaveCount(1 + 18 + 2);
	expect(await column(page, 1)).toEqual(Array.from({ length: 18 }, (_, i) => String(i + 1)));
	expect((await column(page, 2)).slice(0, 3)).toEqual(['19', '39', '58']);
	expect((await column(page, 2))[17]).toBe('350');

	// the territory that started on 2026-05-10 is in its month 7, the others in month 10
	const header = table.getByRole('columnheader', { name: later.name });
	await expect(header).toContainText('début mai 2026 · mois 7');
	await expect(table.getByRole('columnheader').nth(2)).toContainText('début février 2026 · mois 10');
	const laterColumn = await column(page, 4);
	expect(laterColumn.slice(0, 7).every((v) => /^\d/.test(v))).toBe(true);
	expect(laterColumn.slice(7).every((v) => v === '—')).toBe(true);
	const firstColumn = await column(page, 3);
	expect(firstColumn.slice(0, 10).every((v) => /^\d/.test(v))).toBe(true);
	expect(firstColumn[10]).toBe('—');

	// with JavaScript, the chart is drawn beside the table, hidden from assistive technologies
	await expect(page.locator('[aria-hidden="true"] canvas[data-chart="comparison"]')).toBeVisible();
	await expectAccessible(page);

	// the figures link to the territory page that explains them
	await expect(header.getByRole('link', { name: later.name })).toHaveAttribute('href', /^\/territoires\/[a-z0-9-]+$/);

	// another measure, the same month-aligned table
	await page.getByLabel('Mesure comparée').selectOption({ label: 'Lieux engagés (cumul)' });
	await page.getByRole('button', { name: 'Afficher' }).click();
	await expect(page).toHaveURL(/indicateur=lieux/);
	await expect(table.getByRole('columnheader', { name: 'Rythme idéal (150)' })).toBeVisible();
	await expect(page.locator('canvas[data-chart="comparison"]')).toBeVisible();

	// an indicator, and a bad value with its message at the field: still accessible
	await page.goto('/pilotage/comparaison?indicateur=kwh_evites&region=Atlantide');
	await expect(page.getByText('Cette région ne compte aucun territoire : choisissez-en une dans la liste.')).toBeVisible();
	await expect(table.locator('caption')).toContainText('Énergie évitée (estimation), en kWh');
	await expectAccessible(page);
	await page.goto('/pilotage/comparaison?indicateur=lieux');

	// 18 territories, six a page
	await expect(page.getByText('Page 1 sur 3 (18 au total)')).toBeVisible();
	await page.getByRole('link', { name: 'Suivante →' }).click();
	await expect(page).toHaveURL(/indicateur=lieux/);
	await expect(page).toHaveURL(/page=2/);
	await expect(page.getByText('Page 2 sur 3 (18 au total)')).toBeVisible();
});

test('without JavaScript: an indicator of the catalog is chosen with a plain GET form, the table stands alone', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await login(page, account('facilitator').email);
	await page.goto('/pilotage/comparaison');
	await page.getByLabel('Mesure comparée').selectOption({ label: 'Loi 3 · Personnes formées' });
	await page.getByLabel('Région').selectOption('Bretagne');
	await page.getByRole('button', { name: 'Afficher' }).click();
	await expect(page).toHaveURL(/indicateur=personnes_formees/);
	await expect(page).toHaveURL(/region=Bretagne/);
	const table = page.getByRole('table');
	await expect(table.locator('caption')).toContainText('Personnes formées, en personnes');
	await expect(page.getByText(/somme des mois depuis le mois 1/)).toBeVisible();
	// no pace for an indicator; the Breton territories only
	await expect(table.getByRole('columnheader', { name: /Rythme idéal/ })).toHaveCount(0);
	await expect(page.getByText('Page 1 sur 1').or(page.getByText(/^\d+ au total$/))).toBeVisible();
	// a flow is cumulative: never decreasing month after month
	const values = (await column(page, 2)).filter((v) => v !== '—').map((v) => Number(v.replace(/\s/g, '').replace(',', '.')));
	expect(values.length).toBeGreaterThan(0);
	expect(values.every((v, i) => i === 0 || v >= values[i - 1])).toBe(true);
	await expect(page.locator('canvas')).toHaveCount(0);

	// a bad value: a French message at the field, the default in its place, never an error page
	const response = await page.goto('/pilotage/comparaison?indicateur=inconnu');
	expect(response?.status()).toBe(200);
	await expect(page.getByText('Cet indicateur n’existe pas dans le catalogue : choisissez-en un dans la liste.')).toBeVisible();
	await expect(page.getByLabel('Mesure comparée')).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByRole('columnheader', { name: 'Rythme idéal (350)' })).toBeVisible();
	await context.close();
});

test('Chart.js is loaded where a chart is drawn, and not on pages without one; the strict CSP lets it draw', async ({ page }) => {
	const violations: string[] = [];
	page.on('console', (m) => {
		if (/Content Security Policy|Refused to/.test(m.text())) violations.push(`${page.url()}: ${m.text()}`);
	});
	await loginOk(page, account('facilitator').email);
	const scripts: string[] = [];
	page.on('response', async (r) => {
		if (r.request().resourceType() === 'script') scripts.push(await r.text().catch(() => ''));
	});
	await page.goto('/pilotage', { waitUntil: 'networkidle' });
	// the cockpit is plain HTML (csr = false): no script at all, so no Chart.js
	expect(scripts).toEqual([]);
	scripts.length = 0;
	await page.goto('/pilotage/comparaison', { waitUntil: 'networkidle' });
	await expect(page.locator('canvas[data-chart="comparison"]')).toBeVisible();
	expect(scripts.some((s) => s.includes('maintainAspectRatio'))).toBe(true);
	expect(violations).toEqual([]);
});

for (const who of ['coordinator', 'funder'] as const) {
	test(`a ${who} gets 403 on the comparison`, async ({ page }) => {
		await loginOk(page, who === 'coordinator' ? coordinators[0].email : account('funder').email);
		for (const path of ['/pilotage/comparaison', '/pilotage/comparaison?indicateur=lieux']) {
			expect((await page.request.get(path)).status(), path).toBe(403);
		}
		await expect(page.getByRole('link', { name: 'Comparaison' })).toHaveCount(0);
	});
}
