/** Lists show 25 rows a page: light pages, no infinite scroll. */
export const PAGE_SIZE = 25;

/**
 * The page asked for in `?page=`: 1 when absent or nonsense (« abc », -1, 1.5); a page past the end
 * however far (« 999999 ») is held at 100 000, which `countAndPage` then shows as the last page,
 * like any page past the end.
 */
export function pageFromUrl(url: URL): number {
	const n = Number(url.searchParams.get('page'));
	return Number.isInteger(n) && n >= 1 ? Math.min(n, 100_000) : 1;
}

/**
 * A count carried in the address after a redirect (« 3 valeurs enregistrées », « 12 citoyens
 * importés »): a whole number from 0 to `max`, else null — a crafted link (« ?importe=1e21 »)
 * shows no notice rather than a number that never happened.
 */
export function countFromUrl(url: URL, name: string, max: number): number | null {
	const v = url.searchParams.get(name) ?? '';
	return /^\d{1,9}$/.test(v) && Number(v) <= max ? Number(v) : null;
}

export interface Pagination {
	page: number;
	pages: number;
	total: number;
	offset: number;
	limit: number;
}

export function paginate(page: number, total: number, size = PAGE_SIZE): Pagination {
	const pages = Math.max(1, Math.ceil(total / size));
	const current = Math.min(page, pages);
	return { page: current, pages, total, offset: (current - 1) * size, limit: size };
}

/**
 * A list's count and one page of its rows, in one round trip to the database: `count()` and
 * `rows(page asked)` are started together (queries issued together on a transaction's connection
 * are pipelined by postgres.js); only when the page asked is past the last one (an old link) are
 * the rows of the last page read again. `total(counted)` is the number of rows the list pages
 * through. Returns what `count` gave, the pagination (as `paginate`) and the page's rows. Errors:
 * those of the queries.
 */
export async function countAndPage<C, R>(
	asked: number,
	count: () => PromiseLike<C>,
	total: (counted: C) => number,
	rows: (page: Pagination) => PromiseLike<R[]>,
	size = PAGE_SIZE
): Promise<{ counted: C; pagination: Pagination; rows: R[] }> {
	const guess = paginate(asked, asked * size, size);
	const [counted, guessed] = await Promise.all([count(), rows(guess)]);
	const pagination = paginate(asked, total(counted), size);
	return {
		counted,
		pagination,
		rows: pagination.page === guess.page ? guessed : await rows(pagination)
	};
}
