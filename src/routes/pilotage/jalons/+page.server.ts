import { milestoneDrift } from '$lib/domain/cockpit';
import { pageFromUrl, paginate } from '$lib/domain/pagination';
import { requireRole } from '$lib/server/auth/guard';
import { asUser } from '$lib/server/db';
import { driftMatrix } from '$lib/server/cockpit';
import * as clock from '$lib/server/clock';
import type { PageServerLoad } from './$types';
import { htmlOnly } from '$lib/html-only';

/** 6 territories a page: with 12 program milestones each, the page stays under 300 DOM nodes. */
const PAGE_SIZE = 6;

/** Drift matrix: territories × program milestones, planned vs actual. Staff only. Three queries. */
export const load: PageServerLoad = async (event) => {
	const { locals, url } = event;
	const claims = requireRole(locals, url, 'admin', 'facilitator');
	const today = clock.today();
	const page = pageFromUrl(url);
	const m = await asUser(claims, (tx) => driftMatrix(tx, (page - 1) * PAGE_SIZE, PAGE_SIZE));
	const byKey = new Map(m.cells.map((c) => [`${c.territory_id}:${c.template_id}`, c]));
	return htmlOnly(event, {
		templates: m.templates,
		pagination: { ...paginate(page, m.total, PAGE_SIZE), page },
		rows: m.territories.map((t) => ({
			...t,
			cells: m.templates.map((tpl) => {
				const c = byKey.get(`${t.id}:${tpl.id}`);
				return c ? { id: c.milestone_id, drift: milestoneDrift(c, today), requested: c.requested_due_date } : null;
			})
		})),
		pendingRequests: m.cells.filter((c) => c.requested_due_date !== null).length
	});
};

/** Plain HTML: nothing on this page needs JavaScript (see docs/decisions.md, Sobriété). */
export const csr = false;
