import { cockpitCells, countFlags, filterRows, knownFilters, parseCockpitQuery, sortAndFilter, type CockpitQuery, type CockpitRow } from '$lib/domain/cockpit';
import { compareFr } from '$lib/domain/french';
import { paginate } from '$lib/domain/pagination';
import { requireRole } from '$lib/server/auth/guard';
import { activeCockpitRows } from '$lib/server/cockpit';
import * as clock from '$lib/server/clock';
import type { PageServerLoad } from './$types';
import { htmlOnly } from '$lib/html-only';

/** 18 territories a page: a cohort on one page; at 180, ten pages each within the DOM budget (≤ 300). */
const COCKPIT_PAGE_SIZE = 18;

/**
 * The cockpit: facilitators and admins only (403 for everyone else). One SQL statement whatever
 * the number of territories (none when the data has not changed since the last request); sort, filters and page come from the URL (no JavaScript needed).
 */
export const load: PageServerLoad = async (event) => {
	const { locals, url } = event;
	const claims = requireRole(locals, url, 'admin', 'facilitator');
	const today = clock.today();
	const { rows: all, timelinessDay } = await activeCockpitRows(claims, today);
	const query = knownFilters(parseCockpitQuery(url.searchParams), all);
	return htmlOnly(event, { today, query, timelinessDay, total: all.length, ...cockpitView(all, query) });
};

/**
 * What the page shows of the table for a query (sorted, filtered, counted, one page of cells),
 * derived once per kept table: `activeCockpitRows` gives the same array while no data changes, so
 * the view of a query is not sorted again on every request (≈ 1 ms at 180 territories). Bounded.
 */
const views = new WeakMap<readonly CockpitRow[], Map<string, ReturnType<typeof deriveView>>>();
const MAX_VIEWS = 100;

function cockpitView(all: readonly CockpitRow[], query: CockpitQuery) {
	let byQuery = views.get(all);
	if (!byQuery) views.set(all, (byQuery = new Map()));
	const key = JSON.stringify(query);
	let view = byQuery.get(key);
	if (!view) {
		if (byQuery.size >= MAX_VIEWS) byQuery.clear();
		byQuery.set(key, (view = deriveView(all, query)));
	}
	return view;
}

function deriveView(all: readonly CockpitRow[], query: CockpitQuery) {
	const rows = sortAndFilter(all, query);
	const pagination = paginate(query.page, rows.length, COCKPIT_PAGE_SIZE);
	const phases = new Map(all.map((r) => [r.phase.code, r.phase.name]));
	return {
		// per flag among the territories the other filters keep: each count's link shows that many
		counts: countFlags(filterRows(all, { ...query, drapeau: '' })),
		regions: [...new Set(all.map((r) => r.region))].sort(compareFr),
		phases: [...phases].map(([code, name]) => ({ code, name })),
		pagination,
		rows: rows.slice(pagination.offset, pagination.offset + pagination.limit).map(cockpitCells)
	};
}

/** Plain HTML: nothing on this page needs JavaScript (see docs/decisions.md, Sobriété). */
export const csr = false;
