import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import postgres, { type Sql } from 'postgres';

/**
 * Least privilege, as Supabase does it (docs/decisions.md « Confiance base de données »):
 * - OWNER_ROLE owns every object, runs the migrations and the system jobs (`asService`: login,
 *   sessions, seed, retention, backups). Not a superuser, no BYPASSRLS: it bypasses RLS only on
 *   the tables it owns, like any owner.
 * - APP_ROLE is what the request pool logs in as (Supabase's `authenticator`): NOINHERIT, owns
 *   nothing, has no privilege of its own and may only `set role` to `anon` or `authenticated`.
 *   `reset role` inside a user's transaction therefore gains nothing.
 * The embedded server's superuser only creates these roles (`provisionRoles`), at every start.
 */
export const OWNER_ROLE = 'marathon_owner';
export const APP_ROLE = 'marathon_authenticator';

/** The two logins the app uses: `owner` for migrations and system jobs, `app` for requests. */
export interface DatabaseUrls {
	owner: string;
	app: string;
}

const SECRET = /^[0-9a-f]{32,128}$/;

/**
 * Creates (or brings back in line) the Supabase-like roles on a database where `superUrl` is a
 * superuser: anon, authenticated, service_role, OWNER_ROLE and APP_ROLE with these passwords;
 * hands every existing object of our schemas to OWNER_ROLE (databases created before this change
 * were owned by the superuser). Idempotent. Throws what Postgres throws.
 */
export async function provisionRoles(superUrl: string, passwords: { owner: string; app: string }): Promise<void> {
	if (!SECRET.test(passwords.owner) || !SECRET.test(passwords.app)) throw new Error('mot de passe de rôle invalide');
	const sql = postgres(superUrl, { max: 1, onnotice: () => {} });
	try {
		await sql.begin(async (tx) => {
			// Two servers may start on one database: one at a time.
			await tx`select pg_advisory_xact_lock(4242002)`;
			await tx.unsafe(`
				do $$
				begin
				  if not exists (select 1 from pg_roles where rolname = 'anon') then
				    create role anon nologin noinherit;
				  end if;
				  if not exists (select 1 from pg_roles where rolname = 'authenticated') then
				    create role authenticated nologin noinherit;
				  end if;
				  if not exists (select 1 from pg_roles where rolname = 'service_role') then
				    create role service_role nologin noinherit bypassrls;
				  end if;
				  if not exists (select 1 from pg_roles where rolname = '${OWNER_ROLE}') then
				    create role ${OWNER_ROLE} login;
				  end if;
				  if not exists (select 1 from pg_roles where rolname = '${APP_ROLE}') then
				    create role ${APP_ROLE} login noinherit;
				  end if;
				end
				$$;
				alter role ${OWNER_ROLE} login nosuperuser nocreatedb nocreaterole noreplication nobypassrls
				  password '${passwords.owner}';
				alter role ${APP_ROLE} login noinherit nosuperuser nocreatedb nocreaterole noreplication nobypassrls
				  password '${passwords.app}';

				-- The request login may only become the user roles (membership without inheritance).
				grant anon, authenticated to ${APP_ROLE};
				-- The owner may too (as Supabase's postgres): tests and tools act as a user with it.
				grant anon, authenticated to ${OWNER_ROLE} with inherit false;

				grant connect, create, temporary on database "${await currentDatabase(tx)}" to ${OWNER_ROLE};
				grant usage, create on schema public to ${OWNER_ROLE} with grant option;
			`);
			await adoptObjects(tx);
		});
	} finally {
		await sql.end();
	}
}

async function currentDatabase(tx: postgres.TransactionSql): Promise<string> {
	const [{ db }] = await tx<{ db: string }[]>`select current_database() as db`;
	if (!/^[A-Za-z0-9_-]+$/.test(db)) throw new Error(`nom de base inattendu : ${db}`);
	return db;
}

