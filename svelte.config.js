import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		adapter: adapter({ precompress: true }),
		// Inline small CSS: one request less per page.
		inlineStyleThreshold: 8192,
		// The origin check of writes is ours (src/lib/server/http/input.ts, checkOrigin): same rule as
		// SvelteKit's, but the refusal is a French page with a way back instead of an English line.
		csrf: { trustedOrigins: ['*'] },
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				// Inline <style> blocks get kit's nonce/hash; no 'unsafe-inline'. The only style attributes
				// are SvelteKit's own: the body wrapper (display: contents) and the route announcer,
				// allowed by their hashes alone.
				'style-src': ['self'],
				'style-src-attr': [
					'unsafe-hashes',
					'sha256-tcbDxjMo+xKqM21aCGYbs/QAJqB7yUXC06oPWDapBgc=',
					'sha256-S8qMpvofolR8Mpjy4kQvEm7m1q8clzU4dfDH0AmvZjo='
				],
				'img-src': ['self', 'data:'],
				'form-action': ['self'],
				'frame-ancestors': ['none'],
				'base-uri': ['self'],
				'object-src': ['none']
			}
		}
	}
};

export default config;
