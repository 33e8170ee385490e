import type { Transport } from '@sveltejs/kit';
import { isHtmlOnly } from '$lib/html-only';

/**
 * How page data crosses to the browser. `HtmlOnly`: the data of a plain-HTML page
 * (`$lib/html-only`) is not serialized at all — it is only rendered on the server.
 */
export const transport: Transport = {
	HtmlOnly: {
		encode: (value) => isHtmlOnly(value) && 1,
		decode: () => {
			throw new Error('Données réservées au rendu serveur : cette page doit avoir `csr = false` (voir src/lib/html-only.ts).');
		}
	}
};
