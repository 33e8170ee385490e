import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Cookies } from '@sveltejs/kit';
import { asService, asUser, confirmSessionIfUnsent, readAsUser, type Tx } from '../../src/lib/server/db';
import { SESSION_ENDED } from '../../src/lib/server/db/errors';
import { localProvider } from '../../src/lib/server/auth/local';
import { THROTTLE, admitAttempt, tooManyAttemptsMessage } from '../../src/lib/server/auth/throttle';
import { DEMO_PASSWORD } from '../../src/lib/server/demo/seed';
import { warnIfDemoExposed } from '../../src/lib/server/auth/demo';
import { accounts, emailOf, useTestDatabase } from './helpers';

/** The i-th demo coordinator (each test uses its own account). */
const coordinator = (i: number) => accounts.filter((a) => a.role === 'coordinator')[i].email;

/** A browser's cookie jar (the real provider code sets and reads it; nothing of ours is faked). */
function jar(): Cookies & { values: Map<string, string> } {
	const values = new Map<string, string>();
	return {
		values,
		get: (name: string) => values.get(name),
		getAll: () => [...values].map(([name, value]) => ({ name, value })),
		set: (name: string, value: string) => void values.set(name, value),
		delete: (name: string) => void values.delete(name),
		serialize: () => ''
	} as unknown as Cookies & { values: Map<string, string> };
}

const browser = (ip: string, cookies = jar()) => ({ cookies, ip, secure: false });

let disconnect: () => Promise<void>;
beforeAll(() => {
	disconnect = useTestDatabase();
});
afterAll(async () => {
	await asService((tx) => tx`delete from private.login_attempts where ip like '198.51.100.%' or ip like '203.0.113.%'`);
	await disconnect();
});

describe('login throttling (atomic, no lock-out of the real user)', () => {
	it('40 parallel wrong passwords for one account get at most the limit of tries, the rest 429 with Retry-After', async () => {
		const email = coordinator(9);
		const results = await Promise.all(
			Array.from({ length: 40 }, (_, i) => localProvider.signIn(browser('198.51.100.1'), email, `faux-${i}`))
		);
		const tried = results.filter((r) => !r.ok && r.status === 401).length;
		const throttled = results.filter((r) => !r.ok && r.status === 429);
		expect(tried).toBeLessThanOrEqual(THROTTLE.pairFreeFailures);
		expect(tried + throttled.length).toBe(40);
		for (const r of throttled) {
			expect(r.ok).toBe(false);
			if (!r.ok) {
				expect(r.retryAfterS).toBeGreaterThan(0);
				expect(r.message).toMatch(/^Trop de tentatives de connexion\. Réessayez dans \d+ (secondes?|minutes?) \(vers \d\d h \d\d\)\.$/);
			}
		}
		// Even the right password now waits (backoff of this account × this address).
		const right = await localProvider.signIn(browser('198.51.100.1'), email, DEMO_PASSWORD);
		expect(right).toMatchObject({ ok: false, status: 429 });
	});

	it('a stranger cannot lock the real user out: their usual browser still signs in', async () => {
		const email = coordinator(10);
		// The person signs in once from their browser: it now holds this account's device cookie.
		const theirs = browser('203.0.113.10');
		expect(await localProvider.signIn(theirs, email, DEMO_PASSWORD)).toEqual({ ok: true });
		// Strangers from 12 addresses, 2 tries each: 24 failures on the account.
		for (let a = 0; a < 12; a++)
			for (let i = 0; i < 2; i++) await localProvider.signIn(browser(`198.51.100.${20 + a}`), email, `devine-${a}-${i}`);
		// A new browser (no device cookie) is slowed down for this account…
		const fresh = await localProvider.signIn(browser('203.0.113.11'), email, DEMO_PASSWORD);
		expect(fresh).toMatchObject({ ok: false, status: 429 });
		// …the person's usual browser is not.
		expect(await localProvider.signIn(browser('203.0.113.10', theirs.cookies), email, DEMO_PASSWORD)).toEqual({ ok: true });
	});

	it('one address trying many accounts is stopped after the per-address limit', async () => {
		const ip = '198.51.100.99';
		const emails = Array.from({ length: THROTTLE.addressFailures }, (_, i) => `personne-${i}@exemple.test`);
		for (const email of emails) expect(await localProvider.signIn(browser(ip), email, 'x')).toMatchObject({ status: 401 });
		expect(await localProvider.signIn(browser(ip), 'encore-une@exemple.test', 'x')).toMatchObject({ ok: false, status: 429 });
		// Another address is not concerned.
		expect(await localProvider.signIn(browser('198.51.100.98'), 'encore-une@exemple.test', 'x')).toMatchObject({ status: 401 });
	});

	it('the attempt is recorded before the password is compared (counted as failed until it succeeds)', async () => {
		const gate = await admitAttempt('compte-en-cours@exemple.test', '198.51.100.77', false);
		expect(gate.ok).toBe(true);
		const [row] = await asService(
			(tx) => tx`select succeeded from private.login_attempts where email = 'compte-en-cours@exemple.test'`
		);
		expect(row.succeeded).toBeNull();
	});

	it('says when to retry, in French', () => {
		const at = new Date('2026-11-29T14:00:00Z');
		expect(tooManyAttemptsMessage(45, at)).toBe('Trop de tentatives de connexion. Réessayez dans 45 secondes (vers 15 h 00).');
		expect(tooManyAttemptsMessage(600, at)).toBe('Trop de tentatives de connexion. Réessayez dans 10 minutes (vers 15 h 10).');
	});
});

