import { fail, isHttpError, redirect } from '@sveltejs/kit';
import { CONSENT_PURPOSE, CONSENT_TEXT_VERSION } from '$lib/domain/citizens';
import {
	COLUMNS,
	importedNotice,
	MAX_CSV_BYTES,
	MAX_CSV_ROWS,
	parseCitizensCsv,
	parseLieuxCsv,
	sortProblems,
	type CsvKind,
	type CsvProblem
} from '$lib/domain/csv';
import { decodeCsv } from '$lib/domain/csv-decode';
import { submission as submissionField } from '$lib/domain/fields';
import type { FieldErrors } from '$lib/domain/forms';
import { plural, pluralWord } from '$lib/domain/french';
import { countFromUrl } from '$lib/domain/pagination';
import { route } from '$lib/routes';
import { asUser } from '$lib/server/db';
import {
	existingCitizenDuplicates,
	existingLieuDuplicates,
	importCitizens,
	importLieux,
	registryCounts
} from '$lib/server/import';
import { lockRegistry } from '$lib/server/identity';
import { newSubmission, writeOnce } from '$lib/server/forms';
import { readTerritory, territoryContext } from '$lib/server/territories/context';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import * as clock from '$lib/server/clock';

/** The report shows this many problems at most (the page stays light); the total is given. */
const SHOWN_PROBLEMS = 100;

export const load: PageServerLoad = (event) =>
	readTerritory(event, async (tx, { territory }) => {
		const counts = await registryCounts(tx, territory.id);
		const quoi = event.url.searchParams.get('quoi');
		const n = countFromUrl(event.url, 'importe', MAX_CSV_ROWS);
		// only a citizens' import skips rows (people withdrawn or erased)
		const ignored = quoi === 'citoyens' ? countFromUrl(event.url, 'ignores', MAX_CSV_ROWS) : null;
		const notice =
			(quoi === 'citoyens' || quoi === 'lieux') && n !== null
				? importedNotice(quoi, n) +
					(ignored ? ` ; ${plural(ignored, 'ligne')} de personnes retirées ou effacées ${pluralWord(ignored, 'ignorée')}` : '') +
					'.'
				: null;
		const columns = (kind: CsvKind) => COLUMNS[kind].map(({ name, help, required }) => ({ name, help, required: !!required }));
		return {
			territory,
			counts,
			notice,
			columns: { citoyens: columns('citoyens'), lieux: columns('lieux') },
			consent: { purpose: CONSENT_PURPOSE, version: CONSENT_TEXT_VERSION },
			/** One submission token per upload form: the same file sent twice imports once. */
			submissions: { citoyens: newSubmission(), lieux: newSubmission() }
		};
	});

/** A refused import, in the one shape of refused forms: `intent` is the upload form (citoyens / lieux). */
type Failure = { intent: CsvKind; errors?: FieldErrors; problems?: CsvProblem[]; problemCount?: number };

const refuse = (what: CsvKind, problems: CsvProblem[]) =>
	fail(400, {
		intent: what,
		problems: sortProblems(problems).slice(0, SHOWN_PROBLEMS),
		problemCount: problems.length
	} satisfies Failure);

/** The uploaded file as text, the field error that says why not, or the line where its encoding breaks. */
async function readUpload(form: FormData): Promise<{ text: string } | { error: string } | { problem: CsvProblem }> {
	const file = form.get('fichier');
	if (!(file instanceof File) || file.size === 0) return { error: 'Choisissez un fichier CSV.' };
	if (file.size > MAX_CSV_BYTES) return { error: 'Ce fichier dépasse 2 Mo : découpez-le en plusieurs fichiers.' };
	if (!/\.(csv|txt)$/i.test(file.name) && !/csv|text\/plain/.test(file.type))
		return { error: 'Ce fichier n’est pas un CSV : enregistrez-le au format « CSV (séparateur : point-virgule) ».' };
	const decoded = decodeCsv(new Uint8Array(await file.arrayBuffer()));
	return decoded.ok ? { text: decoded.text } : { problem: decoded.problem };
}

