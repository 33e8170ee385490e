/** The identity every request carries once authenticated, whatever the provider.
 *  Shaped like the claims Supabase puts in its JWTs, so RLS policies read the same
 *  `request.jwt.claims` in every environment. */
import type { AppRole } from '$lib/domain/roles';

export type { AppRole };

export interface Claims {
	/** auth.users.id */
	sub: string;
	role: 'authenticated';
	email: string;
	/** For the UI only: policies read the role from our own tables, never from here. */
	app_role: AppRole | null;
	/** Local provider: the server-side session id (private.sessions.id). */
	session_id?: string;
}
