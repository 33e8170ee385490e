import type { z } from 'zod';

/** Field → first French message, as forms show them beside each field. */
export type FieldErrors = Partial<Record<string, string>>;

export type Parsed<T> =
	| { ok: true; data: T }
	| { ok: false; errors: FieldErrors; values: Record<string, string> };

/**
 * Validates a posted form with its zod schema (the same one the page uses for constraints).
 * On failure, returns the first message per field and the typed values to show again
 * (never passwords: fields named `password*` are dropped).
 */
export function parseForm<S extends z.ZodType>(schema: S, form: FormData): Parsed<z.output<S>> {
	const values: Record<string, string> = {};
	for (const [key, value] of form) if (typeof value === 'string') values[key] = value;
	const result = schema.safeParse(values);
	if (result.success) return { ok: true, data: result.data };
	const errors: FieldErrors = {};
	for (const issue of result.error.issues) {
		const field = String(issue.path[0] ?? '_form');
		errors[field] ??= issue.message;
	}
	const safe = Object.fromEntries(Object.entries(values).filter(([k]) => !k.startsWith('password')));
	return { ok: false, errors, values: safe };
}