/** A refusal of the database (constraint, concurrent duplicate) is reported as a problem, not a 500. */
async function write<T>(what: CsvKind, run: () => Promise<T>) {
	try {
		return { ok: true as const, value: await run() };
	} catch (e) {
		if (isHttpError(e) && (e.status === 400 || e.status === 409))
			return {
				ok: false as const,
				failure: refuse(what, [
					{
						line: null,
						column: null,
						message:
							e.status === 409
								? 'Une des personnes ou un des lieux vient d’être enregistré par quelqu’un d’autre : rien n’a été importé. Réessayez.'
								: 'La base de données a refusé une des lignes : rien n’a été importé.'
					}
				])
			};
		throw e;
	}
}

async function importFile(event: RequestEvent, what: CsvKind) {
	const { claims, territory } = await territoryContext(event);
	const form = await event.request.formData();
	const errors: FieldErrors = {};
	const upload = await readUpload(form);
	if ('error' in upload) errors.fichier = upload.error;
	if (what === 'citoyens' && form.get('consentement') !== 'on')
		errors.consentement = 'Cochez cette case : personne n’est inscrit sans son consentement.';
	const token = submissionField.safeParse(form.get('submission') ?? undefined);
	if (!token.success) errors._form = token.error.issues[0].message;
	if (Object.keys(errors).length > 0 || 'error' in upload || !token.success) return fail(400, { intent: what, errors } satisfies Failure);
	const submission = token.data;
	if ('problem' in upload) return refuse(what, [upload.problem]);

	const today = clock.today();
	if (what === 'citoyens') {
		const parsed = parseCitizensCsv(upload.text, today);
		if (parsed.problems.length > 0) return refuse(what, parsed.problems);
		const result = await write(what, () =>
			asUser(claims, (tx) =>
				writeOnce(tx, submission, 'import_citizens', async () => {
					await lockRegistry(tx, 'citizens', territory.id);
					const duplicates = await existingCitizenDuplicates(tx, territory.id, parsed.rows);
					if (duplicates.length > 0) return { ok: false as const, failure: duplicates };
					const n = await importCitizens(
						tx,
						territory.id,
						parsed.rows.map((r) => r.data),
						{ consent_purpose: CONSENT_PURPOSE, consent_text_version: CONSENT_TEXT_VERSION }
					);
					return { ok: true as const, value: { n, skipped: parsed.skipped } };
				})
			)
		);
		if (!result.ok) return result.failure;
		if (!result.value.ok) return refuse(what, result.value.failure);
		const done = result.value.value;
		redirect(303, route.importExport(territory.slug, { importe: done.n ?? 0, quoi: what, ignores: done.skipped || undefined }));
	}
	const parsed = parseLieuxCsv(upload.text, today);
	if (parsed.problems.length > 0) return refuse(what, parsed.problems);
	const result = await write(what, () =>
		asUser(claims, (tx) =>
			writeOnce(tx, submission, 'import_lieux', async () => {
				await lockRegistry(tx, 'lieux', territory.id);
				const duplicates = await existingLieuDuplicates(tx, territory.id, parsed.rows);
				if (duplicates.length > 0) return { ok: false as const, failure: duplicates };
				return { ok: true as const, value: { n: await importLieux(tx, territory.id, parsed.rows.map((r) => r.data)) } };
			})
		)
	);
	if (!result.ok) return result.failure;
	if (!result.value.ok) return refuse(what, result.value.failure);
	redirect(303, route.importExport(territory.slug, { importe: result.value.value.n ?? 0, quoi: what }));
}

export const actions: Actions = {
	citoyens: (event) => importFile(event, 'citoyens'),
	lieux: (event) => importFile(event, 'lieux')
};
