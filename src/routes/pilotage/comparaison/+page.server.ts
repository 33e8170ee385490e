import { error } from '@sveltejs/kit';
import {
	PROGRAM_MEASURES,
	comparisonRuleFr,
	comparisonSeries,
	indicatorParam,
	parseComparisonQuery
} from '$lib/domain/comparison';
import { paginate } from '$lib/domain/pagination';
import { requireRole } from '$lib/server/auth/guard';
import { asUser } from '$lib/server/db';
import { comparisonMonths, comparisonOptions, comparisonTerritories } from '$lib/server/cockpit/comparison';
import * as clock from '$lib/server/clock';
import type { PageServerLoad } from './$types';

/**
 * Six territories a page: 18 month rows × (month, pace, 6 territories) keep the page under the
 * 300 DOM nodes of the budget, and six lines stay readable on the chart. At 180 territories: a
 * région filter and 30 pages (docs/decisions.md, « Comparaison par mois du programme »).
 */
const COMPARISON_PAGE_SIZE = 6;

/**
 * Comparison by program month: facilitators and admins only (403 for everyone else; signed out:
 * to the login page). The measure (`indicateur`), the région and the page come from the URL
 * (a GET form: no JavaScript needed); a bad value gets a French message and the default.
 * Three SQL statements whatever the number of territories or citizens.
 * @throws 403 for other roles, 404 when no cohort is configured yet
 */
export const load: PageServerLoad = async ({ locals, url }) => {
	const claims = requireRole(locals, url, 'admin', 'facilitator');
	const today = clock.today();
	const result = await asUser(claims, async (tx) => {
		const options = await comparisonOptions(tx);
		if (!options) return null;
		const { query, errors } = parseComparisonQuery(url.searchParams, options.catalog, options.regions);
		const offset = (query.page - 1) * COMPARISON_PAGE_SIZE;
		const page = await comparisonTerritories(tx, query.region, offset, COMPARISON_PAGE_SIZE);
		const indicatorId = query.measure.kind === 'indicator' ? query.measure.indicator.id : null;
		const rows = await comparisonMonths(tx, page.territories.map((t) => t.id), indicatorId);
		return { options, query, errors, page, rows };
	});
	if (!result) error(404, 'Aucune cohorte n’est encore configurée.');
	const { options, query, errors, page, rows } = result;
	const { measure } = query;
	const threshold =
		measure.kind === 'citizens' ? options.cohort.citizen_threshold : measure.kind === 'lieux' ? options.cohort.lieu_threshold : null;
	const months = options.cohort.duration_months;
	return {
		today,
		series: comparisonSeries({ territories: page.territories, rows, measure, threshold, today, months }),
		measure: { kind: measure.kind, value: measure.value, label: measure.label, unit: measure.unit },
		rule: comparisonRuleFr(measure, threshold, months),
		region: query.region,
		errors,
		pagination: { ...paginate(query.page, page.total, COMPARISON_PAGE_SIZE), page: query.page },
		choices: [
			...Object.values(PROGRAM_MEASURES).map((m) => ({ value: m.value, label: m.label })),
			...options.catalog.map((i) => ({ value: indicatorParam(i), label: `Loi ${i.law} · ${i.name_fr}` }))
		],
		regions: options.regions
	};
};
