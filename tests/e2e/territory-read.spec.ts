import { account, coordinators, expect, loginOk, test } from './fixtures';
import { e2eDatabase } from './db';

// A territory page's reads leave with its access check (readTerritory, src/lib/server/territories/
// context.ts), once the server has read that territory before. These prove the check still decides.
const PAGES = ['', '/jalons', '/citoyens', '/indicateurs', '/ateliers', '/lieux', '/import-export'];

test.describe('a territory page reads with its access check', () => {
	test('another territory’s pages stay refused once staff have opened them: nothing of theirs is shown', async ({ browser }) => {
		const [mine, theirs] = coordinators;
		const sql = e2eDatabase();
		try {
			const [person] = await sql<{ display_name: string }[]>`
				select c.display_name from public.citizens c join public.territories t on t.id = c.territory_id
				where t.slug = ${theirs.territorySlug!} and c.display_name is not null order by c.enrolled_at desc limit 1`;
			const staff = await browser.newPage();
			await loginOk(staff, account('facilitator').email);
			// the server now knows their territory: its next pages send their reads with the check
			for (const path of PAGES) expect((await staff.goto(`/territoires/${theirs.territorySlug}${path}`))?.status()).toBe(200);

			const page = await browser.newPage();
			await loginOk(page, mine.email);
			for (const path of PAGES) {
				const response = await page.goto(`/territoires/${theirs.territorySlug}${path}`);
				expect(response?.status(), path).toBe(403);
				const html = await response!.text();
				expect(html, path).toContain('Ce territoire n’est pas le vôtre');
				expect(html, path).not.toContain(theirs.territoryName!);
				expect(html, path).not.toContain(person.display_name);
			}
		} finally {
			await sql.end();
		}
	});

	test('a territory changed since the server last read it is shown as it is now (its reads run again)', async ({ page }) => {
		const [mine] = coordinators;
		const sql = e2eDatabase();
		const renamed = `${mine.territoryName} — renommé`;
		try {
			await loginOk(page, mine.email);
			await page.goto(`/territoires/${mine.territorySlug}/citoyens`);
			await expect(page.getByText(mine.territoryName!).first()).toBeVisible();
			await sql`update public.territories set name = ${renamed} where slug = ${mine.territorySlug!}`;
			for (const path of ['/citoyens', '/lieux', '']) {
				expect((await page.goto(`/territoires/${mine.territorySlug}${path}`))?.status()).toBe(200);
				await expect(page.getByText(renamed).first(), path).toBeVisible();
			}
		} finally {
			await sql`update public.territories set name = ${mine.territoryName!} where slug = ${mine.territorySlug!}`;
			await sql.end();
		}
	});
});

test('a plain-HTML page sends no serialized data, and still gives its data to a client-side navigation', async ({ page }) => {
	const [mine] = coordinators;
	await loginOk(page, mine.email);
	const html = await (await page.request.get(`/territoires/${mine.territorySlug}/citoyens`)).text();
	expect(html).not.toContain('__sveltekit');
	expect(html).not.toContain('HtmlOnly');
	// what the router of a page with JavaScript fetches when a link leads here
	const data = await (await page.request.get(`/territoires/${mine.territorySlug}/citoyens/__data.json`)).text();
	expect(data).not.toContain('HtmlOnly');
	expect(data).toContain(mine.territorySlug!);
});

test('filters say what the list shows: after Back, and for a région no territory has', async ({ page }) => {
	await loginOk(page, account('facilitator').email);
	await page.goto('/pilotage');
	const region = page.getByLabel('Région');
	const first = (await region.locator('option').nth(1).textContent())!.trim();
	await region.selectOption({ label: first });
	await page.getByRole('button', { name: 'Afficher' }).click();
	await page.waitForURL(/region=/);
	await page.goBack();
	await page.waitForURL((url) => !url.search.includes('region='));
	// the browser does not put back what the filter form held (autocomplete="off")
	await expect(region).toHaveValue('');
	// a région no territory has is dropped: every territory, and the select says « Toutes »
	await page.goto('/pilotage?region=nulle-part');
	await expect(page.getByRole('table').getByRole('row')).toHaveCount(19);
	await expect(region).toHaveValue('');
});
