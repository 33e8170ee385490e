import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asService, type Tx } from '../../src/lib/server/db';
import {
	indicatorHistory,
	missingIndicatorsForMonth,
	monthSheet,
	saveMonth
} from '../../src/lib/server/indicators';
import type { IndicatorEntry } from '../../src/lib/domain/indicators';
import { type TerritoryPair, asUserThenRollback, outcome, territoryPair, useTestDatabase } from './helpers';

/**
 * Monthly indicator values through the same functions and `asUser` path the pages use, as each
 * role. Every test rolls back: the demo data stays as it was.
 */

let stop: () => Promise<void>;
let A: TerritoryPair['A'];
let B: TerritoryPair['B'];
let indicators: { id: string; code: string }[];
let as: TerritoryPair['as'];

const idOf = (code: string) => indicators.find((i) => i.code === code)!.id;
/** A territory's stored value of an indicator for a month, read bypassing RLS. */
const stored = (tx: Tx, territoryId: string, indicatorId: string, month: string) =>
	tx<{ id: string; value: number; note: string; version: number }[]>`
		select id, value::float8 as value, note, version from public.indicator_values
		where territory_id = ${territoryId} and indicator_id = ${indicatorId} and month = ${month}::date`;

beforeAll(async () => {
	stop = useTestDatabase();
	({ A, B, as } = await territoryPair('pays-des-etangs-clairs', 'vallee-de-la-sourde'));
	indicators = await asService((tx) => tx<{ id: string; code: string }[]>`select id, code from public.indicators`);
});
afterAll(() => stop());

const entry = (code: string, value: number, version = 0, note = ''): IndicatorEntry => ({
	indicator_id: idOf(code),
	value,
	note,
	evidence_url: null,
	version
});

describe('the monthly sheet', () => {
	it('lists the five laws with the active indicators, this month, last month and targets', async () => {
		const rows = await asUserThenRollback(as.coordA, (tx) => monthSheet(tx, A.id, '2026-10', '2026-02'));
		expect(new Set(rows.map((r) => r.law))).toEqual(new Set([1, 2, 3, 4, 5]));
		expect(rows.filter((r) => r.id)).toHaveLength(15);
		const trained = rows.find((r) => r.id === idOf('personnes_formees'))!;
		expect(trained.value).not.toBeNull();
		expect(trained.previous_value).not.toBeNull();
		expect(trained.version).toBe(1);
		expect(trained.target).toBeGreaterThan(0);
		expect(trained.cumulative).toBeGreaterThanOrEqual(trained.value!);
		expect(rows.find((r) => r.id === idOf('partenariats_actifs'))!.cumulative).toBeNull(); // a stock
	});

	it('gives each line exactly what is stored: this month, last month, the total since the start (flows)', async () => {
		for (const [month, start] of [['2026-10', '2026-02'], ['2026-02', '2026-02'], ['2026-06', '2026-04']] as const) {
			const rows = (await asUserThenRollback(as.coordA, (tx) => monthSheet(tx, A.id, month, start))).filter((r) => r.id);
			const expected = await asService(
				(tx) => tx<{ id: string; value: number | null; version: number; previous_value: number | null; total: number }[]>`
					select i.id,
					       (select v.value::float8 from public.indicator_values v where v.indicator_id = i.id and v.territory_id = ${A.id} and v.month = ${`${month}-01`}::date) as value,
					       coalesce((select v.version from public.indicator_values v where v.indicator_id = i.id and v.territory_id = ${A.id} and v.month = ${`${month}-01`}::date), 0) as version,
					       (select v.value::float8 from public.indicator_values v where v.indicator_id = i.id and v.territory_id = ${A.id}
					          and v.month = (${`${month}-01`}::date - interval '1 month')::date) as previous_value,
					       coalesce((select sum(v.value)::float8 from public.indicator_values v where v.indicator_id = i.id and v.territory_id = ${A.id}
					          and v.month between ${`${start}-01`}::date and ${`${month}-01`}::date), 0) as total
					from public.indicators i where i.active`
			);
			expect(rows).toHaveLength(expected.length);
			for (const row of rows) {
				const e = expected.find((x) => x.id === row.id)!;
				expect({ value: row.value, version: row.version, previous: row.previous_value }).toEqual({
					value: e.value,
					version: e.version,
					previous: e.previous_value
				});
				expect(row.cumulative).toBe(row.kind === 'flow' ? e.total : null);
			}
		}
	});

	it('shows a funder nothing of the values', async () => {
		const rows = await asUserThenRollback(as.funder, (tx) => monthSheet(tx, A.id, '2026-10', '2026-02'));
		expect(rows.every((r) => r.value === null && r.previous_value === null)).toBe(true);
	});
});

