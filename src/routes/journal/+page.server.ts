import { JOURNAL_PAGE_SIZE, journalFilterErrors, journalFilters } from '$lib/domain/journal';
import { pageFromUrl, paginate } from '$lib/domain/pagination';
import { requireRole } from '$lib/server/auth/guard';
import { asUser } from '$lib/server/db';
import { journalPage } from '$lib/server/journal';
import type { PageServerLoad } from './$types';

/** The audit trail, filtered from the URL, 20 events a page. Facilitators and admins only. Bad date filters: shown at their field, not applied. One query (whatever the number of territories or people: filters are typed or come from a row's links, no list of 180 options). */
export const load: PageServerLoad = async ({ locals, url }) => {
	const claims = requireRole(locals, url, 'admin', 'facilitator');
	const filters = journalFilters(url.searchParams);
	// a date that cannot be read is not applied: said at its field, with what was typed
	const errors = journalFilterErrors(url.searchParams);
	const typed = { du: url.searchParams.get('du') ?? '', au: url.searchParams.get('au') ?? '' };
	const page = pageFromUrl(url);
	const result = await asUser(claims, (tx) => journalPage(tx, filters, (page - 1) * JOURNAL_PAGE_SIZE, JOURNAL_PAGE_SIZE));
	return {
		filters,
		errors,
		typed,
		rows: result.rows,
		pagination: { ...paginate(page, result.total, JOURNAL_PAGE_SIZE), page }
	};
};
