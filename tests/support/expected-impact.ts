/**
 * Expected impact figures computed straight from the demo cohort's generated rows (the same
 * deterministic data the seed inserts), with no SQL and none of the app's aggregation code:
 * flows summed, stocks at their last value, territories summed. Tests compare the dashboard,
 * the exports and the public page with these.
 */
import { buildDemo, type Row } from '../../src/lib/server/demo/seed';

let demo: ReturnType<typeof buildDemo> | null = null;
const data = () => (demo ??= buildDemo('x', new Set()));

/** The Paris calendar month of a seeded timestamp (written with its Paris offset: '2026-05-12T18:00:00+02:00'). */
const parisMonth = (ts: unknown) => String(ts).slice(0, 7);
const month = (d: unknown) => String(d).slice(0, 7);

export interface ExpectedTotals {
	citizens: number;
	citizens_new: number;
	societaires: number;
	lieux: number;
	lieux_new: number;
	workshops_held: number;
	participations: number;
	participants: number;
}

/** Program totals for the months from…to (AAAA-MM, both included). */
export function expectedTotals(from: string, to: string): ExpectedTotals {
	const d = data();
	const active = d.citizens.filter((c) => c.status === 'active' && month(c.enrolled_at) <= to);
	const lieux = d.lieux.filter((l) => l.status === 'active' && month(l.enrolled_at) <= to);
	const workshopMonth = new Map(d.workshops.map((w) => [w.id as string, parisMonth(w.starts_at)]));
	const inPeriod = (m: string) => m >= from && m <= to;
	const attendances = d.attendances.filter((a) => inPeriod(workshopMonth.get(a.workshop_id as string)!));
	const everAttended = new Set(
		d.attendances.filter((a) => workshopMonth.get(a.workshop_id as string)! <= to).map((a) => a.citizen_id)
	);
	return {
		citizens: active.length,
		citizens_new: active.filter((c) => month(c.enrolled_at) >= from).length,
		societaires: active.filter((c) => c.is_societaire).length,
		lieux: lieux.length,
		lieux_new: lieux.filter((l) => month(l.enrolled_at) >= from).length,
		workshops_held: d.workshops.filter((w) => w.status === 'held' && inPeriod(parisMonth(w.starts_at))).length,
		participations: attendances.length,
		participants: everAttended.size
	};
}

export interface ExpectedIndicator {
	code: string;
	law: number;
	actual: number | null;
	target: number | null;
	reported: number;
}

/** Indicators for the months from…to: per territory sum (flow) or last value (stock), then summed over territories. */
export function expectedIndicators(from: string, to: string): ExpectedIndicator[] {
	const d = data();
	return d.indicators.map((ind: Row) => {
		const values = d.values.filter((v) => v.indicator_id === ind.id && month(v.month) >= from && month(v.month) <= to);
		const byTerritory = new Map<string, Row[]>();
		for (const v of values) byTerritory.set(v.territory_id as string, [...(byTerritory.get(v.territory_id as string) ?? []), v]);
		const perTerritory = [...byTerritory.values()].map((vs) =>
			ind.kind === 'flow'
				? vs.reduce((s, v) => s + Number(v.value), 0)
				: Number([...vs].sort((a, b) => String(b.month).localeCompare(String(a.month)))[0].value)
		);
		const targets = d.targets.filter((t) => t.indicator_id === ind.id).map((t) => Number(t.target));
		return {
			code: ind.code as string,
			law: ind.law as number,
			actual: perTerritory.length ? perTerritory.reduce((s, v) => s + v, 0) : null,
			target: targets.length ? targets.reduce((s, v) => s + v, 0) : null,
			reported: perTerritory.length
		};
	});
}
