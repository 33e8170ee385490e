import { account, coordinators, expect, expectAccessible, loginOk, test } from './fixtures';

/**
 * The facilitator cockpit through the real UI, on the demo cohort (today pinned to 2026-11-29).
 * The milestone completed here belongs to « Pays des Trois Rivières », which no other spec changes.
 */
const SLUG = 'pays-des-trois-rivieres';
/** The date-change request is filed and accepted in « Marais de l’Estuaire », which no other spec changes. */
const ESTUAIRE = coordinators.find((c) => c.territorySlug === 'marais-de-l-estuaire')!;

test.describe('/pilotage', () => {
	test('a facilitator sees the territories needing help counted and flagged, sorts, filters, opens one and completes a milestone there', async ({ page }) => {
		await loginOk(page, account('facilitator').email);
		await expect(page).toHaveURL('/pilotage');
		await expect(page.getByRole('link', { name: '7 à aider' })).toBeVisible();
		await expect(page.getByRole('link', { name: '4 en bonne voie' })).toBeVisible();
		const portSauvage = page.getByRole('row').filter({ hasText: 'Port-Sauvage' });
		await expect(portSauvage).toContainText('À aider : ni citoyens ni lieux en voie d’atteindre 80 % du seuil ; 3 jalons en retard');
		await expect(page.getByRole('button', { name: 'Règle du drapeau' }).or(page.getByText('Règle du drapeau'))).toBeVisible();
		await expectAccessible(page);

		// the flag count filters
		await page.getByRole('link', { name: '7 à aider' }).click();
		await expect(page).toHaveURL(/drapeau=needs_help/);
		await expect(page.getByRole('table').getByRole('row')).toHaveCount(8);

		// sort by forecast: territories whose projection crosses the threshold first
		await page.goto('/pilotage');
		await page.getByLabel('Trier par').selectOption('prevision');
		await page.getByRole('button', { name: 'Afficher' }).click();
		await expect(page).toHaveURL(/tri=prevision/);
		const firstRow = page.getByRole('table').getByRole('row').nth(1);
		await expect(firstRow).not.toContainText('après le mois 18 · ');
		const lastRow = page.getByRole('table').getByRole('row').last();
		await expect(lastRow).toContainText('après le mois 18');

		// filter by région
		await page.getByLabel('Région').selectOption('Bretagne');
		await page.getByRole('button', { name: 'Afficher' }).click();
		await expect(page).toHaveURL(/region=Bretagne/);
		const rows = page.getByRole('table').getByRole('row');
		await expect(rows).toHaveCount(3);
		const row = rows.filter({ hasText: 'Pays des Trois Rivières' });
		await expect(row).toContainText('8/12');

		// open it, complete a milestone there, come back through the breadcrumb
		await row.getByRole('link', { name: /Pays des Trois Rivières/ }).click();
		await expect(page).toHaveURL(`/territoires/${SLUG}`);
		await page.goto(`/territoires/${SLUG}/jalons?statut=en-cours`);
		await page.getByRole('table').getByRole('link').first().click();
		await page.getByLabel('Preuve de réalisation').fill('Compte rendu validé avec l’équipe d’animation.');
		await page.getByRole('button', { name: 'Marquer comme fait' }).click();
		await expect(page.getByText('Compte rendu validé avec l’équipe d’animation.')).toBeVisible();
		await page.getByRole('link', { name: 'Pilotage', exact: true }).first().click();
		await expect(page).toHaveURL('/pilotage');
		await page.goto('/pilotage?region=Bretagne');
		await expect(page.getByRole('row').filter({ hasText: 'Pays des Trois Rivières' })).toContainText('9/12');
		// the journal shows the completion, before and after
		await page.goto(`/journal?territoire=${SLUG}&entite=milestones`);
		await expect(page.getByRole('row').filter({ hasText: 'Modification' }).first()).toContainText('status : in_progress → done');
	});

	test('the cockpit works without JavaScript: filters are a plain GET form', async ({ browser }) => {
		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		await loginOk(page, account('admin').email);
		await page.goto('/pilotage');
		await page.getByLabel('Drapeau').selectOption('watch');
		await page.getByRole('button', { name: 'Afficher' }).click();
		await expect(page).toHaveURL(/drapeau=watch/);
		await expect(page.getByRole('table').getByRole('row')).toHaveCount(8);
		const csv = await page.request.get('/pilotage/pilotage.csv?drapeau=watch');
		expect(csv.headers()['content-type']).toContain('text/csv');
		const text = await csv.text();
		expect(text.split('\r\n').filter(Boolean)).toHaveLength(8);
		expect(text).toContain('À surveiller');
		await context.close();
	});

	test('the drift matrix shows planned vs actual and opens a milestone', async ({ page }) => {
		await loginOk(page, account('facilitator').email);
		await page.goto('/pilotage/jalons');
		await expect(page.getByRole('table').getByRole('row')).toHaveCount(7);
		await expect(page.getByText('Page 1 sur 3 (18 au total)')).toBeVisible();
		await expectAccessible(page);
		const late = page.getByRole('link', { name: /en retard de \d+ j/ }).first();
		await late.click();
		await expect(page).toHaveURL(/\/territoires\/[a-z0-9-]+\/jalons\/[0-9a-f-]{36}$/);
	});

	test('a facilitator opens a pending date-change request from the drift matrix, accepts it, and the journal shows the due date before/after', async ({ page, browser, baseURL }) => {
		test.setTimeout(60_000);
		// a coordinator files the request on a program milestone still to come
		const coordContext = await browser.newContext({ baseURL, locale: 'fr-FR' });
		const coord = await coordContext.newPage();
		await loginOk(coord, ESTUAIRE.email);
		await coord.goto(`/territoires/${ESTUAIRE.territorySlug}/jalons?statut=prevu`);
		await coord.getByRole('table').getByRole('row').filter({ hasNotText: 'Jalon du territoire' }).getByRole('link').first().click();
		await expect(coord).toHaveURL(/\/jalons\/[0-9a-f-]{36}$/);
		await expect(coord.getByText('Jalon du programme (commun à tous les territoires)')).toBeVisible();
		const title = (await coord.getByRole('heading', { level: 1 }).textContent())!.trim();
		const due = (await coord.locator('dt', { hasText: /^Échéance$/ }).locator('+ dd').textContent())!.trim();
		await coord.getByLabel('Nouvelle échéance demandée').fill('2027-06-29');
		await coord.getByLabel('Pourquoi cette date ?').fill('La restitution publique est repoussée après l’été.');
		await coord.getByRole('button', { name: 'Demander la nouvelle date' }).click();
		await expect(coord.getByRole('listitem').filter({ hasText: 'En attente' })).toContainText('29 juin 2027');
		await coordContext.close();

		// the facilitator finds it in the drift matrix (Marais de l’Estuaire is on page 2: 6 territories a page, by name)
		await loginOk(page, account('facilitator').email);
		await page.goto('/pilotage/jalons?page=2');
		await expect(page.getByRole('status')).toContainText('1 demande de nouvelle date en attente');
		const row = page.getByRole('row').filter({ hasText: 'Marais de l’Estuaire' });
		const cell = row.getByRole('link', { name: `${title} : ` }).filter({ hasText: 'demande' });
		await expect(cell).toHaveAccessibleName(/nouvelle date demandée : 29 juin 2027/);
		await cell.click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
		await page.getByRole('button', { name: 'Accepter la nouvelle date' }).click();
		await expect(page.getByRole('listitem').filter({ hasText: 'Acceptée' })).toContainText(/au\s+29 juin 2027, demandé le [^]*Décision le/);
		await expect(page.locator('dt', { hasText: /^Échéance$/ }).locator('+ dd')).toHaveText('29 juin 2027');
		expect(due).not.toBe('29 juin 2027');

		// the matrix has no pending request left there
		await page.goto('/pilotage/jalons?page=2');
		await expect(page.getByRole('row').filter({ hasText: 'Marais de l’Estuaire' }).getByRole('link', { name: `${title} : ` })).not.toContainText('demande');

		// the journal: the milestone's due date, before → after, and the request's decision
		await page.goto(`/journal?territoire=${ESTUAIRE.territorySlug}&entite=milestones`);
		await expect(page.getByRole('row').filter({ hasText: /due_date : \d{4}-\d{2}-\d{2} → 2027-06-29/ }).first()).toContainText('Équipe d’animation');
		await page.goto(`/journal?territoire=${ESTUAIRE.territorySlug}&entite=milestone_date_requests`);
		await expect(page.getByRole('row').filter({ hasText: 'status : pending → accepted' }).first()).toBeVisible();
		await expectAccessible(page);
	});

	for (const who of ['coordinator', 'funder'] as const) {
		test(`a ${who} gets 403 on every cockpit page`, async ({ page }) => {
			await loginOk(page, who === 'coordinator' ? coordinators[0].email : account('funder').email);
			for (const path of ['/pilotage', '/pilotage/pilotage.csv', '/pilotage/jalons']) {
				const response = await page.request.get(path);
				expect(response.status(), path).toBe(403);
			}
		});
	}
});

