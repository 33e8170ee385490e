/**
 * The identity rule in the real Postgres, through the app's own asUser path: the key function, the
 * generated columns and their indexes, lookalikes on every path (form, quick-add, import against
 * the registry and inside the file, lieu form), under concurrency, search as typed, French order,
 * phones, and a Windows-1252 file stored exactly.
 */
import iconv from 'iconv-lite';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { asService, asUser, type Tx } from '../../src/lib/server/db';
import { CitizenSchema, CONSENT_PURPOSE, CONSENT_TEXT_VERSION, type CitizenInput } from '../../src/lib/domain/citizens';
import { parseCitizensCsv, parseLieuxCsv, lieuCsvRow } from '../../src/lib/domain/csv';
import { decodeCsv } from '../../src/lib/domain/csv-decode';
import type { LieuInput } from '../../src/lib/domain/lieux';
import { enrolChecked, enrolCitizen, findLookalikes, listCitizens } from '../../src/lib/server/citizens';
import { existingCitizenDuplicates, existingLieuDuplicates, exportLieux, importCitizens, importLieux } from '../../src/lib/server/import';
import { createLieu, createLieuChecked, listLieux, updateLieuChecked } from '../../src/lib/server/lieux';
import { quickAddAttendee, searchCheckInCandidates } from '../../src/lib/server/workshops';
import { territoryFigures } from '../../src/lib/server/territories';
import { type TerritoryPair, asUserThenRollback, outcome, territoryPair, useTestDatabase } from './helpers';

let stop: () => Promise<void>;
let A: TerritoryPair['A'];
let as: TerritoryPair['as'];
const consent = { consent: 'on' as const, consent_purpose: CONSENT_PURPOSE, consent_text_version: CONSENT_TEXT_VERSION };
const TODAY = '2026-11-20';

const person = (over: Partial<CitizenInput> = {}): CitizenInput => ({
	display_name: 'Hélène Zéphyr',
	email: null,
	phone: null,
	commune: 'Besançon',
	postal_code: null,
	age_band: 'non_renseigne',
	source: 'event',
	is_societaire: false,
	enrolled_at: TODAY,
	...over
});
const lieu = (over: Partial<LieuInput> = {}): LieuInput => ({
	name: 'École Jules Ferry',
	kind: 'ecole',
	commune: 'Besançon',
	address: '',
	contact_name: null,
	contact_email: null,
	contact_phone: null,
	enrolled_at: TODAY,
	status: 'active',
	...over
});
const filters = (q: string) => ({ q, statut: '' as const, source: '' as const, societaire: '' as const });

beforeAll(async () => {
	stop = useTestDatabase();
	({ A, as } = await territoryPair());
});
afterAll(() => stop());

describe('schema: one identity rule, stored and indexed, French collation', () => {
	it('has an immutable private.identity_key and the four stored generated key columns', async () => {
		const [fn] = await asService((tx) => tx`
			select p.provolatile, p.prosecdef, pg_get_function_result(p.oid) as result
			from pg_proc p join pg_namespace n on n.oid = p.pronamespace
			where n.nspname = 'private' and p.proname = 'identity_key'`);
		expect(fn).toMatchObject({ provolatile: 'i', prosecdef: true, result: 'text' });
		const cols = await asService((tx) => tx`
			select c.relname as table, a.attname as column, a.attgenerated, pg_get_expr(d.adbin, d.adrelid) as expr
			from pg_attribute a join pg_class c on c.oid = a.attrelid
			join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
			left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
			where c.relname in ('citizens', 'lieux') and a.attname in ('name_key', 'commune_key')
			order by 1, 2`);
		expect(cols.map((c) => [c.table, c.column, c.attgenerated, c.expr])).toEqual([
			['citizens', 'commune_key', 's', 'private.identity_key(commune)'],
			['citizens', 'name_key', 's', 'private.identity_key(display_name)'],
			['lieux', 'commune_key', 's', 'private.identity_key(commune)'],
			['lieux', 'name_key', 's', 'private.identity_key(name)']
		]);
	});

	it('indexes the keys: btree for lookalikes, trigram GIN for search', async () => {
		const rows = await asService((tx) => tx`
			select indexname, indexdef from pg_indexes
			where schemaname = 'public' and tablename in ('citizens', 'lieux') and indexdef like '%_key%'
			order by indexname`);
		const defs = Object.fromEntries(rows.map((r) => [r.indexname, r.indexdef]));
		expect(defs.citizens_identity_idx).toMatch(/btree \(territory_id, name_key, commune_key\)/);
		expect(defs.lieux_identity_idx).toMatch(/btree \(territory_id, name_key, commune_key\)/);
		for (const name of ['citizens_name_key_trgm_idx', 'citizens_commune_key_trgm_idx', 'lieux_name_key_trgm_idx', 'lieux_commune_key_trgm_idx'])
			expect(defs[name]).toMatch(/USING gin \(\w+ extensions\.gin_trgm_ops\)/);
	});

	it('sorts the columns people read with the French ICU collation', async () => {
		const rows = await asService((tx) => tx`
			select c.relname || '.' || a.attname as col, co.collname, co.collprovider, co.colllocale
			from pg_attribute a join pg_class c on c.oid = a.attrelid
			join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
			join pg_collation co on co.oid = a.attcollation
			where (c.relname, a.attname) in (('territories', 'name'), ('cohorts', 'name'), ('citizens', 'display_name'),
			  ('citizens', 'commune'), ('lieux', 'name'), ('lieux', 'commune'), ('workshops', 'title'),
			  ('milestones', 'title'), ('milestone_templates', 'title'), ('indicators', 'name_fr'))
			order by 1`);
		expect(rows).toHaveLength(10);
		for (const r of rows) expect([r.col, r.collname, r.collprovider, r.colllocale]).toEqual([r.col, 'french', 'i', 'fr-u-kn-true']);
	});
});

