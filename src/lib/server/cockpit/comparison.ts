import type { Tx } from '$lib/server/db';
import type { CatalogIndicator, ComparisonMonthRow, ComparisonTerritory } from '$lib/domain/comparison';

/** The current cohort's thresholds and length, as the comparison's pace needs them. */
export interface ComparisonCohort {
	citizen_threshold: number;
	lieu_threshold: number;
	duration_months: number;
}

/**
 * What the comparison's form offers: the current cohort (thresholds, length), its active
 * indicators (by law, then their order) and the régions of its territories not archived (French
 * order). Two statements, run as the user under RLS (every signed-in user may read the program's
 * configuration; the page itself is staff-only). `cohort` is null when no cohort exists.
 */
export async function comparisonOptions(tx: Tx) {
	const [cohort] = await tx<(ComparisonCohort & { catalog: CatalogIndicator[] | null; regions: string[] | null })[]>`
		with co as (select * from public.cohorts order by start_date desc, created_at desc limit 1)
		select co.citizen_threshold, co.lieu_threshold, co.duration_months::int as duration_months,
		       (select jsonb_agg(jsonb_build_object('id', i.id, 'code', i.code, 'law', i.law, 'name_fr', i.name_fr,
		                 'unit', i.unit, 'aggregation_over_time', i.aggregation_over_time) order by i.law, i.sort_order, i.code)
		          from public.indicators i where i.cohort_id = co.id and i.active) as catalog,
		       (select array_agg(distinct t.region collate public.french order by t.region collate public.french)
		          from public.territories t where t.cohort_id = co.id and t.archived_at is null) as regions
		from co`;
	if (!cohort) return null;
	const { catalog, regions, ...rest } = cohort;
	return { cohort: rest, catalog: catalog ?? [], regions: regions ?? [] };
}

/**
 * One page of the current cohort's territories not archived (by name, French order), optionally
 * of one région, with their effective start date (their own, or the cohort's), and the total
 * count for the pager. One statement, under RLS.
 */
export async function comparisonTerritories(tx: Tx, region: string | null, offset: number, limit: number) {
	const rows = await tx<(ComparisonTerritory & { total: number })[]>`
		select t.id, t.slug, t.name, t.region, coalesce(t.start_date, c.start_date)::text as start_date,
		       count(*) over ()::int as total
		from public.territories t join public.cohorts c on c.id = t.cohort_id
		where c.id = (select id from public.cohorts order by start_date desc, created_at desc limit 1)
		  and t.archived_at is null and (${region}::text is null or t.region = ${region}::text)
		order by t.name, t.id
		offset ${offset} limit ${limit}`;
	return { territories: rows.map(({ total: _, ...t }) => t), total: rows[0]?.total ?? 0 };
}

/**
 * The page's territories' enrolments per calendar month, and the chosen indicator's values
 * (`indicatorId` null: none), from `public.comparison_months` (security definer over the
 * per-territory × month rollups; staff only, others get no row). One statement whatever the
 * number of territories or citizens.
 */
export function comparisonMonths(tx: Tx, territoryIds: string[], indicatorId: string | null) {
	return tx<ComparisonMonthRow[]>`
		select territory_id, month::text as month, citizens, lieux, value
		from public.comparison_months(${territoryIds}::uuid[], ${indicatorId}::uuid)`;
}