test.describe('/configuration', () => {
	test('a facilitator edits a milestone template and applies it to every territory', async ({ page }) => {
		await loginOk(page, account('facilitator').email);
		await page.goto('/configuration/jalons');
		await expectAccessible(page);
		// a new template, applied to all, then renamed and applied again
		await page.getByLabel('Code').fill('bilan_e2e');
		await page.getByLabel('Titre').fill('Bilan d’étape partagé');
		await page.getByLabel('Mois du programme').fill('14');
		await page.getByLabel('Ancrage').check();
		await page.getByRole('button', { name: 'Créer le modèle' }).click();
		await expect(page.getByRole('status')).toContainText('Modèle créé');
		await page.getByRole('button', { name: 'Appliquer le modèle' }).click();
		await expect(page.getByRole('status')).toContainText('18 jalons créés, 0 jalon mis à jour');
		await page.getByLabel('Titre').fill('Bilan d’étape partagé avec les habitants');
		await page.getByRole('button', { name: 'Enregistrer le modèle' }).click();
		await expect(page.getByRole('status')).toContainText('Modèle enregistré');
		await page.getByRole('button', { name: 'Appliquer le modèle' }).click();
		await expect(page.getByRole('status')).toContainText('0 jalon créé, 18 jalons mis à jour');
		await expectAccessible(page);
		// the territory sees it
		await page.goto(`/territoires/${SLUG}/jalons`);
		await expect(page.getByText('Bilan d’étape partagé avec les habitants').first()).toBeVisible();
		// the journal shows the change, before and after
		await page.goto('/journal');
		await page.getByLabel('Quoi').selectOption('milestone_templates');
		await page.getByRole('button', { name: 'Filtrer' }).click();
		await expect(page.getByRole('row').filter({ hasText: 'Modification' }).first()).toContainText(
			'title : Bilan d’étape partagé → Bilan d’étape partagé avec les habitants'
		);
		await page.goto('/journal?entite=milestones');
		await expect(page.getByRole('row').filter({ hasText: 'Bilan d’étape partagé avec les habitants' }).first()).toContainText('Équipe d’animation');
		await expectAccessible(page);
	});

	test('a facilitator changes an indicator’s aggregation; a stock cannot be summed', async ({ page }) => {
		await loginOk(page, account('facilitator').email);
		await page.goto('/configuration/indicateurs');
		await page.getByRole('link', { name: 'Partenariats locaux actifs' }).click();
		await page.getByLabel('Agrégation dans le temps').selectOption('sum');
		await page.getByRole('button', { name: 'Enregistrer l’indicateur' }).click();
		await expect(page.getByText('Un stock ne s’additionne pas')).toBeVisible();
		await page.getByLabel('Agrégation dans le temps').selectOption('average');
		await page.getByLabel('Agrégation entre territoires').selectOption('average');
		await page.getByRole('button', { name: 'Enregistrer l’indicateur' }).click();
		await expect(page.getByRole('status')).toContainText('Indicateur enregistré');
		await page.goto('/configuration/indicateurs');
		await expect(page.getByRole('row').filter({ hasText: 'Partenariats locaux actifs' })).toContainText('moyenne des mois (taux)');
		await expectAccessible(page);
		await page.goto('/journal?entite=indicators');
		const change = page.getByRole('row').filter({ hasText: 'aggregation_over_time' }).first();
		await expect(change).toContainText('aggregation_over_time : last → average');
		await expect(change).toContainText('aggregation_across : sum → average');
		const csv = await (await page.request.get('/journal/journal.csv?entite=indicators')).text();
		expect(csv).toContain('aggregation_over_time : last → average');
	});

	test('a territory’s start date cannot be moved years ahead, nor after its first data: French message at the field, 400', async ({ page }) => {
		await loginOk(page, account('facilitator').email);
		await page.goto('/configuration/territoires');
		await page.goto((await page.getByRole('link', { name: 'Marais de l’Estuaire (démo)' }).getAttribute('href'))!);
		await page.waitForLoadState('networkidle');
		const start = page.getByLabel('Date de début (vide : celle de la cohorte)');
		await start.fill('2029-03-01');
		await expect(start).toHaveValue('2029-03-01');
		await page.getByRole('button', { name: 'Enregistrer le territoire' }).click();
		await expect(start).toHaveAttribute('aria-invalid', 'true');
		await expect(page.getByText('La date de début doit tomber pendant les 18 mois de la cohorte : au plus tard le 31/07/2027.')).toBeVisible();
		await start.fill('2027-01-01');
		await page.getByRole('button', { name: 'Enregistrer le territoire' }).click();
		await expect(page.getByText(/Ce territoire a déjà des données datées du \d{2}\/\d{2}\/2026/)).toBeVisible();
		await expectAccessible(page);
		// without JavaScript: a 400, and the territory still starts with its cohort
		const form = Object.fromEntries(
			await page.locator('form[action="?/update"]').evaluate((f) => [...new FormData(f as HTMLFormElement)].map(([k, v]) => [k, String(v)]))
		);
		const response = await page.request.post(`${page.url()}?/update`, {
			form: { ...form, start_date: '2027-01-01' },
			// a plain form post (no JavaScript): the page itself, with the failure's status
			headers: { origin: new URL(page.url()).origin, accept: 'text/html' }
		});
		expect(response.status()).toBe(400);
		await page.goto(`/territoires/${ESTUAIRE.territorySlug}`);
		await expect(page.getByText(/Mois 10 sur 18/)).toBeVisible();
		await expect(page.locator('body')).not.toContainText(/mois -\d|mois 0\b/i);
	});

	for (const who of ['coordinator', 'funder'] as const) {
		test(`a ${who} gets 403 on every configuration page and action`, async ({ page }) => {
			await loginOk(page, who === 'coordinator' ? coordinators[0].email : account('funder').email);
			for (const path of ['/configuration', '/configuration/territoires', '/configuration/jalons', '/configuration/indicateurs', '/configuration/indicateurs/nouveau']) {
				expect((await page.request.get(path)).status(), path).toBe(403);
			}
			const post = await page.request.post('/configuration?/cohort', {
				form: { version: '1', name: 'x' },
				headers: { origin: new URL(page.url()).origin }
			});
			expect(post.status()).toBe(403);
		});
	}
});

