/**
 * CSV import and export of citizens and lieux — pure functions, no I/O.
 *
 * The file a coordinator gets from « Exporter » is the file « Importer » takes back: same French
 * column names, `;` separator, UTF-8 with BOM (what French Excel opens correctly). On import we
 * accept `;` or `,`, UTF-8 with or without BOM (and Windows-1252, what older Excel writes), enum
 * values as French labels or codes, dates as AAAA-MM-JJ or JJ/MM/AAAA. Every row is validated with
 * the same zod schemas as the forms; problems are reported by spreadsheet line (the header is
 * line 1) and column, in French.
 */
import Papa from 'papaparse';
import { formatPhone } from './contact';
import { plural } from './french';
import * as field from './fields';
import {
	AGE_BAND_LABEL_FR,
	CitizenSchema,
	SOURCE_LABEL_FR,
	type AgeBand,
	type CitizenInput,
	type CitizenRow,
	type CitizenSource
} from './citizens';
import {
	LIEU_KIND_LABEL_FR,
	LIEU_STATUS_LABEL_FR,
	LieuSchema,
	type LieuInput,
	type LieuKind,
	type LieuStatus
} from './lieux';

export type CsvKind = 'citoyens' | 'lieux';

export const MAX_CSV_BYTES = 2 * 1024 * 1024;
export const MAX_CSV_ROWS = 5000;
export const BOM = '\uFEFF';

/** One problem of an imported file: spreadsheet line (1 = header; null = the whole file), column. */
export interface CsvProblem {
	line: number | null;
	column: string | null;
	message: string;
}

export interface CsvRow<T> {
	line: number;
	data: T;
}

export interface CsvResult<T> {
	rows: CsvRow<T>[];
	problems: CsvProblem[];
	/** Rows not imported on purpose (citizens marked « retiré » or « effacé »). */
	skipped: number;
}

interface ColumnSpec {
	/** The column name in files (header), snake_case French. */
	name: string;
	/** Other header spellings accepted on import (compared without accents or case). */
	aliases?: string[];
	/** The column must be in the header. */
	required?: boolean;
	/** What to put there, for the page that explains the format. */
	help: string;
}

const labels = (map: Record<string, string>) => Object.values(map).join(', ');

export const CITIZEN_COLUMNS: readonly ColumnSpec[] = [
	{ name: 'nom', aliases: ['nom_affiche', 'name'], required: true, help: 'Nom affiché, obligatoire (ex. « Camille R. »).' },
	{ name: 'email', aliases: ['e_mail', 'courriel', 'mail'], help: 'Adresse e-mail, facultative.' },
	{ name: 'telephone', aliases: ['tel', 'phone'], help: 'Téléphone, facultatif.' },
	{ name: 'commune', aliases: ['ville'], help: 'Commune, facultative.' },
	{ name: 'code_postal', aliases: ['cp'], help: 'Code postal à 5 chiffres, facultatif.' },
	{ name: 'tranche_age', aliases: ['tranche_d_age', 'age'], help: `${labels(AGE_BAND_LABEL_FR)} (vide : non renseigné).` },
	{ name: 'source', required: true, help: `Obligatoire : ${labels(SOURCE_LABEL_FR)}.` },
	{ name: 'societaire', aliases: ['est_societaire'], help: 'oui ou non (vide : non).' },
	{ name: 'inscrit_le', aliases: ['date_inscription', 'date_d_inscription', 'inscription'], help: 'Date AAAA-MM-JJ ou JJ/MM/AAAA (vide : aujourd’hui).' },
	{ name: 'statut', aliases: ['status'], help: 'actif (ou vide). Les lignes « retiré » ou « effacé » d’un export sont ignorées : personne n’est réinscrit sans son consentement.' }
];

export const LIEU_COLUMNS: readonly ColumnSpec[] = [
	{ name: 'nom', aliases: ['name', 'nom_du_lieu'], required: true, help: 'Nom du lieu, obligatoire.' },
	{ name: 'type', aliases: ['type_de_lieu', 'kind'], required: true, help: `Obligatoire : ${labels(LIEU_KIND_LABEL_FR)}.` },
	{ name: 'commune', aliases: ['ville'], required: true, help: 'Commune, obligatoire.' },
	{ name: 'adresse', aliases: ['address'], help: 'Adresse, facultative.' },
	{ name: 'contact_nom', help: 'Nom de la personne de contact, facultatif.' },
	{ name: 'contact_email', aliases: ['contact_courriel'], help: 'E-mail du contact, facultatif.' },
	{ name: 'contact_telephone', aliases: ['contact_tel'], help: 'Téléphone du contact, facultatif.' },
	{ name: 'engage_le', aliases: ['inscrit_le', 'date_engagement', 'date_d_engagement'], help: 'Date AAAA-MM-JJ ou JJ/MM/AAAA (vide : aujourd’hui).' },
	{ name: 'statut', aliases: ['status'], help: `${labels(LIEU_STATUS_LABEL_FR)} (vide : actif).` }
];

