import type { Page } from '@playwright/test';
import { de } from '../../src/lib/domain/french';
import { VALUE_MESSAGES } from '../../src/lib/domain/indicators';
import { e2eDatabase } from './db';
import { coordinators, expect, expectAccessible, loginOk, test } from './fixtures';

// A territory the other specs do not write to (the 14th of the demo cohort). Its demo values stop
// at October 2026: November (this month, MARATHON_TODAY=2026-11-29) is not entered yet.
const me = coordinators.find((c) => c.territorySlug === 'pays-des-etangs-clairs')!;
const other = coordinators.find((c) => c.territorySlug === 'vallee-de-la-sourde')!;
const base = `/territoires/${me.territorySlug}/indicateurs`;

const valueOf = (page: Page, name: string) => page.getByLabel(`${name} : valeur`, { exact: true });
const rowOf = (page: Page, name: string) => page.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
const save = (page: Page, month: string) => page.getByRole('button', { name: `Enregistrer les valeurs ${de(month)}` }).click();
/** « 12 indicateurs sur 15 pas encore saisis » → 12 (0 when all are entered). */
async function missingCount(page: Page): Promise<number> {
	const text = (await page.getByText(/pas encore saisis?|Tous les indicateurs sont saisis/).first().textContent()) ?? '';
	return text.includes('Tous les indicateurs') ? 0 : Number(/(\d+) indicateurs? sur/.exec(text)![1]);
}
/** A value shown in French (« 1 234,5 ») as a number. */
const num = (text: string | null) => Number((text ?? '').replace(/[\s\u00a0\u202f]/g, '').replace(',', '.'));

