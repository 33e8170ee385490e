import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import {
	BOM,
	citizenCsvRow,
	csvTemplate,
	detectDelimiter,
	importedNotice,
	lieuCsvRow,
	MAX_CSV_ROWS,
	parseCitizensCsv,
	parseDateFr,
	parseLieuxCsv,
	toCsv
} from '../../src/lib/domain/csv';
import { decodeCsv } from '../../src/lib/domain/csv-decode';

const TODAY = '2026-11-29';
const HEADER = 'nom;email;telephone;commune;code_postal;tranche_age;source;societaire;inscrit_le';

/** The decoded text of a file that must decode. */
function textOf(d: ReturnType<typeof decodeCsv>): string {
	if (!d.ok) throw new Error(d.problem.message);
	return d.text;
}

describe('parseCitizensCsv: good rows', () => {
	it('reads a French Excel file (; separator) with labels and French dates', () => {
		const text = [
			HEADER,
			'Camille R.;camille@exemple.fr;06 12 34 56 78;Thiers;63300;26–40 ans;Atelier;oui;03/10/2026',
			'Noé B.;;;Ambert;;;Événement;non;2026-09-15'
		].join('\r\n');
		const result = parseCitizensCsv(text, TODAY);
		expect(result.problems).toEqual([]);
		expect(result.rows).toHaveLength(2);
		expect(result.rows[0]).toEqual({
			line: 2,
			data: {
				display_name: 'Camille R.',
				email: 'camille@exemple.fr',
				phone: '+33612345678',
				commune: 'Thiers',
				postal_code: '63300',
				age_band: '26_40',
				source: 'workshop',
				is_societaire: true,
				enrolled_at: '2026-10-03'
			}
		});
		expect(result.rows[1].data).toMatchObject({
			display_name: 'Noé B.',
			email: null,
			age_band: 'non_renseigne',
			source: 'event',
			is_societaire: false,
			enrolled_at: '2026-09-15'
		});
	});

	it('accepts a comma separator, codes instead of labels, headers in any case or with accents', () => {
		const text = 'Nom,E-mail,Téléphone,Commune,Code postal,Tranche âge,Source\nAnna,anna@exemple.fr,,Lyon,,18_25,online\n';
		const result = parseCitizensCsv(text, TODAY);
		expect(result.problems).toEqual([]);
		expect(result.rows[0].data).toMatchObject({ display_name: 'Anna', age_band: '18_25', source: 'online', enrolled_at: TODAY });
	});

	it('strips the UTF-8 BOM, and decodes Windows-1252 when the bytes are not UTF-8', () => {
		const utf8 = new TextEncoder().encode(`${BOM}${HEADER}\nÉlise;;;Besançon;;;partenaire;;\n`);
		const text = textOf(decodeCsv(utf8));
		expect(text.startsWith('nom;')).toBe(true);
		expect(parseCitizensCsv(text, TODAY).rows[0].data.display_name).toBe('Élise');
		// « Élise;;;Besançon » in Windows-1252: É = 0xC9, ç = 0xE7
		const latin = Uint8Array.from([...new TextEncoder().encode('nom;source\n'), 0xc9, ...new TextEncoder().encode('lise;atelier\n')]);
		expect(parseCitizensCsv(textOf(decodeCsv(latin)), TODAY).rows[0].data.display_name).toBe('Élise');
	});

	it('gives back the leading zeros Excel drops from postal codes and phone numbers', () => {
		const result = parseCitizensCsv(`${HEADER}\nLou;;612345678;Bourg;1000;;atelier;;`, TODAY);
		expect(result.problems).toEqual([]);
		expect(result.rows[0].data).toMatchObject({ phone: '+33612345678', postal_code: '01000' });
	});

	it('skips rows exported as withdrawn or erased: nobody is re-enrolled without consent', () => {
		const result = parseCitizensCsv(
			`${HEADER};statut\nA;;;;;;atelier;;;actif\n;;;;;;atelier;;;effacé\nB;;;;;;atelier;;;retiré\n`,
			TODAY
		);
		expect(result.problems).toEqual([]);
		expect(result.rows.map((r) => r.data.display_name)).toEqual(['A']);
		expect(result.skipped).toBe(2);
	});

	it('keeps spreadsheet line numbers across empty lines and multi-line cells (a line break in a name is refused)', () => {
		const text = `${HEADER}\n\n"Jean\nPierre";;;;;;atelier;;\nMarie;;;;;;inconnue;;\n`;
		const result = parseCitizensCsv(text, TODAY);
		expect(result.problems).toEqual([
			{ line: 3, column: 'nom', message: expect.stringContaining('caractère invisible') },
			{ line: 4, column: 'source', message: expect.stringContaining('« inconnue » inconnue') }
		]);
	});
});

