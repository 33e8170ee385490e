import { lieuFiltersFromUrl } from '$lib/domain/lieux';
import { countAndPage, pageFromUrl } from '$lib/domain/pagination';
import { countLieux, listLieux } from '$lib/server/lieux';
import { readTerritory } from '$lib/server/territories/context';
import type { PageServerLoad } from './$types';
import { htmlOnly } from '$lib/html-only';

/** The territory's lieux: search by name or commune, filter by kind and status, 25 a page. Two queries. */
export const load: PageServerLoad = (event) =>
	readTerritory(event, async (tx, { territory }) => {
		const filters = lieuFiltersFromUrl(event.url);
		const { pagination, rows: lieux } = await countAndPage(
			pageFromUrl(event.url),
			() => countLieux(tx, territory.id, filters),
			(total) => total,
			(page) => listLieux(tx, territory.id, filters, page.limit, page.offset)
		);
		return { territory, filters, pagination, lieux };
	}).then((data) => htmlOnly(event, data));

/** Plain HTML: nothing on this page needs JavaScript (see docs/decisions.md, Sobriété). */
export const csr = false;
