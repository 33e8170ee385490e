import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres, { type Sql } from 'postgres';
import { backup, readHeader, restore, summarise } from '../../src/lib/server/db/backup';
import { migrations } from '../../src/lib/server/db/migrate';
import { OWNER_ROLE, provisionRoles, embeddedRolePasswords, urlAs } from '../../src/lib/server/db/roles';

// Backups (issue #7, point 11): backup → restore into a fresh database gives identical data.

let source: Sql;
let superuser: Sql;
let dir: string;
const FRESH = 'marathon_restore_test';

/** A brand-new database on the same server, set up as the app sets one up, reached as the owner. */
async function freshDatabase(): Promise<Sql> {
	await superuser.unsafe(`drop database if exists ${FRESH} with (force)`);
	await superuser.unsafe(`create database ${FRESH}`);
	const superUrl = new URL(inject('superDatabaseUrl'));
	superUrl.pathname = `/${FRESH}`;
	await provisionRoles(superUrl.toString(), await embeddedRolePasswords(inject('databaseDir')));
	return postgres(urlAs(superUrl.toString(), OWNER_ROLE, (await embeddedRolePasswords(inject('databaseDir'))).owner), {
		max: 1,
		onnotice: () => {}
	});
}

beforeAll(async () => {
	source = postgres(inject('databaseUrl'), { max: 1, onnotice: () => {} });
	superuser = postgres(inject('superDatabaseUrl'), { max: 1, onnotice: () => {} });
	dir = await mkdtemp(join(tmpdir(), 'marathon-backup-'));
});
afterAll(async () => {
	await source.end();
	await superuser.unsafe(`drop database if exists ${FRESH} with (force)`);
	await superuser.end();
	await rm(dir, { recursive: true, force: true });
});

describe('backup and restore', () => {
	it('restores into a fresh database exactly what was saved: every table, row counts and checksums', async () => {
		const file = join(dir, 'sauvegarde.txt');
		const header = await backup(source, createWriteStream(file));
		expect(header.version).toBe(migrations.at(-1)!.version);
		const byName = Object.fromEntries(header.tables.map((t) => [t.name, t]));
		expect(byName['public.citizens'].rows).toBeGreaterThan(1000);
		expect(byName['auth.users'].rows).toBeGreaterThan(20);
		expect(byName['private.app_secrets'].rows).toBe(1);
		// parents first: a restore never meets a missing foreign key
		const order = header.tables.map((t) => t.name);
		expect(order.indexOf('public.territories')).toBeLessThan(order.indexOf('public.citizens'));
		expect(order.indexOf('auth.users')).toBeLessThan(order.indexOf('public.profiles'));

		const target = await freshDatabase();
		try {
			await restore(target, file);
			const [before, after] = await Promise.all([
				source.begin((tx) => tx`set local timezone = 'UTC'`.then(() => summarise(tx, header.tables))),
				target.begin((tx) => tx`set local timezone = 'UTC'`.then(() => summarise(tx, header.tables)))
			]);
			expect(after).toEqual(before);
			// and row by row, for the personal data
			const rows = (sql: Sql) => sql`select * from public.citizens order by id`;
			expect(await rows(target)).toEqual(await rows(source));
			// the audit trail is restored as it was, not rewritten by the triggers
			const [{ n }] = await target`select count(*)::int as n from public.audit_events`;
			expect(n).toBe(byName['public.audit_events'].rows);
			// identity columns go on after the restored rows
			const [next] = await target`insert into public.audit_events (entity, entity_id, action) values ('test', 'x', 'insert') returning id`;
			const [{ max }] = await source`select max(id)::int as max from public.audit_events`;
			expect(Number(next.id)).toBeGreaterThan(max);
			const [{ version }] = await target`select max(version) as version from supabase_migrations.schema_migrations`;
			expect(version).toBe(header.version);
		} finally {
			await target.end();
		}
	});

	it('refuses to restore over a database that already holds data, and a tampered file', async () => {
		const file = join(dir, 'sauvegarde.txt');
		await expect(restore(source, file)).rejects.toThrow(/pas vide/);
		const tampered = join(dir, 'modifiee.txt');
		const text = await readFile(file, 'utf8');
		const header = await readHeader(file);
		const lines = text.split('\n');
		const first = lines.findIndex((l) => l === '@@ public.territories') + 1;
		lines[first] = lines[first].replace('(démo)', '(modifié)');
		await writeFile(tampered, lines.join('\n'));
		expect(header.tables.length).toBeGreaterThan(10);
		const target = await freshDatabase();
		try {
			await expect(restore(target, tampered)).rejects.toThrow(/contenu différent de la sauvegarde pour public\.territories/);
			const [{ n }] = await target`select count(*)::int as n from public.territories`;
			expect(n).toBe(0);
		} finally {
			await target.end();
		}
	});
});
