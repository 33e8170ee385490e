/** Lists show 25 rows a page: light pages, no infinite scroll. */
export const PAGE_SIZE = 25;

/** The page asked for in `?page=`, 1 when absent or nonsense. */
export function pageFromUrl(url: URL): number {
	const n = Number(url.searchParams.get('page'));
	return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
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