describe('private.identity_key', () => {
	it('gives one key to the spellings of one person, as a coordinator computes it', async () => {
		const keys = await asUserThenRollback(as.coordA, (tx) => tx<{ v: string; k: string }[]>`
			select v, private.identity_key(v) as k from unnest(${[
				'Hélène Zéphyr',
				'Helene  Zephyr',
				'HÉLÈNE ZÉPHYR',
				'He\u0301le\u0300ne Ze\u0301phyr', // NFD: decomposed accents
				'Hélène\u00a0Zéphyr', // no-break space
				" O'Neil ",
				'O’Neil',
				'Lœuvre',
				'Jean-Pierre',
				'Saint–Étienne'
			]}::text[]) as v`);
		const k = Object.fromEntries(keys.map((r) => [r.v, r.k]));
		for (const v of ['Helene  Zephyr', 'HÉLÈNE ZÉPHYR', 'He\u0301le\u0300ne Ze\u0301phyr', 'Hélène\u00a0Zéphyr'])
			expect(k[v]).toBe('helene zephyr');
		expect(k[" O'Neil "]).toBe('o neil');
		expect(k['O’Neil']).toBe('o neil');
		expect(k['Lœuvre']).toBe('loeuvre');
		expect(k['Jean-Pierre']).toBe('jean pierre');
		expect(k['Saint–Étienne']).toBe('saint etienne');
	});

	it('is not callable anonymously (403)', async () => {
		expect(await outcome(null, (tx) => tx`select private.identity_key('x')`)).toBe(403);
	});
});

