import { error } from '@sveltejs/kit';
import { createClient } from '@supabase/supabase-js';
import { supabaseConfigFromEnv } from '$lib/server/auth/supabase-token';

/**
 * With Supabase Auth, an invitation is Supabase's own: `auth.admin.inviteUserByEmail` sends the
 * mail and creates the user in auth.users. That admin call needs the project's service-role key,
 * given to the server only as SUPABASE_SERVICE_ROLE_KEY (never to the browser); without it,
 * invitations answer 503 with a French message saying so. Returns the new user's id.
 * @throws 503 (no service key), 409 (Supabase refused: e.g. the address already has an account).
 */
export async function inviteWithSupabase(email: string, redirectTo: string): Promise<string> {
	const cfg = supabaseConfigFromEnv(process.env);
	const serviceKey = process.env.SUPABASE_SERVICE_ROLE_KEY?.trim();
	if (!cfg || !serviceKey)
		error(503, 'Les invitations par Supabase demandent la clé de service (SUPABASE_SERVICE_ROLE_KEY) côté serveur.');
	const admin = createClient(cfg.url, serviceKey, { auth: { persistSession: false, autoRefreshToken: false } });
	const { data, error: failure } = await admin.auth.admin.inviteUserByEmail(email, { redirectTo });
	if (failure || !data.user) error(409, `Supabase a refusé l’invitation : ${failure?.message ?? 'réponse vide'}.`);
	return data.user.id;
}
