/**
 * Demo accounts exist only in demo mode: the embedded database (`npm start` on a laptop) unless
 * MARATHON_DEMO=false, or any database with MARATHON_DEMO=true. Outside demo mode the demo cohort
 * is not seeded and its accounts cannot sign in even if a database still holds them.
 */
import bcrypt from 'bcryptjs';
import { asService } from '$lib/server/db';
import { DEMO_PASSWORD } from '$lib/server/demo/seed';
import { isLoopback } from '$lib/server/http/address';

export const DEMO_EMAIL_DOMAIN = '@demo.marathon.test';

/** Demo mode from the environment (see the module comment). */
export function isDemoMode(env: Record<string, string | undefined> = process.env): boolean {
	if (env.MARATHON_DEMO === 'true') return true;
	if (env.MARATHON_DEMO === 'false') return false;
	return !env.DATABASE_URL;
}

/** An account of the demo cohort (coordination.<slug>@demo.marathon.test, admin@…, …). */
export function isDemoEmail(email: string): boolean {
	return email.trim().toLowerCase().endsWith(DEMO_EMAIL_DOMAIN);
}

/**
 * At start: when demo accounts with the published demo password can sign in and the server
 * listens on an address other than loopback, says so loudly (stderr), since anyone on the network
 * could then sign in as an administrator. Returns the warning (or null) for tests.
 */
export async function warnIfDemoExposed(
	host: string | undefined,
	env: Record<string, string | undefined> = process.env,
	warn: (text: string) => void = console.error
): Promise<string | null> {
	if (!isDemoMode(env)) return null;
	const listening = host ?? '0.0.0.0';
	if (isLoopback(listening)) return null;
	const [row] = await asService(
		(tx) => tx<{ encrypted_password: string }[]>`
			select encrypted_password from auth.users where lower(email) = ${'admin' + DEMO_EMAIL_DOMAIN}`
	);
	if (!row || !(await bcrypt.compare(DEMO_PASSWORD, row.encrypted_password))) return null;
	const bar = '!'.repeat(78);
	const text = [
		bar,
		`ATTENTION : les comptes de démonstration (mot de passe public « ${DEMO_PASSWORD} ») sont actifs`,
		`et le serveur écoute sur ${listening}, une adresse joignable depuis le réseau.`,
		'N’importe qui peut s’y connecter en administrateur. Hors démonstration : MARATHON_DEMO=false',
		'(les comptes de démonstration sont alors refusés), ou HOST=127.0.0.1.',
		bar
	].join('\n');
	warn(text);
	return text;
}
