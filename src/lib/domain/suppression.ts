/**
 * Small-count suppression (« secret statistique ») — one pure function used by the impact
 * dashboard, its CSV / JSON exports, the printable report and the public transparency page.
 *
 * Rule (DOMAIN.md « Small counts »; threshold 11 by default, the French tax administration's rule
 * for individuals, configurable per cohort):
 * 1. **Primary**: a count of people n with 0 < n < threshold is not shown: « < 11 ». Zero is shown
 *    (it singles nobody out). A cell given as `null` is one the database already withheld.
 * 2. **Secondary**: more cells are hidden until no hidden cell can be recomputed from what is
 *    shown — the other cells of its row and column and the published totals. Concretely, until
 *    (a) no hidden cell is determined by the linear system « cells of a line add up to its total »
 *    (rank test), and (b) every line with a hidden cell also hides a cell that is not a small
 *    count (a primary cell is known to lie in 1…threshold − 1; with only such cells hidden, a line
 *    whose hidden sum is at either bound would give them all away; likewise a line whose hidden sum
 *    equals its number of small cells: each would be 1, and every other hidden cell 0). The cell hidden each time is
 *    the smallest non-zero published cell of the line (least information lost); failing that, any
 *    cell, then the line's total. When nothing is left to hide and a cell is still given away by
 *    the bounds of the small counts around it, those are shown as « masqué » too.
 *
 * Tables are rows × columns of counts with optional row totals, column totals and grand total,
 * all of the same measure (they add up). A list with a total is a table of one column.
 */

export type CellStatus = 'shown' | 'small' | 'hidden';

export interface SuppressedCell {
	/** The count, or null when not shown. */
	value: number | null;
	/** shown; small: under the threshold (« < 11 »); hidden: secondary suppression. */
	status: CellStatus;
}

export interface CountTable {
	/** counts, or null for a cell the database already withheld as small */
	cells: (number | null)[][];
	/** one per row, or omitted when rows have no published total */
	rowTotals?: (number | null)[];
	/** one per column, or omitted when columns have no published total */
	colTotals?: (number | null)[];
	/** the total of the totals; only with row or column totals */
	grandTotal?: number | null;
}

export interface SuppressedTable {
	cells: SuppressedCell[][];
	rowTotals?: SuppressedCell[];
	colTotals?: SuppressedCell[];
	grandTotal?: SuppressedCell;
}

export const DEFAULT_SMALL_COUNT_THRESHOLD = 11;

/** How a cell reads in French: the count, « < 11 », or « masqué ». */
export function cellLabelFr(cell: SuppressedCell, threshold: number, format: (n: number) => string = String): string {
	if (cell.status === 'small') return `< ${threshold}`;
	if (cell.status === 'hidden' || cell.value === null) return 'masqué';
	return format(cell.value);
}

/** The legend shown beside every table that may hide cells. */
export function suppressionLegendFr(threshold: number): string {
	return (
		`« < ${threshold} » : moins de ${threshold} personnes (mais au moins une), nombre non publié pour qu’on ne puisse reconnaître personne ` +
		`(règle du secret statistique de l’administration fiscale). « masqué » : case cachée en plus, pour qu’une case « < ${threshold} » ` +
		`ne puisse pas être recalculée à partir des totaux de sa ligne ou de sa colonne. Zéro est publié.`
	);
}

type Entry = { value: number | null; status: CellStatus; total: boolean };

/**
 * Applies primary and secondary suppression to a table of counts of people.
 * @param threshold counts 1…threshold − 1 are hidden (≥ 2)
 * @throws RangeError if the threshold is below 2 or the table is ragged
 */