export const COLUMNS: Record<CsvKind, readonly ColumnSpec[]> = { citoyens: CITIZEN_COLUMNS, lieux: LIEU_COLUMNS };

/** Lower case, no accents, anything else than letters and digits becomes `_`. */
export function normalizeKey(value: string): string {
	return value
		.normalize('NFD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '_')
		.replace(/^_+|_+$/g, '');
}

/** Enum values match by code or French label, whatever the accents, case, dashes, « ans » or « de ». */
const enumKey = (value: string) => normalizeKey(value).replace(/_ans$/, '').replace(/_de_/g, '_');

function enumLookup<K extends string>(map: Record<K, string>, extra: Record<string, K> = {}) {
	const lookup = new Map<string, K>();
	for (const [code, label] of Object.entries(map) as [K, string][]) {
		lookup.set(enumKey(code), code);
		lookup.set(enumKey(label), code);
	}
	for (const [alias, code] of Object.entries(extra)) lookup.set(enumKey(alias), code);
	return (value: string) => lookup.get(enumKey(value));
}

const ageBandOf = enumLookup<AgeBand>(AGE_BAND_LABEL_FR);
const sourceOf = enumLookup<CitizenSource>(SOURCE_LABEL_FR, { evenement: 'event', partenaire: 'partner' });
const lieuKindOf = enumLookup<LieuKind>(LIEU_KIND_LABEL_FR, { tiers_lieux: 'tiers_lieu', tierslieu: 'tiers_lieu', bibliotheque: 'mediatheque' });
const lieuStatusOf = enumLookup<LieuStatus>(LIEU_STATUS_LABEL_FR, { actif: 'active', inactif: 'inactive', desactive: 'inactive' });
const CITIZEN_STATUS: Record<string, 'import' | 'skip'> = {
	actif: 'import',
	active: 'import',
	retire: 'skip',
	withdrawn: 'skip',
	efface: 'skip',
	erased: 'skip'
};
const YES = new Set(['oui', 'o', 'vrai', 'true', '1', 'x', 'yes']);
const NO = new Set(['non', 'n', 'faux', 'false', '0', 'no']);

/** `;` (French Excel), `,` or tab (« Texte Unicode »): whichever the header line has most of. */
export function detectDelimiter(text: string): ';' | ',' | '\t' {
	const header = text.slice(0, text.search(/\r?\n|$/));
	const count = (c: string) => header.split(c).length - 1;
	const tabs = count('\t');
	if (tabs > count(';') && tabs > count(',')) return '\t';
	return count(',') > count(';') ? ',' : ';';
}

/** A date as AAAA-MM-JJ, from AAAA-MM-JJ or JJ/MM/AAAA (or JJ-MM-AAAA, JJ.MM.AAAA): the rule of fields.ts. */
export const parseDateFr = field.parseDateFr;

/** Why a typed date cell is refused: a date the calendar does not have (fields.ts), or not written like a date. */
function unreadableDate(typed: string): string {
	const read = field.readDateFr(typed);
	return !read.ok && read.problem === 'nonexistent'
		? `Date « ${typed} » refusée. ${field.NONEXISTENT_DATE_MESSAGE}`
		: `Date « ${typed} » non valide : AAAA-MM-JJ ou JJ/MM/AAAA.`;
}

/** A cell as written: trimmed; the `'` our export puts before `=`, `+`, `-`, `@` (formula guard) removed. */
const cellValue = (raw: string | undefined) => {
	const v = (raw ?? '').trim();
	return /^'[=+\-@\t\r]/.test(v) ? v.slice(1) : v;
};

interface Table {
	columns: (string | null)[];
	rows: { line: number; cells: string[] }[];
	problems: CsvProblem[];
}

/** Splits the text into header + non-empty rows, maps header names to our columns. */
function readTable(text: string, specs: readonly ColumnSpec[]): Table {
	const problems: CsvProblem[] = [];
	const clean = text.startsWith(BOM) ? text.slice(1) : text;
	if (clean.trim() === '') return { columns: [], rows: [], problems: [{ line: null, column: null, message: 'Le fichier est vide.' }] };
	const parsed = Papa.parse<string[]>(clean, { delimiter: detectDelimiter(clean), header: false, skipEmptyLines: false });
	for (const e of parsed.errors) {
		if (e.type === 'Delimiter') continue;
		problems.push({
			line: e.row === undefined ? null : e.row + 1,
			column: null,
			message:
				e.type === 'Quotes'
					? 'Guillemets mal fermés : vérifiez les cellules qui contiennent des guillemets « " ».'
					: 'Cette ligne n’a pas pu être lue.'
		});
	}
	const [header = [], ...data] = parsed.data;
	const byKey = new Map<string, string>();
	for (const s of specs) for (const k of [s.name, ...(s.aliases ?? [])]) byKey.set(normalizeKey(k), s.name);
	const seen = new Set<string>();
	const columns = header.map((h) => {
		const raw = cellValue(h);
		if (raw === '') return null;
		const name = byKey.get(normalizeKey(raw));
		if (!name) {
			problems.push({
				line: 1,
				column: raw,
				message: `Colonne inconnue. Colonnes attendues : ${specs.map((s) => s.name).join(', ')}.`
			});
			return null;
		}
		if (seen.has(name)) problems.push({ line: 1, column: name, message: 'Cette colonne apparaît deux fois.' });
		seen.add(name);
		return name;
	});
	for (const s of specs)
		if (s.required && !seen.has(s.name))
			problems.push({ line: 1, column: s.name, message: 'Colonne obligatoire absente de la première ligne (en-tête).' });
	const rows = data
		.map((cells, i) => ({ line: i + 2, cells }))
		.filter((r) => r.cells.some((c) => c.trim() !== ''));
	if (rows.length === 0 && problems.length === 0)
		problems.push({ line: null, column: null, message: 'Le fichier ne contient aucune ligne sous l’en-tête.' });
	if (rows.length > MAX_CSV_ROWS)
		problems.push({
			line: null,
			column: null,
			message: `Le fichier contient ${rows.length} lignes : le maximum est ${MAX_CSV_ROWS}. Découpez-le en plusieurs fichiers.`
		});
	return { columns, rows, problems };
}

/** The row as `column name → value`; cells beyond the header are a problem. */
function cellsOf(table: Table, row: { line: number; cells: string[] }, problems: CsvProblem[]) {
	const values: Record<string, string> = {};
	row.cells.forEach((cell, i) => {
		const column = table.columns[i];
		if (column) values[column] = cellValue(cell);
		else if (i >= table.columns.length && cell.trim() !== '')
			problems.push({ line: row.line, column: null, message: `Cellule « ${cell.trim().slice(0, 40)} » hors des colonnes de l’en-tête.` });
	});
	return values;
}

/** Runs the zod schema and reports its issues under the file's column names. */
function validate<T>(
	schema: { safeParse: (v: unknown) => { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } },
	input: Record<string, string>,
	columnOf: Record<string, string>,
	line: number,
	problems: CsvProblem[],
	already: Set<string>
): T | null {
	const result = schema.safeParse(input);
	if (result.success) return already.size === 0 ? result.data : null;
	for (const issue of result.error.issues) {
		const column = columnOf[String(issue.path[0])] ?? null;
		if (column && already.has(column)) continue;
		if (column) already.add(column);
		problems.push({ line, column, message: issue.message });
	}
	return null;
}

/** What a row reader is given: the row's cells by column name, and ways to report its problems. */
interface RowReader {
	v: Record<string, string>;
	/** A problem in this column; zod's issue for the same column is then not repeated. */
	report: (column: string, message: string) => void;
	/** The schema's verdict, its issues reported under the file's column names. */
	check: <T>(schema: Parameters<typeof validate<T>>[0], input: Record<string, string>, columnOf: Record<string, string>) => T | null;
}

/** A row the file marks as not to import (e.g. a citizen who withdrew). */
const SKIP = Symbol('skip');

/**
 * Reads a CSV of `specs` columns: each row through `readRow`, problems by line and column.
 * Duplicates (inside the file and against the registry) are the database's identity rule's to
 * find: src/lib/server/import (`existingCitizenDuplicates`, `existingLieuDuplicates`).
 */
function parseCsv<T>(
	text: string,
	specs: readonly ColumnSpec[],
	readRow: (row: RowReader) => T | null | typeof SKIP
): CsvResult<T> {
	const table = readTable(text, specs);
	const problems = [...table.problems];
	if (problems.length > 0) return { rows: [], problems, skipped: 0 };
	const rows: CsvRow<T>[] = [];
	let skipped = 0;
	for (const row of table.rows) {
		const bad = new Set<string>();
		const data = readRow({
			v: cellsOf(table, row, problems),
			report: (column, message) => {
				bad.add(column);
				problems.push({ line: row.line, column, message });
			},
			check: (schema, input, columnOf) => validate(schema, input, columnOf, row.line, problems, bad)
		});
		if (data === SKIP) skipped++;
		else if (data) rows.push({ line: row.line, data });
	}
	return { rows, problems: sortProblems(problems), skipped };
}

const CITIZEN_FIELD_COLUMN: Record<string, string> = {
	display_name: 'nom',
	email: 'email',
	phone: 'telephone',
	commune: 'commune',
	postal_code: 'code_postal',
	age_band: 'tranche_age',
	source: 'source',
	is_societaire: 'societaire',
	enrolled_at: 'inscrit_le'
};

/**
 * Reads a citizens CSV: every row validated with CitizenSchema, problems by line and column.
 * `today` fills an empty `inscrit_le`.
 */
export function parseCitizensCsv(text: string, today: string): CsvResult<CitizenInput> {
	return parseCsv(
		text,
		CITIZEN_COLUMNS,
		({ v, report, check }) => {
			const status = v.statut ? CITIZEN_STATUS[normalizeKey(v.statut)] : 'import';
			if (!status) report('statut', 'Statut inconnu : actif (ou vide) ; « retiré » et « effacé » sont ignorés.');
			else if (status === 'skip') return SKIP;
			const age = v.tranche_age ? ageBandOf(v.tranche_age) : 'non_renseigne';
			if (!age) report('tranche_age', `Tranche d’âge « ${v.tranche_age} » inconnue. Valeurs possibles : ${labels(AGE_BAND_LABEL_FR)}.`);
			const source = v.source ? sourceOf(v.source) : undefined;
			if (!v.source) report('source', `Source manquante. Valeurs possibles : ${labels(SOURCE_LABEL_FR)}.`);
			else if (!source) report('source', `Source « ${v.source} » inconnue. Valeurs possibles : ${labels(SOURCE_LABEL_FR)}.`);
			const societaire = normalizeKey(v.societaire ?? '');
			if (societaire && !YES.has(societaire) && !NO.has(societaire))
				report('societaire', `« ${v.societaire} » : indiquez oui ou non.`);
			const enrolled = v.inscrit_le ? parseDateFr(v.inscrit_le) : today;
			if (!enrolled) report('inscrit_le', unreadableDate(v.inscrit_le));
			else if (field.dateBoundsProblem(enrolled, 'enrolment', today))
				report('inscrit_le', `Date « ${v.inscrit_le} » refusée. ${field.dateBoundsProblem(enrolled, 'enrolment', today)}`);
			return check<CitizenInput>(
				CitizenSchema,
				{
					display_name: v.nom ?? '',
					email: v.email ?? '',
					phone: fixExcelPhone(v.telephone ?? ''),
					commune: v.commune ?? '',
					postal_code: fixExcelPostalCode(v.code_postal ?? ''),
					age_band: age ?? 'non_renseigne',
					source: source ?? 'workshop',
					is_societaire: YES.has(societaire) ? 'oui' : 'non',
					enrolled_at: enrolled ?? today
				},
				CITIZEN_FIELD_COLUMN
			);
		}
	);
}

const LIEU_FIELD_COLUMN: Record<string, string> = {
	name: 'nom',
	kind: 'type',
	commune: 'commune',
	address: 'adresse',
	contact_name: 'contact_nom',
	contact_email: 'contact_email',
	contact_phone: 'contact_telephone',
	enrolled_at: 'engage_le',
	status: 'statut'
};

/** Reads a lieux CSV, like parseCitizensCsv. */
export function parseLieuxCsv(text: string, today: string): CsvResult<LieuInput> {
	return parseCsv(
		text,
		LIEU_COLUMNS,
		({ v, report, check }) => {
			const kind = v.type ? lieuKindOf(v.type) : undefined;
			if (!v.type) report('type', `Type manquant. Valeurs possibles : ${labels(LIEU_KIND_LABEL_FR)}.`);
			else if (!kind) report('type', `Type « ${v.type} » inconnu. Valeurs possibles : ${labels(LIEU_KIND_LABEL_FR)}.`);
			const status = v.statut ? lieuStatusOf(v.statut) : 'active';
			if (!status) report('statut', `Statut « ${v.statut} » inconnu : actif ou inactif.`);
			const enrolled = v.engage_le ? parseDateFr(v.engage_le) : today;
			if (!enrolled) report('engage_le', unreadableDate(v.engage_le));
			else if (field.dateBoundsProblem(enrolled, 'enrolment', today))
				report('engage_le', `Date « ${v.engage_le} » refusée. ${field.dateBoundsProblem(enrolled, 'enrolment', today)}`);
			return check<LieuInput>(
				LieuSchema,
				{
					name: v.nom ?? '',
					kind: kind ?? 'autre',
					commune: v.commune ?? '',
					address: v.adresse ?? '',
					contact_name: v.contact_nom ?? '',
					contact_email: v.contact_email ?? '',
					contact_phone: fixExcelPhone(v.contact_telephone ?? ''),
					enrolled_at: enrolled ?? today,
					status: status ?? 'active'
				},
				LIEU_FIELD_COLUMN
			);
		}
	);
}

/** Excel drops the leading 0 of « 01000 »: a 4-digit postal code gets it back. */
export const fixExcelPostalCode = (v: string) => (/^\d{4}$/.test(v.trim()) ? `0${v.trim()}` : v);
/** …and of « 0612345678 »: a 9-digit number without separators gets it back. */
export const fixExcelPhone = (v: string) => (/^[1-9]\d{8}$/.test(v.trim()) ? `0${v.trim()}` : v);

export function sortProblems(problems: CsvProblem[]): CsvProblem[] {
	return [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

// ============ export ============

/** Our CSV: UTF-8 with BOM, `;`, CRLF, French header; cells that Excel would run as formulas are guarded. */
export function toCsv(kind: CsvKind, rows: string[][]): string {
	const fields = COLUMNS[kind].map((c) => c.name);
	const body = Papa.unparse({ fields, data: rows }, { delimiter: ';', newline: '\r\n', escapeFormulae: true });
	return `${BOM}${body.replace(/\r\n$/, '')}\r\n`;
}

/** What the export needs of a citizen: no ids, and whether the person was erased. */
export type CitizenExportRow = Omit<
	CitizenRow,
	'id' | 'territory_id' | 'withdrawn_at' | 'erased_at' | 'created_at' | 'updated_at' | 'version'
> & { erased: boolean };

/** A citizen as a CSV row, labels in French. An erased person keeps no personal data here either. */
export function citizenCsvRow(c: CitizenExportRow): string[] {
	const personal = c.erased ? ['', '', '', '', ''] : [c.display_name ?? '', c.email ?? '', formatPhone(c.phone), c.commune ?? '', c.postal_code ?? ''];
	return [
		...personal,
		AGE_BAND_LABEL_FR[c.age_band],
		SOURCE_LABEL_FR[c.source],
		c.is_societaire ? 'oui' : 'non',
		c.enrolled_at,
		c.erased ? 'effacé' : c.status === 'withdrawn' ? 'retiré' : 'actif'
	];
}

export type LieuExportRow = LieuInput;

export function lieuCsvRow(l: LieuExportRow): string[] {
	return [
		l.name,
		LIEU_KIND_LABEL_FR[l.kind],
		l.commune,
		l.address,
		l.contact_name ?? '',
		l.contact_email ?? '',
		formatPhone(l.contact_phone),
		l.enrolled_at,
		LIEU_STATUS_LABEL_FR[l.status].toLowerCase()
	];
}

/** The empty file to fill in: the header line only. */
export const csvTemplate = (kind: CsvKind) => toCsv(kind, []);

/** « 3 citoyens importés », « 1 lieu importé ». */
export function importedNotice(kind: CsvKind, n: number): string {
	return kind === 'citoyens' ? plural(n, 'citoyen importé', 'citoyens importés') : plural(n, 'lieu importé', 'lieux importés');
}
