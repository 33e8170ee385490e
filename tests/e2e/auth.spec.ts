import { DEMO_PASSWORD } from '../../src/lib/server/demo/seed';
import { account, coordinators, expect, expectAccessible, login, loginOk, test } from './fixtures';
import { e2eDatabase } from './db';

test.describe('login by role', () => {
	test('a coordinator lands on their territory: month, phase and thresholds', async ({ page }) => {
		const me = coordinators[0];
		await login(page, me.email);
		await expect(page).toHaveURL(`/territoires/${me.territorySlug}`);
		await expect(page.getByText('Mois 10 sur 18 — phase Germer')).toBeVisible();
		await expect(page.getByText('Citoyens inscrits')).toBeVisible();
		await expect(page.getByText(/\/ 350/)).toBeVisible();
		await expect(page.getByText(/\/ 150/)).toBeVisible();
		await expectAccessible(page);
	});

	test('a facilitator lands on the cockpit of the 18 territories', async ({ page }) => {
		await login(page, account('facilitator').email);
		await expect(page).toHaveURL('/pilotage');
		await expect(page.getByRole('heading', { name: 'Pilotage des 18 territoires' })).toBeVisible();
		await expect(page.getByRole('table').getByRole('row')).toHaveCount(19);
		await expectAccessible(page);
		// and may open any territory
		await page.getByRole('link', { name: coordinators[5].territoryName ?? '' }).first().click();
		await expect(page).toHaveURL(`/territoires/${coordinators[5].territorySlug}`);
	});

	test('an admin sees all territories too', async ({ page }) => {
		await login(page, account('admin').email);
		await expect(page.getByRole('heading', { name: 'Pilotage des 18 territoires' })).toBeVisible();
	});

	test('a funder lands on the impact dashboard, with no link into any workspace', async ({ page }) => {
		await login(page, account('funder').email);
		await expect(page).toHaveURL('/impact');
		await expect(page.getByRole('heading', { name: 'L’impact du programme' })).toBeVisible();
		await expect(page.getByText('Citoyens inscrits').first()).toBeVisible();
		await expect(page.getByRole('link', { name: coordinators[0].territoryName ?? '' })).toHaveCount(0);
		await expectAccessible(page);
		const response = await page.goto(`/territoires/${coordinators[0].territorySlug}`);
		expect(response?.status()).toBe(403);
	});
});

test.describe('refusals', () => {
	test('a coordinator is refused another territory with a 403, not a hidden link', async ({ page }) => {
		await login(page, coordinators[0].email);
		await expect(page).toHaveURL(`/territoires/${coordinators[0].territorySlug}`);
		const response = await page.goto(`/territoires/${coordinators[1].territorySlug}`);
		expect(response?.status()).toBe(403);
		await expect(page.getByText('Ce territoire n’est pas le vôtre')).toBeVisible();
	});

	test('an unknown territory is a 404', async ({ page }) => {
		await loginOk(page, account('facilitator').email);
		const response = await page.goto('/territoires/nulle-part');
		expect(response?.status()).toBe(404);
	});

	test('signed out, every page sends to the login page and back after', async ({ page }) => {
		const target = `/territoires/${coordinators[2].territorySlug}`;
		await page.goto(target);
		await expect(page).toHaveURL(/\/connexion\?suite=/);
		await expectAccessible(page);
		// the form posts to the login page itself, whatever address the browser shows (after a
		// redirect during « Back » it may still show the page left: the post went there, 405)
		await expect(page.locator('form:has(input[name="suite"])')).toHaveAttribute('action', '/connexion');
		await page.getByLabel('Adresse e-mail').fill(coordinators[2].email);
		await page.getByLabel('Mot de passe').fill('marathon-demo');
		await page.getByRole('button', { name: 'Se connecter' }).click();
		await expect(page).toHaveURL(target);
	});
});

