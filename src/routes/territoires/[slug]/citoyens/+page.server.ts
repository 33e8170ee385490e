import { parseCitizenFilters } from '$lib/domain/citizens';
import { countAndPage, pageFromUrl } from '$lib/domain/pagination';
import { citizenCounts, listCitizens } from '$lib/server/citizens';
import { readTerritory } from '$lib/server/territories/context';
import type { PageServerLoad } from './$types';
import { htmlOnly } from '$lib/html-only';

/** The territory's registry: counts (one query) and one page of 25 (one query), whatever its size. */
export const load: PageServerLoad = (event) =>
	readTerritory(event, async (tx, { territory }) => {
		const filters = parseCitizenFilters(event.url.searchParams);
		const { counted: counts, pagination, rows } = await countAndPage(
			pageFromUrl(event.url),
			() => citizenCounts(tx, territory.id, filters),
			(counts) => counts.matching,
			(page) => listCitizens(tx, territory.id, filters, page)
		);
		return { territory, filters, counts, pagination, rows };
	}).then((data) => htmlOnly(event, data));

/** Plain HTML: nothing on this page needs JavaScript (see docs/decisions.md, Sobriété). */
export const csr = false;
