import { z } from 'zod';
import { submission, text, uuid as uuidField } from './fields';
import type { AppRole } from './roles';

/** Invitation links live 7 days. */
export const INVITATION_DAYS = 7;
/** Minimum length of a password set through an invitation (ANSSI: length first). */
export const MIN_PASSWORD_LENGTH = 12;

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Roles a user may give: admins any; facilitators coordinators, funders and facilitators (invitations only). */
export function invitableRoles(mine: AppRole | null): AppRole[] {
	if (mine === 'admin') return ['coordinator', 'facilitator', 'funder', 'admin'];
	if (mine === 'facilitator') return ['coordinator', 'facilitator', 'funder'];
	return [];
}

/** Roles a user may set on an existing person: admins any; facilitators between coordinator and funder. */
export function assignableRoles(mine: AppRole | null): AppRole[] {
	if (mine === 'admin') return ['coordinator', 'facilitator', 'funder', 'admin'];
	if (mine === 'facilitator') return ['coordinator', 'funder'];
	return [];
}

export const InvitationSchema = z
	.object({
		email: z
			.string({ error: 'Indiquez l’adresse e-mail.' })
			.trim()
			.min(1, 'Indiquez l’adresse e-mail.')
			.toLowerCase()
			.max(254, 'Adresse trop longue.')
			.email('Adresse e-mail invalide (ex. prenom.nom@exemple.fr).'),
		display_name: text({ missing: 'Indiquez le nom affiché.', max: 120, tooLong: '120 caractères au plus.' }),
		app_role: z.enum(['coordinator', 'facilitator', 'funder', 'admin'], { error: 'Choisissez un rôle.' }),
		territory_id: z
			.string()
			.trim()
			.optional()
			.transform((v) => v || null),
		/** The form's submission token: the same invitation form sent twice invites once. */
		submission
	})
	.superRefine((v, ctx) => {
		if (v.app_role === 'coordinator' && !(v.territory_id && uuid.test(v.territory_id)))
			ctx.addIssue({ code: 'custom', path: ['territory_id'], message: 'Choisissez le territoire de cette coordination.' });
	})
	.transform((v) => ({ ...v, territory_id: v.app_role === 'coordinator' ? v.territory_id : null }));
/** What an invitation records (the form's submission token aside). */
export type InvitationInput = Omit<z.output<typeof InvitationSchema>, 'submission'>;

export const AcceptInvitationSchema = z
	.object({
		password: z
			.string({ error: 'Choisissez un mot de passe.' })
			.min(MIN_PASSWORD_LENGTH, `Au moins ${MIN_PASSWORD_LENGTH} caractères.`)
			.max(200, '200 caractères au plus.'),
		password_confirm: z.string({ error: 'Répétez le mot de passe.' })
	})
	.superRefine((v, ctx) => {
		if (v.password !== v.password_confirm)
			ctx.addIssue({ code: 'custom', path: ['password_confirm'], message: 'Les deux mots de passe ne sont pas identiques.' });
	});

const personId = uuidField('Personne inconnue : rechargez la page.');

export const ChangeRoleSchema = z.object({
	user_id: personId,
	app_role: z.enum(['coordinator', 'facilitator', 'funder', 'admin'], { error: 'Choisissez un rôle.' })
});
export const PersonSchema = z.object({ user_id: personId });
export const MembershipSchema = z.object({
	user_id: personId,
	territory_id: uuidField('Choisissez un territoire.')
});
