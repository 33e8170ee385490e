import { z } from 'zod';

export const LoginSchema = z.object({
	email: z
		.string({ error: 'Indiquez votre adresse e-mail.' })
		.trim()
		.min(1, 'Indiquez votre adresse e-mail.')
		.max(254, 'Cette adresse e-mail est trop longue.')
		.pipe(z.email({ error: 'Cette adresse e-mail n’est pas valide (exemple : prenom@exemple.fr).' })),
	password: z
		.string({ error: 'Indiquez votre mot de passe.' })
		.min(1, 'Indiquez votre mot de passe.')
		.max(200, 'Ce mot de passe est trop long.'),
	suite: z.string().optional()
});

const PLACEHOLDER_ORIGIN = 'http://marathon.invalid';

/**
 * Where to go after login (`suite`, and any future `next`-like parameter): only a path of this
 * site. The candidate is parsed as a browser would (WHATWG URL: tabs and line breaks dropped,
 * backslashes read as slashes), relative to `origin`; anything that does not start with `/` or
 * that resolves to another origin (`//evil`, `/\evil`, `/%09/evil`, `javascript:`…) falls back to
 * the home page. What is returned is the re-serialised path, query and fragment, so it holds no
 * control character and parses back to `origin` (OWASP Unvalidated Redirects cheat sheet).
 *
 * @param next the raw parameter (already percent-decoded once by URLSearchParams), or nothing
 * @param origin this site's origin; any fixed origin gives the same answer for a path
 * @returns a path starting with a single `/`, or `/`
 */
export function safeNext(next: string | null | undefined, origin: string = PLACEHOLDER_ORIGIN): string {
	if (!next || next.length > 2000 || !next.startsWith('/')) return '/';
	let url: URL;
	try {
		url = new URL(next, origin);
	} catch {
		return '/';
	}
	if (url.origin !== new URL(origin).origin) return '/';
	const path = url.pathname + url.search + url.hash;
	// Parses back to this origin, and is not protocol-relative once serialised.
	if (!path.startsWith('/') || path.startsWith('//') || new URL(path, origin).origin !== new URL(origin).origin) return '/';
	return path;
}

/** Shortest new password (ASVS 5 V6.2.1). */
export const PASSWORD_MIN_LENGTH = 12;
/** bcrypt reads the first 72 bytes; longer is allowed, up to this, so that passphrases fit. */
export const PASSWORD_MAX_LENGTH = 200;

/**
 * Changing one's password (/compte): the current one, the new one twice. Field names start with
 * `password` so that parseForm never echoes them back. The common-password list is checked on
 * the server (src/lib/server/auth/password-policy.ts), not here, to keep it out of the pages.
 */
export const ChangePasswordSchema = z
	.object({
		password_current: z
			.string({ error: 'Indiquez votre mot de passe actuel.' })
			.min(1, 'Indiquez votre mot de passe actuel.')
			.max(PASSWORD_MAX_LENGTH, 'Ce mot de passe est trop long.'),
		password_new: z
			.string({ error: 'Choisissez un nouveau mot de passe.' })
			.min(PASSWORD_MIN_LENGTH, `Le nouveau mot de passe doit compter au moins ${PASSWORD_MIN_LENGTH} caractères.`)
			.max(PASSWORD_MAX_LENGTH, `Le nouveau mot de passe doit compter au plus ${PASSWORD_MAX_LENGTH} caractères.`),
		password_confirm: z.string({ error: 'Recopiez le nouveau mot de passe.' })
	})
	.refine((v) => v.password_confirm === v.password_new, {
		path: ['password_confirm'],
		message: 'Les deux saisies du nouveau mot de passe diffèrent.'
	})
	.refine((v) => v.password_new !== v.password_current, {
		path: ['password_new'],
		message: 'Le nouveau mot de passe doit être différent de l’actuel.'
	});
