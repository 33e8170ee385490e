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

/** Where to go after login: only a path on this site, never another origin. */
export function safeNext(next: string | null | undefined): string {
	return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}