test.describe('monthly indicators, as a coordinator', () => {
	test.beforeEach(async ({ page }) => loginOk(page, me.email));

	test('enters this month’s values for several indicators, with last month beside them, then sees the history', async ({ page }) => {
		await page.goto(base);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Indicateurs d’impact — novembre 2026');
		await expect(page.getByRole('navigation', { name: 'Espace du territoire' }).getByRole('link', { name: 'Indicateurs' })).toHaveAttribute('aria-current', 'page');
		for (const law of ['Visée régénérative', 'Ancrage', 'Encapacitation', 'Sobriété', 'Intégrité'])
			await expect(page.getByRole('columnheader', { name: new RegExp(`Loi \\d — ${law}`) })).toBeVisible();
		await expect(page.getByText(/« Total du mois »/)).toBeVisible();
		// last month's value is beside this month's input
		await expect(page.getByRole('columnheader', { name: 'octobre 2026' })).toBeVisible();
		await expect(rowOf(page, 'Personnes formées').getByRole('cell').first()).toHaveText(/^\d[\d\s\u202f]*(,\d+)?$/);
		await expect(page.getByText(/pas encore saisis?/)).toBeVisible();
		const before = await missingCount(page);
		expect(await page.evaluate(() => document.querySelectorAll('*').length)).toBeLessThanOrEqual(300);
		await expectAccessible(page);

		const entries: [string, string][] = [
			['Personnes formées', '12,5'],
			['Heures de formation dispensées', '30'],
			['Énergie évitée (estimation)', '1 200']
		];
		for (const [name, value] of entries) {
			await expect(valueOf(page, name)).toHaveValue(''); // not entered yet
			await valueOf(page, name).fill(value);
		}
		await page.getByLabel('Personnes formées : note', { exact: true }).fill('Deux sessions à la médiathèque');
		await page.getByLabel('Personnes formées : lien justificatif', { exact: true }).fill('https://exemple.fr/emargement');
		await save(page, 'novembre 2026');

		await expect(page.getByRole('status')).toHaveText('3 valeurs enregistrées pour novembre 2026.');
		expect(await missingCount(page)).toBe(before - 3);
		await expect(valueOf(page, 'Personnes formées')).toHaveValue('12,5');
		await expect(valueOf(page, 'Énergie évitée (estimation)')).toHaveValue('1200');

		await rowOf(page, 'Personnes formées').getByRole('link').click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Personnes formées');
		const table = page.getByRole('table');
		await expect(table.getByRole('row')).toHaveCount(1 + 10 + 1); // header, Feb → Nov, total
		const november = table.getByRole('row').filter({ hasText: 'novembre 2026' });
		await expect(november).toContainText('Deux sessions à la médiathèque');
		await expect(november.getByRole('link', { name: 'exemple.fr' })).toHaveAttribute('href', 'https://exemple.fr/emargement');
		// with JavaScript, the chart is drawn too, hidden from assistive technologies
		await expect(page.locator('canvas')).toBeVisible();
		await expect(page.locator('[aria-hidden="true"] canvas')).toHaveCount(1);
		await expectAccessible(page);
	});

	test('corrects a past month, and the correction shows in the form and the history', async ({ page }) => {
		await page.goto(base);
		await page.getByLabel('Mois', { exact: true }).selectOption({ label: 'avril 2026' });
		await page.getByRole('button', { name: 'Afficher' }).click();
		await expect(page).toHaveURL(`${base}?mois=2026-04`);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Indicateurs d’impact — avril 2026');
		await expect(page.getByRole('link', { name: '← mars 2026' })).toBeVisible();
		await expect(page.getByRole('link', { name: 'mai 2026 →' })).toBeVisible();

		const field = valueOf(page, 'Partenariats locaux actifs');
		const old = num(await field.inputValue());
		await field.fill(String(old + 3));
		await save(page, 'avril 2026');
		await expect(page.getByRole('status')).toHaveText('1 valeur enregistrée pour avril 2026.');
		await expect(field).toHaveValue(String(old + 3));
		await expect(rowOf(page, 'Partenariats locaux actifs')).toContainText(/corrigé le \d+ \p{L}+ \d{4}/u);

		await rowOf(page, 'Partenariats locaux actifs').getByRole('link').click();
		const april = page.getByRole('table').getByRole('row').filter({ hasText: 'avril 2026' });
		await expect(april).toContainText(`avant : ${old}`);
		await expect(april.getByRole('cell').first()).toHaveText(String(old + 3));
	});

	test('bad input: French errors at the fields, typed values kept, nothing saved', async ({ page }) => {
		await page.goto(`${base}?mois=2026-05`);
		const tools = valueOf(page, 'Outils libres adoptés');
		const toolsBefore = await tools.inputValue();
		await tools.fill(String(num(toolsBefore) + 5)); // a valid change, in the same post
		await valueOf(page, 'Personnes formées').fill('-3');
		await valueOf(page, 'Heures de formation dispensées').fill('abc');
		await page.getByLabel('Sociétaires de la coopérative : lien justificatif', { exact: true }).fill('pas un lien');
		await save(page, 'mai 2026');

		const alert = page.getByRole('alert');
		await expect(alert).toContainText('Rien n’a été enregistré : corrigez les champs signalés.');
		// each refused field, one link away, in the form's order
		await expect(alert.getByRole('link')).toHaveText([
			'Personnes formées : valeur',
			'Heures de formation dispensées : valeur',
			'Sociétaires de la coopérative : lien justificatif'
		]);
		await expect(valueOf(page, 'Personnes formées')).toHaveAccessibleDescription('La valeur ne peut pas être négative.');
		await expect(valueOf(page, 'Personnes formées')).toHaveAttribute('aria-invalid', 'true');
		await expect(valueOf(page, 'Heures de formation dispensées')).toHaveAccessibleDescription('Saisissez un nombre (par exemple 12 ou 12,5).');
		await expect(page.getByLabel('Sociétaires de la coopérative : lien justificatif', { exact: true })).toHaveAccessibleDescription(/adresse web complète/);
		await expect(valueOf(page, 'Personnes formées')).toHaveValue('-3');
		await expect(valueOf(page, 'Heures de formation dispensées')).toHaveValue('abc');
		await expect(tools).toHaveValue(String(num(toolsBefore) + 5));
		await expectAccessible(page);

		await page.goto(`${base}?mois=2026-05`);
		await expect(tools).toHaveValue(toolsBefore);
		await expect(rowOf(page, 'Outils libres adoptés')).not.toContainText('corrigé le');
	});

	test('a stale form from a second tab gets the conflict message and the current value, nothing overwritten', async ({ page, context }) => {
		await page.goto(`${base}?mois=2026-06`);
		const second = await context.newPage();
		await second.goto(`${base}?mois=2026-06`);
		const name = 'Heures de formation dispensées';
		const start = num(await valueOf(page, name).inputValue());

		await valueOf(second, name).fill(String(start + 10));
		await save(second, 'juin 2026');
		await expect(second.getByRole('status')).toHaveText('1 valeur enregistrée pour juin 2026.');

		await valueOf(page, name).fill(String(start + 20));
		await valueOf(page, 'Personnes formées').fill('77'); // an untouched row of the other tab, saved with it or not at all
		await save(page, 'juin 2026');
		await expect(page.getByRole('alert')).toContainText('Quelqu’un d’autre a modifié certaines valeurs de ce mois');
		// the error first, then the line's « corrigé le … » (it was just corrected in the other tab)
		const conflict = `Modifiée entre-temps par quelqu’un d’autre : la valeur enregistrée est maintenant ${start + 10}. Votre formulaire indiquait ${start + 20}. Vérifiez puis enregistrez à nouveau.`;
		await expect(valueOf(page, name)).toHaveAccessibleDescription(new RegExp(`^${conflict.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} corrigé le \\d+ \\p{L}+ \\d{4}$`, 'u'));
		await expect(valueOf(page, name)).toHaveValue(String(start + 10));

		await second.reload();
		await expect(valueOf(second, name)).toHaveValue(String(start + 10));
		await expect(valueOf(second, 'Personnes formées')).not.toHaveValue('77');

		// having seen the current value, the person decides and saves again
		await valueOf(page, name).fill(String(start + 20));
		await save(page, 'juin 2026');
		await expect(page.getByRole('status')).toHaveText('2 valeurs enregistrées pour juin 2026.');
		await expect(valueOf(page, name)).toHaveValue(String(start + 20));
		await second.close();
	});

	test('a line whose link alone changed meanwhile says « le lien a changé », not a value the form already held', async ({ page, context }) => {
		await page.goto(`${base}?mois=2026-07`);
		const second = await context.newPage();
		await second.goto(`${base}?mois=2026-07`);
		const name = 'Outils libres adoptés';
		const link = (p: Page) => p.getByLabel(`${name} : lien justificatif`, { exact: true });
		await link(second).fill(`https://exemple.fr/preuve-${Date.now()}`);
		await save(second, 'juillet 2026');
		await expect(second.getByRole('status')).toContainText('enregistrée');

		await valueOf(page, 'Personnes formées').fill('78'); // posts the whole stale form, this line included
		await save(page, 'juillet 2026');
		await expect(valueOf(page, name)).toHaveAccessibleDescription(
			/^Modifiée entre-temps par quelqu’un d’autre : le lien a changé\. Vérifiez puis enregistrez à nouveau\./
		);
		await expect(link(page)).toHaveValue(await link(second).inputValue());
		await second.close();
	});

	test('the same form sent twice at once (a double click without JavaScript) is saved once, and neither answer blames « someone else »', async ({ page }) => {
		const name = 'Heures de formation dispensées';
		// a value that does not exist yet: the two sends race to create it
		const sql = e2eDatabase();
		await sql`
			delete from public.indicator_values v using public.indicators i, public.territories t
			where v.indicator_id = i.id and v.territory_id = t.id and t.slug = ${me.territorySlug!}
			  and i.name_fr = ${name} and v.month = '2026-09-01'`;
		await page.goto(`${base}?mois=2026-09`);
		await expect(valueOf(page, name)).toHaveValue('');
		await valueOf(page, name).fill('42');
		const form = await page.locator('form[action^="?/save"]').evaluate((f) =>
			Object.fromEntries([...new FormData(f as HTMLFormElement)].map(([k, v]) => [k, String(v)]))
		);
		const origin = new URL(page.url()).origin;
		const send = () => page.request.post(`${base}?/save&mois=2026-09`, { headers: { origin, accept: 'text/html' }, form, maxRedirects: 0 });
		const answers = await Promise.all([send(), send()]);
		expect(answers.map((a) => a.status())).toEqual([303, 303]);
		const [stored] = await sql<{ value: number; version: number }[]>`
			select v.value::float8 as value, v.version from public.indicator_values v
			join public.indicators i on i.id = v.indicator_id join public.territories t on t.id = v.territory_id
			where t.slug = ${me.territorySlug!} and i.name_fr = ${name} and v.month = '2026-09-01'`;
		await sql.end();
		expect(stored).toEqual({ value: 42, version: 1 });
		// the one that found its value already there says so, not « nothing was saved »
		await page.goto(`${base}?mois=2026-09&enregistre=0`);
		await expect(page.getByRole('status')).toHaveText('Rien de nouveau : les valeurs affichées sont celles qui sont enregistrées.');
	});

	test('a month outside the program, or in the future, is not found', async ({ page }) => {
		expect((await page.goto(`${base}?mois=2026-12`))?.status()).toBe(404);
		expect((await page.goto(`${base}?mois=2026-01`))?.status()).toBe(404);
		expect((await page.goto(`${base}?mois=n-importe`))?.status()).toBe(404);
	});
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('a coordinator enters a value and reads the history table (no chart)', async ({ page }) => {
		await loginOk(page, me.email);
		await page.goto(`${base}?mois=2026-07`);
		const field = valueOf(page, 'Réunions de gouvernance ouvertes');
		const next = num(await field.inputValue()) + 1;
		await field.fill(String(next));
		await save(page, 'juillet 2026');
		await expect(page).toHaveURL(`${base}?mois=2026-07&enregistre=1`);
		await expect(page.getByRole('status')).toHaveText('1 valeur enregistrée pour juillet 2026.');
		await expect(field).toHaveValue(String(next));

		// the month selector works as a plain GET form
		await page.getByLabel('Mois', { exact: true }).selectOption({ label: 'mars 2026' });
		await page.getByRole('button', { name: 'Afficher' }).click();
		await expect(page).toHaveURL(`${base}?mois=2026-03`);

		await rowOf(page, 'Réunions de gouvernance ouvertes').getByRole('link').click();
		await expect(page.getByRole('table').getByRole('row').filter({ hasText: 'juillet 2026' })).toContainText(String(next));
		await expect(page.locator('canvas')).toHaveCount(0);
	});

	test('bad input is refused with French errors', async ({ page }) => {
		await loginOk(page, me.email);
		await page.goto(`${base}?mois=2026-08`);
		await valueOf(page, 'Personnes formées').fill('douze');
		await save(page, 'août 2026');
		await expect(valueOf(page, 'Personnes formées')).toHaveAccessibleDescription('Saisissez un nombre (par exemple 12 ou 12,5).');
		await expect(valueOf(page, 'Personnes formées')).toHaveValue('douze');
	});

	test('on a phone, a refused save says so on the first screen, and its link leads to the field', async ({ page }) => {
		await page.setViewportSize({ width: 375, height: 740 });
		await loginOk(page, me.email);
		await page.goto(`${base}?mois=2026-08`);
		const farField = page.getByLabel('Sociétaires de la coopérative : note', { exact: true }); // the last card
		await valueOf(page, 'Sociétaires de la coopérative').fill('0,0000001'); // more decimals than pages show
		await save(page, 'août 2026');
		const alert = page.getByRole('alert');
		await expect(alert).toBeInViewport();
		await expect(alert).toContainText(`Sociétaires de la coopérative : valeur : ${VALUE_MESSAGES.tooPrecise}`);
		await expect(farField).not.toBeInViewport();
		await alert.getByRole('link', { name: 'Sociétaires de la coopérative : valeur' }).click();
		await expect(valueOf(page, 'Sociétaires de la coopérative')).toBeInViewport();
		await expect(valueOf(page, 'Sociétaires de la coopérative')).toHaveValue('0,0000001');
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
	});
});

