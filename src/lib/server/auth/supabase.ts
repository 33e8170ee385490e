import { createServerClient } from '@supabase/ssr';
import { asUser } from '$lib/server/db';
import type { AppRole } from './claims';
import { type AuthContext, type AuthProvider, TOO_MANY_ATTEMPTS, WRONG_CREDENTIALS } from './provider';
import { verifySupabaseAccessToken, type SupabaseTokenConfig } from './supabase-token';

function client(cfg: SupabaseTokenConfig, ctx: AuthContext) {
	return createServerClient(cfg.url, cfg.anonKey, {
		cookies: {
			getAll: () => ctx.cookies.getAll(),
			setAll: (list) =>
				list.forEach(({ name, value, options }) =>
					ctx.cookies.set(name, value, { ...options, path: '/', httpOnly: true })
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
		}
	};
}
