import { parseCitizenFilters } from '$lib/domain/citizens';
import { pageFromUrl, paginate } from '$lib/domain/pagination';
import { citizenCounts, listCitizens } from '$lib/server/citizens';
import { asUser } from '$lib/server/db';
import { territoryContext } from '$lib/server/territories/context';
import type { PageServerLoad } from './$types';

/** The territory's registry: counts (one query) and one page of 25 (one query), whatever its size. */
export const load: PageServerLoad = async (event) => {
	const { claims, territory } = await territoryContext(event);
	const filters = parseCitizenFilters(event.url.searchParams);
	const { counts, pagination, rows } = await asUser(claims, async (tx) => {
		const counts = await citizenCounts(tx, territory.id, filters);
		const pagination = paginate(pageFromUrl(event.url), counts.matching);
		const rows = await listCitizens(tx, territory.id, filters, pagination);
		return { counts, pagination, rows };
	});
	return { territory, filters, counts, pagination, rows };
};

/** Plain HTML: nothing on this page needs JavaScript (see docs/decisions.md, Sobriété). */
export const csr = false;