describe('parseCitizensCsv: bad rows', () => {
	it('reports every bad row with its spreadsheet line, column and a French message', () => {
		const text = [
			HEADER,
			'Bon;bon@exemple.fr;;;;;atelier;;',
			';pas-un-email;12;;750;vieux;;peut-être;31/02/2026',
			'Autre;;;;;;atelier;;'
		].join('\n');
		const result = parseCitizensCsv(text, TODAY);
		const byColumn = Object.fromEntries(result.problems.map((p) => [p.column, p]));
		expect(result.problems.every((p) => p.line === 3)).toBe(true);
		expect(Object.keys(byColumn).sort()).toEqual(
			['code_postal', 'email', 'inscrit_le', 'nom', 'societaire', 'source', 'telephone', 'tranche_age'].sort()
		);
		expect(byColumn.nom.message).toMatch(/nom affiché/);
		expect(byColumn.email.message).toMatch(/n’est pas valide/);
		expect(byColumn.source.message).toMatch(/Source manquante/);
		expect(byColumn.inscrit_le.message).toMatch(/31\/02\/2026/);
		// the good rows are still read, but the caller writes nothing while there are problems
		expect(result.rows.map((r) => r.line)).toEqual([2, 4]);
	});

	it('leaves duplicates to the database’s identity rule (tests/db/identity.test.ts)', () => {
		const text = [
			HEADER,
			'Ana;ana@exemple.fr;;Rodez;;;atelier;;',
			'Ana Bis;ANA@exemple.fr;;Albi;;;atelier;;',
			'ana ;;;rodez;;;atelier;;',
			'Ana;;;Millau;;;atelier;;'
		].join('\n');
		const result = parseCitizensCsv(text, TODAY);
		expect(result.problems).toEqual([]);
		expect(result.rows.map((r) => r.line)).toEqual([2, 3, 4, 5]);
	});

	it('refuses a header with an unknown or missing required column', () => {
		const result = parseCitizensCsv('nom;courriel;age_du_capitaine\nA;a@b.fr;42', TODAY);
		expect(result.rows).toEqual([]);
		expect(result.problems).toEqual([
			{ line: 1, column: 'age_du_capitaine', message: expect.stringContaining('Colonne inconnue') },
			{ line: 1, column: 'source', message: expect.stringContaining('Colonne obligatoire absente') }
		]);
	});

	it('refuses an empty file, a header alone, and more than 5,000 rows', () => {
		expect(parseCitizensCsv('', TODAY).problems[0].message).toBe('Le fichier est vide.');
		expect(parseCitizensCsv(`${HEADER}\n`, TODAY).problems[0].message).toMatch(/aucune ligne/);
		const big = [HEADER, ...Array.from({ length: MAX_CSV_ROWS + 1 }, (_, i) => `P${i};;;;;;atelier;;`)].join('\n');
		const result = parseCitizensCsv(big, TODAY);
		expect(result.rows).toEqual([]);
		expect(result.problems[0].message).toMatch(/5001 lignes : le maximum est 5000/);
	});

	it('reports cells outside the header and unterminated quotes', () => {
		const extra = parseCitizensCsv(`nom;source\nA;atelier;en trop\nB;atelier`, TODAY);
		expect(extra.problems.map((p) => [p.line, p.message.slice(0, 20)])).toEqual([[2, 'Cellule « en trop » ']]);
		// a broken quote breaks the structure of what follows: it is reported alone
		const quotes = parseCitizensCsv(`nom;source\nA;atelier\nB;"atelier`, TODAY);
		expect(quotes.problems.map((p) => [p.line, p.message.slice(0, 20)])).toEqual([[3, 'Guillemets mal fermé']]);
	});
});

