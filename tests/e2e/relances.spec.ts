import type postgres from 'postgres';
import { account, coordinators, expect, expectAccessible, loginOk, test } from './fixtures';
import { e2eDatabase } from './db';

/**
 * /pilotage/relances through the real UI, on the demo cohort (today pinned to 2026-11-29).
 * Every demo month is entered, so this spec removes « Monts de Brume »'s October 2026 values and
 * one indicator of September 2026 (without an audit event, like the seed: its freshness stays),
 * and puts them back after, with the reminders it recorded. No other spec uses that territory.
 */
const SLUG = 'monts-de-brume';
const NAME = 'Monts de Brume (démo)';
const COORDINATION = `coordination.${SLUG}@demo.marathon.test`;

let sql: postgres.Sql;
let territoryId: string;
let removed: Record<string, unknown>[] = [];
let partialIndicator: string;
let catalogSize: number;

const reminders = async () =>
	Number((await sql`select count(*)::int as n from public.reminders where territory_id = ${territoryId}`)[0].n);

test.beforeAll(async () => {
	sql = e2eDatabase();
	[{ id: territoryId }] = await sql`select id from public.territories where slug = ${SLUG}`;
	const catalog = await sql`select id, name_fr from public.indicators where active order by law, sort_order, code`;
	catalogSize = catalog.length;
	partialIndicator = catalog[0].name_fr;
	await sql.begin(async (tx) => {
		await tx`select set_config('marathon.seeding', 'on', true)`;
		removed = await tx`delete from public.indicator_values
			where territory_id = ${territoryId} and (month = '2026-10-01' or (month = '2026-09-01' and indicator_id = ${catalog[0].id}))
			returning *`;
	});
	expect(removed.length).toBe(catalogSize + 1);
});

test.afterAll(async () => {
	await sql.begin(async (tx) => {
		await tx`select set_config('marathon.seeding', 'on', true)`;
		if (removed.length) await tx`insert into public.indicator_values ${tx(removed as never)}`;
		const ids = (await tx`delete from public.reminders where territory_id = ${territoryId} returning id::text`).map((r) => r.id);
		await tx`delete from public.audit_events where entity = 'reminders' and entity_id = any (${ids}::text[])`;
	});
	await sql.end();
});

