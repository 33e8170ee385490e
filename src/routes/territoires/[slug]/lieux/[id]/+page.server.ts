import { error, fail, redirect } from '@sveltejs/kit';
import { parseForm } from '$lib/domain/forms';
import { EraseLieuContactSchema, isUuid, LIEU_DUPLICATE_MESSAGE_FR, LieuStatusChangeSchema, UpdateLieuSchema, type LieuStatus } from '$lib/domain/lieux';
import { route } from '$lib/routes';
import { versionConflict } from '$lib/server/db/conflict';
import { asUser } from '$lib/server/db';
import { eraseLieuContact, getLieu, setLieuStatus, updateLieuChecked } from '$lib/server/lieux';
import { territoryContext } from '$lib/server/territories/context';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const NOT_FOUND = 'Ce lieu n’existe pas dans ce territoire.';

export const load: PageServerLoad = async (event) => {
	const { claims, territory } = await territoryContext(event);
	const id = event.params.id;
	const lieu = isUuid(id) ? await asUser(claims, (tx) => getLieu(tx, territory.id, id)) : undefined;
	if (!lieu) error(404, NOT_FOUND);
	const ok = event.url.searchParams.get('ok');
	return { territory, lieu, ok };
};

/** What the person typed, shown again after a conflict (every field here is plain text). */
const typedValues = (form: FormData) =>
	Object.fromEntries([...form].filter((e): e is [string, string] => typeof e[1] === 'string'));

/** Deactivate / reactivate: the same action with the target status, version-protected. */
async function changeStatus(event: RequestEvent, status: LieuStatus) {
	const { claims, territory } = await territoryContext(event);
	const id = event.params.id;
	if (!isUuid(id)) error(404, NOT_FOUND);
	const parsed = parseForm(LieuStatusChangeSchema, await event.request.formData());
	if (!parsed.ok) return fail(400, { errors: parsed.errors, values: {} as Record<string, string> });
	const result = await asUser(claims, async (tx) => {
		const done = await setLieuStatus(tx, territory.id, id, status, parsed.data.version);
		return done ? null : { current: await getLieu(tx, territory.id, id) };
	});
	if (result) return versionConflict(result.current, {});
	redirect(303, route.lieu(territory.slug, id, { ok: status === 'inactive' ? 'desactive' : 'reactive' }));
}

export const actions: Actions = {
	update: async (event) => {
		const { claims, territory } = await territoryContext(event);
		const id = event.params.id;
		if (!isUuid(id)) error(404, NOT_FOUND);
		const formData = await event.request.formData();
		const parsed = parseForm(UpdateLieuSchema, formData);
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: parsed.values });
		const result = await asUser(claims, (tx) => updateLieuChecked(tx, territory.id, id, parsed.data));
		if (result.kind === 'duplicate')
			return fail(409, { errors: { name: LIEU_DUPLICATE_MESSAGE_FR } as Record<string, string>, values: typedValues(formData) });
		if (result.kind === 'conflict') return versionConflict(result.current, typedValues(formData));
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
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: { _action: 'eraseContact' } as Record<string, string> });
		const done = await asUser(claims, (tx) => eraseLieuContact(tx, territory.id, id));
		if (!done)
			return fail(409, {
				errors: { _form: 'Ce lieu n’a plus de coordonnées de contact à effacer.' },
				values: { _action: 'eraseContact' } as Record<string, string>
			});
		redirect(303, route.lieu(territory.slug, id, { ok: 'contact-efface' }));
	}
};
