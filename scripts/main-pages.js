// The main pages of each role: ONE list, used by the load benchmark (scripts/bench.js) and by the
// budgets spec in CI (tests/e2e/budgets.spec.ts). `{slug}` is a territory's slug. A page that
// answers 404 (not built on this branch yet) or redirects is skipped by both, so the list may name
// pages other branches bring (/pilotage, /impact).

/** @typedef {'admin' | 'facilitator' | 'funder' | 'coordinator'} Role */
/** @typedef {{ page: string; path: string; role: Role | null }} MainPage */

/** @type {MainPage[]} */
export const MAIN_PAGES = [
	{ page: 'connexion (référence)', path: '/connexion', role: null },
	{ page: 'transparence (public)', path: '/transparence', role: null },
	{ page: 'pilotage (animation)', path: '/pilotage', role: 'facilitator' },
	{ page: 'pilotage (admin)', path: '/pilotage', role: 'admin' },
	{ page: 'impact (financeur)', path: '/impact', role: 'funder' },
	{ page: 'territoire (animation)', path: '/territoires/{slug}', role: 'facilitator' },
	{ page: 'territoire (coordination)', path: '/territoires/{slug}', role: 'coordinator' },
	{ page: 'jalons', path: '/territoires/{slug}/jalons', role: 'coordinator' },
	{ page: 'citoyens', path: '/territoires/{slug}/citoyens', role: 'coordinator' },
	{ page: 'indicateurs (saisie du mois)', path: '/territoires/{slug}/indicateurs', role: 'coordinator' },
	{ page: 'ateliers (à venir)', path: '/territoires/{slug}/ateliers', role: 'coordinator' },
	{ page: 'lieux', path: '/territoires/{slug}/lieux', role: 'coordinator' },
	{ page: 'import / export', path: '/territoires/{slug}/import-export', role: 'coordinator' }
];

/** Variants and forms of the pages above: weighed (EcoIndex, axe) but not loaded. */
/** @type {MainPage[]} */
export const SECONDARY_PAGES = [
	{ page: 'jalons (frise)', path: '/territoires/{slug}/jalons?vue=frise', role: 'coordinator' },
	{ page: 'citoyens (recherche)', path: '/territoires/{slug}/citoyens?q=a', role: 'coordinator' },
	{ page: 'ateliers (passés)', path: '/territoires/{slug}/ateliers?vue=passes', role: 'coordinator' },
	{ page: 'ateliers (calendrier)', path: '/territoires/{slug}/ateliers?vue=calendrier', role: 'coordinator' },
	{ page: 'ateliers (planifier)', path: '/territoires/{slug}/ateliers/nouveau', role: 'coordinator' },
	{ page: 'lieux (engager)', path: '/territoires/{slug}/lieux/nouveau', role: 'coordinator' },
	{ page: 'citoyens (inscrire)', path: '/territoires/{slug}/citoyens/nouveau', role: 'coordinator' },
	{ page: 'jalons du programme (animation)', path: '/pilotage/jalons', role: 'facilitator' },
	// ---- comparaison ----
	{ page: 'comparaison par mois du programme (animation)', path: '/pilotage/comparaison', role: 'facilitator' },
	{ page: 'comparaison : un indicateur (animation)', path: '/pilotage/comparaison?indicateur=personnes_formees', role: 'facilitator' },
	// relances
	{ page: 'relances (animation)', path: '/pilotage/relances', role: 'facilitator' },
	{ page: 'configuration (animation)', path: '/configuration', role: 'facilitator' },
	{ page: 'personnes (animation)', path: '/personnes', role: 'facilitator' },
	{ page: 'journal (animation)', path: '/journal', role: 'facilitator' },
	{ page: 'impact : tendances (financeur)', path: '/impact/tendances', role: 'funder' },
	{ page: 'impact : territoires (financeur)', path: '/impact/territoires', role: 'funder' },
	{ page: 'transparence : territoires (public)', path: '/transparence/territoires', role: null },
	{ page: 'impact : dictionnaire (public)', path: '/impact/dictionnaire', role: null },
	{ page: 'compte (coordination)', path: '/compte', role: 'coordinator' }
];

/** The EcoIndex budgets every page keeps (ecoindex.fr grade A; our own caps). */
export const BUDGET = { dom: 300, requests: 20, kilobytes: 200, grade: 'A' };

// EcoIndex (ecoindex.fr): quantiles of the HTTP Archive, weights 3 (DOM) / 2 (requests) / 1 (size).
const Q = {
	dom: [0, 47, 75, 159, 233, 298, 358, 417, 476, 537, 603, 674, 753, 843, 949, 1076, 1237, 1459, 1801, 2479, 594601],
	req: [0, 2, 15, 25, 34, 42, 49, 56, 63, 70, 78, 86, 95, 105, 117, 130, 147, 170, 205, 281, 3920],
	size: [0, 1.37, 144.7, 319.53, 479.46, 631.97, 783.38, 937.91, 1098.62, 1265.47, 1448.32, 1648.27, 1876.08,
		2142.06, 2465.37, 2866.31, 3401.59, 4155.73, 5400.08, 8037.54, 223212.26]
};
/** @param {number[]} q @param {number} value */
function quantile(q, value) {
	for (let i = 1; i < q.length; i++) if (value < q[i]) return i - 1 + (value - q[i - 1]) / (q[i] - q[i - 1]);
	return q.length - 1;
}

/**
 * EcoIndex score (0–100) and grade (A–G) of a page: DOM elements, HTTP requests, kilobytes
 * transferred. Method of ecoindex.fr (GreenIT); A is a score above 80.
 * @param {number} dom @param {number} requests @param {number} kilobytes
 */
export function ecoindex(dom, requests, kilobytes) {
	const score = 100 - (5 * (3 * quantile(Q.dom, dom) + 2 * quantile(Q.req, requests) + quantile(Q.size, kilobytes))) / 6;
	const grade = score > 80 ? 'A' : score > 70 ? 'B' : score > 55 ? 'C' : score > 40 ? 'D' : score > 25 ? 'E' : score > 10 ? 'F' : 'G';
	return { score: Math.round(score), grade };
}
