import { account, coordinators, expect, expectAccessible, login, test } from './fixtures';
import { e2eDatabase } from './db';

const PORT = Number(process.env.E2E_PORT ?? 4173);
const ORIGIN = `http://localhost:${PORT}`;

test.describe('redirects after login', () => {
	for (const suite of ['/%09/evil.example/x', '/%0A/x', '//evil.example', '/%5Cevil.example', 'javascript:alert(1)']) {
		test(`?suite=${suite} lands on this site, never a 500`, async ({ page }) => {
			await page.goto(`/connexion?suite=${suite}`);
			await page.getByLabel('Adresse e-mail').fill(account('facilitator').email);
			await page.getByLabel('Mot de passe').fill('marathon-demo');
			await page.getByRole('button', { name: 'Se connecter' }).click();
			await page.waitForURL((url) => url.pathname !== '/connexion');
			expect(new URL(page.url()).origin).toBe(ORIGIN);
			// Signed in already: the login page sends on, to this site as well.
			const again = await page.goto(`/connexion?suite=${suite}`);
			expect(again?.status()).toBeLessThan(500);
			expect(new URL(page.url()).origin).toBe(ORIGIN);
		});
	}
});

test.describe('headers', () => {
	test('no framing, no sniffing, a CSP from kit.csp; no HSTS over plain HTTP', async ({ request }) => {
		const response = await request.get('/connexion');
		const h = response.headers();
		expect(h['x-frame-options']).toBe('DENY');
		expect(h['x-content-type-options']).toBe('nosniff');
		expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
		expect(h['content-security-policy']).toMatch(/script-src 'self' 'nonce-|script-src 'self' 'sha256-/);
		expect(h['strict-transport-security']).toBeUndefined();
	});

	test('HSTS when the site is served over HTTPS (behind a proxy)', async ({ request }) => {
		// The e2e server's ORIGIN is http; the https case is the unit test of withSecurityHeaders.
		const response = await request.get('/connexion');
		expect(response.headers()['x-frame-options']).toBe('DENY');
	});
});

test.describe('the printed address', () => {
	test('a browser on 127.0.0.1 is sent to the one printed address, where logins work', async ({ request }) => {
		const response = await request.get(`http://127.0.0.1:${PORT}/connexion?suite=/transparence`, { maxRedirects: 0 });
		expect(response.status()).toBe(308);
		expect(response.headers()['location']).toBe(`${ORIGIN}/connexion?suite=/transparence`);
	});

	test('a form posted from another address gets a French page with the right address (no JS)', async ({ browser }) => {
		const context = await browser.newContext({ javaScriptEnabled: false, baseURL: `http://127.0.0.1:${PORT}` });
		const page = await context.newPage();
		// A page served from 127.0.0.1 (the redirect is for GET; here the form is built by hand).
		await page.route(`http://127.0.0.1:${PORT}/formulaire`, (route) =>
			route.fulfill({
				contentType: 'text/html',
				body: `<form method="POST" action="${ORIGIN}/connexion"><input name="email" value="a@b.fr"><input name="password" value="x"><button>Envoyer</button></form>`
			})
		);
		await page.goto(`http://127.0.0.1:${PORT}/formulaire`);
		const [response] = await Promise.all([page.waitForResponse(`${ORIGIN}/connexion`), page.getByRole('button').click()]);
		expect(response.status()).toBe(403);
		await expect(page.getByRole('heading', { name: 'Pas autorisé' })).toBeVisible();
		await expect(page.getByText(`ouvrez Marathon à l’adresse ${ORIGIN}`)).toBeVisible();
		await expect(page.getByRole('link', { name: 'Retour à l’accueil de Marathon' })).toHaveAttribute('href', `${ORIGIN}/`);
		await context.close();
	});
});

test.describe('error pages name the real reason, with a way back', () => {
	test('a funder opening a coordinator’s CSV link reads « pas autorisé »', async ({ page }) => {
		await login(page, account('funder').email);
		await page.waitForURL('/impact'); // a funder's home
		const response = await page.goto(`/territoires/${coordinators[0].territorySlug}/import-export/citoyens.csv`);
		expect(response?.status()).toBe(403);
		await expect(page.getByText(/pas autorisé/)).toBeVisible();
		await expect(page.getByText(/indisponible/)).toHaveCount(0);
		await expect(page.getByRole('link', { name: 'Retour à l’accueil' })).toBeVisible();
	});

	test('403 and 404 pages say so in French, with a link back', async ({ page }) => {
		await login(page, coordinators[0].email);
		await page.waitForURL(`/territoires/${coordinators[0].territorySlug}`);
		let response = await page.goto(`/territoires/${coordinators[1].territorySlug}`);
		expect(response?.status()).toBe(403);
		await expect(page.getByRole('heading', { level: 1, name: 'Pas autorisé' })).toBeVisible();
		await expect(page.getByRole('link', { name: 'Retour à l’accueil' })).toBeVisible();
		await expectAccessible(page);
		response = await page.goto(`/territoires/${coordinators[0].territorySlug}/jalons/00000000-0000-4000-8000-000000000000`);
		expect(response?.status()).toBe(404);
		await expect(page.getByRole('heading', { level: 1, name: 'Introuvable' })).toBeVisible();
		await expect(page.getByRole('link', { name: 'Retour à l’accueil' })).toBeVisible();
	});

	test('uncheck with ids outside the territory is a 404, not a success', async ({ page, request }) => {
		const sql = e2eDatabase();
		try {
			const [mine] = await sql`select w.id from public.workshops w join public.territories t on t.id = w.territory_id
				where t.slug = ${coordinators[0].territorySlug!} order by w.id limit 1`;
			const [theirs] = await sql`select a.citizen_id from public.attendances a join public.territories t on t.id = a.territory_id
				where t.slug = ${coordinators[1].territorySlug!} limit 1`;
			await login(page, coordinators[0].email);
			await page.waitForURL(`/territoires/${coordinators[0].territorySlug}`);
			const response = await page.request.post(`/territoires/${coordinators[0].territorySlug}/ateliers/${mine.id}?/uncheck`, {
				headers: { origin: ORIGIN, accept: 'text/html' },
				form: { citizen_id: theirs.citizen_id },
				maxRedirects: 0
			});
			expect(response.status()).toBe(404);
			expect(await response.text()).toContain('Cette présence n’existe pas');
		} finally {
			await sql.end();
		}
		void request;
	});
});