/** Our schemas' objects still owned by someone else (a database migrated before the owner role existed). */
async function adoptObjects(tx: postgres.TransactionSql): Promise<void> {
	await tx.unsafe(`
		do $$
		declare
		  r record;
		  v_owner oid := '${OWNER_ROLE}'::regrole;
		begin
		  for r in select n.nspname from pg_namespace n
		           where n.nspname in ('auth', 'private', 'supabase_migrations') and n.nspowner <> v_owner loop
		    execute format('alter schema %I owner to ${OWNER_ROLE}', r.nspname);
		  end loop;
		  -- tables, views, sequences (not those owned by a column: they follow their table)
		  for r in select c.oid::regclass as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
		           where n.nspname in ('public', 'private', 'auth', 'supabase_migrations')
		             and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S') and c.relowner <> v_owner
		             and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass
		                             and d.objid = c.oid and d.deptype in ('a', 'i')) loop
		    execute format('alter table %s owner to ${OWNER_ROLE}', r.name);
		  end loop;
		  for r in select p.oid::regprocedure as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace
		           where n.nspname in ('public', 'private', 'auth') and p.proowner <> v_owner loop
		    execute format('alter routine %s owner to ${OWNER_ROLE}', r.name);
		  end loop;
		  for r in select t.oid::regtype as name from pg_type t join pg_namespace n on n.oid = t.typnamespace
		           where n.nspname in ('public', 'private', 'auth') and t.typtype in ('e', 'd', 'r', 'm')
		             and t.typowner <> v_owner loop
		    execute format('alter type %s owner to ${OWNER_ROLE}', r.name);
		  end loop;
		end
		$$;
	`);
}

async function secretFile(path: string): Promise<string> {
	if (!existsSync(path)) await writeFile(path, randomBytes(24).toString('hex'), { mode: 0o600 });
	return (await readFile(path, 'utf8')).trim();
}

/** The passwords of the two roles, generated once and kept beside the embedded data (mode 600). */
export async function embeddedRolePasswords(dir: string): Promise<{ owner: string; app: string }> {
	return {
		owner: await secretFile(join(dir, 'owner-password')),
		app: await secretFile(join(dir, 'app-password'))
	};
}

/** The same server as `superUrl`, logged in as `role` with `password`. */
export function urlAs(superUrl: string, role: string, password: string): string {
	const url = new URL(superUrl);
	url.username = role;
	url.password = password;
	return url.toString();
}

/**
 * Provisions the roles on the embedded server (data under `dir`, `superUrl` its superuser) and
 * returns the owner's and the request login's URLs.
 */
export async function embeddedRoles(dir: string, superUrl: string): Promise<DatabaseUrls> {
	const passwords = await embeddedRolePasswords(dir);
	await provisionRoles(superUrl, passwords);
	return { owner: urlAs(superUrl, OWNER_ROLE, passwords.owner), app: urlAs(superUrl, APP_ROLE, passwords.app) };
}

/** What the request login may do beyond becoming anon/authenticated (empty when least privilege holds). */
export async function privilegeWarnings(sql: Sql): Promise<string[]> {
	const [r] = await sql<{ role: string; rolsuper: boolean; rolbypassrls: boolean; rolinherit: boolean; owns: number }[]>`
		select r.rolname as role, r.rolsuper, r.rolbypassrls, r.rolinherit,
		       (select count(*)::int from pg_class c where c.relowner = r.oid
		          and c.relnamespace in ('public'::regnamespace, to_regnamespace('private'))) as owns
		from pg_roles r where r.rolname = session_user`;
	const warnings: string[] = [];
	if (r.rolsuper) warnings.push(`le rôle ${r.role} est superutilisateur`);
	if (r.rolbypassrls) warnings.push(`le rôle ${r.role} contourne la RLS (BYPASSRLS)`);
	if (r.owns > 0) warnings.push(`le rôle ${r.role} possède ${r.owns} tables (un propriétaire contourne la RLS)`);
	if (r.rolinherit) warnings.push(`le rôle ${r.role} hérite des droits de ses rôles (attendu : NOINHERIT)`);
	return warnings;
}
