import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import type { Sql, TransactionSql } from 'postgres';
import { migrate, migrations } from './migrate';

/**
 * Backups of the embedded database without pg_dump (the npm package ships none): one consistent
 * snapshot (a single REPEATABLE READ, READ ONLY transaction), every table of `auth`, `public` and
 * `private` copied with COPY … TO STDOUT in foreign-key order into one text file, with the
 * migration version and, per table, the row count and a checksum taken in the same snapshot.
 *
 * File format (« MARATHON-BACKUP 1 »): line 1 the magic, line 2 a JSON header
 * `{ version, taken_at, tables: [{ name, columns, rows, checksum }] }`, then per table a line
 * `@@ <schema.table>`, its rows in COPY text format, and a line `\.`.
 */
export const MAGIC = 'MARATHON-BACKUP 1';
const SCHEMAS = ['auth', 'public', 'private'];

export interface TableSummary {
	name: string;
	columns: string[];
	rows: number;
	/** md5 of the rows' text, sorted (C collation), in UTC: equal data, equal checksum */
	checksum: string;
}
export interface BackupHeader {
	version: string;
	taken_at: string;
	tables: TableSummary[];
}

type Tx = TransactionSql<Record<string, never>>;

/** Our tables, parents before children (foreign keys), each with its stored (non-generated) columns. */
async function tablesInOrder(tx: Tx | Sql): Promise<{ name: string; columns: string[] }[]> {
	const tables = await tx<{ oid: number; name: string; columns: string[] }[]>`
		select c.oid::int as oid, format('%I.%I', n.nspname, c.relname) as name,
		       array(select a.attname::text from pg_attribute a
		             where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
		             order by a.attnum) as columns
		from pg_class c join pg_namespace n on n.oid = c.relnamespace
		where n.nspname = any (${SCHEMAS}) and c.relkind in ('r', 'p') and not c.relispartition
		order by 2`;
	const edges = await tx<{ child: number; parent: number }[]>`
		select conrelid::int as child, confrelid::int as parent from pg_constraint
		where contype = 'f' and conrelid <> confrelid`;
	const ordered: { oid: number; name: string; columns: string[] }[] = [];
	const done = new Set<number>();
	const visit = (t: (typeof tables)[number], path: Set<number>) => {
		if (done.has(t.oid) || path.has(t.oid)) return;
		path.add(t.oid);
		for (const e of edges.filter((e) => e.child === t.oid)) {
			const parent = tables.find((p) => p.oid === e.parent);
			if (parent) visit(parent, path);
		}
		done.add(t.oid);
		ordered.push(t);
	};
	for (const t of tables) visit(t, new Set());
	return ordered.map(({ name, columns }) => ({ name, columns }));
}

const ident = (name: string) => name; // already quoted by format('%I.%I')
const columnList = (columns: string[]) => columns.map((c) => `"${c.replaceAll('"', '""')}"`).join(', ');

/**
 * One row as a line of COPY's text format (tab-separated, `\N` for null, backslash escapes), built
 * in SQL. Not COPY … TO STDOUT itself: postgres.js (3.4) can leave its socket paused at the end of a
 * large COPY OUT inside a transaction, and the snapshot then never ends. COPY … FROM STDIN reads it.
 */
function copyLine(columns: string[]): string {
	const field = (c: string) =>
		`coalesce(replace(replace(replace(replace("${c.replaceAll('"', '""')}"::text, '\\', '\\\\'), E'\\n', '\\n'), E'\\r', '\\r'), E'\\t', '\\t'), '\\N')`;
	return `concat_ws(E'\\t', ${columns.map(field).join(', ')})`;
}

/** Row count and checksum of each table, as `tx` sees it. */
export async function summarise(tx: Tx | Sql, tables: { name: string; columns: string[] }[]): Promise<TableSummary[]> {
	const out: TableSummary[] = [];
	for (const t of tables) {
		const [r] = await tx.unsafe(
			`select count(*)::int as rows,
			        md5(coalesce(string_agg(x, E'\\n' order by x collate "C"), '')) as checksum
			 from (select (row(${columnList(t.columns)}))::text as x from ${ident(t.name)}) s`
		);
		out.push({ name: t.name, columns: t.columns, rows: r.rows, checksum: r.checksum });
	}
	return out;
}

/**
 * Writes a snapshot of the database `sql` reaches (as the owner role) to `out`, which it ends.
 * Returns the header (version, counts, checksums). Throws on any database or stream error.
 */
