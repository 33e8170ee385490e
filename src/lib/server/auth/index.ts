import { env } from '$env/dynamic/private';
import { localProvider } from './local';
import type { AuthProvider } from './provider';
import { supabaseProvider } from './supabase';
import { supabaseConfigFromEnv } from './supabase-token';

let provider: AuthProvider | null = null;

/** Supabase Auth when PUBLIC_SUPABASE_URL and PUBLIC_SUPABASE_ANON_KEY are set; local accounts otherwise. */
export function authProvider(): AuthProvider {
	if (!provider) {
		const cfg = supabaseConfigFromEnv({ ...process.env, ...env });
		provider = cfg ? supabaseProvider(cfg) : localProvider;
	}
	return provider;
}
