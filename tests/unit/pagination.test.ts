import { describe, expect, it } from 'vitest';
import { countAndPage, countFromUrl, pageFromUrl, paginate, type Pagination } from '$lib/domain/pagination';

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

describe('pageFromUrl: the page of the address', () => {
	const pageOf = (q: string) => pageFromUrl(new URL(`http://x/liste${q}`));
	it('is 1 when absent or nonsense, and a far page is held so that the list shows its last page', () => {
		for (const q of ['', '?page=', '?page=abc', '?page=-1', '?page=0', '?page=1.5']) expect(pageOf(q), q).toBe(1);
		expect(pageOf('?page=16')).toBe(16);
		expect(pageOf('?page=999999')).toBe(100_000);
		expect(pageOf('?page=1e21')).toBe(100_000);
	});
});

describe('countFromUrl: a count carried in the address after a redirect', () => {
	const countOf = (q: string, max = 5000) => countFromUrl(new URL(`http://x/page${q}`), 'importe', max);
	it('is a whole number from 0 to max, else nothing to show (a crafted link shows no notice)', () => {
		expect(countOf('?importe=0')).toBe(0);
		expect(countOf('?importe=12')).toBe(12);
		for (const q of ['', '?importe=', '?importe=1e21', '?importe=-3', '?importe=1.5', '?importe=abc', '?importe=5001', '?importe=%201'])
			expect(countOf(q), q).toBeNull();
	});
});
