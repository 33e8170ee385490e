import { createServerClient } from '@supabase/ssr';
import { asUser } from '$lib/server/db';
import type { AppRole } from './claims';
import {
	type AuthContext,
	type AuthProvider,
	COMMON_PASSWORD,
	TOO_MANY_ATTEMPTS,
	WRONG_CREDENTIALS,
	WRONG_CURRENT_PASSWORD
} from './provider';
import { isCommonPassword } from './password-policy';
import { verifySupabaseAccessToken, type SupabaseTokenConfig } from './supabase-token';

function client(cfg: SupabaseTokenConfig, ctx: AuthContext) {
	return createServerClient(cfg.url, cfg.anonKey, {
		cookies: {
			getAll: () => ctx.cookies.getAll(),
			setAll: (list) =>
				list.forEach(({ name, value, options }) =>
					ctx.cookies.set(name, value, { ...options, path: '/', httpOnly: true, secure: ctx.secure })
				)
		}
	});
}

/**
 * Supabase Auth: @supabase/ssr keeps the session in HttpOnly cookies and refreshes it; the
 * identity is only what the access token proves once verified (project secret or JWKS), never
 * the unverified session. The app role then comes from our own profiles table, through RLS.
 */
export function supabaseProvider(cfg: SupabaseTokenConfig): AuthProvider {
	return {
		name: 'supabase',

		async identify(ctx) {
			const supabase = client(cfg, ctx);
			// Reads (and refreshes if needed) the token from the cookies; verified just below.
			const { data } = await supabase.auth.getSession();
			const token = data.session?.access_token;
			if (!token) return null;
			const claims = await verifySupabaseAccessToken(token, cfg);
			if (!claims) return null;
			const [profile] = await asUser(
				claims,
				(tx) => tx<{ app_role: AppRole; display_name: string }[]>`
					select app_role, display_name from public.profiles where user_id = ${claims.sub}`
			);
			return {
				claims: { ...claims, app_role: profile?.app_role ?? null },
				displayName: profile?.display_name ?? null
			};
		},

		async signIn(ctx, email, password) {
			const { error } = await client(cfg, ctx).auth.signInWithPassword({ email, password });
			if (!error) return { ok: true };
			if (error.status === 429) return { ok: false, status: 429, message: TOO_MANY_ATTEMPTS };
			if (error.status && error.status >= 500)
				return { ok: false, status: 503, message: 'Le service de connexion est injoignable.' };
			return { ok: false, status: 401, message: WRONG_CREDENTIALS };
		},

		async signOut(ctx) {
			await client(cfg, ctx).auth.signOut();
		},

		/**
		 * Supabase Auth keeps the password: the current one is checked by signing in again, the new
		 * one set by updateUser, and the person's other sessions end (signOut scope 'others').
		 */
		async changePassword(ctx, claims, current, next) {
			if (isCommonPassword(next)) return { ok: false, status: 400, field: 'password_new', message: COMMON_PASSWORD };
			const supabase = client(cfg, ctx);
			const check = await supabase.auth.signInWithPassword({ email: claims.email, password: current });
			if (check.error) {
				if (check.error.status === 429) return { ok: false, status: 429, field: '_form', message: TOO_MANY_ATTEMPTS };
				return { ok: false, status: 401, field: 'password_current', message: WRONG_CURRENT_PASSWORD };
			}
			const { error } = await supabase.auth.updateUser({ password: next });
			if (error) return { ok: false, status: 400, field: 'password_new', message: 'Supabase a refusé ce mot de passe : choisissez-en un autre.' };
			await supabase.auth.signOut({ scope: 'others' });
			return { ok: true };
		}
	};
}
