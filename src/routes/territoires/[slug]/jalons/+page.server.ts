import { redirect } from '@sveltejs/kit';
import { parseForm } from '$lib/domain/forms';
import { MilestoneSchema, milestoneTimeline, statusFilterOf } from '$lib/domain/milestones';
import { paginate, pageFromUrl, PAGE_SIZE } from '$lib/domain/pagination';
import { programMonth } from '$lib/domain/program';
import { asUser } from '$lib/server/db';
import { invalid, newSubmission, writeOnce } from '$lib/server/forms';
import { createMilestone, listMilestones, programPhases } from '$lib/server/milestones';
import { readTerritory, territoryContext } from '$lib/server/territories/context';
import { route } from '$lib/routes';
import type { Actions, PageServerLoad } from './$types';
import * as clock from '$lib/server/clock';
import { htmlOnly } from '$lib/html-only';

/**
 * The territory's milestones, as a paginated list (default) or month by month (`?vue=frise`),
 * filtered by `?statut=`. Queries: the guard, then phases + milestones (one transaction).
 */
export const load: PageServerLoad = (event) =>
	readTerritory(event, async (tx, { territory }) => {
		const { url } = event;
		const view = url.searchParams.get('vue') === 'frise' ? 'frise' : 'liste';
		const statut = url.searchParams.get('statut');
		const filter = statusFilterOf(statut);
		const day = clock.today();
		const page = pageFromUrl(url);
		const [phases, list] = await Promise.all([
			programPhases(tx, territory.id),
			listMilestones(
				tx,
				territory.id,
				view === 'liste' ? { filter, today: day, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE } : { filter, today: day }
			)
		]);
		return {
			territory,
			today: day,
			view,
			statut: filter ? statut : null,
			phases,
			currentMonth: programMonth(territory.start_date, day).month,
			milestones: view === 'liste' ? list.rows : [],
			pagination: paginate(page, list.total),
			timeline: view === 'frise' ? milestoneTimeline(territory.start_date, list.rows, day, phases) : null,
			submission: newSubmission()
		};
	}).then((data) => htmlOnly(event, data));

export const actions: Actions = {
	/** Adds one of the territory's own milestones, then opens it. */
	create: async (event) => {
		const { claims, territory } = await territoryContext(event);
		const parsed = parseForm(MilestoneSchema, await event.request.formData());
		if (!parsed.ok) return invalid('create', parsed);
		const { submission, ...milestone } = parsed.data;
		const once = await asUser(claims, (tx) =>
			writeOnce(tx, submission, 'milestone', async () => ({ ok: true, value: { id: await createMilestone(tx, territory.id, milestone) } }))
		);
		redirect(303, once.ok && once.value.id ? route.milestone(territory.slug, once.value.id) : route.milestones(territory.slug));
	}
};

/** Plain HTML: nothing on this page needs JavaScript (see docs/decisions.md, Sobriété). */
export const csr = false;
