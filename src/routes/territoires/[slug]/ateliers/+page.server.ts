import { countAndPage, pageFromUrl } from '$lib/domain/pagination';
import { monthOf, shiftMonth, viewOf } from '$lib/domain/workshops';
import { readTerritory } from '$lib/server/territories/context';
import { listWorkshops, monthWorkshops, workshopCounts } from '$lib/server/workshops';
import type { PageServerLoad } from './$types';
import * as clock from '$lib/server/clock';
import { htmlOnly } from '$lib/html-only';

/**
 * The workshops: « À venir » (default), « Passés » (25 a page), or a month's calendar.
 * Queries: the guard, then counts and one page (or the month) sent together, in one transaction.
 */
export const load: PageServerLoad = (event) =>
	readTerritory(event, async (tx, { territory }) => {
		const today = clock.today();
		const now = clock.now();
		const view = viewOf(event.url.searchParams.get('vue'));
		const month = monthOf(event.url.searchParams.get('mois'), today);
		if (view === 'calendrier') {
			const [counts, rows] = await Promise.all([
				workshopCounts(tx, territory.id, now),
				monthWorkshops(tx, territory.id, month, shiftMonth(month, 1))
			]);
			return { territory, today, view, month, counts, rows, pagination: null };
		}
		const { counted: counts, pagination, rows } = await countAndPage(
			pageFromUrl(event.url),
			() => workshopCounts(tx, territory.id, now),
			(counts) => (view === 'passes' ? counts.past : counts.upcoming),
			(page) => listWorkshops(tx, territory.id, view, now, page)
		);
		return { territory, today, view, month, counts, rows, pagination };
	}).then((data) => htmlOnly(event, data));

/** Plain HTML: nothing on this page needs JavaScript (see docs/decisions.md, Sobriété). */
export const csr = false;
