import { isUuid } from '$lib/domain/fields';
import { error } from '@sveltejs/kit';
import { programMonths } from '$lib/domain/indicators';
import { indicatorHistory, indicatorInfo, type HistoryValue } from '$lib/server/indicators';
import { readTerritory } from '$lib/server/territories/context';
import type { PageServerLoad } from './$types';
import * as clock from '$lib/server/clock';


/** « exemple.fr » for a link's text: says where it leads. */
function hostOf(url: string | null): string | null {
	if (!url) return null;
	try {
		return new URL(url).hostname.replace(/^www\./, '');
	} catch {
		return 'lien';
	}
}

/**
 * One indicator's history in this territory, month by month over the program so far:
 * 1 query for the guard, then 2 in one transaction (the indicator, its values with their last
 * correction from the audit trail).
 */
export const load: PageServerLoad = (event) =>
	readTerritory(event, async (tx, { territory }) => {
		if (!isUuid(event.params.id)) error(404, 'Cet indicateur n’existe pas.');
		const months = programMonths(territory.start_date, clock.today());
		const [indicator, values] = await Promise.all([
			indicatorInfo(tx, territory.id, event.params.id),
			months.length > 0 ? indicatorHistory(tx, territory.id, event.params.id, months[0], months.at(-1)!) : []
		]);
		if (!indicator) error(404, 'Cet indicateur n’existe pas.');
		const byMonth = new Map<string, HistoryValue & { evidence_host: string | null }>(
			values.map((v) => [v.month, { ...v, evidence_host: hostOf(v.evidence_url) }])
		);
		return {
			territory,
			indicator,
			rows: months.map((month) => ({ month, entry: byMonth.get(month) ?? null })),
			total: indicator.kind === 'flow' ? values.reduce((sum, v) => sum + v.value, 0) : null
		};
	});