test.describe('bad input', () => {
	test('a wrong password and an unknown email get the same French message, a 401', async ({ page }) => {
		await login(page, coordinators[3].email, 'pas-le-bon');
		await expect(page.getByRole('alert')).toHaveText('Adresse e-mail ou mot de passe incorrect.');
		await expect(page.getByLabel('Adresse e-mail')).toHaveValue(coordinators[3].email);
		await login(page, 'personne@exemple.fr', 'peu-importe');
		await expect(page.getByRole('alert')).toHaveText('Adresse e-mail ou mot de passe incorrect.');
	});

	test('an empty or malformed form gets messages at the fields', async ({ page }) => {
		await page.goto('/connexion');
		await page.getByLabel('Adresse e-mail').fill('pas-une-adresse');
		await page.getByRole('button', { name: 'Se connecter' }).click();
		await expect(page.getByText('Cette adresse e-mail n’est pas valide')).toBeVisible();
		await expect(page.getByText('Indiquez votre mot de passe.')).toBeVisible();
		await expectAccessible(page);
	});

	test('a malformed post is a 400, not a 500', async ({ request }) => {
		const response = await request.post('/connexion', {
			headers: { origin: 'http://localhost:4173', 'content-type': 'application/x-www-form-urlencoded' },
			data: 'email=%ZZ&&&password'
		});
		expect(response.status()).toBeLessThan(500);
	});

	test('after five wrong passwords the account is throttled (429) for a while', async ({ page }) => {
		const victim = coordinators[4].email;
		for (let i = 0; i < 5; i++) await login(page, victim, `faux-${i}`);
		await login(page, victim);
		await expect(page.getByRole('alert')).toContainText('Trop de tentatives');
		await expect(page).toHaveURL(/\/connexion/);
	});

	test('a tampered or foreign session cookie is treated as signed out', async ({ page, context }) => {
		await login(page, account('facilitator').email);
		await expect(page).toHaveURL('/pilotage');
		const [cookie] = (await context.cookies()).filter((c) => c.name === 'marathon_session');
		const [h, p, s] = cookie.value.split('.');
		const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
		const forged = Buffer.from(JSON.stringify({ ...claims, app_role: 'admin', sub: claims.sub })).toString('base64url');
		await context.addCookies([{ ...cookie, value: `${h}.${forged}.${s}` }]);
		await page.goto('/');
		await expect(page).toHaveURL(/\/connexion/);
	});
});

test('logout really ends the session, even for a copy of the cookie', async ({ page, context, browser }) => {
	await login(page, account('facilitator').email);
	await expect(page).toHaveURL('/pilotage');
	const saved = await context.cookies();
	await page.getByRole('button', { name: 'Se déconnecter' }).click();
	await expect(page).toHaveURL('/connexion?sortie=1');
	await expect(page.getByRole('status')).toHaveText('Vous êtes déconnecté·e.');
	// Someone who kept the old cookie gets nothing either.
	const other = await browser.newContext();
	await other.addCookies(saved);
	const page2 = await other.newPage();
	await page2.goto('/');
	await expect(page2).toHaveURL(/\/connexion/);
	await other.close();
});

