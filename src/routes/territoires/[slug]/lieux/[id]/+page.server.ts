import { error, redirect } from '@sveltejs/kit';
import { parseForm, postedValues } from '$lib/domain/forms';
import { formFail, invalid } from '$lib/server/forms';
import { EraseLieuContactSchema, isUuid, LIEU_DUPLICATE_MESSAGE_FR, LieuStatusChangeSchema, UpdateLieuSchema, type LieuStatus } from '$lib/domain/lieux';
import { route } from '$lib/routes';
import { foundOr404, versionConflict } from '$lib/server/db/conflict';
import { asUser } from '$lib/server/db';
import { eraseLieuContact, getLieu, setLieuStatus, updateLieuChecked } from '$lib/server/lieux';
import { readTerritory, territoryContext } from '$lib/server/territories/context';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const NOT_FOUND = 'Lieu introuvable : il n’existe pas (ou plus) dans ce territoire.';

export const load: PageServerLoad = (event) =>
	readTerritory(event, async (tx, { territory }) => {
		const id = event.params.id;
		const lieu = isUuid(id) ? await getLieu(tx, territory.id, id) : undefined;
		if (!lieu) error(404, NOT_FOUND);
		return { territory, lieu, ok: event.url.searchParams.get('ok') };
	});

/** Deactivate / reactivate: the same action with the target status, version-protected. */
async function changeStatus(event: RequestEvent, status: LieuStatus) {
	const { claims, territory } = await territoryContext(event);
	const id = event.params.id;
	if (!isUuid(id)) error(404, NOT_FOUND);
	const parsed = parseForm(LieuStatusChangeSchema, await event.request.formData());
	const intent = status === 'inactive' ? 'deactivate' : 'reactivate';
	if (!parsed.ok) return invalid(intent, parsed);
	const result = await asUser(claims, async (tx) => {
		const done = await setLieuStatus(tx, territory.id, id, status, parsed.data.version);
		return done ? null : { current: await getLieu(tx, territory.id, id) };
	});
	if (result) return versionConflict(result.current, {}, intent);
	redirect(303, route.lieu(territory.slug, id, { ok: status === 'inactive' ? 'desactive' : 'reactive' }));
}

export const actions: Actions = {
	update: async (event) => {
		const { claims, territory } = await territoryContext(event);
		const id = event.params.id;
		if (!isUuid(id)) error(404, NOT_FOUND);
		const formData = await event.request.formData();
		const parsed = parseForm(UpdateLieuSchema, formData);
		if (!parsed.ok) return invalid('update', parsed);
		const result = await asUser(claims, (tx) => updateLieuChecked(tx, territory.id, id, parsed.data));
		if (result.kind === 'duplicate')
			return formFail(409, 'update', { errors: { name: LIEU_DUPLICATE_MESSAGE_FR }, values: postedValues(formData) });
		if (result.kind === 'conflict') return versionConflict(result.current, postedValues(formData), 'update');
		redirect(303, route.lieu(territory.slug, id, { ok: 'modifie' }));
	},
	deactivate: (event) => changeStatus(event, 'inactive'),
	reactivate: (event) => changeStatus(event, 'active'),

	/** Erasure of the contact person on request (RGPD art. 17): irreversible, explicitly confirmed. */
	eraseContact: async (event) => {
		const { claims, territory } = await territoryContext(event);
		const id = event.params.id;
		if (!isUuid(id)) error(404, NOT_FOUND);
		const parsed = parseForm(EraseLieuContactSchema, await event.request.formData());
		if (!parsed.ok) return invalid('eraseContact', parsed);
		const { done, current } = await asUser(claims, async (tx) => {
			const done = await eraseLieuContact(tx, territory.id, id);
			return { done, current: done ? null : await getLieu(tx, territory.id, id) };
		});
		// nothing erased: not a lieu of this territory (404), or no contact left (409)
		if (!done) {
			foundOr404(current, NOT_FOUND);
			return formFail(409, 'eraseContact', { errors: { _form: 'Ce lieu n’a plus de coordonnées de contact à effacer.' }, values: {} });
		}
		redirect(303, route.lieu(territory.slug, id, { ok: 'contact-efface' }));
	}
};
