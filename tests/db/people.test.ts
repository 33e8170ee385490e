import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asService, asUser, type Tx } from '../../src/lib/server/db';
import { InvitationSchema } from '../../src/lib/domain/people';
import {
	acceptInvitation,
	changeRole,
	createInvitation,
	hashToken,
	invitationByToken,
	peopleDirectory,
	removeAccess
} from '../../src/lib/server/people';
import { asUserThenRollback, outcome, territoryPair, useTestDatabase, type TerritoryPair } from './helpers';

/**
 * Invitations, roles and access, as each role, through the same asUser path as /personnes (the
 * invitee's side runs as the server, like a login). Everything is rolled back.
 */

let stop: () => Promise<void>;
let pair: TerritoryPair;

beforeAll(async () => {
	stop = useTestDatabase();
	pair = await territoryPair();
});
afterAll(async () => {
	await asService((tx) => tx`delete from public.invitations where email like 'nouvelle.%@exemple.test'`);
	await stop();
});

const invite = (app_role: string, territory_id?: string, email = `Nouvelle.${app_role}@Exemple.test`) =>
	InvitationSchema.parse({ email, display_name: 'Nouvelle personne', app_role, territory_id, submission: crypto.randomUUID() });

/** The one-time token of an invitation that was recorded (fails the test on a refusal). */
const tokenOf = (made: Awaited<ReturnType<typeof createInvitation>>): string => {
	if ('refused' in made) throw new Error(`refused: ${JSON.stringify(made.refused)}`);
	return made.token;
};

describe('inviting, as each role', () => {
	it('facilitators and admins invite coordinators, facilitators and funders', async () => {
		for (const who of [pair.as.facilitator, pair.as.admin]) {
			for (const role of ['coordinator', 'facilitator', 'funder']) {
				expect(await outcome(who, (tx) => createInvitation(tx, invite(role, pair.A.id)))).toBe('ok');
			}
		}
	});
	it('only admins invite admins', async () => {
		expect(await outcome(pair.as.admin, (tx) => createInvitation(tx, invite('admin')))).toBe('ok');
		expect(await outcome(pair.as.facilitator, (tx) => createInvitation(tx, invite('admin')))).toBe(403);
	});
	it('coordinators, funders and users with no role cannot invite, nor read invitations or the directory', async () => {
		for (const who of [pair.as.coordA, pair.as.funder, pair.as.outsider]) {
			expect(await outcome(who, (tx) => createInvitation(tx, invite('coordinator', pair.A.id)))).toBe(403);
			const seen = await asUserThenRollback(who, async (tx) => ({
				invitations: await tx`select id from public.invitations`,
				people: await peopleDirectory(tx)
			}));
			expect(seen.invitations).toHaveLength(0);
			expect(seen.people).toHaveLength(0);
			expect(await outcome(who, (tx) => changeRole(tx, pair.as.coordB.sub, 'funder'))).toBe(403);
			expect(await outcome(who, (tx) => removeAccess(tx, pair.as.coordB.sub))).toBe(403);
		}
	});
});

