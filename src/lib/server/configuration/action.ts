import { isHttpError, redirect, type RequestEvent } from '@sveltejs/kit';
import type { z } from 'zod';
import { parseForm, postedValues } from '$lib/domain/forms';
import { requireRole } from '$lib/server/auth/guard';
import { asUser, type Tx } from '$lib/server/db';
import { CONFLICT_MESSAGE, foundOr404 } from '$lib/server/db/conflict';
import { formFail, invalid } from '$lib/server/forms';
import type { RuleRefusal } from './index';

const isRefusal = (r: unknown): r is RuleRefusal =>
	typeof r === 'object' && r !== null && 'refused' in r && typeof (r as RuleRefusal).refused === 'object';

/**
 * One configuration write, the same way for every form of /configuration and /personnes, in the
 * app's one failure shape (`formFail`: `{ intent, errors, values }`, read by `failureOf`):
 * facilitators and admins only (403 otherwise); bad input → 400 with French messages at the
 * fields; a rule only the database can judge (`run` returns a {@link RuleRefusal}) → 400 with its
 * message at its field; a write that touched nothing (`run` returns false) → `find` (the record
 * read again, same transaction) tells a record that is not there (404 « introuvable ») from a
 * stale version (409, the page shows the values now stored); a duplicate (23505) → 409 with
 * `duplicate` at its field; success → 303 to `done`. The typed values come back on failure so
 * nothing typed is lost (never passwords).
 */
export async function staffWrite<S extends z.ZodType>(
	event: RequestEvent,
	intent: string,
	schema: S,
	run: (tx: Tx, data: z.output<S>) => Promise<unknown>,
	done: (result: unknown) => string,
	duplicate: { field: string; message: string } = { field: '_form', message: 'Cet enregistrement existe déjà.' },
	find?: (tx: Tx) => Promise<unknown>
) {
	const claims = requireRole(event.locals, event.url, 'admin', 'facilitator');
	const form = await event.request.formData();
	const parsed = parseForm(schema, form);
	if (!parsed.ok) return invalid(intent, parsed);
	const values = postedValues(form);
	let result: unknown;
	let found: unknown = true;
	try {
		result = await asUser(claims, async (tx) => {
			const r = await run(tx, parsed.data);
			if (r === false && find) found = await find(tx);
			return r;
		});
	} catch (e) {
		if (isHttpError(e) && e.status === 409) return formFail(409, intent, { errors: { [duplicate.field]: duplicate.message }, values });
		throw e;
	}
	if (isRefusal(result)) return formFail(400, intent, { errors: result.refused, values });
	if (result === false) {
		foundOr404(found); // not there (any more): 404 « introuvable »
		return formFail(409, intent, { errors: { _form: CONFLICT_MESSAGE }, values: {} });
	}
	redirect(303, done(result));
}