export function suppressTable(table: CountTable, threshold = DEFAULT_SMALL_COUNT_THRESHOLD): SuppressedTable {
	if (!(threshold >= 2)) throw new RangeError('threshold must be at least 2');
	const R = table.cells.length;
	const C = R === 0 ? (table.colTotals?.length ?? 0) : table.cells[0].length;
	if (table.cells.some((row) => row.length !== C)) throw new RangeError('ragged table');
	const hasRows = table.rowTotals !== undefined;
	const hasCols = table.colTotals !== undefined;
	const hasGrand = table.grandTotal !== undefined && (hasRows || hasCols);

	const entry = (v: number | null, total: boolean): Entry => ({
		value: v,
		status: v === null || (v > 0 && v < threshold) ? 'small' : 'shown',
		total
	});
	// Grid (R + 1) × (C + 1): the last row holds column totals, the last column row totals.
	const grid: (Entry | null)[][] = [];
	for (let r = 0; r <= R; r++) {
		const line: (Entry | null)[] = [];
		for (let c = 0; c <= C; c++) {
			if (r < R && c < C) line.push(entry(table.cells[r][c], false));
			else if (r < R && c === C) line.push(hasRows ? entry(table.rowTotals![r], true) : null);
			else if (r === R && c < C) line.push(hasCols ? entry(table.colTotals![c], true) : null);
			else line.push(hasGrand ? entry(table.grandTotal!, true) : null);
		}
		grid.push(line);
	}

	// Lines: each says « its cells add up to its total » (only where that total is published).
	type Pos = [number, number];
	const lines: { cells: Pos[]; total: Pos }[] = [];
	if (hasRows) for (let r = 0; r < R; r++) lines.push({ cells: range(C).map((c) => [r, c] as Pos), total: [r, C] });
	if (hasCols) for (let c = 0; c < C; c++) lines.push({ cells: range(R).map((r) => [r, c] as Pos), total: [R, c] });
	if (hasGrand && hasRows) lines.push({ cells: range(R).map((r) => [r, C] as Pos), total: [R, C] });
	if (hasGrand && hasCols) lines.push({ cells: range(C).map((c) => [R, c] as Pos), total: [R, C] });

	const at = ([r, c]: Pos) => grid[r][c]!;
	const isHidden = (p: Pos) => at(p).status !== 'shown';
	const members = (line: { cells: Pos[]; total: Pos }) => [...line.cells, line.total];

	/** Hides one more entry of `line` (smallest non-zero cell, else any cell, else the total). */
	const hideOneIn = (line: { cells: Pos[]; total: Pos }): boolean => {
		const open = line.cells.filter((p) => !isHidden(p));
		const positive = open.filter((p) => (at(p).value ?? 0) > 0).sort((a, b) => at(a).value! - at(b).value!);
		const pick = positive[0] ?? open[0] ?? (isHidden(line.total) ? undefined : line.total);
		if (!pick) return false;
		at(pick).status = 'hidden';
		return true;
	};

	for (let guard = 0; guard < 2 * (R + 1) * (C + 1) + 2; guard++) {
		// (b) a line hiding only small counts hides one more, not small
		const weak = lines.filter((line) => {
			const hidden = line.cells.filter(isHidden);
			if (hidden.length === 0) return false;
			const small = hidden.filter((p) => at(p).status === 'small').length;
			if (isHidden(line.total)) return [...hidden, line.total].every((p) => at(p).status === 'small');
			// what the hidden cells add up to, as anyone can compute it from the shown ones
			const rest = at(line.total).value! - line.cells.filter((p) => !isHidden(p)).reduce((a, p) => a + at(p).value!, 0);
			return rest <= small || (small === hidden.length && rest >= small * (threshold - 1));
		});
		if (weak.some(hideOneIn)) continue;
		// (a) no hidden entry determined by the published lines
		const unknowns: Pos[] = [];
		for (let r = 0; r <= R; r++) for (let c = 0; c <= C; c++) if (grid[r][c] && isHidden([r, c])) unknowns.push([r, c]);
		const index = new Map(unknowns.map(([r, c], i) => [`${r},${c}`, i]));
		const equations = lines.map((line) => {
			const row = new Array(unknowns.length).fill(0);
			for (const p of line.cells) if (index.has(`${p[0]},${p[1]}`)) row[index.get(`${p[0]},${p[1]}`)!] += 1;
			if (index.has(`${line.total[0]},${line.total[1]}`)) row[index.get(`${line.total[0]},${line.total[1]}`)!] -= 1;
			return row;
		});
		const byRank = determinedUnknowns(equations, unknowns.length);
		const byBounds = pinnedByBounds(
			grid.flatMap((line, r) => line.map((e, c) => ({ e, r, c }))).filter((x) => x.e !== null),
			lines,
			threshold
		);
		const determined = unknowns.filter(([r, c], i) => byRank[i] || byBounds.has(`${r},${c}`));
		if (determined.length === 0) break;
		// For each, hide one more in the nearest line (through hidden entries) that still shows
		// something; one line at most once per pass, then look again.
		const touched = new Set<{ cells: Pos[]; total: Pos }>();
		let firstSeen: Set<string> | null = null;
		for (const start of determined) {
			if (!isHidden(start)) continue;
			const seen = new Set<string>([start.join()]);
			let frontier: Pos[] = [start];
			let target: { cells: Pos[]; total: Pos } | undefined;
			while (frontier.length > 0 && !target) {
				const next: Pos[] = [];
				for (const [fr, fc] of frontier) {
					for (const l of lines.filter((l) => members(l).some(([r, c]) => r === fr && c === fc))) {
						if (!target && members(l).some((p) => !isHidden(p))) target = l;
						for (const p of members(l)) if (isHidden(p) && !seen.has(p.join())) (seen.add(p.join()), next.push(p));
					}
				}
				frontier = next;
			}
			firstSeen ??= seen;
			if (target && !touched.has(target) && hideOneIn(target)) touched.add(target);
		}
		if (touched.size > 0) continue;
		// Nothing left to hide around it: what gives it away is knowing which cells are small.
		// Those cells are then shown as « masqué » like the others (no bound to reason from).
		const relabel = [...firstSeen!].map((k) => k.split(',').map(Number) as Pos).filter((p) => at(p).status === 'small');
		if (relabel.length === 0) break;
		for (const p of relabel) at(p).status = 'hidden';
	}

	const out = (e: Entry | null): SuppressedCell => ({
		value: e && e.status === 'shown' ? e.value : null,
		status: e ? e.status : 'hidden'
	});
	return {
		cells: range(R).map((r) => range(C).map((c) => out(grid[r][c]))),
		...(hasRows && { rowTotals: range(R).map((r) => out(grid[r][C])) }),
		...(hasCols && { colTotals: range(C).map((c) => out(grid[R][c])) }),
		...(hasGrand && { grandTotal: out(grid[R][C]) })
	};
}