describe('one invitation per address, none for an address with an account', () => {
	it('inviting an address again replaces its pending invitation (the old link stops working), as facilitator and as admin', async () => {
		for (const who of [pair.as.facilitator, pair.as.admin]) {
			const state = await asUserThenRollback(who, async (tx) => {
				const first = tokenOf(await createInvitation(tx, invite('funder', undefined, 'nouvelle.remplacee@exemple.test')));
				const second = tokenOf(await createInvitation(tx, invite('funder', undefined, 'nouvelle.remplacee@exemple.test')));
				const rows = await tx<{ token_hash: string; revoked: boolean }[]>`
					select token_hash, revoked_at is not null as revoked from public.invitations
					where email = 'nouvelle.remplacee@exemple.test' order by created_at, revoked_at nulls last`;
				return { first, second, rows };
			});
			expect(state.rows).toHaveLength(2);
			expect(state.rows.find((r) => r.token_hash === hashToken(state.first))?.revoked).toBe(true);
			expect(state.rows.find((r) => r.token_hash === hashToken(state.second))?.revoked).toBe(false);
		}
	});

	it('an address that already has an account is refused at the e-mail field, as facilitator and as admin, and in raw SQL', async () => {
		const [existing] = await asService((tx) => tx<{ email: string }[]>`select email::text from auth.users u
			join public.profiles p on p.user_id = u.id where p.user_id = ${pair.as.coordB.sub}`);
		for (const who of [pair.as.facilitator, pair.as.admin]) {
			const made = await asUserThenRollback(who, (tx) => createInvitation(tx, invite('funder', undefined, existing.email.toUpperCase())));
			expect(made).toEqual({ refused: { email: expect.stringContaining('déjà un compte') } });
		}
		// a coordinator, a funder or a user with no role cannot even learn that the address has an account
		for (const who of [pair.as.coordA, pair.as.funder, pair.as.outsider])
			expect(await outcome(who, (tx) => createInvitation(tx, invite('funder', undefined, existing.email)))).toBe(403);
		// the database refuses it whoever writes (here the owner, past every policy)
		await expect(
			asService((tx) => tx`insert into public.invitations (token_hash, email, display_name, app_role, expires_at)
				values (${'0'.repeat(64)}, ${existing.email.toLowerCase()}, 'X', 'funder', now() + interval '1 day')`)
		).rejects.toMatchObject({ status: 409 });
	});

	it('a facilitator cannot replace a pending invitation to the admin role; an admin can', async () => {
		const email = 'nouvelle.admin-en-attente@exemple.test';
		const result = await asUserThenRollback(pair.as.admin, async (tx) => {
			tokenOf(await createInvitation(tx, invite('admin', undefined, email)));
			await tx`select set_config('request.jwt.claims', ${JSON.stringify(pair.as.facilitator)}, true)`;
			try {
				await tx.savepoint((sp) => sp`insert into public.invitations (token_hash, email, display_name, app_role, expires_at)
					values (${'1'.repeat(64)}, ${email}, 'X', 'funder', now() + interval '1 day')`);
				return 'ok';
			} catch (e) {
				return (e as { code?: string }).code;
			}
		});
		expect(result).toBe('42501');
		expect(await outcome(pair.as.admin, async (tx) => {
			tokenOf(await createInvitation(tx, invite('admin', undefined, email)));
			tokenOf(await createInvitation(tx, invite('funder', undefined, email)));
		})).toBe('ok');
	});

	it('the database keeps one pending invitation per address even when written by hand', async () => {
		const pending = await asService(async (tx) => {
			for (const h of ['2', '3'])
				await tx`insert into public.invitations (token_hash, email, display_name, app_role, expires_at)
					values (${h.repeat(64)}, 'nouvelle.brute@exemple.test', 'X', 'funder', now() + interval '1 day')`;
			const [n] = await tx`select count(*)::int as n from public.invitations
				where email = 'nouvelle.brute@exemple.test' and accepted_at is null and revoked_at is null`;
			await tx`delete from public.invitations where email = 'nouvelle.brute@exemple.test'`;
			return n.n;
		});
		expect(pending).toBe(1);
	});
});

describe('the invitation link', () => {
	/** Runs `fn` as the server (asService) and rolls it back. */
	async function asServerThenRollback(fn: (tx: Tx) => Promise<void>) {
		await asService(async (tx) => {
			await fn(tx);
			throw new Error('rollback');
		}).catch((e) => {
			if (!(e instanceof Error) || e.message !== 'rollback') throw e;
		});
	}

	it('is stored hashed, works once, and gives the coordinator only their territory', async () => {
		const token = tokenOf(await asUser(pair.as.facilitator, (tx) => createInvitation(tx, invite('coordinator', pair.A.id))));
		expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		await asServerThenRollback(async (tx) => {
			const [row] = await tx`select email from public.invitations where token_hash = ${hashToken(token)}`;
			expect(row.email).toBe('nouvelle.coordinator@exemple.test');
			const [plain] = await tx`select count(*)::int as n from public.invitations where token_hash = ${token}`;
			expect(plain.n).toBe(0);
			expect(await invitationByToken(tx, token)).toMatchObject({ app_role: 'coordinator', territory_id: pair.A.id, existing: false });
			const first = await acceptInvitation(tx, token, 'une phrase assez longue');
			const second = await acceptInvitation(tx, token, 'une phrase assez longue');
			const [member] = await tx`select array_agg(m.territory_id) as ids, p.app_role from auth.users u
				join public.profiles p on p.user_id = u.id left join public.territory_members m on m.user_id = u.id
				where u.email = 'nouvelle.coordinator@exemple.test' group by p.app_role`;
			expect(first).toEqual({ email: 'nouvelle.coordinator@exemple.test' });
			expect(second).toBe(false);
			expect(member).toMatchObject({ ids: [pair.A.id], app_role: 'coordinator' });
		});
	});

	it('an expired or revoked invitation is refused', async () => {
		const token = tokenOf(await asUser(pair.as.facilitator, (tx) => createInvitation(tx, invite('funder'))));
		await asServerThenRollback(async (tx) => {
			await tx`update public.invitations set expires_at = now() - interval '1 minute' where token_hash = ${hashToken(token)}`;
			expect(await invitationByToken(tx, token)).toBeNull();
			expect(await acceptInvitation(tx, token, 'une phrase assez longue')).toBe(false);
		});
		await asServerThenRollback(async (tx) => {
			await tx`update public.invitations set revoked_at = now() where token_hash = ${hashToken(token)}`;
			expect(await acceptInvitation(tx, token, 'une phrase assez longue')).toBe(false);
		});
	});
});