test.describe('/pilotage/relances', () => {
	test('a facilitator sees the missing months, the French reminder listing them with a mailto link, and records it once on a double click', async ({ page }) => {
		await loginOk(page, account('facilitator').email);
		await page.getByRole('navigation', { name: 'Pilotage' }).getByRole('link', { name: 'Relances' }).click();
		await expect(page).toHaveURL('/pilotage/relances');
		await expect(page.getByRole('heading', { level: 1, name: 'Relances' })).toBeVisible();

		const card = page.getByRole('region', { name: NAME });
		// (its days without change depend on the specs run before: applying a template touches every territory)
		await expect(card).toContainText('2 mois d’indicateurs manquants (septembre 2026, octobre 2026) ;');
		await expect(card).toContainText('3 jalons en retard.');
		await expect(card).toContainText(`Coordination : Coordination Monts de Brume (${COORDINATION})`);
		await expect(card).toContainText('Aucune relance notée.');
		// the first card is the one with most months missing
		await expect(page.getByRole('region').first()).toContainText(NAME);

		await card.getByText(/^Message prêt à envoyer/).click();
		const text = await card.getByLabel('Texte à copier').inputValue();
		expect(text).toContain(`À : ${COORDINATION}`);
		expect(text).toContain(`Objet : Marathon coopératif — ${NAME} : 2 mois d’indicateurs à saisir`);
		expect(text).toContain(`- septembre 2026 : manque ${partialIndicator} (1 sur ${catalogSize}) ;`);
		expect(text).toContain(`- octobre 2026 : aucun des ${catalogSize} indicateurs n’est saisi.`);
		expect(text).toMatch(/Dernière saisie d’indicateur il y a \d+ jours\./);
		expect(text).toContain(`/territoires/${SLUG}/indicateurs`);
		const mailto = await card.getByRole('link', { name: 'Ouvrir dans la messagerie' }).getAttribute('href');
		expect(mailto).toMatch(new RegExp(`^mailto:${COORDINATION.replaceAll('.', '\\.')}\\?subject=`));
		const url = new URL(mailto!);
		expect(url.searchParams.get('subject')).toBe(`Marathon coopératif — ${NAME} : 2 mois d’indicateurs à saisir`);
		expect(url.searchParams.get('body')).toContain('- octobre 2026 : aucun des');
		expect(url.searchParams.get('body')).toContain('\r\n');
		await expect(card.getByRole('button', { name: 'Copier le message' })).toBeVisible();
		await expectAccessible(page);

		// record it: a double click writes one reminder
		const before = await reminders();
		await card.getByLabel('Envoyée').selectOption('email');
		await card.getByRole('button', { name: 'Noter la relance envoyée' }).dblclick();
		await expect(page.getByRole('status').filter({ hasText: `Relance notée pour ${NAME}.` })).toBeVisible();
		expect(await reminders()).toBe(before + 1);
		const after = page.getByRole('region', { name: NAME });
		await expect(after).toContainText(/Dernière relance le \d{1,2} \S+ \d{4} par Équipe d’animation CoopCoNuT \(démo\), par courriel\./);
		const [row] = await sql`select channel, summary, missing_months::text[] as months, days_since_change from public.reminders where territory_id = ${territoryId} order by sent_at desc limit 1`;
		expect(row).toMatchObject({ channel: 'email', months: ['2026-09-01', '2026-10-01'], days_since_change: expect.any(Number) });
		expect(row.summary).toMatch(/^2 mois d’indicateurs manquants \(septembre 2026, octobre 2026\) ; (aucune mise à jour depuis \d+ jours ; )?3 jalons en retard$/);
		await expectAccessible(page);
		// the journal shows it (entity « Relance »), with what was missing
		const csv = await (await page.request.get('/journal/journal.csv?entite=reminders')).text();
		expect(csv).toContain('Relance');
		expect(csv).toContain('2 mois d’indicateurs manquants (septembre 2026, octobre 2026)');
	});

	test('works without JavaScript: N in the URL (a bad one is a French message), the record form posts, one token writes once', async ({ browser }) => {
		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		await loginOk(page, account('admin').email);

		const bad = await page.goto('/pilotage/relances?jours=abc');
		expect(bad!.status()).toBe(200);
		await expect(page.getByText('Indiquez un nombre entier de jours entre 1 et 365.')).toBeVisible();
		await expect(page.getByLabel('Sans mise à jour depuis (jours)')).toHaveAttribute('aria-invalid', 'true');
		for (const v of ['0', '366', '-1', '1e9', '12abc']) {
			const r = await page.request.get(`/pilotage/relances?jours=${v}`);
			expect(r.status(), v).toBe(200);
			expect(await r.text()).toContain('Indiquez un nombre entier de jours entre 1 et 365.');
		}

		// N = 365: only the territory with missing months is left, and no copy button without JS
		await page.getByLabel('Sans mise à jour depuis (jours)').fill('365');
		await page.getByRole('button', { name: 'Afficher' }).click();
		await expect(page).toHaveURL(/jours=365/);
		await expect(page.getByRole('region')).toHaveCount(1);
		const card = page.getByRole('region', { name: NAME });
		await expect(card).toContainText('2 mois d’indicateurs manquants (septembre 2026, octobre 2026)');
		await expect(card).not.toContainText('aucune mise à jour depuis');
		await expect(card.getByRole('button', { name: 'Copier le message' })).toHaveCount(0);

		// the same submission posted twice (a retry) records once
		const form = card.locator('form');
		const fields = {
			territory: await form.locator('input[name=territory]').inputValue(),
			jours: await form.locator('input[name=jours]').inputValue(),
			submission: await form.locator('input[name=submission]').inputValue(),
			channel: 'phone'
		};
		const before = await reminders();
		// as a browser posts a form (without `accept: text/html`, SvelteKit answers actions in JSON)
		const headers = { origin: new URL(page.url()).origin, accept: 'text/html' };
		for (let i = 0; i < 2; i++) {
			const post = await page.request.post('/pilotage/relances?/record', { form: fields, headers, maxRedirects: 0 });
			expect(post.status()).toBe(303);
			expect(post.headers()['location']).toBe(`/pilotage/relances?jours=365&notee=${SLUG}`);
		}
		expect(await reminders()).toBe(before + 1);

		// the form still holds that token: sending it is the same submission again, nothing written
		await card.getByLabel('Envoyée').selectOption('message');
		await card.getByRole('button', { name: 'Noter la relance envoyée' }).click();
		await expect(page.getByText(`Relance notée pour ${NAME}.`)).toBeVisible();
		await expect(page.getByRole('region', { name: NAME })).toContainText('par téléphone.');
		expect(await reminders()).toBe(before + 1);
		// the page shown after it draws a new token: a new reminder
		await page.getByRole('region', { name: NAME }).getByLabel('Envoyée').selectOption('message');
		await page.getByRole('region', { name: NAME }).getByRole('button', { name: 'Noter la relance envoyée' }).click();
		await expect(page.getByRole('region', { name: NAME })).toContainText('par une autre messagerie.');
		expect(await reminders()).toBe(before + 2);

		// a bad channel is a French message at the form, nothing written
		const refused = await page.request.post('/pilotage/relances?/record', {
			form: { ...fields, channel: 'pigeon', submission: crypto.randomUUID() },
			headers
		});
		expect(refused.status()).toBe(400);
		expect(await refused.text()).toContain('Choisissez comment la relance a été envoyée.');
		expect(await reminders()).toBe(before + 2);
		await context.close();
	});

	for (const who of ['coordinator', 'funder'] as const) {
		test(`a ${who} gets 403 on the page and on the action`, async ({ page }) => {
			await loginOk(page, who === 'coordinator' ? coordinators.find((c) => c.territorySlug === SLUG)!.email : account('funder').email);
			expect((await page.request.get('/pilotage/relances')).status()).toBe(403);
			const before = await reminders();
			const post = await page.request.post('/pilotage/relances?/record', {
				form: { territory: territoryId, channel: 'email', jours: '30', submission: crypto.randomUUID() },
				headers: { origin: new URL(page.url()).origin }
			});
			expect(post.status()).toBe(403);
			expect(await reminders()).toBe(before);
		});
	}
});
