import { defineConfig, devices } from '@playwright/test';
import { existsSync } from 'node:fs';

const PORT = Number(process.env.E2E_PORT ?? 4173);
/** Debian's Chromium where it is installed (CI, our machines); else Playwright's own (`npx playwright install`). */
const chromium = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export default defineConfig({
	testDir: 'tests/e2e',
	fullyParallel: false,
	workers: 1,
	retries: process.env.CI ? 1 : 0,
	reporter: process.env.CI ? [['list']] : [['list']],
	timeout: 30_000,
	use: {
		baseURL: `http://localhost:${PORT}`,
		trace: 'retain-on-failure',
		locale: 'fr-FR',
		...devices['Desktop Chrome'],
		launchOptions: {
			executablePath: chromium,
			args: [
				'--disable-background-networking',
				'--disable-component-update',
				'--no-first-run',
				'--disable-sync',
				'--disable-quic'
			]
		}
	},
	webServer: {
		// The real built app on a fresh embedded database with the demo cohort, "today" pinned
		// to the demo's date so that figures are reproducible.
		command: 'node scripts/e2e-server.js',
		url: `http://localhost:${PORT}/connexion`,
		timeout: 120_000,
		reuseExistingServer: false,
		stdout: 'pipe',
		env: { PORT: String(PORT), HOST: '127.0.0.1', MARATHON_TODAY: '2026-11-29', MARATHON_DATA_DIR: '.marathon-e2e' }
	}
});
