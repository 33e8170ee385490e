import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import postgres, { type Sql } from 'postgres';
import { asAnon, asUser, type Tx } from '../../src/lib/server/db';
import { APP_ROLE, OWNER_ROLE } from '../../src/lib/server/db/roles';
import { type TerritoryPair, territoryPair, useTestDatabase } from './helpers';

// Least privilege (issue #7, point 4): what the request login can do once it drops the user role.

let stop: () => Promise<void>;
let owner: Sql;
let pair: TerritoryPair;
beforeAll(async () => {
	stop = useTestDatabase();
	owner = postgres(inject('databaseUrl'), { max: 1, onnotice: () => {} });
	pair = await territoryPair();
});
afterAll(async () => {
	await owner.end();
	await stop();
});

const ROLLBACK = new Error('rollback');

/** Runs each probe in a savepoint inside one user transaction, then rolls it all back: SQLSTATE or 'ok'. */
async function probes(run: (fn: (tx: Tx) => Promise<unknown>) => Promise<unknown>, list: Record<string, string>) {
	const results: Record<string, string> = {};
	await run(async (tx) => {
		await tx`reset role`;
		results.current_user = (await tx<{ u: string }[]>`select current_user as u`)[0].u;
		for (const [name, statement] of Object.entries(list)) {
			results[name] = await tx
				.savepoint((sp) => sp.unsafe(statement))
				.then(() => 'ok', (e: { code?: string }) => e.code ?? String(e));
		}
		throw ROLLBACK;
	}).catch((e: unknown) => {
		if (e !== ROLLBACK) throw e;
	});
	return results;
}

const territoryB = () => pair.B.id;
const attempts = () => ({
	sessions: 'select * from private.sessions',
	secrets: 'select * from private.app_secrets',
	users: 'select email, encrypted_password from auth.users',
	citizens_b: `select display_name from public.citizens where territory_id = '${territoryB()}'`,
	citizens_write: `update public.citizens set display_name = 'x' where territory_id = '${territoryB()}'`,
	audit: 'select * from public.audit_events',
	become_owner: `set role ${OWNER_ROLE}`,
	become_superuser: 'set role postgres',
	become_service: 'set role service_role',
	private_helper: 'select private.my_territory_ids()',
	session_auth: `set session authorization ${OWNER_ROLE}`,
	create_table: 'create table public.intrus (id int)',
	create_function: "create function public.intrus() returns int language sql as 'select 1'"
});

describe('the request login (Supabase’s authenticator)', () => {
	it('is not a superuser, inherits nothing, bypasses no RLS, owns nothing, may only become anon or authenticated', async () => {
		const [me] = await asAnon(
			(tx) => tx<{ session_user: string; rolsuper: boolean; rolinherit: boolean; rolbypassrls: boolean; rolcreaterole: boolean; rolcreatedb: boolean }[]>`
				select session_user, r.rolsuper, r.rolinherit, r.rolbypassrls, r.rolcreaterole, r.rolcreatedb
				from pg_roles r where r.rolname = session_user`
		);
		expect(me).toEqual({ session_user: APP_ROLE, rolsuper: false, rolinherit: false, rolbypassrls: false, rolcreaterole: false, rolcreatedb: false });
		const [{ owned }] = await owner<{ owned: number }[]>`
			select (select count(*) from pg_class where relowner = ${APP_ROLE}::regrole)
			     + (select count(*) from pg_proc where proowner = ${APP_ROLE}::regrole)
			     + (select count(*) from pg_namespace where nspowner = ${APP_ROLE}::regrole)
			     + (select count(*) from pg_type where typowner = ${APP_ROLE}::regrole) as owned`;
		expect(Number(owned)).toBe(0);
		const memberOf = await owner<{ role: string }[]>`
			select m.roleid::regrole::text as role from pg_auth_members m
			where m.member = ${APP_ROLE}::regrole order by 1`;
		expect(memberOf.map((r) => r.role)).toEqual(['anon', 'authenticated']);
	});

	it('gains nothing by `reset role` inside a coordinator’s transaction', async () => {
		const r = await probes((fn) => asUser(pair.as.coordA, fn), attempts());
		expect(r).toEqual({
			current_user: APP_ROLE,
			sessions: '42501',
			secrets: '42501',
			users: '42501',
			citizens_b: '42501',
			citizens_write: '42501',
			audit: '42501',
			become_owner: '42501',
			become_superuser: '42501',
			become_service: '42501',
			private_helper: '42501',
			session_auth: '42501',
			create_table: '42501',
			create_function: '42501'
		});
	});

	it('gains nothing by `reset role` inside an anonymous visitor’s transaction either', async () => {
		const r = await probes((fn) => asAnon(fn), attempts());
		const refused = Object.entries(r).filter(([k, v]) => k !== 'current_user' && v !== '42501');
		expect(r.current_user).toBe(APP_ROLE);
		expect(refused).toEqual([]);
	});
});

describe('functions and schemas', () => {
	it('no function of private or public is executable by PUBLIC', async () => {
		const open = await owner<{ fn: string }[]>`
			select p.oid::regprocedure::text as fn from pg_proc p
			where p.pronamespace in ('public'::regnamespace, 'private'::regnamespace)
			  and (p.proacl is null or exists (select 1 from aclexplode(p.proacl) a
			                                   where a.grantee = 0 and a.privilege_type = 'EXECUTE'))
			order by 1`;
		expect(open.map((r) => r.fn)).toEqual([]);
	});

	it('a function a later migration creates starts with no PUBLIC grant (global default privileges)', async () => {
		const rollback = new Error('rollback');
		let acl: { fn: string; public_execute: boolean }[] = [];
		await owner
			.begin(async (tx) => {
				await tx`create function private.later_helper() returns int language sql as 'select 1'`;
				await tx`create function public.later_rpc() returns int language sql as 'select 1'`;
				acl = await tx`
					select p.proname as fn, coalesce(p.proacl is null or exists (select 1 from aclexplode(p.proacl) a
					       where a.grantee = 0 and a.privilege_type = 'EXECUTE'), false) as public_execute
					from pg_proc p where p.proname in ('later_helper', 'later_rpc') order by 1`;
				throw rollback;
			})
			.catch((e: unknown) => {
				if (e !== rollback) throw e;
			});
		expect(acl).toEqual([
			{ fn: 'later_helper', public_execute: false },
			{ fn: 'later_rpc', public_execute: false }
		]);
	});

	it('anon has no usage on private; authenticated keeps it for the policies’ helpers', async () => {
		const [r] = await owner`
			select has_schema_privilege('anon', 'private', 'usage') as anon,
			       has_schema_privilege('authenticated', 'private', 'usage') as authenticated,
			       has_schema_privilege(${APP_ROLE}, 'private', 'usage') as login`;
		expect(r).toEqual({ anon: false, authenticated: true, login: false });
	});

	it('the owner that runs migrations and system jobs is not a superuser either', async () => {
		const [r] = await owner`select current_user as u, rolsuper, rolbypassrls from pg_roles where rolname = current_user`;
		expect(r).toEqual({ u: OWNER_ROLE, rolsuper: false, rolbypassrls: false });
	});
});