describe('lookalikes: enrol form, quick-add, import', () => {
	it('finds « Hélène Zéphyr / Besançon » for every other spelling, the same e-mail or the same phone', async () => {
		const found = await asUserThenRollback(as.coordA, async (tx) => {
			await enrolCitizen(tx, A.id, person({ email: 'helene.z@exemple.test', phone: '+33612345678' }), consent);
			const look = (c: Partial<CitizenInput>) =>
				findLookalikes(tx, A.id, { display_name: 'Personne Autre', email: null, commune: 'Ailleurs', phone: null, ...c }).then((r) => r.length);
			return {
				plain: await look({ display_name: 'Helene  Zephyr', commune: 'Besancon' }),
				nfd: await look({ display_name: 'He\u0301le\u0300ne Ze\u0301phyr', commune: 'BESANÇON' }),
				email: await look({ email: ' Helene.Z@Exemple.test ' }),
				phone: await look({ phone: '+33612345678' }),
				otherCommune: await look({ display_name: 'Hélène Zéphyr', commune: 'Dole' }),
				nobody: await look({})
			};
		});
		expect(found).toEqual({ plain: 1, nfd: 1, email: 1, phone: 1, otherCommune: 0, nobody: 0 });
	});

	it('catches « O\'Neil » next to « O’Neil » and a double space', async () => {
		const r = await asUserThenRollback(as.coordA, async (tx) => {
			await enrolCitizen(tx, A.id, person({ display_name: "Sean O'Neil", commune: 'Lons' }), consent);
			const second = await enrolChecked(tx, A.id, person({ display_name: 'Sean  O’Neil', commune: 'Lons' }), consent, false);
			const confirmed = await enrolChecked(tx, A.id, person({ display_name: 'Sean  O’Neil', commune: 'Lons' }), consent, true);
			return { second: second.kind, confirmed: confirmed.kind };
		});
		expect(r).toEqual({ second: 'lookalikes', confirmed: 'enrolled' });
	});

	it('the quick-add at a workshop refuses « HELENE ZEPHYR / besancon » when « Hélène Zéphyr / Besançon » exists', async () => {
		const r = await asUserThenRollback(as.coordA, async (tx) => {
			await enrolCitizen(tx, A.id, person(), consent);
			const [w] = await tx<{ id: string }[]>`select id from public.workshops
				where territory_id = ${A.id} and status = 'held' order by starts_at desc limit 1`;
			const add = (display_name: string, commune: string) =>
				quickAddAttendee(tx, A.id, w.id, { display_name, commune, email: null, age_band: 'non_renseigne', consent: 'on' }, '2026-11-29');
			return { same: (await add('HELENE  ZEPHYR', 'besancon')).kind, other: (await add('Hélène Zéphyr', 'Dole')).kind };
		});
		expect(r).toEqual({ same: 'lookalikes', other: 'added' });
	});

	it('refuses « Helene  Zephyr;Besancon » on line 2, column nom, and a repeat inside the file', async () => {
		const file = 'nom;commune;source\r\nHelene  Zephyr;Besancon;atelier\r\nZoé Martin;Dole;atelier\r\nzoe  MARTIN;DOLE;atelier\r\n';
		const parsed = parseCitizensCsv(file, TODAY);
		expect(parsed.problems).toEqual([]);
		const problems = await asUserThenRollback(as.coordA, async (tx) => {
			await enrolCitizen(tx, A.id, person(), consent);
			return existingCitizenDuplicates(tx, A.id, parsed.rows);
		});
		expect(problems).toEqual([
			{ line: 2, column: 'nom', message: 'Déjà inscrit dans ce territoire : une personne a déjà ce nom dans cette commune (« Hélène Zéphyr », Besançon).' },
			{ line: 4, column: 'nom', message: 'Doublon dans le fichier : même nom et même commune qu’à la ligne 3 (accents, majuscules et espaces mis à part).' }
		]);
	});

	it('refuses a lieu already engaged, from the form and from the import, whatever the spelling', async () => {
		const r = await asUserThenRollback(as.coordA, async (tx) => {
			await createLieu(tx, A.id, lieu());
			const form = await createLieuChecked(tx, A.id, lieu({ name: 'Ecole  Jules-Ferry', commune: 'BESANCON' }));
			const other = await createLieuChecked(tx, A.id, lieu({ commune: 'Dole' }));
			const parsed = parseLieuxCsv('nom;type;commune\nécole jules ferry;école;Besançon\nLa Forge;autre;Dole\nLA  FORGE;autre;dole\n', TODAY);
			return { form, other: other.kind, imported: await existingLieuDuplicates(tx, A.id, parsed.rows) };
		});
		expect(r.form.kind).toBe('duplicate');
		expect(r.other).toBe('created');
		expect(r.imported.map((p) => [p.line, p.column])).toEqual([
			[2, 'nom'],
			[4, 'nom']
		]);
	});
});

describe('lieu edit', () => {
	it('refuses renaming a lieu into another one of the same commune, but keeps its own name', async () => {
		const r = await asUserThenRollback(as.coordA, async (tx) => {
			await createLieu(tx, A.id, lieu({ name: 'La Forge' }));
			const id = await createLieu(tx, A.id, lieu({ name: 'Le Fournil' }));
			const edit = (name: string) => updateLieuChecked(tx, A.id, id, { ...lieu({ name }), version: 1 });
			const clash = await edit('la  forge');
			const same = await edit('Le  Fournil');
			return { clash: clash.kind, same: same.kind };
		});
		expect(r).toEqual({ clash: 'duplicate', same: 'updated' });
	});
});

/**
 * These tests must commit (parallel transactions): afterwards, their rows and every audit event
 * written since `since` in territory A (inserts, consent events, the deletion's own) are removed,
 * so that the demo data stays as other test files expect it.
 */
let since: Date;
async function removeCommitted(remove: (tx: Tx) => Promise<unknown>) {
	await asService(async (tx) => {
		await remove(tx);
		await tx`delete from public.audit_events where territory_id = ${A.id} and at >= ${since}`;
	});
}

