import { paginate, pageFromUrl } from '$lib/domain/pagination';
import { monthOf, shiftMonth, viewOf } from '$lib/domain/workshops';
import { asUser } from '$lib/server/db';
import { territoryContext } from '$lib/server/territories/context';
import { listWorkshops, monthWorkshops, workshopCounts } from '$lib/server/workshops';
import type { PageServerLoad } from './$types';
import * as clock from '$lib/server/clock';

/**
 * The workshops: « À venir » (default), « Passés » (25 a page), or a month's calendar.
 * Queries: the guard, then counts + one page (or counts + the month), in one transaction.
 */
export const load: PageServerLoad = async (event) => {
	const { claims, territory } = await territoryContext(event);
	const today = clock.today();
	const now = clock.now();
	const view = viewOf(event.url.searchParams.get('vue'));
	const month = monthOf(event.url.searchParams.get('mois'), today);
	return asUser(claims, async (tx) => {
		const counts = await workshopCounts(tx, territory.id, now);
		if (view === 'calendrier') {
			const rows = await monthWorkshops(tx, territory.id, month, shiftMonth(month, 1));
			return { territory, today, view, month, counts, rows, pagination: null };
		}
		const pagination = paginate(pageFromUrl(event.url), view === 'passes' ? counts.past : counts.upcoming);
		const rows = await listWorkshops(tx, territory.id, view, now, pagination);
		return { territory, today, view, month, counts, rows, pagination };
	});
};

/** Plain HTML: nothing on this page needs JavaScript (see docs/decisions.md, Sobriété). */
export const csr = false;
