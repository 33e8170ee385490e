import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	build: {
		rolldownOptions: {
			output: {
				// Fewer, larger chunks: each page loads a handful of scripts instead of twenty tiny ones
				// (EcoIndex counts requests). chart.js stays out, loaded only where a chart is drawn, with the
				// one module that draws (src/lib/charts/draw.ts, imported dynamically by Chart.svelte).
				codeSplitting: {
					groups: [
						{ name: 'vendor', test: /node_modules[\\/](?!chart\.js|@kurkle)/, priority: 2 },
						{ name: 'app', test: /src[\\/]lib[\\/](?!charts[\\/])/, priority: 1 }
					]
				}
			}
		}
	},
	test: {
		projects: [
			{
				extends: true,
				test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' }
			},
			{
				extends: true,
				test: {
					name: 'db',
					include: ['tests/db/**/*.test.ts'],
					environment: 'node',
					globalSetup: ['tests/db/global-setup.ts'],
					// One embedded Postgres for the whole run; files share it, one at a time.
					fileParallelism: false,
					testTimeout: 30_000,
					hookTimeout: 120_000
				}
			}
		]
	}
});
