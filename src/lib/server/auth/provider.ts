import type { Cookies } from '@sveltejs/kit';
import type { Claims } from './claims';

/** What a login attempt came to; messages are shown as they are, in French. */
export type SignInResult =
	| { ok: true }
	| { ok: false; status: 400 | 401 | 429 | 503; message: string };

/** The request details a provider may use. */
export interface AuthContext {
	cookies: Cookies;
	ip: string;
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
}

export const WRONG_CREDENTIALS = 'Adresse e-mail ou mot de passe incorrect.';
export const TOO_MANY_ATTEMPTS =
	'Trop de tentatives de connexion. Patientez quelques minutes avant de réessayer.';
