import { describe, expect, it } from 'vitest';
import { countAndPage, paginate, type Pagination } from '$lib/domain/pagination';

describe('countAndPage: a list’s count and a page of it, sent together', () => {
	const numbers = Array.from({ length: 60 }, (_, i) => i + 1);
	const run = async (asked: number) => {
		const pages: Pagination[] = [];
		let counting = false;
		const result = await countAndPage(
			asked,
			async () => ((counting = true), { all: numbers.length }),
			(c) => c.all,
			async (page) => {
				// the rows are asked for before the count is known (both in flight together)
				if (pages.length === 0) expect(counting).toBe(true);
				pages.push(page);
				return numbers.slice(page.offset, page.offset + page.limit);
			}
		);
		return { ...result, reads: pages.length };
	};

	it('reads the page asked once when it exists', async () => {
		const r = await run(2);
		expect(r.reads).toBe(1);
		expect(r.pagination).toEqual(paginate(2, 60));
		expect(r.rows).toEqual(numbers.slice(25, 50));
	});

	it('gives the last page, with its rows, for a page past the end (an old link): never an empty page', async () => {
		const r = await run(9);
		expect(r.reads).toBe(2);
		expect(r.pagination.page).toBe(3);
		expect(r.rows).toEqual([51, 52, 53, 54, 55, 56, 57, 58, 59, 60]);
	});
});