export async function backup(sql: Sql, out: Writable): Promise<BackupHeader> {
	const write = async (chunk: string | Buffer) => {
		if (!out.write(chunk)) await once(out, 'drain');
	};
	const header = await sql.begin('isolation level repeatable read read only', async (tx) => {
		await tx`set local timezone = 'UTC'`;
		const [{ version }] = await tx<{ version: string | null }[]>`
			select max(version) as version from supabase_migrations.schema_migrations`;
		if (!version) throw new Error('La base n’est pas migrée : rien à sauvegarder.');
		const tables = await tablesInOrder(tx as unknown as Tx);
		const header: BackupHeader = { version, taken_at: new Date().toISOString(), tables: await summarise(tx, tables) };
		await write(`${MAGIC}\n${JSON.stringify(header)}\n`);
		for (const t of tables) {
			await write(`@@ ${t.name}\n`);
			await tx.unsafe(`select ${copyLine(t.columns)} as line from ${ident(t.name)}`).cursor(1000, async (rows) => {
				await write(rows.map((r) => r.line + '\n').join(''));
			});
			await write('\\.\n');
		}
		return header;
	});
	out.end();
	await once(out, 'finish');
	return header as BackupHeader;
}

/** Reads the header of a backup file. Throws if it is not one. */
export async function readHeader(file: string): Promise<BackupHeader> {
	const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
	const it = lines[Symbol.asyncIterator]();
	try {
		const magic = await it.next();
		const json = await it.next();
		if (magic.value !== MAGIC || json.done) throw new Error(`${file} n’est pas une sauvegarde Marathon.`);
		return JSON.parse(json.value) as BackupHeader;
	} finally {
		lines.close();
	}
}

/**
 * Restores `file` into the fresh database `sql` reaches (as the owner role): migrates it up to the
 * backup's version, loads every table in one transaction (user triggers off, so that the audit
 * trail and versions are restored as they were, not rewritten), checks each table's count and
 * checksum against the header (any difference: nothing is kept), then applies the later
 * migrations. Throws if the database already holds accounts or a cohort, or if the backup comes
 * from a newer version of Marathon.
 */
export async function restore(sql: Sql, file: string): Promise<BackupHeader> {
	const header = await readHeader(file);
	if (!migrations.some((m) => m.version === header.version))
		throw new Error(`Sauvegarde de la version ${header.version}, inconnue de ce Marathon : mettez Marathon à jour d’abord.`);
	const [{ recorded }] = await sql<{ recorded: boolean }[]>`
		select to_regclass('supabase_migrations.schema_migrations') is not null as recorded`;
	const applied = recorded
		? (await sql<{ v: string | null }[]>`select max(version) as v from supabase_migrations.schema_migrations`)[0].v
		: null;
	if (applied && applied > header.version)
		throw new Error(`La base est déjà en version ${applied}, plus récente que la sauvegarde (${header.version}) : restaurez dans une base neuve.`);
	await migrate(sql, { upTo: header.version });

	await sql.begin(async (tx) => {
		await tx`set local timezone = 'UTC'`;
		const [{ people }] = await tx<{ people: number }[]>`
			select (select count(*) from auth.users)::int + (select count(*) from public.cohorts)::int as people`;
		if (people > 0) throw new Error('La base cible n’est pas vide (comptes ou cohorte présents) : restaurez dans une base neuve.');
		const tables = header.tables.map((t) => t.name);
		await tx.unsafe(`truncate ${tables.map(ident).join(', ')} restart identity`);
		for (const t of tables) await tx.unsafe(`alter table ${ident(t)} disable trigger user`);

		const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
		let n = 0;
		let sink: Writable | null = null;
		for await (const line of lines) {
			if (n++ < 2) continue;
			if (sink) {
				if (line === '\\.') {
					sink.end();
					await once(sink, 'finish');
					sink = null;
				} else if (!sink.write(line + '\n')) await once(sink, 'drain');
			} else if (line.startsWith('@@ ')) {
				const table = header.tables.find((t) => t.name === line.slice(3));
				if (!table) throw new Error(`Sauvegarde incohérente : table ${line.slice(3)} absente de l’en-tête.`);
				sink = (await tx.unsafe(`copy ${ident(table.name)} (${columnList(table.columns)}) from stdin`).writable()) as Writable;
			} else if (line !== '') throw new Error(`Sauvegarde incohérente à la ligne ${n}.`);
		}
		if (sink) throw new Error('Sauvegarde tronquée.');

		for (const t of tables) await tx.unsafe(`alter table ${ident(t)} enable trigger user`);
		// Identity columns continue after the restored rows.
		await tx.unsafe(`
			do $$
			declare r record;
			begin
			  for r in select format('%I.%I', n.nspname, c.relname) as t, a.attname as col
			           from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
			           where n.nspname in ('auth', 'public', 'private') and a.attidentity <> '' loop
			    execute format('select setval(pg_get_serial_sequence(%L, %L), coalesce((select max(%I) from %s), 0) + 1, false)',
			                   r.t, r.col, r.col, r.t);
			  end loop;
			end
			$$`);
		const after = await summarise(tx, header.tables);
		const wrong = after.filter((t, i) => t.rows !== header.tables[i].rows || t.checksum !== header.tables[i].checksum);
		if (wrong.length)
			throw new Error(`Restauration refusée : contenu différent de la sauvegarde pour ${wrong.map((t) => t.name).join(', ')}.`);
	});
	await migrate(sql);
	return header;
}
