/**
 * The form convention, server side: one way to refuse a form (`formFail`) and one way to make a
 * create form write once (`writeOnce`).
 *
 * Write once: every create form (citizen enrolment, quick-add, lieu, workshop, milestone, CSV
 * import) carries a submission token drawn when the form is shown (`newSubmission()` in the load,
 * hidden field `submission`). In the transaction of the write, the token is claimed for the user
 * in `private.form_submissions` (primary key user × token) and what the write produced is stored
 * there. The same submission sent again — a double-click, a retry after a timeout, two parallel
 * posts — finds the claim: a parallel one waits for the first transaction to end, then reads its
 * result; nothing is written twice and both answers lead to the same record.
 */
import { fail, type ActionFailure } from '@sveltejs/kit';
import type { FieldErrors, FormFailure, Parsed } from '$lib/domain/forms';
import type { Tx } from '$lib/server/db';

/**
 * Refuses a form in the one shape the pages read ({@link FormFailure}): `intent` names the form,
 * `errors` the fields, `values` what to show again; `extra` carries form-specific data.
 */
export function formFail(
	status: 400 | 403 | 404 | 409 | 422,
	intent: string,
	failure: { errors: FieldErrors; values: Record<string, string> }
): ActionFailure<FormFailure>;
export function formFail<E extends object>(
	status: 400 | 403 | 404 | 409 | 422,
	intent: string,
	failure: { errors: FieldErrors; values: Record<string, string> },
	extra: E
): ActionFailure<FormFailure & E>;
export function formFail(
	status: 400 | 403 | 404 | 409 | 422,
	intent: string,
	failure: { errors: FieldErrors; values: Record<string, string> },
	extra: object = {}
) {
	return fail(status, { intent, errors: failure.errors, values: failure.values, ...extra });
}

/** A refused parse as a 400 of `intent` (the usual first line of an action). */
export const invalid = (intent: string, parsed: Extract<Parsed<unknown>, { ok: false }>) => formFail(400, intent, parsed);

/** A fresh submission token, for the load of a page with a create form. */
export const newSubmission = (): string => crypto.randomUUID();

/** The forms that write once (stored with the claim: a token cannot be replayed on another form). */
export type OnceForm =
	| 'citizen' | 'quick_add' | 'lieu' | 'workshop' | 'milestone' | 'import_citizens' | 'import_lieux' | 'invitation'
	// ---- relances ----
	| 'reminder';

export type OnceOutcome<T, F> =
	| { ok: true; value: T; replayed: false }
	| { ok: true; value: Partial<T>; replayed: true }
	| { ok: false; failure: F };

/**
 * Runs `write` once per submission token, inside the caller's transaction (asUser).
 * - token new: `write` runs; its value (JSON) is stored with the token; a refusal (`ok: false`,
 *   e.g. a lookalike to confirm) gives the token back, so the corrected form can be sent again;
 * - token already used by this user: nothing runs, the first write's value is returned
 *   (`replayed: true`; `{}` if that transaction is unknown — cannot happen while claims and writes
 *   share a transaction);
 * - same token in flight in a parallel request: waits for it (row lock on the claim).
 * Errors thrown by `write` roll back the claim with the write.
 */
export async function writeOnce<T extends object, F>(
	tx: Tx,
	token: string,
	form: OnceForm,
	write: () => Promise<{ ok: true; value: T } | { ok: false; failure: F }>
): Promise<OnceOutcome<T, F>> {
	const [{ claim }] = await tx<{ claim: Partial<T> | null }[]>`
		select private.claim_submission(${token}::uuid, ${form}) as claim`;
	if (claim !== null) return { ok: true, value: claim, replayed: true };
	const outcome = await write();
	if (outcome.ok) {
		await tx`select private.complete_submission(${token}::uuid, ${tx.json(outcome.value as never)})`;
		return { ok: true, value: outcome.value, replayed: false };
	}
	await tx`select private.release_submission(${token}::uuid)`;
	return outcome;
}
