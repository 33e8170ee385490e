import { fail, redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';
import { asUser } from '$lib/server/db';
import { listSnapshots, publishSnapshot, withdrawSnapshot } from '$lib/server/impact';
import { loadImpactPage } from '$lib/server/impact/page';
import { isUuid } from '$lib/domain/citizens';
import { impactSummary } from '$lib/domain/impact';
import { route } from '$lib/routes';
import type { Actions, PageServerLoad } from './$types';
import { htmlOnly } from '$lib/html-only';

/** Admins, facilitators and funders; staff also see the transparency publications. */
export const load: PageServerLoad = async (event) => {
	const { data, bounds, errors, role, claims } = await loadImpactPage(event);
	const staff = role === 'admin' || role === 'facilitator';
	const snapshots = staff ? await asUser(claims, (tx) => listSnapshots(tx)) : [];
	return htmlOnly(event, { impact: impactSummary(data), bounds, errors, staff, snapshots });
};

export const actions: Actions = {
	/** Staff: publish the figures shown (this period) on /transparence. */
	publier: async (event) => {
		requireRole(event.locals, event.url, 'admin', 'facilitator');
		// Publishing is explicit: the button's form says so (a stray post publishes nothing).
		if ((await event.request.formData()).get('confirmer') !== 'publier')
			return fail(400, { publication: 'Publication non confirmée : utilisez le bouton « Publier ces chiffres ».' });
		const { data, claims, errors } = await loadImpactPage(event);
		// a period the filter refused would be replaced by a default one: publish only what was asked
		if (Object.keys(errors).length > 0)
			return fail(400, { publication: 'Corrigez la période avant de publier : ces chiffres ne sont pas ceux demandés.' });
		await asUser(claims, (tx) => publishSnapshot(tx, data));
		redirect(303, route.transparency());
	},
	/** Staff: withdraw a publication (the public page then shows the previous one, or nothing). */
	retirer: async (event) => {
		const claims = requireRole(event.locals, event.url, 'admin', 'facilitator');
		const id = String((await event.request.formData()).get('id') ?? '');
		if (!isUuid(id)) return fail(400, { retrait: 'Publication introuvable.' });
		const done = await asUser(claims, (tx) => withdrawSnapshot(tx, id));
		if (!done) return fail(404, { retrait: 'Cette publication est introuvable ou déjà retirée.' });
		return { retrait: null, retiree: id };
	}
};

/** Plain HTML: nothing on this page needs JavaScript (see docs/decisions.md, Sobriété). */
export const csr = false;
