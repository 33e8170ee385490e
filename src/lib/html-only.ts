/**
 * Page data for a page served as plain HTML (`export const csr = false`): SvelteKit still
 * serializes every page's load data (devalue) for a script the page never sends — a pure cost,
 * up to a fifth of the server's time on a page with a large table (/pilotage; docs/performance.md).
 * `htmlOnly(data)` marks a load's result so that the transport hook (src/hooks.ts) writes a
 * placeholder instead: the server-side render gets the data itself, untouched.
 *
 * Only for pages with `csr = false`: a page that hydrates would get the placeholder, and its
 * browser throws « données réservées au rendu serveur » at once (the hook's decode), not later.
 */
const HTML_ONLY = Symbol.for('marathon.html-only');

/** Marks `data` (the object a load returns) and returns it. Idempotent. */
export function htmlOnly<T extends object>(data: T): T {
	if (!isHtmlOnly(data)) Object.defineProperty(data, HTML_ONLY, { value: true });
	return data;
}

/** True for an object marked by `htmlOnly`. */
export function isHtmlOnly(value: unknown): boolean {
	return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[HTML_ONLY] === true;
}
