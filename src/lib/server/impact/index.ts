import type { Tx } from '$lib/server/db';
import { summarize, type TerritoryFiguresRow } from '$lib/domain/figures';
import {
	buildImpact,
	programBounds,
	type BreakdownRow,
	type ImpactData,
	type ImpactFilter,
	type IndicatorRow,
	type ProgramBounds,
	type TerritoryRow,
	type TotalsRow,
	type TrendRow
} from '$lib/domain/impact';
import { monthStart } from '$lib/domain/indicators';

/**
 * The months a period may cover (the current cohort's program up to today's month). One query;
 * null when there is no cohort. Any signed-in user may read the cohort (RLS cohorts_select).
 */
export async function impactBounds(tx: Tx, today: string): Promise<ProgramBounds | null> {
	const [c] = await tx<{ start_date: string; duration_months: number }[]>`
		select start_date, duration_months from public.cohorts order by start_date desc, created_at desc limit 1`;
	return c ? programBounds(c.start_date, today, c.duration_months) : null;
}

/**
 * Every aggregate the dashboard shows for the period, suppressed (see ImpactData). Seven queries
 * whatever the number of territories or citizens, all on the per-territory × month rollups and
 * the indicator values, through the security-definer impact functions (admins, facilitators,
 * funders; anyone else gets empty results → null here).
 */
export async function loadImpact(tx: Tx, filter: ImpactFilter, today: string): Promise<ImpactData | null> {
	const from = monthStart(filter.from);
	const to = monthStart(filter.to);
	const [totals, territories, trendCalendar, trendProgram, bySource, indicators, figures] = await Promise.all([
		tx<TotalsRow[]>`select * from public.impact_totals(${from}::date, ${to}::date)`,
		tx<TerritoryRow[]>`select * from public.impact_territories(${from}::date, ${to}::date)`,
		tx<TrendRow[]>`select * from public.impact_trend(${from}::date, ${to}::date, 'calendar')`,
		tx<TrendRow[]>`select * from public.impact_trend(${from}::date, ${to}::date, 'program')`,
		tx<BreakdownRow[]>`select * from public.impact_breakdown(${from}::date, ${to}::date, 'source')`,
		tx<IndicatorRow[]>`select * from public.impact_indicators(${from}::date, ${to}::date)`,
		tx<TerritoryFiguresRow[]>`select * from public.territory_figures(${today}::date)`
	]);
	if (!totals[0]) return null;
	return buildImpact({
		filter,
		dataDate: today,
		totals: totals[0],
		territories,
		trendCalendar,
		trendProgram,
		bySource,
		indicators,
		summaries: figures.map((row) => summarize(row, today))
	});
}

// ============ transparency snapshots ============

export interface SnapshotRow {
	id: string;
	period_from: string;
	period_to: string;
	data_date: string;
	published_at: Date;
	withdrawn_at: Date | null;
}

/** Publishes `data` as the public page's figures (staff only: RLS refuses others → 403). */
export async function publishSnapshot(tx: Tx, data: ImpactData): Promise<string> {
	const [row] = await tx<{ id: string }[]>`
		insert into public.transparency_snapshots (cohort_id, period_from, period_to, data_date, figures)
		select c.id, ${monthStart(data.from)}::date, ${monthStart(data.to)}::date, ${data.dataDate}::date, ${tx.json(data as never)}
		from public.cohorts c order by c.start_date desc, c.created_at desc limit 1
		returning id`;
	return row.id;
}

/** Withdraws a publication (staff only). False when there is no such publication still published. */
export async function withdrawSnapshot(tx: Tx, id: string): Promise<boolean> {
	const rows = await tx`
		update public.transparency_snapshots set withdrawn_at = now(), withdrawn_by = (select auth.uid())
		where id = ${id} and withdrawn_at is null returning id`;
	return rows.length === 1;
}

/** The latest publications, newest first (staff see withdrawn ones too). */
export function listSnapshots(tx: Tx, limit = 10) {
	return tx<SnapshotRow[]>`
		select id, period_from, period_to, data_date, published_at, withdrawn_at
		from public.transparency_snapshots order by published_at desc, id limit ${limit}`;
}

export interface PublishedSnapshot {
	id: string;
	period_from: string;
	period_to: string;
	data_date: string;
	published_at: Date;
	figures: ImpactData;
}

/** The public page's figures: the latest snapshot still published, or null. Anyone (anon). */
export async function publishedSnapshot(tx: Tx): Promise<PublishedSnapshot | null> {
	const [row] = await tx<PublishedSnapshot[]>`select * from public.published_snapshot()`;
	return row ?? null;
}

// ============ a territory's standing (coordinators) ============

export interface StandingRow {
	program_month: number;
	measure: 'citizens' | 'lieux' | 'societaires' | 'workshops_held' | 'participants';
	own: number;
	q1: string;
	median: string;
	q3: string;
	territories: number;
}

/** Where a territory stands among all territories at the same program month (quartiles). One query. */
export function territoryStanding(tx: Tx, territoryId: string, today: string) {
	return tx<StandingRow[]>`select * from public.territory_standing(${territoryId}::uuid, ${today}::date)`;
}
