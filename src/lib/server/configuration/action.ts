import { fail, isHttpError, redirect, type RequestEvent } from '@sveltejs/kit';
import type { z } from 'zod';
import { parseForm } from '$lib/domain/forms';
import { requireRole } from '$lib/server/auth/guard';
import { asUser, type Tx } from '$lib/server/db';
import { CONFLICT_MESSAGE, foundOr404 } from '$lib/server/db/conflict';

/**
 * One configuration write, the same way for every form of /configuration and /personnes:
 * facilitators and admins only (403 otherwise); bad input → 400 with French messages at the
 * fields; a write that touched nothing → `find` (the record read again, same transaction) tells
 * a record that is not there (404 « introuvable ») from a stale version (409, the page shows the
 * values now stored); a duplicate (23505) → 409 with `duplicate` at its field; success → 303 to `done`.
 * The typed values come back on failure so nothing typed is lost.
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
	if (!parsed.ok) return fail(400, { intent, errors: parsed.errors, values: parsed.values });
	const values: Record<string, string> = {};
	for (const [k, v] of form) if (typeof v === 'string' && !k.startsWith('password')) values[k] = v;
	let result: unknown;
	let found: unknown = true;
	try {
		result = await asUser(claims, async (tx) => {
			const r = await run(tx, parsed.data);
			if (r === false && find) found = await find(tx);
			return r;
		});
	} catch (e) {
		if (isHttpError(e) && e.status === 409)
			return fail(409, { intent, errors: { [duplicate.field]: duplicate.message } as Record<string, string>, values });
		throw e;
	}
	if (result === false) {
		foundOr404(found); // not there (any more): 404 « introuvable »
		return fail(409, { intent, errors: { _form: CONFLICT_MESSAGE } as Record<string, string>, values: {} });
	}
	redirect(303, done(result));
}