describe('parseLieuxCsv', () => {
	const LH = 'nom;type;commune;adresse;contact_nom;contact_email;contact_telephone;engage_le;statut';
	it('reads labels or codes, status, contact person', () => {
		const text = `${LH}\nLa Fabrique;Tiers-lieu;Thiers;1 rue Haute;Lou M.;lou@exemple.fr;0473000000;01/03/2026;actif\nMédiathèque de Riom;mediatheque;Riom;;;;;;inactif`;
		const result = parseLieuxCsv(text, TODAY);
		expect(result.problems).toEqual([]);
		expect(result.rows.map((r) => [r.line, r.data.kind, r.data.status, r.data.enrolled_at])).toEqual([
			[2, 'tiers_lieu', 'active', '2026-03-01'],
			[3, 'mediatheque', 'inactive', TODAY]
		]);
	});

	it('reports bad rows and duplicates by line and column', () => {
		const text = `${LH}\nA;piscine;;;;pas-mail;;;\nCafé du Coin;café;Riom;;;;;;\ncafe du coin;autre;RIOM;;;;;;`;
		const result = parseLieuxCsv(text, TODAY);
		expect(result.problems.map((p) => [p.line, p.column])).toEqual([
			[2, 'type'],
			[2, 'commune'],
			[2, 'contact_email']
		]);
	});
});

describe('export', () => {
	it('writes UTF-8 with BOM, ; separator, French header, and guards formulas', () => {
		const csv = toCsv('lieux', [lieuCsvRow({ name: '=SOMME(A1)', kind: 'cafe', commune: 'Riom', address: '', contact_name: null, contact_email: null, contact_phone: '+33 4 73 00 00 00', enrolled_at: '2026-03-01', status: 'active' })]);
		expect(csv.startsWith(`${BOM}nom;type;commune;`)).toBe(true);
		expect(csv).toContain(`"'=SOMME(A1)";Café;Riom`);
		expect(csvTemplate('citoyens')).toBe(`${BOM}${HEADER};statut\r\n`);
	});

	it('round-trips: an exported file imports back to the same data', () => {
		const citizens = [
			{ display_name: 'Zoé; « la fée »', email: 'zoe@exemple.fr', phone: '+33600000000', commune: 'Riom', postal_code: '63200', age_band: '61_75' as const, source: 'partner' as const, is_societaire: true, enrolled_at: '2026-04-02', status: 'active' as const, erased: false },
			{ display_name: null, email: null, phone: null, commune: 'Riom', postal_code: null, age_band: 'non_renseigne' as const, source: 'online' as const, is_societaire: false, enrolled_at: '2026-04-03', status: 'active' as const, erased: true }
		];
		const csv = toCsv('citoyens', citizens.map(citizenCsvRow));
		expect(csv.split('\r\n')[2]).toBe(';;;;;Non renseigné;En ligne;non;2026-04-03;effacé');
		const back = parseCitizensCsv(textOf(decodeCsv(new TextEncoder().encode(csv))), TODAY);
		expect(back.problems).toEqual([]);
		expect(back.skipped).toBe(1);
		const { status: _s, erased: _e, ...expected } = citizens[0];
		expect(back.rows[0].data).toEqual(expected);

		const lieu = { name: 'Le Bercail', kind: 'association' as const, commune: 'Ambert', address: '2, place « du Marché »', contact_name: 'Jo', contact_email: 'jo@exemple.fr', contact_phone: '+33473000000', enrolled_at: '2026-05-06', status: 'inactive' as const };
		const lieuBack = parseLieuxCsv(toCsv('lieux', [lieuCsvRow(lieu)]), TODAY);
		expect(lieuBack.problems).toEqual([]);
		expect(lieuBack.rows[0].data).toEqual(lieu);
	});
});

describe('helpers', () => {
	it('detects the separator from the header line', () => {
		expect(detectDelimiter('nom;email\na,b;c')).toBe(';');
		expect(detectDelimiter('nom,email\n')).toBe(',');
	});
	it('reads French and ISO dates, refuses impossible ones', () => {
		expect(parseDateFr('3/1/2026')).toBe('2026-01-03');
		expect(parseDateFr('2026-02-28')).toBe('2026-02-28');
		expect(parseDateFr('29/02/2026')).toBeNull();
		expect(parseDateFr('2026-13-01')).toBeNull();
	});
	it('says how many were imported, in French', () => {
		expect(importedNotice('citoyens', 3)).toBe('3 citoyens importés');
		expect(importedNotice('citoyens', 1)).toBe('1 citoyen importé');
		expect(importedNotice('lieux', 2)).toBe('2 lieux importés');
	});
});

