/**
 * Page data for a page served as plain HTML (`export const csr = false`): SvelteKit still
 * serializes every page's load data (devalue) for a script the page never sends — a pure cost,
 * up to a fifth of the server's time on a page with a large table (/pilotage; docs/performance.md).
 * `htmlOnly(event, data)` marks a load's result so that the transport hook (src/hooks.ts) writes
 * a placeholder instead: the server-side render gets the data itself, untouched.
 *
 * Only for pages with `csr = false`: a page that hydrates would get the placeholder, and its
 * browser throws « données réservées au rendu serveur » at once (the hook's decode), not later.
 */
const HTML_ONLY = Symbol.for('marathon.html-only');

/**
 * `data` (the object a load returns), marked when the request asks for the HTML page: a marked
 * shallow copy, so that a value kept between requests (memo.ts) is never marked itself. A data
 * request (`__data.json`: a client-side navigation from a page that has JavaScript) gets `data`
 * as it is.
 */
export function htmlOnly<T extends object>(event: { isDataRequest: boolean }, data: T): T {
	if (event.isDataRequest) return data;
	return Object.defineProperty({ ...data }, HTML_ONLY, { value: true });
}

/** True for an object marked by `htmlOnly`. */
export function isHtmlOnly(value: unknown): boolean {
	return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[HTML_ONLY] === true;
}