describe('missingIndicatorsForMonth', () => {
	it('lists what is not entered yet, and forgets what was just entered', async () => {
		const [before, after] = await asUserThenRollback(as.coordA, async (tx) => {
			const before = await missingIndicatorsForMonth(tx, A.id, '2026-11-01');
			await saveMonth(tx, A.id, '2026-11', [entry('personnes_formees', 4)]);
			return [before, await missingIndicatorsForMonth(tx, A.id, '2026-11')];
		});
		// the demo territory has not reported November yet
		expect(before).toHaveLength(15);
		expect(before[0]).toEqual({ id: expect.any(String), name_fr: expect.any(String), law: 1 });
		expect(after).toHaveLength(14);
		expect(after.some((i) => i.id === idOf('personnes_formees'))).toBe(false);
	});
});

describe('saving a month', () => {
	it.each(['coordA', 'facilitator'] as const)('%s saves several rows at once', async (who) => {
		const result = await asUserThenRollback(as[who], async (tx) => {
			const saved = await saveMonth(tx, A.id, '2026-11', [
				entry('personnes_formees', 12.5, 0, 'Deux sessions'),
				entry('kwh_evites', 300)
			]);
			return { saved, rows: await stored(tx, A.id, idOf('personnes_formees'), '2026-11-01') };
		});
		expect(result.saved).toEqual({ kind: 'saved', written: 2 });
		expect(result.rows).toEqual([{ id: expect.any(String), value: 12.5, note: 'Deux sessions', version: 1 }]);
	});

	it.each(['coordB', 'funder', 'outsider'] as const)('%s is refused, and nothing is written', async (who) => {
		expect(await outcome(as[who], (tx) => saveMonth(tx, A.id, '2026-11', [entry('personnes_formees', 3)]))).toBe(403);
		// correcting an existing value: RLS hides it, so it reads as gone — 0 rows written
		const [{ version }] = await asService((tx) => stored(tx, A.id, idOf('personnes_formees'), '2026-10-01'));
		expect(
			await asUserThenRollback(as[who], (tx) => saveMonth(tx, A.id, '2026-10', [entry('personnes_formees', 3, version)]))
		).toEqual({ kind: 'conflict', current: { [idOf('personnes_formees')]: null } });
		const [after] = await asService((tx) => stored(tx, A.id, idOf('personnes_formees'), '2026-10-01'));
		expect(after.version).toBe(version);
		expect(await asService((tx) => stored(tx, A.id, idOf('personnes_formees'), '2026-11-01'))).toEqual([]);
	});

	it('a stale version: nothing of the month is written, the current values come back', async () => {
		const result = await asUserThenRollback(as.coordA, async (tx) => {
			const [current] = await stored(tx, A.id, idOf('personnes_formees'), '2026-10-01');
			// someone else corrects it first
			await saveMonth(tx, A.id, '2026-10', [entry('personnes_formees', current.value + 1, current.version)]);
			const [other] = await stored(tx, A.id, idOf('heures_formation'), '2026-10-01');
			// this person's form still carries the old version, plus a valid change on another row
			const saved = await saveMonth(tx, A.id, '2026-10', [
				entry('personnes_formees', 99, current.version),
				entry('heures_formation', other.value + 7, other.version)
			]);
			return {
				saved,
				current,
				trained: (await stored(tx, A.id, idOf('personnes_formees'), '2026-10-01'))[0],
				hours: (await stored(tx, A.id, idOf('heures_formation'), '2026-10-01'))[0],
				other
			};
		});
		expect(result.saved.kind).toBe('conflict');
		if (result.saved.kind !== 'conflict') return;
		expect(Object.keys(result.saved.current)).toEqual([idOf('personnes_formees')]);
		expect(result.saved.current[idOf('personnes_formees')]).toMatchObject({
			value: result.current.value + 1,
			version: result.current.version + 1
		});
		expect(result.trained.value).toBe(result.current.value + 1);
		expect(result.hours).toEqual(result.other);
	});

	it('a value created meanwhile by someone else is not overwritten by a form that had none', async () => {
		const saved = await asUserThenRollback(as.coordA, async (tx) => {
			await saveMonth(tx, A.id, '2026-11', [entry('personnes_formees', 5)]);
			return saveMonth(tx, A.id, '2026-11', [entry('personnes_formees', 6, 0)]);
		});
		expect(saved).toMatchObject({ kind: 'conflict', current: { [idOf('personnes_formees')]: { value: 5, version: 1 } } });
	});

	it('the same form sent twice (a double click) is no conflict: the second finds its values there and writes nothing', async () => {
		const result = await asUserThenRollback(as.coordA, async (tx) => {
			const [row] = await stored(tx, A.id, idOf('personnes_formees'), '2026-10-01');
			const posted = { indicator_id: idOf('personnes_formees'), value: row.value + 7, note: 'deux clics', evidence_url: null, version: row.version };
			const first = await saveMonth(tx, A.id, '2026-10', [posted]);
			const second = await saveMonth(tx, A.id, '2026-10', [posted]);
			// a different value at the old version is still a conflict
			const other = await saveMonth(tx, A.id, '2026-10', [{ ...posted, value: row.value + 8 }]);
			return { first, second, other, after: (await stored(tx, A.id, idOf('personnes_formees'), '2026-10-01'))[0], row };
		});
		expect(result.first).toEqual({ kind: 'saved', written: 1 });
		expect(result.second).toEqual({ kind: 'saved', written: 0 });
		expect(result.other.kind).toBe('conflict');
		expect(result.after).toMatchObject({ value: result.row.value + 7, version: result.row.version + 1 });
	});

	it('unchanged rows are not rewritten (no new version, no audit event)', async () => {
		const result = await asUserThenRollback(as.coordA, async (tx) => {
			const [row] = await stored(tx, A.id, idOf('personnes_formees'), '2026-10-01');
			const saved = await saveMonth(tx, A.id, '2026-10', [
				{ indicator_id: idOf('personnes_formees'), value: row.value, note: row.note, evidence_url: null, version: row.version }
			]);
			return { saved, after: (await stored(tx, A.id, idOf('personnes_formees'), '2026-10-01'))[0], row };
		});
		expect(result.saved).toEqual({ kind: 'saved', written: 0 });
		expect(result.after.version).toBe(result.row.version);
	});

	it('a correction of a past month is audited with the old and the new value, and shows in the history', async () => {
		const result = await asUserThenRollback(as.coordA, async (tx) => {
			const [row] = await stored(tx, A.id, idOf('personnes_formees'), '2026-03-01');
			await saveMonth(tx, A.id, '2026-03', [
				{ indicator_id: idOf('personnes_formees'), value: row.value + 2.5, note: 'Recompté', evidence_url: 'https://exemple.fr/liste', version: row.version }
			]);
			const events = await tx<{ actor_id: string; action: string; changes: Record<string, [unknown, unknown]> }[]>`
				select actor_id, action, changes from public.audit_events
				where entity = 'indicator_values' and entity_id = ${row.id}`;
			const history = await indicatorHistory(tx, A.id, idOf('personnes_formees'), '2026-02', '2026-11');
			return { row, events, history };
		});
		expect(result.events).toHaveLength(1);
		const [event] = result.events;
		expect(event.actor_id).toBe(as.coordA.sub);
		expect(event.action).toBe('update');
		expect(event.changes.value).toEqual([result.row.value, result.row.value + 2.5]);
		expect(event.changes.note).toEqual([result.row.note, 'Recompté']);
		const march = result.history.find((h) => h.month === '2026-03')!;
		expect(march).toMatchObject({ value: result.row.value + 2.5, version: 2, previous_value: result.row.value });
		expect(march.corrected_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		expect(result.history.find((h) => h.month === '2026-04')).toMatchObject({ version: 1, corrected_on: null });
	});

	it('the database refuses a negative value even if the form were bypassed', async () => {
		expect(await outcome(as.coordA, (tx) => saveMonth(tx, A.id, '2026-11', [entry('personnes_formees', -1)]))).toBe(400);
	});

	it('the database refuses more than 4 decimals (what pages show) even if the form were bypassed, and keeps 4', async () => {
		expect(await outcome(as.coordA, (tx) => saveMonth(tx, A.id, '2026-11', [entry('personnes_formees', 0.0000001)]))).toBe(400);
		await asUserThenRollback(as.coordA, async (tx) => {
			await saveMonth(tx, A.id, '2026-11', [entry('personnes_formees', 0.0001)]);
			const [row] = await stored(tx, A.id, idOf('personnes_formees'), '2026-11-01');
			expect(row.value).toBe(0.0001);
		});
	});
});
