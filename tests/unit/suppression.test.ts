import { describe, expect, it } from 'vitest';
import { cellLabelFr, suppressList, suppressTable, type CountTable, type SuppressedTable } from '../../src/lib/domain/suppression';

/** mulberry32: reproducible random tables. */
function rng(seed: number) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

function fullTable(cells: number[][]): CountTable & { cells: number[][] } {
	const rowTotals = cells.map(sum);
	const colTotals = cells[0].map((_, c) => sum(cells.map((row) => row[c])));
	return { cells, rowTotals, colTotals, grandTotal: sum(rowTotals) };
}

/**
 * An attacker's view, checked by brute force (independent of the function's linear algebra):
 * every integer table that agrees with what is shown — published cells and totals, small cells
 * in 1…threshold − 1, hidden cells ≥ 0, every line adding up — and, for each hidden entry, the
 * set of values it takes. A hidden entry is recomputable when that set has one value.
 */
function recomputable(truth: ReturnType<typeof fullTable>, shown: SuppressedTable, threshold: number): string[] {
	const R = truth.cells.length;
	const C = truth.cells[0].length;
	type Cell = { r: number; c: number; status: string; value: number | null; truth: number };
	const grid: Cell[][] = [];
	for (let r = 0; r <= R; r++) {
		grid.push([]);
		for (let c = 0; c <= C; c++) {
			const s = r < R && c < C ? shown.cells[r][c] : r < R ? shown.rowTotals![r] : c < C ? shown.colTotals![c] : shown.grandTotal!;
			const t = r < R && c < C ? truth.cells[r][c] : r < R ? truth.rowTotals![r]! : c < C ? truth.colTotals![c]! : truth.grandTotal!;
			grid[r].push({ r, c, status: s.status, value: s.value, truth: t });
		}
	}
	const unknowns = grid.flat().filter((x) => x.status !== 'shown');
	// no entry exceeds the grand total (a bound the attacker may not even know: it only makes them stronger)
	const cap = truth.grandTotal!;
	const lines: Cell[][] = [];
	for (let r = 0; r <= R; r++) lines.push(grid[r]);
	for (let c = 0; c <= C; c++) lines.push(grid.map((row) => row[c]));
	const seen = unknowns.map(() => new Set<number>());
	const bounds = (u: Cell): [number, number] => (u.status === 'small' ? [1, threshold - 1] : [0, cap]);
	let budget = 3_000_000;
	const done = () => seen.every((s) => s.size >= 2);
	/** Assigns what the lines force (a line with one unknown left), then branches on the next unknown. */
	const search = (assign: Map<Cell, number>) => {
		if (done() || budget-- <= 0) return;
		const a = new Map(assign);
		const val = (x: Cell) => (x.status === 'shown' ? x.value! : a.get(x));
		for (let changed = true; changed; ) {
			changed = false;
			for (const line of lines) {
				const open = line.filter((x) => val(x) === undefined);
				const signed = (x: Cell, i: number) => (i === line.length - 1 ? -1 : 1) * (val(x) ?? 0);
				const rest = line.reduce((acc, x, i) => acc + signed(x, i), 0);
				if (open.length === 0) {
					if (rest !== 0) return;
				} else if (!open.includes(line[line.length - 1]) && rest > 0) {
					return; // the assigned cells already exceed the total
				} else if (open.length === 1) {
					const x = open[0];
					const v = x === line[line.length - 1] ? rest : -rest;
					const [lo, hi] = bounds(x);
					if (v < lo || v > hi) return;
					a.set(x, v);
					changed = true;
				}
			}
		}
		const next = unknowns.find((u) => a.get(u) === undefined);
		if (!next) {
			unknowns.forEach((u, k) => seen[k].add(a.get(u)!));
			return;
		}
		const [lo, hi] = bounds(next);
		for (let v = lo; v <= hi && !done(); v++) search(new Map(a).set(next, v));
	};
	search(new Map());
	expect(budget).toBeGreaterThan(0);
	return unknowns.filter((_, k) => seen[k].size < 2).map((u) => `(${u.r},${u.c})=${u.truth}`);
}

