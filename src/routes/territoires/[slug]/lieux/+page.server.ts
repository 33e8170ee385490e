import { lieuFiltersFromUrl } from '$lib/domain/lieux';
import { pageFromUrl, paginate } from '$lib/domain/pagination';
import { asUser } from '$lib/server/db';
import { countLieux, listLieux } from '$lib/server/lieux';
import { territoryContext } from '$lib/server/territories/context';
import type { PageServerLoad } from './$types';

/** The territory's lieux: search by name or commune, filter by kind and status, 25 a page. Two queries. */
export const load: PageServerLoad = async (event) => {
	const { claims, territory } = await territoryContext(event);
	const filters = lieuFiltersFromUrl(event.url);
	const { pagination, lieux } = await asUser(claims, async (tx) => {
		const total = await countLieux(tx, territory.id, filters);
		const pagination = paginate(pageFromUrl(event.url), total);
		const lieux = await listLieux(tx, territory.id, filters, pagination.limit, pagination.offset);
		return { pagination, lieux };
	});
	return { territory, filters, pagination, lieux };
};

/** Plain HTML: nothing on this page needs JavaScript (see docs/decisions.md, Sobriété). */
export const csr = false;