test.describe('refusals', () => {
	test('a coordinator of another territory gets 403 on the form, the history and the save action', async ({ page }) => {
		await loginOk(page, other.email);
		expect((await page.goto(base))?.status()).toBe(403);
		await expect(page.getByText('Ce territoire n’est pas le vôtre')).toBeVisible();
		// the history of an indicator, found through their own territory's form
		await page.goto(`/territoires/${other.territorySlug}/indicateurs`);
		const href = (await rowOf(page, 'Personnes formées').getByRole('link').getAttribute('href'))!;
		const id = href.split('/').at(-1)!;
		expect((await page.goto(`${base}/${id}`))?.status()).toBe(403);

		const origin = new URL(page.url()).origin;
		const response = await page.request.post(`${base}?/save`, {
			headers: { origin, accept: 'text/html' },
			form: { mois: '2026-11', [`valeur-${id}`]: '999', versions: `${id}:0` }
		});
		expect(response.status()).toBe(403);
	});

	test('an unknown indicator is a 404', async ({ page }) => {
		await loginOk(page, me.email);
		expect((await page.goto(`${base}/00000000-0000-4000-8000-000000000000`))?.status()).toBe(404);
		expect((await page.goto(`${base}/pas-un-id`))?.status()).toBe(404);
	});
});
