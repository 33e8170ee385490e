/**
 * Bad input, refused in one place before any action runs (hooks.server.ts calls these):
 * control characters in the address (path, query string) or in a posted field's *name*, bodies
 * that are not a form, broken multipart, oversized fields and bodies. Each answer is a 4xx with a
 * French message; nothing has been written since no action ran.
 * A control character in a posted field's *value* is not refused here: the form reaches its
 * action, where `parseForm` (src/lib/domain/forms.ts) refuses it at the field, in French, and the
 * page comes back with what was typed — a whole form is not lost for one invisible character.
 * What only the database can judge (an integer out of range, a malformed uuid that reached SQL,
 * a control character its check constraints refuse) is mapped to 400 by `describeDbError`.
 */

/** A refusal: HTTP status and the French sentence shown to the person. */
export interface Rejection {
	status: 400 | 403 | 413 | 415;
	message: string;
}

/**
 * C0 control characters other than tab, line feed and carriage return, and DEL. NUL is refused
 * by Postgres in text (22021) and the others have no place in a name, a note or a search.
 */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** The longest text a field may carry (a workshop report is the longest, a few thousand characters). */
export const MAX_FIELD_CHARS = 20_000;
/** More fields than any form of the app has, by far. */
export const MAX_FIELDS = 500;

export const BAD_CHARACTERS =
	'Votre demande contient des caractères de contrôle (invisibles) qui ne peuvent pas être enregistrés. Retirez-les et réessayez.';
export const NOT_A_FORM =
	'Cette adresse attend un formulaire (application/x-www-form-urlencoded ou multipart/form-data) : les données envoyées n’en sont pas un.';
export const MALFORMED_ADDRESS = 'Cette adresse est mal formée : vérifiez le lien ou repartez de l’accueil.';
export const UNREADABLE_FORM = 'Les données envoyées ne forment pas un formulaire lisible. Rechargez la page et réessayez.';
export const FIELD_TOO_LONG = `Un champ dépasse ${MAX_FIELD_CHARS.toLocaleString('fr-FR')} caractères : raccourcissez-le.`;
export const TOO_MANY_FIELDS = 'Ce formulaire contient beaucoup trop de champs.';
export const BODY_TOO_LARGE = 'Les données envoyées sont trop volumineuses (3 Mo au plus ; un fichier CSV de 2 Mo au plus).';

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

/** BODY_SIZE_LIMIT as adapter-node reads it ('3M', '512K', bytes); Infinity when unset or unreadable. */
export function bodySizeLimit(value: string | undefined = process.env.BODY_SIZE_LIMIT): number {
	if (!value) return Infinity;
	const unit = ({ K: 1024, M: 1024 ** 2, G: 1024 ** 3 } as Record<string, number>)[value.slice(-1).toUpperCase()];
	const n = Number(unit ? value.slice(0, -1) : value) * (unit ?? 1);
	return Number.isFinite(n) && n > 0 ? n : Infinity;
}

/** True for methods that change something: their body and origin are checked. */
export function isUnsafeMethod(method: string): boolean {
	return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}

/**
 * The query string and path: refused (400) when a decoded value carries a control character.
 * Tab and line breaks pass (a `suite` parameter holding them is neutralised by `safeNext`).
 */
export function checkUrl(url: URL): Rejection | null {
	let path: string;
	try {
		path = decodeURIComponent(url.pathname);
	} catch {
		return { status: 400, message: MALFORMED_ADDRESS };
	}
	if (CONTROL.test(path)) return { status: 400, message: BAD_CHARACTERS };
	for (const [key, value] of url.searchParams) if (CONTROL.test(key) || CONTROL.test(value)) return { status: 400, message: BAD_CHARACTERS };
	return null;
}

/** The media type of a request, lowercased, without parameters ('' when absent). */
function mediaType(request: Request): string {
	return (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * The body of a form post (every action of the app): a form, readable, within the body limit,
 * every field name free of control characters, every text value at most {@link MAX_FIELD_CHARS}.
 * Control characters in values go on to the action (its `parseForm` refuses them at the field).
 * Reads a clone, so the action still reads the body itself.
 *
 * @returns null when the body may go on to the action; else 415 (not a form), 413 (too large),
 *   400 (unreadable, control character in a field name, field too long, too many fields).
 */
export async function checkFormBody(request: Request): Promise<Rejection | null> {
	if (!FORM_TYPES.includes(mediaType(request))) return { status: 415, message: NOT_A_FORM };
	// Declared too large: refused without touching the body, which Node then drains, so that the
	// keep-alive connection serves the next request (reading it would make the adapter close it).
	if (Number(request.headers.get('content-length') ?? 0) > bodySizeLimit()) return { status: 413, message: BODY_TOO_LARGE };
	let form: FormData;
	try {
		form = await request.clone().formData();
	} catch (e) {
		if ((e as { status?: number } | null)?.status === 413) return { status: 413, message: BODY_TOO_LARGE };
		return { status: 400, message: UNREADABLE_FORM };
	}
	let n = 0;
	for (const [key, value] of form) {
		if (++n > MAX_FIELDS) return { status: 400, message: TOO_MANY_FIELDS };
		if (CONTROL.test(key)) return { status: 400, message: BAD_CHARACTERS };
		if (typeof value !== 'string') continue; // files (CSV imports) are read by their own parser
		if (value.length > MAX_FIELD_CHARS) return { status: 400, message: FIELD_TOO_LONG };
	}
	return null;
}

/** The address a browser shows for an origin (for a link back to the right one). */
export const CROSS_SITE = (origin: string) =>
	`Ce formulaire a été envoyé depuis un autre site ou une autre adresse que ${origin}. Par sécurité, il est refusé : ` +
	`ouvrez Marathon à l’adresse ${origin} et recommencez.`;

/**
 * Cross-site request forgery: a request that changes something must come from a page of this
 * origin (the `Origin` header browsers send with every POST). Replaces SvelteKit's own check
 * (disabled in svelte.config.js) so that the refusal is a French page with a way back.
 */
export function checkOrigin(request: Request, url: URL): Rejection | null {
	if (!isUnsafeMethod(request.method)) return null;
	const origin = request.headers.get('origin');
	if (origin === url.origin) return null;
	return { status: 403, message: CROSS_SITE(url.origin) };
}
