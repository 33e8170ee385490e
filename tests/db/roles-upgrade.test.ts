import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import postgres, { type Sql } from 'postgres';
import { migrate } from '../../src/lib/server/db/migrate';
import { APP_ROLE, OWNER_ROLE, embeddedRolePasswords, provisionRoles, urlAs } from '../../src/lib/server/db/roles';

// A database migrated before the roles existed (everything owned by the superuser) is handed to
// the owner at the next start, and then migrates and serves as a fresh one.

const DB = 'marathon_upgrade_test';
let superuser: Sql;
const urlOf = (base: string) => {
	const u = new URL(base);
	u.pathname = `/${DB}`;
	return u.toString();
};
beforeAll(async () => {
	superuser = postgres(inject('superDatabaseUrl'), { max: 1, onnotice: () => {} });
	await superuser.unsafe(`drop database if exists ${DB} with (force)`);
	await superuser.unsafe(`create database ${DB}`);
});
afterAll(async () => {
	await superuser.unsafe(`drop database if exists ${DB} with (force)`);
	await superuser.end();
});

it('adopts the objects of a database migrated by the superuser, then migrates on as the owner', async () => {
	const old = postgres(urlOf(inject('superDatabaseUrl')), { max: 1, onnotice: () => {} });
	await migrate(old, { upTo: '20261129080000' });
	await old.end();

	const passwords = await embeddedRolePasswords(inject('databaseDir'));
	await provisionRoles(urlOf(inject('superDatabaseUrl')), passwords);
	const owner = postgres(urlAs(urlOf(inject('superDatabaseUrl')), OWNER_ROLE, passwords.owner), { max: 1, onnotice: () => {} });
	const app = postgres(urlAs(urlOf(inject('superDatabaseUrl')), APP_ROLE, passwords.app), { max: 1, onnotice: () => {} });
	try {
		const report = await migrate(owner);
		expect(report.applied.length).toBeGreaterThan(0);
		const foreign = await owner`
			select c.oid::regclass::text as name from pg_class c
			where c.relnamespace in ('public'::regnamespace, 'private'::regnamespace, 'auth'::regnamespace)
			  and c.relowner <> ${OWNER_ROLE}::regrole
			union all
			select p.oid::regprocedure::text from pg_proc p
			where p.pronamespace in ('public'::regnamespace, 'private'::regnamespace, 'auth'::regnamespace)
			  and p.proowner <> ${OWNER_ROLE}::regrole`;
		expect(foreign).toEqual([]);
		const laws = await app.begin(async (tx) => {
			await tx`select set_config('role', 'anon', true)`;
			return tx`select count(*)::int as n from public.laws`;
		});
		expect(laws[0].n).toBe(5);
	} finally {
		await owner.end();
		await app.end();
	}
});
