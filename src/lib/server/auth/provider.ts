import type { Cookies } from '@sveltejs/kit';
import type { Claims } from './claims';

/** What a login attempt came to; messages are shown as they are, in French. */
export type SignInResult =
	| { ok: true }
	| { ok: false; status: 400 | 401 | 429 | 503; message: string; retryAfterS?: number };

/** What a password change came to; `field` says where to show the message. */
export type ChangePasswordResult =
	| { ok: true }
	| { ok: false; status: 400 | 401 | 429 | 503; field: 'password_current' | 'password_new' | '_form'; message: string; retryAfterS?: number };

/** The request details a provider may use. */
export interface AuthContext {
	cookies: Cookies;
	ip: string;
	/** Cookies `Secure` with the `__Host-` prefix (all but plain-HTTP loopback; see http/address.ts). */
	secure: boolean;
	/**
	 * A page's GET (not a write, not a client-side data request): `identify` may trust a fresh
	 * session token and leave the session's confirmation to the page's transactions.
	 */
	readOnly?: boolean;
}

/** Identity with what our own tables say about the user (role, name). */
export interface Identity {
	claims: Claims;
	displayName: string | null;
}

/** Local accounts or Supabase Auth: both end in the same Claims. */
export interface AuthProvider {
	name: 'local' | 'supabase';
	identify(ctx: AuthContext): Promise<Identity | null>;
	signIn(ctx: AuthContext, email: string, password: string): Promise<SignInResult>;
	signOut(ctx: AuthContext): Promise<void>;
	/** Changes the signed-in person's password; their other sessions end. */
	changePassword(ctx: AuthContext, claims: Claims, current: string, next: string): Promise<ChangePasswordResult>;
}

export const WRONG_CREDENTIALS = 'Adresse e-mail ou mot de passe incorrect.';
export const TOO_MANY_ATTEMPTS =
	'Trop de tentatives de connexion. Patientez quelques minutes avant de réessayer.';
export const COMMON_PASSWORD =
	'Ce mot de passe figure dans les listes de mots de passe les plus courants : choisissez-en un autre (une phrase de plusieurs mots convient bien).';
export const WRONG_CURRENT_PASSWORD = 'Le mot de passe actuel est incorrect.';