/** A list of counts with its total (a one-column table). */
export function suppressList(values: (number | null)[], total: number | null, threshold = DEFAULT_SMALL_COUNT_THRESHOLD) {
	const t = suppressTable({ cells: values.map((v) => [v]), colTotals: [total] }, threshold);
	return { values: t.cells.map((row) => row[0]), total: t.colTotals![0] };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/**
 * Hidden entries whose value the bounds alone give away: small cells lie in 1…threshold − 1,
 * other hidden entries are ≥ 0, and each line adds up. Bounds are tightened line by line until
 * nothing moves (bounds consistency); an entry whose lowest and highest possible values meet is
 * pinned. Returns their « r,c » keys.
 */
function pinnedByBounds(
	entries: { e: Entry | null; r: number; c: number }[],
	lines: { cells: [number, number][]; total: [number, number] }[],
	threshold: number
): Set<string> {
	const lo = new Map<string, number>();
	const hi = new Map<string, number>();
	for (const { e, r, c } of entries) {
		const k = `${r},${c}`;
		if (e!.status === 'shown') {
			lo.set(k, e!.value!);
			hi.set(k, e!.value!);
		} else {
			lo.set(k, e!.status === 'small' ? 1 : 0);
			hi.set(k, e!.status === 'small' ? threshold - 1 : Infinity);
		}
	}
	const lines_ = lines.map((line) => [
		...line.cells.map((p) => ({ k: `${p[0]},${p[1]}`, a: 1 })),
		{ k: `${line.total[0]},${line.total[1]}`, a: -1 }
	]);
	for (let round = 0, moved = true; moved && round < 60; round++) {
		moved = false;
		for (const terms of lines_) {
			// Σ a_j x_j = 0. Range of −a_j x_j for each term, summed once (infinite parts counted apart).
			const parts = terms.map((o) => {
				const [l, h] = [lo.get(o.k)!, hi.get(o.k)!];
				return o.a > 0 ? [-h, -l] : [l, h];
			});
			let finMin = 0;
			let finMax = 0;
			let infMin = 0;
			let infMax = 0;
			for (const [mn, mx] of parts) {
				if (mn === -Infinity) infMin++;
				else finMin += mn;
				if (mx === Infinity) infMax++;
				else finMax += mx;
			}
			terms.forEach((t, i) => {
				const [mn, mx] = parts[i];
				const min = infMin - (mn === -Infinity ? 1 : 0) > 0 ? -Infinity : finMin - (mn === -Infinity ? 0 : mn);
				const max = infMax - (mx === Infinity ? 1 : 0) > 0 ? Infinity : finMax - (mx === Infinity ? 0 : mx);
				// a_t x_t = − Σ others a_j x_j ∈ [min, max]
				const [newLo, newHi] = t.a > 0 ? [min, max] : [-max, -min];
				if (newLo > lo.get(t.k)!) {
					lo.set(t.k, newLo);
					moved = true;
				}
				if (newHi < hi.get(t.k)!) {
					hi.set(t.k, newHi);
					moved = true;
				}
			});
		}
	}
	const pinned = new Set<string>();
	for (const { e, r, c } of entries) {
		const k = `${r},${c}`;
		if (e!.status !== 'shown' && lo.get(k)! >= hi.get(k)!) pinned.add(k);
	}
	return pinned;
}

/**
 * Which unknowns the homogeneous equations fix (reduced row echelon form: a pivot unknown is fixed
 * when its row has no free unknown; free unknowns can move). Integer-ish matrices, float tolerance.
 */
export function determinedUnknowns(equations: number[][], n: number): boolean[] {
	const m = equations.map((row) => [...row]);
	const pivots: number[] = [];
	let r = 0;
	for (let c = 0; c < n && r < m.length; c++) {
		let pivot = r;
		for (let k = r + 1; k < m.length; k++) if (Math.abs(m[k][c]) > Math.abs(m[pivot][c])) pivot = k;
		if (Math.abs(m[pivot][c]) < 1e-9) continue;
		[m[r], m[pivot]] = [m[pivot], m[r]];
		const p = m[r][c];
		for (let j = c; j < n; j++) m[r][j] /= p;
		for (let k = 0; k < m.length; k++) {
			if (k === r) continue;
			const f = m[k][c];
			if (Math.abs(f) > 1e-12) for (let j = c; j < n; j++) m[k][j] -= f * m[r][j];
		}
		pivots.push(c);
		r++;
	}
	const out = new Array(n).fill(false);
	const pivotSet = new Set(pivots);
	pivots.forEach((c, row) => {
		out[c] = m[row].every((v, j) => j === c || pivotSet.has(j) || Math.abs(v) < 1e-9);
	});
	return out;
}