test('a session ended elsewhere ends at the next page, and a role changed elsewhere applies at once', async ({ page }) => {
	// Within a minute of its token a page trusts the token and confirms the session in its own
	// transaction (src/lib/server/auth/local.ts, identify): what it confirms is tested here.
	const me = coordinators[16];
	const sql = e2eDatabase();
	try {
		await loginOk(page, me.email);
		const home = `/territoires/${me.territorySlug}`;
		await expect(page).toHaveURL(home);
		await sql`update public.profiles set app_role = 'funder' where user_id = (select id from auth.users where email = ${me.email})`;
		await page.goto(`${home}/citoyens`);
		// a funder opens no workspace: the new role, not the one in the token
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Pas autorisé');
		// a role raised: the refusal made on the token's role alone is checked, and the page opens
		await sql`update public.profiles set app_role = 'coordinator' where user_id = (select id from auth.users where email = ${me.email})`;
		await page.goto(`${home}/citoyens`);
		await expect(page.getByRole('heading', { level: 1, name: /Citoyens/ })).toBeVisible();
		await sql`update private.sessions set revoked_at = now()
			where user_id = (select id from auth.users where email = ${me.email}) and revoked_at is null`;
		await page.goto(`${home}/citoyens`);
		await expect(page).toHaveURL(`/connexion?suite=${encodeURIComponent(`${home}/citoyens`)}`);
		await expect(page.getByLabel('Adresse e-mail')).toBeVisible();
		// a page that reads nothing in the database (the account page) ends too
		await loginOk(page, me.email);
		await sql`update private.sessions set revoked_at = now()
			where user_id = (select id from auth.users where email = ${me.email}) and revoked_at is null`;
		await page.goto('/compte');
		await expect(page).toHaveURL(`/connexion?suite=${encodeURIComponent('/compte')}`);
		// a public page, with a session ended meanwhile: shown to a visitor, not a login form
		await loginOk(page, me.email);
		await sql`update private.sessions set revoked_at = now()
			where user_id = (select id from auth.users where email = ${me.email}) and revoked_at is null`;
		const response = await page.goto('/transparence');
		await expect(page).toHaveURL('/transparence');
		await expect(page.getByRole('button', { name: 'Se déconnecter' })).toHaveCount(0);
		// the way there went through the login page's door, with the security headers of any answer
		const door = response!.request().redirectedFrom()!;
		expect(door.url()).toMatch(/\/connexion\?suite=%2Ftransparence&fin=1$/);
		expect((await door.redirectedFrom()!.response())!.headers()['x-frame-options']).toBe('DENY');
	} finally {
		await sql`update public.profiles set app_role = 'coordinator' where user_id = (select id from auth.users where email = ${me.email})`;
		await sql.end();
	}
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });
	test('login, landing and logout work as plain HTML forms', async ({ page }) => {
		await login(page, account('funder').email);
		await expect(page.getByRole('heading', { name: 'L’impact du programme' })).toBeVisible();
		await page.getByRole('button', { name: 'Se déconnecter' }).click();
		await expect(page).toHaveURL('/connexion?sortie=1');
	});
});

test('the public transparency page opens to anyone (its figures: tests/e2e/impact.spec.ts)', async ({ page }) => {
	await page.goto('/transparence');
	await expect(page.getByRole('heading', { name: 'Le Marathon coopératif en chiffres' })).toBeVisible();
	await expectAccessible(page);
});

test.describe('a form sent after the session ended', () => {
	for (const javaScriptEnabled of [false, true])
		test(`says nothing was saved and leads back to the form's page (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async ({ browser }) => {
			const context = await browser.newContext({ javaScriptEnabled });
			const page = await context.newPage();
			const me = coordinators.find((c) => c.territorySlug === 'pays-de-la-forge')!;
			await loginOk(page, me.email);
			const form = `/territoires/${me.territorySlug}/ateliers/nouveau?lieu=ecole`;
			await page.goto(form);
			await page.getByLabel('Titre').fill('Atelier envoyé trop tard');
			await context.clearCookies(); // the session ended (idle timeout, logout in another tab)
			await page.getByRole('button', { name: 'Planifier l’atelier' }).click();
			await expect(page).toHaveURL(/\/connexion\?/);
			await expect(page.getByRole('status')).toContainText('ce que vous veniez d’envoyer n’a pas été enregistré');
			await page.getByLabel('Adresse e-mail').fill(me.email);
			await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
			await page.getByRole('button', { name: 'Se connecter' }).click();
			// back to the form's page (its search kept), not to the action's address
			await expect(page).toHaveURL(form);
			await expect(page.getByRole('heading', { name: 'Planifier un atelier' })).toBeVisible();
			await context.close();
		});
});
