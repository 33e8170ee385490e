import type { Tx } from '$lib/server/db';

/** Default retention after a withdrawal or an erasure: 36 months (docs/rgpd.md « Durées »). */
export const DEFAULT_RETENTION_MONTHS = 36;
/** Login attempts and ended sessions (IP addresses, times) are kept 6 months (security logs). */
export const LOG_RETENTION_DAYS = 180;

/** MARATHON_RETENTION_MONTHS, or the default; throws on a value that is not 1…240. */
export function retentionMonths(value = process.env.MARATHON_RETENTION_MONTHS): number {
	if (value === undefined || value === '') return DEFAULT_RETENTION_MONTHS;
	const n = Number(value);
	if (!Number.isInteger(n) || n < 1 || n > 240) throw new Error(`Durée de conservation invalide : ${value} (1 à 240 mois).`);
	return n;
}

export interface RetentionReport {
	months: number;
	cutoff: string;
	/** people whose remaining data was purged this run */
	citizens: number;
	login_attempts: number;
	sessions: number;
}

/**
 * Purges, as the owner (system job), what the register says must go (docs/rgpd.md; RGPD art. 5.1.e,
 * storage limitation):
 * - citizens withdrawn, or erased on request, more than `months` ago: every remaining personal field
 *   (name, contacts, commune, postal code, age band) is removed and the age band scrubbed from their
 *   audit history; the row stays, anonymised, so that enrolment counts, attendance and consent
 *   history stay true (they no longer point to anyone);
 * - login attempts and ended sessions older than LOG_RETENTION_DAYS.
 * Records the counts in private.retention_runs. Idempotent: a second run purges nothing more.
 */
export async function purgeExpired(tx: Tx, options: { months: number }): Promise<RetentionReport> {
	const months = retentionMonths(String(options.months));
	const [{ cutoff }] = await tx<{ cutoff: string }[]>`select (now() - make_interval(months => ${months}))::text as cutoff`;
	const purged = await tx<{ id: string }[]>`
		update public.citizens
		   set display_name = null, email = null, phone = null, commune = null, postal_code = null,
		       age_band = 'non_renseigne', erased_at = coalesce(erased_at, now()), updated_at = now()
		 where ((status = 'withdrawn' and withdrawn_at < ${cutoff}::timestamptz::date)
		        or erased_at < ${cutoff}::timestamptz)
		   and (display_name is not null or email is not null or phone is not null or commune is not null
		        or postal_code is not null or age_band <> 'non_renseigne')
		returning id`;
	if (purged.length)
		await tx`
			update public.audit_events set changes = changes - 'age_band'
			 where entity = 'citizens' and entity_id = any (${purged.map((p) => p.id)}) and changes ? 'age_band'`;
	// The local-auth tables (absent when Supabase Auth holds the accounts).
	const [present] = await tx<{ attempts: boolean; sessions: boolean }[]>`
		select to_regclass('private.login_attempts') is not null as attempts,
		       to_regclass('private.sessions') is not null as sessions`;
	const logs = { attempts: 0, sessions: 0 };
	if (present.attempts)
		logs.attempts = (await tx`delete from private.login_attempts
			where at < now() - make_interval(days => ${LOG_RETENTION_DAYS}) returning 1`).length;
	if (present.sessions)
		logs.sessions = (await tx`delete from private.sessions
			where coalesce(revoked_at, expires_at) < now() - make_interval(days => ${LOG_RETENTION_DAYS}) returning 1`).length;
	const report: RetentionReport = {
		months,
		cutoff,
		citizens: purged.length,
		login_attempts: logs.attempts,
		sessions: logs.sessions
	};
	await tx`insert into private.retention_runs (months, cutoff, citizens, login_attempts, sessions)
		values (${months}, ${cutoff}::timestamptz, ${report.citizens}, ${report.login_attempts}, ${report.sessions})`;
	return report;
}
