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

/** A territory's home: where the program stands, what is late, what comes next, what is missing. */
export const load: PageServerLoad = (event) =>
	readTerritory(event, async (tx, { territory }) => {
		const today = clock.today();
		const month = `${today.slice(0, 7)}-01`;
		const [figures, milestones, workshops, missing, standing] = await Promise.all([
			territoryFiguresOf(tx, today, territory.id),
			openMilestones(tx, territory.id, today),
			nextWorkshops(tx, territory.id, clock.now()),
			missingIndicatorsForMonth(tx, territory.id, month),
			// compared with every territory: the same for all who may open this page (checked above)
			memoForAllowed(tx, `standing|${territory.id}|${today}`, (tx) => territoryStanding(tx, territory.id, today))
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

/** Plain HTML: nothing on this page needs JavaScript (see docs/decisions.md, Sobriété). */
export const csr = false;