describe('concurrency: lookalike checks hold', () => {
	beforeEach(async () => {
		[{ now: since }] = await asService((tx) => tx<{ now: Date }[]>`select clock_timestamp() as now`);
	});

	it('10 parallel enrolments of the same name and commune give one record and nine lookalike answers', async () => {
		const name = `Parallèle ${Date.now()}`;
		try {
			const results = await Promise.all(
				Array.from({ length: 10 }, (_, i) =>
					asUser(as.coordA, (tx) =>
						enrolChecked(tx, A.id, person({ display_name: i % 2 ? name.toUpperCase() : name, commune: 'Besançon' }), consent, false)
					)
				)
			);
			expect(results.filter((r) => r.kind === 'enrolled')).toHaveLength(1);
			expect(results.filter((r) => r.kind === 'lookalikes')).toHaveLength(9);
			const [{ n }] = await asService((tx) => tx`select count(*)::int as n from public.citizens
				where territory_id = ${A.id} and name_key = private.identity_key(${name})`);
			expect(n).toBe(1);
		} finally {
			await removeCommitted((tx) => tx`delete from public.citizens where territory_id = ${A.id} and name_key = private.identity_key(${name})`);
		}
	});

	it('5 parallel identical lieux give one lieu', async () => {
		const name = `Lieu parallèle ${Date.now()}`;
		try {
			const results = await Promise.all(
				Array.from({ length: 5 }, () => asUser(as.coordA, (tx) => createLieuChecked(tx, A.id, lieu({ name }))))
			);
			expect(results.filter((r) => r.kind === 'created')).toHaveLength(1);
			expect(results.filter((r) => r.kind === 'duplicate')).toHaveLength(4);
		} finally {
			await removeCommitted((tx) => tx`delete from public.lieux where territory_id = ${A.id} and name = ${name}`);
		}
	});
});

describe('search as typed', () => {
	it('finds « Hélène Zéphyr » by « zephyr », « Besancon », and « Léa Cordier » by « lea c », in lists and the roster', async () => {
		const r = await asUserThenRollback(as.coordA, async (tx) => {
			await enrolCitizen(tx, A.id, person(), consent);
			await enrolCitizen(tx, A.id, person({ display_name: 'Léa Cordier', commune: 'Dole' }), consent);
			const names = async (q: string) =>
				(await listCitizens(tx, A.id, filters(q), { offset: 0, limit: 50 })).map((c) => c.display_name);
			const [w] = await tx<{ id: string }[]>`select id from public.workshops where territory_id = ${A.id} limit 1`;
			const roster = (await searchCheckInCandidates(tx, A.id, w.id, 'zephyr')).map((c) => c.display_name);
			await createLieu(tx, A.id, lieu({ name: 'Médiathèque Œuvre', commune: 'Besançon' }));
			const lieux = (await listLieux(tx, A.id, { q: 'mediatheque oeuvre', kind: null, status: null }, 10, 0)).map((l) => l.name);
			return { zephyr: await names('zephyr'), besancon: await names('Besancon'), leac: await names('lea c'), roster, lieux };
		});
		expect(r.zephyr).toEqual(['Hélène Zéphyr']);
		expect(r.besancon).toContain('Hélène Zéphyr');
		expect(r.leac).toEqual(['Léa Cordier']);
		expect(r.roster).toEqual(['Hélène Zéphyr']);
		expect(r.lieux).toEqual(['Médiathèque Œuvre']);
	});

	it('shows nothing of territory A to B’s coordinator, whatever the search', async () => {
		const seen = await asUserThenRollback(as.coordA, (tx) => enrolCitizen(tx, A.id, person(), consent)).then(() =>
			asUserThenRollback(as.coordB, (tx) => listCitizens(tx, A.id, filters(''), { offset: 0, limit: 5 }))
		);
		expect(seen).toEqual([]);
	});

	it('uses the trigram index for a name search at the size of the registry', async () => {
		const plan = await asService(async (tx) => {
			await tx`set local enable_seqscan = off`;
			return tx.unsafe(`explain select id from public.citizens c where c.name_key like '%' || private.identity_key('zephyr') || '%'`);
		});
		expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/citizens_name_key_trgm_idx/);
	});
});

