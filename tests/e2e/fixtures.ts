import { test as base, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { DEMO_PASSWORD, demoAccounts } from '../../src/lib/server/demo/seed';

export const accounts = demoAccounts();
export const account = (role: string) => accounts.find((a) => a.role === role)!;
export const coordinators = accounts.filter((a) => a.role === 'coordinator');

/** Logs in through the real form, as a person would. */
export async function login(page: Page, email: string, password = DEMO_PASSWORD) {
	await page.goto('/connexion');
	await page.getByLabel('Adresse e-mail').fill(email);
	await page.getByLabel('Mot de passe').fill(password);
	await page.getByRole('button', { name: 'Se connecter' }).click();
}

/** Logs in and waits to have left the login page. */
export async function loginOk(page: Page, email: string) {
	await login(page, email);
	await page.waitForURL((url) => url.pathname !== '/connexion');
}

/** No WCAG A/AA violation on the page as it is now. */
export async function expectAccessible(page: Page) {
	const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
	expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
}

export const test = base;
export { expect };
