import { JOURNAL_PAGE_SIZE, journalFilters } from '$lib/domain/journal';
import { pageFromUrl, paginate } from '$lib/domain/pagination';
import { requireRole } from '$lib/server/auth/guard';
import { asUser } from '$lib/server/db';
import { listTerritories } from '$lib/server/configuration';
import { journalPage, journalPeople } from '$lib/server/journal';
import type { PageServerLoad } from './$types';

/** The audit trail, filtered from the URL, 20 events a page. Facilitators and admins only. Three queries. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const claims = requireRole(locals, url, 'admin', 'facilitator');
	const filters = journalFilters(url.searchParams);
	const page = pageFromUrl(url);
	const { result, territories, people } = await asUser(claims, async (tx) => ({
		result: await journalPage(tx, filters, (page - 1) * JOURNAL_PAGE_SIZE, JOURNAL_PAGE_SIZE),
		territories: await listTerritories(tx),
		people: await journalPeople(tx)
	}));
	return {
		filters,
		rows: result.rows,
		pagination: { ...paginate(page, result.total, JOURNAL_PAGE_SIZE), page },
		territories: territories.map((t) => ({ id: t.id, name: t.name })),
		people
	};
};