test.describe('/personnes', () => {
	test('a facilitator invites a coordinator, who sets a password through the link and sees only that territory', async ({ page, browser }) => {
		await loginOk(page, account('facilitator').email);
		await page.goto('/personnes');
		await expectAccessible(page);
		await page.getByRole('link', { name: 'Inviter quelqu’un' }).click();
		await page.getByLabel('Nom affiché').fill('Camille Nouvelle');
		await page.getByLabel('Adresse e-mail').fill('camille.nouvelle@exemple.test');
		await page.getByLabel('Rôle').selectOption('coordinator');
		await page.getByLabel('Territoire (pour une coordination)').selectOption({ label: 'Pays des Trois Rivières (démo)' });
		await page.getByRole('button', { name: 'Inviter' }).click();
		const link = await page.getByLabel('Lien d’invitation').inputValue();
		expect(link).toMatch(/\/invitation\/[A-Za-z0-9_-]{43}$/);
		await expectAccessible(page);

		const context = await browser.newContext();
		const invitee = await context.newPage();
		await invitee.goto(link);
		await expect(invitee.getByRole('heading', { name: 'Bienvenue, Camille Nouvelle' })).toBeVisible();
		await invitee.getByLabel('Mot de passe', { exact: true }).fill('les trois rivieres en marche');
		await invitee.getByLabel('Répétez le mot de passe').fill('les trois rivieres en route');
		await invitee.getByRole('button', { name: 'Créer mon accès' }).click();
		await expect(invitee.getByText('Les deux mots de passe ne sont pas identiques.')).toBeVisible();
		await invitee.getByLabel('Mot de passe', { exact: true }).fill('les trois rivieres en marche');
		await invitee.getByLabel('Répétez le mot de passe').fill('les trois rivieres en marche');
		await invitee.getByRole('button', { name: 'Créer mon accès' }).click();
		await expect(invitee).toHaveURL(`/territoires/${SLUG}`);
		expect((await invitee.request.get(`/territoires/${coordinators[0].territorySlug}`)).status()).toBe(403);
		expect((await invitee.request.get('/pilotage')).status()).toBe(403);
		// the link works once
		const again = await invitee.request.get(link);
		expect(again.status()).toBe(410);
		await context.close();

		// the facilitator sees the new person
		await page.goto('/personnes');
		await expect(page.getByRole('row').filter({ hasText: 'Camille Nouvelle' })).toContainText('Pays des Trois Rivières');
	});

	test('a double-click on « Inviter » makes one invitation, whose link works; inviting the address again replaces it', async ({ page, browser }) => {
		await loginOk(page, account('facilitator').email);
		await page.goto('/personnes/inviter');
		await page.getByLabel('Nom affiché').fill('Dominique Double');
		await page.getByLabel('Adresse e-mail').fill('dominique.double@exemple.test');
		await page.getByLabel('Rôle').selectOption('funder');
		await page.getByRole('button', { name: 'Inviter' }).dblclick();
		const link = page.getByLabel('Lien d’invitation');
		await expect(link).toHaveValue(/\/invitation\/[A-Za-z0-9_-]{43}$/);
		await page.goto('/personnes');
		await expect(page.getByRole('listitem').filter({ hasText: 'dominique.double@exemple.test' })).toHaveCount(1);

		// without JavaScript, the same form posted twice (same submission token): still one invitation
		const context = await browser.newContext({ javaScriptEnabled: false });
		const noJs = await context.newPage();
		await loginOk(noJs, account('admin').email);
		await noJs.goto('/personnes/inviter');
		const submission = await noJs.locator('input[name="submission"]').inputValue();
		const form = { submission, display_name: 'Sacha Deux-Fois', email: 'sacha.deux-fois@exemple.test', app_role: 'funder', territory_id: '' };
		const headers = { origin: new URL(noJs.url()).origin, accept: 'text/html' };
		const [first, second] = await Promise.all([
			noJs.request.post('/personnes/inviter', { form, headers }),
			noJs.request.post('/personnes/inviter', { form, headers })
		]);
		expect([first.status(), second.status()]).toEqual([200, 200]);
		const links = await Promise.all([first, second].map(async (r) => /\/invitation\/[A-Za-z0-9_-]{43}/.exec(await r.text())?.[0]));
		expect(links.every(Boolean)).toBe(true);
		await noJs.goto('/personnes');
		await expect(noJs.getByRole('listitem').filter({ hasText: 'sacha.deux-fois@exemple.test' })).toHaveCount(1);
		// only the last link shown works (only its hash is kept)
		const statuses = await Promise.all(links.map(async (l) => (await context.request.get(l!)).status()));
		expect(statuses.filter((st) => st === 200)).toHaveLength(1);
		await context.close();

		// inviting the address again: a new link, the old one stops working, still one pending invitation
		const oldLink = await (async () => {
			await page.goto('/personnes/inviter');
			await page.getByLabel('Nom affiché').fill('Dominique Double');
			await page.getByLabel('Adresse e-mail').fill('Dominique.Double@exemple.test');
			await page.getByLabel('Rôle').selectOption('funder');
			await page.getByRole('button', { name: 'Inviter' }).click();
			return page.getByLabel('Lien d’invitation').inputValue();
		})();
		const again = await (async () => {
			await page.goto('/personnes/inviter');
			await page.getByLabel('Nom affiché').fill('Dominique Double');
			await page.getByLabel('Adresse e-mail').fill('dominique.double@exemple.test');
			await page.getByLabel('Rôle').selectOption('coordinator');
			await page.getByLabel('Territoire (pour une coordination)').selectOption({ label: 'Marais de l’Estuaire (démo)' });
			await page.getByRole('button', { name: 'Inviter' }).click();
			return page.getByLabel('Lien d’invitation').inputValue();
		})();
		expect(again).not.toBe(oldLink);
		expect((await page.request.get(oldLink)).status()).toBe(410);
		expect((await page.request.get(again)).status()).toBe(200);
		await page.goto('/personnes');
		await expect(page.getByRole('listitem').filter({ hasText: 'dominique.double@exemple.test' })).toHaveCount(1);
		await expect(page.getByRole('listitem').filter({ hasText: 'dominique.double@exemple.test' })).toContainText('Marais de l’Estuaire');
		// the invitee double-clicks « Créer mon accès » (no enhancement: two plain posts): one account, signed in
		const inviteeContext = await browser.newContext();
		const invitee = await inviteeContext.newPage();
		await invitee.goto(again);
		await invitee.getByLabel('Mot de passe', { exact: true }).fill('le marais a deux clics');
		await invitee.getByLabel('Répétez le mot de passe').fill('le marais a deux clics');
		await invitee.getByRole('button', { name: 'Créer mon accès' }).dblclick();
		await expect(invitee).toHaveURL(`/territoires/${ESTUAIRE.territorySlug}`);
		expect((await invitee.request.get(again)).status()).toBe(410);
		await inviteeContext.close();
		await page.goto('/personnes');
		await expect(page.getByRole('row').filter({ hasText: 'dominique.double@exemple.test' })).toHaveCount(1);

		// the journal shows the invitation replaced
		await page.goto('/journal?entite=invitations');
		await expect(page.getByRole('row').filter({ hasText: /revoked_at : — → \d{4}/ }).first()).toBeVisible();
	});

	test('an address that already has an account is refused at the e-mail field, in French', async ({ page }) => {
		await loginOk(page, account('facilitator').email);
		await page.goto('/personnes/inviter');
		await page.getByLabel('Nom affiché').fill('Déjà là');
		await page.getByLabel('Adresse e-mail').fill(coordinators[3].email.toUpperCase());
		await page.getByLabel('Rôle').selectOption('funder');
		await page.getByRole('button', { name: 'Inviter' }).click();
		await expect(page.getByLabel('Adresse e-mail')).toHaveAttribute('aria-invalid', 'true');
		await expect(page.getByText('Cette adresse a déjà un compte : changez plutôt son rôle depuis sa fiche')).toBeVisible();
		await expect(page.getByLabel('Lien d’invitation')).toHaveCount(0);
		await expect(page.getByLabel('Nom affiché')).toHaveValue('Déjà là');
		await expectAccessible(page);
	});

	test('a bad role on a person’s page is refused in French, at the role', async ({ page }) => {
		await loginOk(page, account('admin').email);
		await page.goto('/personnes');
		const href = (await page.locator('a[href^="/personnes/"]').filter({ hasText: /^Coordination / }).first().getAttribute('href'))!;
		const userId = href.split('/').pop()!;
		expect(userId).toMatch(/^[0-9a-f-]{36}$/);
		const response = await page.request.post(`/personnes/${userId}?/role`, {
			form: { user_id: userId, app_role: 'superadmin' },
			headers: { origin: new URL(page.url()).origin, accept: 'text/html' }
		});
		expect(response.status()).toBe(400);
		const html = await response.text();
		expect(html).toContain('Choisissez un rôle.');
		expect(html).not.toMatch(/Invalid (input|option)/);
	});

	test('a facilitator cannot invite an admin (no such choice, and refused if forced)', async ({ page }) => {
		await loginOk(page, account('facilitator').email);
		await page.goto('/personnes/inviter');
		await expect(page.getByLabel('Rôle').locator('option')).toHaveText(['coordination de territoire', 'animation CoopCoNuT', 'financeur']);
		const post = await page.request.post('/personnes/inviter', {
			form: { display_name: 'X', email: 'x@exemple.test', app_role: 'admin' },
			headers: { origin: new URL(page.url()).origin }
		});
		expect(post.status()).toBe(403);
	});

	for (const who of ['coordinator', 'funder'] as const) {
		test(`a ${who} gets 403 on /personnes and its actions`, async ({ page }) => {
			await loginOk(page, who === 'coordinator' ? coordinators[0].email : account('funder').email);
			for (const path of ['/personnes', '/personnes/inviter', '/journal', '/journal/journal.csv']) expect((await page.request.get(path)).status(), path).toBe(403);
			const post = await page.request.post('/personnes/inviter', {
				form: { display_name: 'X', email: 'x@exemple.test', app_role: 'funder' },
				headers: { origin: new URL(page.url()).origin }
			});
			expect(post.status()).toBe(403);
		});
	}
});

test('a person page acts on the person of its address, not on a hidden field a post could change', async ({ page }) => {
	const { e2eDatabase } = await import('./db');
	const sql = e2eDatabase();
	try {
		const [x, y] = await sql<{ user_id: string; territory_id: string }[]>`
			select m.user_id, m.territory_id from public.territory_members m
			join auth.users u on u.id = m.user_id where u.email = any (${[coordinators[0].email, coordinators[1].email]})
			order by u.email = ${coordinators[0].email} desc`;
		await loginOk(page, account('facilitator').email);
		const post = await page.request.post(`/personnes/${x.user_id}?/removeTerritory`, {
			form: { user_id: y.user_id, territory_id: y.territory_id },
			headers: { origin: new URL(page.url()).origin }
		});
		// x has no access to y's territory: nothing to remove there, and y keeps theirs
		expect(post.status()).toBe(404);
		const [kept] = await sql`select 1 as one from public.territory_members where user_id = ${y.user_id} and territory_id = ${y.territory_id}`;
		expect(kept?.one).toBe(1);
	} finally {
		await sql.end();
	}
});