describe('sessions', () => {
	it('a new login revokes the session the browser held before', async () => {
		const email = coordinator(11);
		const b = browser('203.0.113.30');
		expect(await localProvider.signIn(b, email, DEMO_PASSWORD)).toEqual({ ok: true });
		const first = await localProvider.identify(b);
		expect(first).not.toBeNull();
		const firstToken = b.cookies.get('marathon_session');
		expect(await localProvider.signIn(b, email, DEMO_PASSWORD)).toEqual({ ok: true });
		const copy = browser('203.0.113.30');
		copy.cookies.set('marathon_session', firstToken!, { path: '/' });
		expect(await localProvider.identify(copy)).toBeNull();
		expect(await localProvider.identify(b)).not.toBeNull();
	});

	it('a session idle for more than 30 minutes ends', async () => {
		const email = coordinator(11);
		const b = browser('203.0.113.31');
		expect(await localProvider.signIn(b, email, DEMO_PASSWORD)).toEqual({ ok: true });
		const identity = await localProvider.identify(b);
		await asService(
			(tx) => tx`update private.sessions set last_seen_at = now() - interval '31 minutes' where id = ${identity!.claims.session_id!}`
		);
		expect(await localProvider.identify(b)).toBeNull();
	});

	it('a page’s GET trusts a fresh token and its transactions confirm the session before reading (revoked, idle, role changed: 401)', async () => {
		const email = coordinator(13);
		const b = browser('203.0.113.32');
		expect(await localProvider.signIn(b, email, DEMO_PASSWORD)).toEqual({ ok: true });
		const page = { ...b, readOnly: true };
		const trusted = (await localProvider.identify(page))!;
		expect(trusted.claims).toMatchObject({ email, app_role: 'coordinator', role: 'authenticated' });
		const sessionId = trusted.claims.session_id!;
		const mine = (tx: Tx) => tx`select count(*)::int as n from public.territory_members where user_id = ${trusted.claims.sub}`;
		expect((await asUser(trusted.claims, mine))[0].n).toBe(1);
		expect((await readAsUser(trusted.claims, mine, { oneTrip: true }))[0].n).toBe(1);
		const refused = async () => {
			for (const read of [
				() => asUser(trusted.claims, mine),
				() => readAsUser(trusted.claims, mine),
				() => readAsUser(trusted.claims, mine, { oneTrip: true })
			])
				await expect(read()).rejects.toMatchObject({ status: 401, body: { message: SESSION_ENDED } });
		};
		const setSession = (change: string) =>
			asService((tx) => tx.unsafe(`update private.sessions set ${change} where id = $1`, [sessionId]));

		await setSession(`last_seen_at = now() - interval '31 minutes'`);
		await refused();
		await setSession('last_seen_at = now()');
		await asService((tx) => tx`update public.profiles set app_role = 'funder' where user_id = ${trusted.claims.sub}`);
		try {
			await refused();
			// read at the door (a write, an older token): the new role, and a token that says it
			expect((await localProvider.identify(b))!.claims.app_role).toBe('funder');
			expect((await localProvider.identify(page))!.claims.app_role).toBe('funder');
		} finally {
			await asService((tx) => tx`update public.profiles set app_role = 'coordinator' where user_id = ${trusted.claims.sub}`);
		}
		await setSession('revoked_at = now()');
		await refused();
		// a request that read nothing as the user confirms it at its end (hooks.server.ts)
		await expect(confirmSessionIfUnsent(trusted.claims)).resolves.toBeUndefined(); // already sent
		const unsent = (await localProvider.identify(page))!.claims;
		await expect(confirmSessionIfUnsent(unsent)).rejects.toMatchObject({ status: 401 });
		// a transaction that sends nothing of its own is refused all the same
		await expect(readAsUser(unsent, async () => 'rien')).rejects.toMatchObject({ status: 401 });
		await expect(readAsUser(unsent, async () => 'rien', { oneTrip: true })).rejects.toMatchObject({ status: 401 });
		// claims made by the server itself (tests, the full check) are not held to a session
		await expect(asUser({ ...trusted.claims }, mine)).resolves.toHaveLength(1);
	});

	it('an account that lost its role (profile deleted outside the app) is signed out, as at login', async () => {
		const email = emailOf('funder');
		const b = browser('203.0.113.34');
		expect(await localProvider.signIn(b, email, DEMO_PASSWORD)).toEqual({ ok: true });
		const trusted = (await localProvider.identify({ ...b, readOnly: true }))!.claims;
		const [profile] = await asService((tx) => tx`select * from public.profiles where user_id = ${trusted.sub}`);
		await asService((tx) => tx`delete from public.profiles where user_id = ${trusted.sub}`);
		try {
			await expect(confirmSessionIfUnsent(trusted)).rejects.toMatchObject({ status: 401 });
			expect(await localProvider.identify(b)).toBeNull();
			expect(b.cookies.get('marathon_session')).toBeUndefined();
		} finally {
			await asService((tx) => tx`insert into public.profiles ${tx(profile)}`);
		}
	});

	it('a token issued more than a minute ago is checked at the door, and the activity recorded', async () => {
		const email = coordinator(14);
		const b = browser('203.0.113.33');
		expect(await localProvider.signIn(b, email, DEMO_PASSWORD)).toEqual({ ok: true });
		const page = { ...b, readOnly: true };
		const sessionId = (await localProvider.identify(page))!.claims.session_id!;
		await asService((tx) => tx`update private.sessions set last_seen_at = now() - interval '10 minutes' where id = ${sessionId}`);
		const seen = async () =>
			(await asService((tx) => tx`select now() - last_seen_at < interval '1 minute' as recent from private.sessions where id = ${sessionId}`))[0].recent;
		expect(await localProvider.identify(page)).not.toBeNull();
		expect(await seen()).toBe(false); // a fresh token: nothing read at the door
		const before = b.cookies.get('marathon_session');
		vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 61_000 });
		try {
			expect(await localProvider.identify(page)).not.toBeNull();
			expect(await seen()).toBe(true);
			expect(b.cookies.get('marathon_session')).not.toBe(before); // a fresh token again
			await asService((tx) => tx`update private.sessions set revoked_at = now() where id = ${sessionId}`);
			vi.setSystemTime(Date.now() + 61_000);
			expect(await localProvider.identify(page)).toBeNull();
			expect(b.cookies.get('marathon_session')).toBeUndefined();
		} finally {
			vi.useRealTimers();
		}
	});

	it('changing one’s password ends the other sessions, refuses common passwords and a wrong current one', async () => {
		const email = coordinator(12);
		const here = browser('203.0.113.40');
		const elsewhere = browser('203.0.113.41');
		expect(await localProvider.signIn(here, email, DEMO_PASSWORD)).toEqual({ ok: true });
		expect(await localProvider.signIn(elsewhere, email, DEMO_PASSWORD)).toEqual({ ok: true });
		const me = (await localProvider.identify(here))!.claims;
		expect(await localProvider.changePassword(here, me, DEMO_PASSWORD, '1qaz2wsx3edc')).toMatchObject({
			ok: false,
			field: 'password_new'
		});
		expect(await localProvider.changePassword(here, me, 'pas-le-bon-mot', 'une phrase assez longue et rare')).toMatchObject({
			ok: false,
			field: 'password_current'
		});
		expect(await localProvider.changePassword(here, me, DEMO_PASSWORD, 'une phrase assez longue et rare')).toEqual({ ok: true });
		expect(await localProvider.identify(here)).not.toBeNull();
		expect(await localProvider.identify(elsewhere)).toBeNull();
		expect(await localProvider.signIn(browser('203.0.113.42'), email, 'une phrase assez longue et rare')).toEqual({ ok: true });
		// Put the demo password back for the other tests.
		const me2 = (await localProvider.identify(here))!.claims;
		await asService(async (tx) => {
			const [{ encrypted_password }] = await tx`select encrypted_password from auth.users where lower(email) = 'admin@demo.marathon.test'`;
			await tx`update auth.users set encrypted_password = ${encrypted_password} where id = ${me2.sub}`;
		});
	});

	it('demo accounts are refused outside demo mode', async () => {
		const email = emailOf('funder');
		const saved = process.env.MARATHON_DEMO;
		process.env.MARATHON_DEMO = 'false';
		try {
			expect(await localProvider.signIn(browser('203.0.113.50'), email, DEMO_PASSWORD)).toMatchObject({ ok: false, status: 401 });
		} finally {
			if (saved === undefined) delete process.env.MARATHON_DEMO;
			else process.env.MARATHON_DEMO = saved;
		}
		expect(await localProvider.signIn(browser('203.0.113.51'), email, DEMO_PASSWORD)).toEqual({ ok: true });
	});
});

describe('demo passwords on the network', () => {
	it('the server warns loudly when demo passwords are active on a non-loopback address', async () => {
		const lines: string[] = [];
		const warning = await warnIfDemoExposed('0.0.0.0', {}, (t) => lines.push(t));
		expect(warning).toMatch(/ATTENTION : les comptes de démonstration .* sont actifs/);
		expect(lines).toHaveLength(1);
		expect(await warnIfDemoExposed('127.0.0.1', {}, (t) => lines.push(t))).toBeNull();
		expect(await warnIfDemoExposed('0.0.0.0', { MARATHON_DEMO: 'false' }, (t) => lines.push(t))).toBeNull();
		expect(lines).toHaveLength(1);
	});
});