describe('roles and access', () => {
	it('a facilitator changes a coordinator into a funder (leaving their territories); not a facilitator nor an admin', async () => {
		const after = await asUserThenRollback(pair.as.facilitator, async (tx) => {
			await changeRole(tx, pair.as.coordB.sub, 'funder');
			return tx`select p.app_role, (select count(*)::int from public.territory_members m where m.user_id = p.user_id) as n
				from public.profiles p where p.user_id = ${pair.as.coordB.sub}`;
		});
		expect(after[0]).toMatchObject({ app_role: 'funder', n: 0 });
		expect(await outcome(pair.as.facilitator, (tx) => changeRole(tx, pair.as.coordB.sub, 'admin'))).toBe(403);
		expect(await outcome(pair.as.facilitator, (tx) => changeRole(tx, pair.as.coordB.sub, 'facilitator'))).toBe(403);
		expect(await outcome(pair.as.facilitator, (tx) => changeRole(tx, pair.as.admin.sub, 'funder'))).toBe(403);
		expect(await outcome(pair.as.facilitator, (tx) => changeRole(tx, pair.as.facilitator.sub, 'admin'))).toBe(403);
		expect(await outcome(pair.as.admin, (tx) => changeRole(tx, pair.as.facilitator.sub, 'funder'))).toBe('ok');
	});

	it('removing access ends the person’s sessions at once', async () => {
		const [session] = await asService((tx) => tx`insert into private.sessions (user_id, expires_at)
			values (${pair.as.coordB.sub}, now() + interval '1 hour') returning id`);
		try {
			const state = await asUserThenRollback(pair.as.facilitator, async (tx) => {
				await removeAccess(tx, pair.as.coordB.sub);
				const [s] = await tx`select count(*)::int as n from public.profiles where user_id = ${pair.as.coordB.sub}`;
				return s.n;
			});
			expect(state).toBe(0);
			// the same write, committed through the function's own check of the session table
			await asService(async (tx) => {
				await tx`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', ${JSON.stringify(pair.as.admin)}, true)`;
				await tx`select public.remove_access(${pair.as.coordB.sub}::uuid)`;
				await tx`reset role`;
				const [s] = await tx`select revoked_at from private.sessions where id = ${session.id}`;
				expect(s.revoked_at).not.toBeNull();
				throw new Error('rollback');
			}).catch((e) => {
				if (!(e instanceof Error) || e.message !== 'rollback') throw e;
			});
		} finally {
			await asService((tx) => tx`delete from private.sessions where id = ${session.id}`);
		}
		expect(await outcome(pair.as.facilitator, (tx) => removeAccess(tx, pair.as.admin.sub))).toBe(403);
		expect(await outcome(pair.as.facilitator, (tx) => removeAccess(tx, pair.as.facilitator.sub))).toBe(403);
	});
});

describe('the journal, as each role', () => {
	it('staff read every event; a coordinator only their territory’s; a funder and a user with no role nothing', async () => {
		const { journalPage } = await import('../../src/lib/server/journal');
		const none = { territoire: null, personne: null, entite: null, du: null, au: null };
		const staff = await asUserThenRollback(pair.as.facilitator, (tx) => journalPage(tx, none, 0, 5000));
		const coord = await asUserThenRollback(pair.as.coordA, (tx) => journalPage(tx, none, 0, 5000));
		const funder = await asUserThenRollback(pair.as.funder, (tx) => journalPage(tx, none, 0, 5000));
		expect(staff.total).toBeGreaterThan(coord.total);
		expect(new Set(staff.rows.map((r) => r.territory_name)).size).toBeGreaterThan(2);
		expect(coord.total).toBeGreaterThan(0);
		expect(funder.total).toBe(0);
		const filtered = await asUserThenRollback(pair.as.facilitator, (tx) =>
			journalPage(tx, { ...none, territoire: pair.A.slug, du: '2026-01-01', au: '2026-12-31' }, 0, 20));
		expect(filtered.rows.length).toBeGreaterThan(0);
		expect(new Set(filtered.rows.map((r) => r.territory_name)).size).toBe(1);
	});
});

describe('the acceptance form sent twice', () => {
	it('the invitation accepted a moment ago is found for its token (to sign in), not an older or an unknown one', async () => {
		const { recentlyAcceptedEmail } = await import('../../src/lib/server/people');
		const token = tokenOf(await asUser(pair.as.facilitator, (tx) => createInvitation(tx, invite('funder', undefined, 'nouvelle.double@exemple.test'))));
		await asService(async (tx) => {
			expect(await recentlyAcceptedEmail(tx, token)).toBeNull(); // not accepted yet
			expect(await acceptInvitation(tx, token, 'une phrase assez longue')).toEqual({ email: 'nouvelle.double@exemple.test' });
			expect(await acceptInvitation(tx, token, 'une phrase assez longue')).toBe(false); // one account
			expect(await recentlyAcceptedEmail(tx, token)).toBe('nouvelle.double@exemple.test');
			expect(await recentlyAcceptedEmail(tx, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toBeNull();
			await tx`update public.invitations set accepted_at = now() - interval '11 minutes' where token_hash = ${hashToken(token)}`;
			expect(await recentlyAcceptedEmail(tx, token)).toBeNull();
			throw new Error('rollback');
		}).catch((e) => {
			if (!(e instanceof Error) || e.message !== 'rollback') throw e;
		});
	});
});
