import { coordinators, expect, expectAccessible, loginOk, test } from './fixtures';

// A territory the other specs do not write to.
const me = coordinators[6];

test('a coordinator’s home: timeline, thresholds with their rule, late and upcoming work, missing indicators', async ({ page }) => {
	await loginOk(page, me.email);
	await expect(page).toHaveURL(`/territoires/${me.territorySlug}`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(me.territoryName ?? '');
	const timeline = page.getByRole('list', { name: 'Les 18 mois du programme' });
	await expect(timeline.getByRole('listitem')).toHaveCount(18);
	await expect(timeline.locator('[aria-current="step"]')).toContainText('10');
	await expect(page.getByText(/Projection : rythme d'inscription des 90 derniers jours/)).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Jalons' })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Prochains ateliers' })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Indicateurs du mois' })).toBeVisible();
	await expect(page.getByText(/dernière mise à jour/)).toBeVisible();
	await expect(page.getByRole('navigation', { name: 'Espace du territoire' }).getByRole('link', { name: 'Accueil' })).toHaveAttribute('aria-current', 'page');
	await expectAccessible(page);
});
