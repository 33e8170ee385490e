import type { z } from 'zod';
import { CONTROL_CHARACTER_MESSAGE, hasControlCharacter, withoutControlCharacters } from './fields';

/** Field → first French message, as forms show them beside each field; `_form` for the whole form. */
export type FieldErrors = Partial<Record<string, string>>;

/**
 * THE shape of a refused form, for every action of the app (returned by `formFail` in
 * src/lib/server/forms, read by the pages and `Field.svelte`):
 * - `intent`: which form of the page failed (the action's name: 'create', 'quickAdd', 'update'…);
 * - `errors`: field → French message (`_form` above the form);
 * - `values`: what was typed, to show again — the submission token and the version included, so
 *   that the corrected form is the same submission at the same version (never passwords).
 * Extra, form-specific data (lookalikes, the current values after a conflict) sits beside them.
 */
export interface FormFailure {
	intent: string;
	errors: FieldErrors;
	values: Record<string, string>;
}

export type Parsed<T> =
	| { ok: true; data: T }
	| { ok: false; errors: FieldErrors; values: Record<string, string> };

/** The text fields of a posted form (files are left out), passwords excepted when `safe`. */
export function postedValues(form: FormData, safe = true): Record<string, string> {
	const values: Record<string, string> = {};
	for (const [key, value] of form)
		if (typeof value === 'string' && !(safe && key.startsWith('password'))) values[key] = value;
	return values;
}

/** Fields every form carries hidden (lost-update version, submission token): see fields.ts. */
const HIDDEN_FIELDS = ['version', 'submission'] as const;

/**
 * Validates a posted form with its zod schema (the same one the page uses for constraints).
 * Whatever the schema, a field holding a control character (a NUL byte…) is refused here with a
 * French message at that field: nothing invisible reaches the database from any form (the input
 * guard of hooks.server.ts lets such values through to here, so that the form comes back filled).
 * On failure, returns the first message per field and the typed values to show again — control
 * characters taken out, never passwords (fields named `password*` are dropped).
 */
export function parseForm<S extends z.ZodType>(schema: S, form: FormData): Parsed<z.output<S>> {
	const values = postedValues(form, false);
	const safe = Object.fromEntries(Object.entries(values).filter(([k]) => !k.startsWith('password')));
	const errors: FieldErrors = {};
	for (const [key, value] of Object.entries(values))
		if (hasControlCharacter(value)) errors[key] = CONTROL_CHARACTER_MESSAGE;
	const result = schema.safeParse(values);
	if (result.success && Object.keys(errors).length === 0) return { ok: true, data: result.data };
	if (!result.success)
		for (const issue of result.error.issues) {
			const field = String(issue.path[0] ?? '_form');
			errors[field] ??= issue.message;
		}
	// a control character must not be echoed back into the page either: the rest of the text is
	for (const key of Object.keys(safe)) if (hasControlCharacter(safe[key])) safe[key] = withoutControlCharacters(safe[key]);
	// hidden fields (version read, submission token) have no place on the page for their message:
	// it is the form's
	for (const hidden of HIDDEN_FIELDS) if (errors[hidden]) errors._form ??= errors[hidden];
	return { ok: false, errors, values: safe };
}

/**
 * What a page shows for one of its forms after a refused post: the errors and typed values of
 * the failure if it came from that form (`intent`), else nothing. `form` is the page's `form` prop.
 */
export function failureOf(form: unknown, intent: string): { errors: FieldErrors; values: Record<string, string> } {
	const f = form as Partial<FormFailure> | null | undefined;
	return f?.intent === intent ? { errors: f.errors ?? {}, values: f.values ?? {} } : { errors: {}, values: {} };
}