describe('small-count suppression', () => {
	it('shows zero and counts from the threshold up, hides 1…10 as « < 11 »', () => {
		const { values, total } = suppressList([0, 11, 250, 40], 301);
		expect(values.map((v) => cellLabelFr(v, 11))).toEqual(['0', '11', '250', '40']);
		expect(total.status).toBe('shown');
		const small = suppressList([0, 10, 1, 40, 300], 351);
		// two small cells adding up to 11 with the rest: each could be 1…10, nothing more to hide
		expect(small.values.map((v) => v.status)).toEqual(['shown', 'small', 'small', 'shown', 'shown']);
		expect(cellLabelFr(small.values[1], 11)).toBe('< 11');
		const one = suppressList([0, 3, 40, 300], 343);
		expect(one.values.map((v) => v.status)).toEqual(['shown', 'small', 'hidden', 'shown']);
		expect(cellLabelFr(one.values[2], 11)).toBe('masqué');
	});

	it('a value the database withheld (null) is a small count', () => {
		const { values } = suppressList([null, 12, 30], 45);
		expect(values.map((v) => v.status)).toEqual(['small', 'hidden', 'shown']);
	});

	it('hides a second cell of the row when one small cell could be recomputed from the row total', () => {
		const t = suppressTable({ cells: [[5, 20, 30]], rowTotals: [55] });
		expect(t.cells[0].map((c) => c.status)).toEqual(['small', 'hidden', 'shown']);
		expect(t.rowTotals![0].status).toBe('shown');
	});

	it('a row of zeros but one small count hides its total', () => {
		const t = suppressTable({ cells: [[0, 3, 0]], rowTotals: [3] });
		expect(t.rowTotals![0].status).not.toBe('shown');
		expect(t.cells[0][1].status).toBe('small');
	});

	it('follows the configured threshold', () => {
		expect(suppressList([4, 30, 30], 64, 5).values[0].status).toBe('small');
		expect(suppressList([5, 30, 30], 65, 5).values[0].status).toBe('shown');
		expect(() => suppressList([1], 1, 1)).toThrow(RangeError);
	});

	it('no hidden cell of a random table can be recomputed from what is shown (brute force)', () => {
		const next = rng(20261129);
		const threshold = 4;
		let tables = 0;
		let hiddenSeen = 0;
		for (let n = 0; n < 400; n++) {
			const R = 2 + Math.floor(next() * 2);
			const C = R === 3 ? 2 : 2 + Math.floor(next() * 2);
			const cells = Array.from({ length: R }, () =>
				Array.from({ length: C }, () => (next() < 0.35 ? Math.floor(next() * threshold) : Math.floor(next() * 9)))
			);
			const truth = fullTable(cells);
			const shown = suppressTable(truth, threshold);
			// every small count is hidden as such
			cells.forEach((row, r) =>
				row.forEach((v, c) => {
					if (v > 0 && v < threshold) expect(shown.cells[r][c].status).not.toBe('shown');
					if (shown.cells[r][c].status === 'shown') expect(shown.cells[r][c].value).toBe(v);
				})
			);
			const leaks = recomputable(truth, shown, threshold);
			expect(leaks, JSON.stringify({ cells, shown })).toEqual([]);
			tables++;
			hiddenSeen += shown.cells.flat().filter((c) => c.status !== 'shown').length;
		}
		expect(tables).toBe(400);
		expect(hiddenSeen).toBeGreaterThan(400);
	}, 120_000);

	it('the brute-force check does find a recomputable cell when only primary suppression is applied', () => {
		const truth = fullTable([
			[2, 20],
			[15, 30]
		]);
		const naive: SuppressedTable = {
			cells: [
				[{ value: null, status: 'small' }, { value: 20, status: 'shown' }],
				[{ value: 15, status: 'shown' }, { value: 30, status: 'shown' }]
			],
			rowTotals: [{ value: 22, status: 'shown' }, { value: 45, status: 'shown' }],
			colTotals: [{ value: 17, status: 'shown' }, { value: 50, status: 'shown' }],
			grandTotal: { value: 67, status: 'shown' }
		};
		expect(recomputable(truth, naive, 11)).toEqual(['(0,0)=2']);
	});

	it('handles a territory table of 18 rows and 4 sources quickly', () => {
		const next = rng(7);
		const cells = Array.from({ length: 18 }, () => Array.from({ length: 4 }, () => Math.floor(next() * 40)));
		const started = performance.now();
		const t = suppressTable(fullTable(cells));
		expect(performance.now() - started).toBeLessThan(500);
		expect(t.cells.flat().filter((c) => c.status === 'small').length).toBeGreaterThan(0);
	});
});
