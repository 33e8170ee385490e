import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';

/**
 * A direct connection to the e2e server's embedded database (MARATHON_DATA_DIR of
 * playwright.config.ts), to read ids and prove that refused requests wrote nothing.
 */
export function e2eDatabase() {
	const dir = '.marathon-e2e';
	const password = readFileSync(join(dir, 'pg-password'), 'utf8').trim();
	const port = readFileSync(join(dir, 'pgdata', 'postmaster.pid'), 'utf8').split('\n')[3].trim();
	return postgres(`postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`, { max: 1, onnotice: () => {} });
}

/** Everything a write would change: the audit trail (every write is audited), sessions, login attempts. */
export async function fingerprint(sql: postgres.Sql): Promise<string> {
	const [row] = await sql`
		select (select count(*) from public.audit_events) as audit,
		       (select count(*) from private.sessions) as sessions,
		       (select count(*) from private.login_attempts) as attempts,
		       (select count(*) from public.citizens) as citizens,
		       (select count(*) from public.attendances) as attendances`;
	return JSON.stringify(row);
}
