import { error } from '@sveltejs/kit';
import { summarize } from '$lib/domain/figures';
import { isShownProgramMonth } from '$lib/domain/program';
import { memoForAllowed } from '$lib/server/db/memo';
import { territoryFiguresOf } from '$lib/server/territories';
import { readTerritory } from '$lib/server/territories/context';
import { missingIndicatorsForMonth } from '$lib/server/indicators';
import { nextWorkshops, openMilestones } from '$lib/server/territories/home';
import { territoryStanding } from '$lib/server/impact';
import type { PageServerLoad } from './$types';
import * as clock from '$lib/server/clock';
import { htmlOnly } from '$lib/html-only';

/**
 * A territory's home: where the program stands, what is late, what comes next, what is missing.
 * A dashboard of the territory, without personal data and the same for everyone who may open it:
 * once the check has let this user in, kept while no data changes (`memoForAllowed`, one
 * statement), for the day, and for the minute as to which workshops are still to come.
 */
export const load: PageServerLoad = (event) =>
	readTerritory(event, async (tx, { territory, admitted }) => {
		const today = clock.today();
		const now = clock.now();
		await admitted;
		return memoForAllowed(tx, `home|${territory.id}|${today}|${now.toISOString().slice(0, 16)}`, async (tx) => {
			const [figures, milestones, workshops, missing, standing] = await Promise.all([
				territoryFiguresOf(tx, today, territory.id),
				openMilestones(tx, territory.id, today),
				nextWorkshops(tx, territory.id, now),
				missingIndicatorsForMonth(tx, territory.id, `${today.slice(0, 7)}-01`),
				// compared with every territory
				territoryStanding(tx, territory.id, today)
			]);
			if (!figures[0]) error(403, 'Ce territoire n’est pas le vôtre : vous ne pouvez pas l’ouvrir.');
			const summary = summarize(figures[0], today);
			return {
				today,
				territory: summary,
				late: milestones.filter((m) => m.late),
				upcoming: milestones.filter((m) => !m.late),
				workshops,
				missing,
				// its rank among the territories at the same program month: only once it has a program month
				standing: summary.started ? standing.filter((r) => isShownProgramMonth(r.program_month)) : []
			};
		});
	}, { oneTrip: false }).then((data) => htmlOnly(event, data));

/** Plain HTML: nothing on this page needs JavaScript (see docs/decisions.md, Sobriété). */
export const csr = false;