describe('decodeCsv: files as French office software writes them', () => {
	const W1252_TEXT = 'nom;commune;tranche_age;source\r\nCamille Lœuvre;L’Œuvre commune;41–60 ans;atelier\r\n« Zoé » Dupré;12 rue de l’Église;;atelier\r\n';

	it('decodes Windows-1252 (Excel « CSV (séparateur : point-virgule) ») exactly, 0x80–0x9F included', () => {
		const d = decodeCsv(iconv.encode(W1252_TEXT, 'win1252'));
		expect(d).toEqual({ ok: true, text: W1252_TEXT, encoding: 'windows-1252' });
		const rows = parseCitizensCsv(textOf(d), TODAY).rows.map((r) => r.data);
		expect(rows[0]).toMatchObject({ display_name: 'Camille Lœuvre', commune: 'L’Œuvre commune', age_band: '41_60' });
		expect(rows[1]).toMatchObject({ display_name: '« Zoé » Dupré', commune: '12 rue de l’Église' });
	});

	it('decodes UTF-8 with and without BOM, and UTF-16 « Texte Unicode » (tab-separated)', () => {
		const utf8 = new TextEncoder().encode(W1252_TEXT);
		expect(decodeCsv(utf8)).toEqual({ ok: true, text: W1252_TEXT, encoding: 'utf-8' });
		expect(decodeCsv(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]))).toEqual({ ok: true, text: W1252_TEXT, encoding: 'utf-8' });
		const tabbed = W1252_TEXT.replaceAll(';', '\t');
		const utf16 = new Uint8Array([0xff, 0xfe, ...iconv.encode(tabbed, 'utf16le')]);
		const d = decodeCsv(utf16);
		expect(d).toEqual({ ok: true, text: tabbed, encoding: 'utf-16le' });
		expect(detectDelimiter(textOf(d))).toBe('\t');
		expect(parseCitizensCsv(textOf(d), TODAY).rows[0].data.display_name).toBe('Camille Lœuvre');
	});

	it('reads LibreOffice’s choices too: `,` separator, every cell quoted, LF or CRLF', () => {
		const text = '"nom","commune","source"\n"Lœuvre, Camille","Besançon","atelier"\n';
		const d = decodeCsv(iconv.encode(text, 'win1252'));
		expect(parseCitizensCsv(textOf(d), TODAY).rows[0].data).toMatchObject({ display_name: 'Lœuvre, Camille', commune: 'Besançon' });
	});

	it('refuses a file mixing UTF-8 and Windows-1252, with the line where it breaks', () => {
		const bytes = new Uint8Array([
			...new TextEncoder().encode('nom;commune;source\r\nHélène;Besançon;atelier\r\n'),
			...iconv.encode('Lœuvre;Dole;atelier\r\n', 'win1252')
		]);
		const d = decodeCsv(bytes);
		expect(d.ok).toBe(false);
		if (!d.ok) {
			expect(d.problem.line).toBe(3);
			expect(d.problem.message).toMatch(/^Encodage incohérent à la ligne 3/);
		}
		// …also when the Windows-1252 line comes first
		const first = decodeCsv(new Uint8Array([...iconv.encode('nom;source\r\nLœuvre;atelier\r\n', 'win1252'), ...new TextEncoder().encode('Hélène;atelier\r\n')]));
		expect(first.ok ? null : first.problem.line).toBe(2);
	});

	it('refuses bytes Windows-1252 does not define, control characters and mojibake, with their line', () => {
		const undefinedByte = decodeCsv(new Uint8Array([...new TextEncoder().encode('nom;source\nA'), 0x81, ...new TextEncoder().encode(';atelier\n')]));
		expect(undefinedByte.ok ? null : undefinedByte.problem.line).toBe(2);
		const c1 = decodeCsv(new TextEncoder().encode('nom;source\nok;atelier\nL\u009cuvre;atelier\n'));
		expect(c1.ok ? null : [c1.problem.line, c1.problem.message.slice(0, 31)]).toEqual([3, 'Caractère invalide (U+009C) à l']);
		const nul = decodeCsv(new TextEncoder().encode('nom;source\nA\u0000;atelier\n'));
		expect(nul.ok ? null : nul.problem.line).toBe(2);
		// UTF-8 read as Windows-1252 and saved again as UTF-8: « HÃ©lÃ¨ne », « lâ€™Ã‰glise »
		const moji = decodeCsv(new TextEncoder().encode('nom;source\nHÃ©lÃ¨ne;atelier\n'));
		expect(moji.ok ? null : [moji.problem.line, moji.problem.message.slice(0, 30)]).toEqual([2, 'Texte mal converti à la ligne ']);
		expect(decodeCsv(new TextEncoder().encode('nom;source\nl’Église;atelier\n')).ok).toBe(true);
	});
});