describe('French order', () => {
	it('lists lieux « Abbaye, école, Écomusée, Ferme, Zèbre » on the page query and in the CSV export', async () => {
		const r = await asUserThenRollback(as.coordA, async (tx) => {
			for (const name of ['Zèbre', 'Ferme', 'école', 'Écomusée', 'Abbaye']) await createLieu(tx, A.id, lieu({ name, commune: 'Ordreville' }));
			const page = (await listLieux(tx, A.id, { q: 'Ordreville', kind: null, status: null }, 10, 0)).map((l) => l.name);
			const csv = (await exportLieux(tx, A.id)).filter((l) => l.commune === 'Ordreville').map((l) => lieuCsvRow(l)[0]);
			return { page, csv };
		});
		expect(r.page).toEqual(['Abbaye', 'école', 'Écomusée', 'Ferme', 'Zèbre']);
		expect(r.csv).toEqual(['Abbaye', 'école', 'Écomusée', 'Ferme', 'Zèbre']);
	});

	it('lists « Pays des Étangs Clairs » before « Pays des Trois Rivières »', async () => {
		const names = (await asUserThenRollback(as.facilitator, (tx) => territoryFigures(tx, TODAY))).map((t) => t.name);
		const etangs = names.findIndex((n) => n.startsWith('Pays des Étangs Clairs'));
		const rivieres = names.findIndex((n) => n.startsWith('Pays des Trois Rivières'));
		expect(etangs).toBeGreaterThanOrEqual(0);
		expect(etangs).toBeLessThan(rivieres);
		expect([...names].sort((a, b) => a.localeCompare(b, 'fr'))).toEqual(names);
	});
});

describe('phones and a Windows-1252 file, stored exactly', () => {
	it('stores « 06 12 34 56 78 » (no-break spaces) and « +33 (0)6 12 34 56 78 » as one canonical number', async () => {
		const stored = await asUserThenRollback(as.coordA, async (tx) => {
			const out: string[] = [];
			for (const phone of ['06\u00a012\u00a034\u00a056\u00a078', '+33 (0)6 12 34 56 78']) {
				const c = CitizenSchema.parse({ ...person({ display_name: `Tel ${out.length}` }), email: '', postal_code: '', phone, is_societaire: '' });
				const id = await enrolCitizen(tx, A.id, c, consent);
				const [row] = await tx<{ phone: string }[]>`select phone from public.citizens where id = ${id}`;
				out.push(row.phone);
			}
			return out;
		});
		expect(stored).toEqual(['+33612345678', '+33612345678']);
	});

	it('keeps every stored phone canonical (E.164), and rewrites older French spellings', async () => {
		const [r] = await asService((tx) => tx`
			select (select count(*)::int from public.citizens where phone !~ '^[+][1-9][0-9]{6,14}$') as citizens,
			       (select count(*)::int from public.lieux where contact_phone !~ '^[+][1-9][0-9]{6,14}$') as lieux,
			       private.canonical_french_phone('06.12.34.56.78') as dotted,
			       private.canonical_french_phone('+33 (0)6 12 34 56 78') as trunk,
			       private.canonical_french_phone('06 92 12 34 56') as reunion,
			       private.canonical_french_phone('+41 79 123 45 67') as foreign`);
		expect(r).toEqual({ citizens: 0, lieux: 0, dotted: '+33612345678', trunk: '+33612345678', reunion: '+262692123456', foreign: '+41 79 123 45 67' });
	});

	it('imports a Windows-1252 file with « Lœuvre », « L’Œuvre commune », « 12 rue de l’Église », « 41–60 ans » exactly', async () => {
		const citizens = iconv.encode('nom;commune;tranche_age;source\r\nCamille Lœuvre;L’Œuvre commune;41–60 ans;atelier\r\n', 'win1252');
		const lieux = iconv.encode('nom;type;commune;adresse\r\nL’Œuvre commune;association;Besançon;12 rue de l’Église\r\n', 'win1252');
		const r = await asUserThenRollback(as.coordA, async (tx: Tx) => {
			const c = decodeCsv(citizens);
			const l = decodeCsv(lieux);
			if (!c.ok || !l.ok) throw new Error('not decoded');
			const pc = parseCitizensCsv(c.text, TODAY);
			const pl = parseLieuxCsv(l.text, TODAY);
			await importCitizens(tx, A.id, pc.rows.map((x) => x.data), consent);
			await importLieux(tx, A.id, pl.rows.map((x) => x.data));
			const [citizen] = await tx`select display_name, commune, age_band from public.citizens where territory_id = ${A.id} and display_name = 'Camille Lœuvre'`;
			const [place] = await tx`select name, address from public.lieux where territory_id = ${A.id} and name = 'L’Œuvre commune'`;
			return { encoding: c.encoding, citizen, place };
		});
		expect(r.encoding).toBe('windows-1252');
		expect(r.citizen).toEqual({ display_name: 'Camille Lœuvre', commune: 'L’Œuvre commune', age_band: '41_60' });
		expect(r.place).toEqual({ name: 'L’Œuvre commune', address: '12 rue de l’Église' });
	});
});
