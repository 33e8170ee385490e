/** A user's role in the program; stored in public.profiles, read by the RLS helpers. */
export type AppRole = 'admin' | 'facilitator' | 'coordinator' | 'funder';

export const ROLE_LABEL_FR: Record<AppRole, string> = {
	admin: 'administration',
	facilitator: 'animation CoopCoNuT',
	coordinator: 'coordination de territoire',
	funder: 'financeur'
};
