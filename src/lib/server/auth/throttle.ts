/**
 * Login throttling, counted in Postgres (shared by every server) and atomic: the check and the
 * record of an attempt happen in one transaction under advisory locks on the account and on the
 * address, *before* the password is compared; the attempt counts as a failure until it succeeds.
 *
 * Rules (OWASP ASVS 5 V6.3.1 / NIST SP 800-63B §5.2.2: limit failed attempts without letting a
 * stranger lock the real user out; see docs/decisions.md):
 * - account × address: after 5 failures (since that pair's last success, within 24 h) each new
 *   try waits 1, 2, 4 … minutes after the last failure, at most 60 (exponential backoff);
 * - address: 30 failures within 15 minutes, whatever the accounts → wait;
 * - account, for browsers that never signed in to it (no device cookie of this account): 10
 *   failures within 15 minutes, or 100 within 24 hours, from any addresses → wait. A browser
 *   holding the account's device cookie skips this rule: a stranger can slow down sign-ins from
 *   new browsers, never lock out the person on their usual one.
 */
import { asService } from '$lib/server/db';

export const THROTTLE = {
	pairFreeFailures: 5,
	pairMaxWaitMinutes: 60,
	addressFailures: 30,
	addressWindowMinutes: 15,
	accountFailures: 10,
	accountWindowMinutes: 15,
	accountDayFailures: 100
} as const;

export type Gate = { ok: true; attemptId: string } | { ok: false; retryAfterS: number };

/**
 * Admits one login attempt or says how long to wait. When admitted, the attempt is already
 * recorded (as in progress): call {@link settleAttempt} once the password is checked.
 *
 * @param email normalised (trimmed, lower case)
 * @param ip the client address as the server sees it
 * @param trusted the browser holds a device cookie of this account
 * @returns `{ ok: true, attemptId }`, or `{ ok: false, retryAfterS }` (whole seconds, ≥ 1)
 * @throws 503 (HttpError) when the database is unreachable
 */
export async function admitAttempt(email: string, ip: string, trusted: boolean): Promise<Gate> {
	const T = THROTTLE;
	return asService(async (tx) => {
		// Account first, then address: every attempt takes them in this order (no deadlock).
		await tx`select pg_advisory_xact_lock(hashtextextended(${'login-account|' + email}, 0))`;
		await tx`select pg_advisory_xact_lock(hashtextextended(${'login-address|' + ip}, 0))`;
		const [row] = await tx<{ wait_s: number | null }[]>`
			with f as (
				select email, ip, at, trusted from private.login_attempts
				where (email = ${email} or ip = ${ip}) and succeeded is not true
				  and at > now() - interval '24 hours'
			),
			pair as (
				select count(*) as n, max(at) as last from f
				where email = ${email} and ip = ${ip}
				  and at > coalesce((select max(at) from private.login_attempts
				                     where email = ${email} and ip = ${ip} and succeeded), '-infinity')
			),
			untils as (
				select (select case when n >= ${T.pairFreeFailures}
				               then last + make_interval(mins => least(power(2, least(n - ${T.pairFreeFailures}, 10))::int, ${T.pairMaxWaitMinutes}))
				               end from pair) as pair_until,
				       (select at + make_interval(mins => ${T.addressWindowMinutes}) from f
				        where ip = ${ip} and at > now() - make_interval(mins => ${T.addressWindowMinutes})
				        order by at desc offset ${T.addressFailures - 1} limit 1) as address_until,
				       (select at + make_interval(mins => ${T.accountWindowMinutes}) from f
				        where not ${trusted} and email = ${email} and not trusted
				          and at > now() - make_interval(mins => ${T.accountWindowMinutes})
				        order by at desc offset ${T.accountFailures - 1} limit 1) as account_until,
				       (select at + interval '24 hours' from f
				        where not ${trusted} and email = ${email} and not trusted
				        order by at desc offset ${T.accountDayFailures - 1} limit 1) as account_day_until
			)
			select ceil(extract(epoch from greatest(pair_until, address_until, account_until, account_day_until) - now()))::int as wait_s
			from untils`;
		if (row.wait_s !== null && row.wait_s > 0) return { ok: false, retryAfterS: row.wait_s };
		const [attempt] = await tx<{ id: string }[]>`
			insert into private.login_attempts (email, ip, succeeded, trusted)
			values (${email}, ${ip}, null, ${trusted})
			returning id::text`;
		return { ok: true, attemptId: attempt.id };
	});
}

/** Records the outcome of an admitted attempt (in the caller's transaction when given one). */
export async function settleAttempt(attemptId: string, succeeded: boolean): Promise<void> {
	await asService((tx) => tx`update private.login_attempts set succeeded = ${succeeded} where id = ${attemptId}::bigint`);
}

/**
 * « Trop de tentatives… » saying when to try again (also sent as Retry-After).
 * @param retryAfterS seconds to wait
 * @param now the instant the message is written (for the clock time shown)
 */
export function tooManyAttemptsMessage(retryAfterS: number, now: Date = new Date()): string {
	const at = new Date(now.getTime() + retryAfterS * 1000);
	const clock = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' })
		.format(at)
		.replace(':', ' h ');
	const wait =
		retryAfterS < 60
			? `${retryAfterS} seconde${retryAfterS > 1 ? 's' : ''}`
			: `${Math.ceil(retryAfterS / 60)} minute${Math.ceil(retryAfterS / 60) > 1 ? 's' : ''}`;
	return `Trop de tentatives de connexion. Réessayez dans ${wait} (vers ${clock}).`;
}