test.describe('sessions and password', () => {
	test('a new login in the same browser revokes the previous session', async ({ page, context, browser }) => {
		await login(page, account('admin').email);
		await page.waitForURL('/pilotage'); // an admin's home
		const before = await context.cookies();
		// A login form opened earlier, posted while still signed in (same browser, same cookies).
		const again = await page.request.post('/connexion', {
			headers: { origin: ORIGIN, accept: 'text/html' },
			form: { email: account('facilitator').email, password: 'marathon-demo' },
			maxRedirects: 0
		});
		expect(again.status()).toBe(303);
		await page.goto('/');
		await expect(page.getByRole('heading', { name: 'Pilotage des 18 territoires' })).toBeVisible();
		const other = await browser.newContext();
		await other.addCookies(before);
		const page2 = await other.newPage();
		await page2.goto('/');
		await expect(page2).toHaveURL(/\/connexion/);
		await other.close();
	});

	test('a signed-in person changes their password on /compte (≥ 12 characters, not a common one)', async ({ page }) => {
		const me = coordinators[6];
		await login(page, me.email);
		await page.waitForURL(`/territoires/${me.territorySlug}`);
		await page.getByRole('link', { name: me.displayName }).click();
		await expect(page).toHaveURL('/compte');
		await expectAccessible(page);
		const fill = async (current: string, next: string, confirm = next) => {
			await page.getByLabel('Mot de passe actuel').fill(current);
			await page.getByLabel('Nouveau mot de passe', { exact: true }).fill(next);
			await page.getByLabel('Nouveau mot de passe, une seconde fois').fill(confirm);
			await page.getByRole('button', { name: 'Changer de mot de passe' }).click();
		};
		await fill('marathon-demo', 'court');
		await expect(page.getByText('Le nouveau mot de passe doit compter au moins 12 caractères.')).toBeVisible();
		await fill('marathon-demo', '123qweasdzxc');
		await expect(page.getByText('mots de passe les plus courants')).toBeVisible();
		await fill('marathon-demo', 'trois chevaux bleus au galop', 'autre chose');
		await expect(page.getByText('Les deux saisies du nouveau mot de passe diffèrent.')).toBeVisible();
		await fill('marathon-demo', 'trois chevaux bleus au galop');
		await expect(page.getByRole('status')).toHaveText(/Votre mot de passe est modifié/);
		await page.getByRole('button', { name: 'Se déconnecter' }).click();
		await login(page, me.email, 'trois chevaux bleus au galop');
		await page.waitForURL(`/territoires/${me.territorySlug}`);
	});

	test('signed out, /compte sends to the login page', async ({ page }) => {
		await page.goto('/compte');
		await expect(page).toHaveURL(/\/connexion\?suite=%2Fcompte/);
	});
});

test('40 parallel wrong passwords over HTTP: at most 5 tries, then 429 with Retry-After and a French message', async ({ playwright }) => {
	const victim = coordinators[7].email;
	const api = await playwright.request.newContext({ baseURL: ORIGIN });
	const responses = await Promise.all(
		Array.from({ length: 40 }, (_, i) =>
			api.post('/connexion', { headers: { origin: ORIGIN, accept: 'text/html' }, form: { email: victim, password: `faux-${i}` } })
		)
	);
	const statuses = responses.map((r) => r.status());
	expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
	expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(35);
	const throttled = responses.find((r) => r.status() === 429)!;
	expect(Number(throttled.headers()['retry-after'])).toBeGreaterThan(0);
	expect(await throttled.text()).toMatch(/Trop de tentatives de connexion\. Réessayez dans \d+/);
	await api.dispose();
});

test('the strict CSP (no inline script, no inline style) breaks no page, the chart included', async ({ page }) => {
	const violations: string[] = [];
	page.on('console', (m) => {
		if (/Content Security Policy|Refused to/.test(m.text())) violations.push(`${page.url()}: ${m.text()}`);
	});
	await login(page, account('facilitator').email);
	await page.waitForURL('/pilotage'); // a facilitator's home
	const slug = coordinators[0].territorySlug;
	for (const p of ['/pilotage', '/pilotage/jalons', '/impact/tendances', `/territoires/${slug}`, `/territoires/${slug}/jalons?vue=frise`, `/territoires/${slug}/ateliers?vue=calendrier`, `/territoires/${slug}/citoyens`, `/territoires/${slug}/indicateurs`, '/compte'])
		await page.goto(p);
	await page.goto(`/territoires/${slug}/indicateurs`);
	await page.locator('a[href*="/indicateurs/"]').first().click();
	await expect(page.locator('canvas')).toBeVisible();
	expect(page.url()).toContain('/indicateurs/');
	expect(violations).toEqual([]);
});
