/**
 * Reading an uploaded CSV file's bytes as text: UTF-8 (with or without BOM), UTF-16 with BOM,
 * else Windows-1252 as French Excel writes it — or refusing it, with the line where it breaks.
 * Apart from src/lib/domain/csv.ts so that iconv-lite (and its tables) stays on the server: pages
 * that only need CSV constants must not ship a decoder to the browser.
 */
import iconv from 'iconv-lite';
import { BOM, type CsvProblem } from './csv';

/** An uploaded file's text, or why it cannot be read (with the line where it breaks). */
export type DecodedCsv =
	| { ok: true; text: string; encoding: 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be' }
	| { ok: false; problem: CsvProblem };

/** 1-based line of a byte offset (counting LF, so CRLF files count right). */
function lineAt(bytes: Uint8Array, offset: number): number {
	let line = 1;
	for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
	return line;
}

/**
 * Scans bytes as UTF-8 (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF). Returns the offset of
 * the first invalid byte (or -1) and whether any valid multi-byte sequence was seen before it.
 */
function scanUtf8(bytes: Uint8Array): { invalidAt: number; multibyte: boolean } {
	let multibyte = false;
	let i = 0;
	while (i < bytes.length) {
		const b = bytes[i];
		if (b < 0x80) {
			i++;
			continue;
		}
		let n = 0;
		let min = 0;
		if (b >= 0xc2 && b <= 0xdf) [n, min] = [1, 0x80];
		else if (b >= 0xe0 && b <= 0xef) [n, min] = [2, 0x800];
		else if (b >= 0xf0 && b <= 0xf4) [n, min] = [3, 0x10000];
		else return { invalidAt: i, multibyte };
		let cp = b & (0x3f >> n);
		for (let k = 1; k <= n; k++) {
			const c = bytes[i + k];
			if (c === undefined || (c & 0xc0) !== 0x80) return { invalidAt: i, multibyte };
			cp = (cp << 6) | (c & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return { invalidAt: i, multibyte };
		multibyte = true;
		i += n + 1;
	}
	return { invalidAt: -1, multibyte };
}

const ENCODING_HELP =
	'Enregistrez-le à nouveau depuis le tableur au format « CSV UTF-8 (délimité par des virgules) » ou « CSV (séparateur : point-virgule) ».';

/** Characters that are never in a cell: C0 controls except tab/LF/CR, DEL, C1 controls, U+FFFD. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffd]/;
/**
 * UTF-8 text that went through Windows-1252 once too often (« Ã© » for « é », « â€™ » for « ’ »,
 * « Å“ » for « œ », « Â« » for « « »): storing it would store mojibake.
 */
const MOJIBAKE = /Ã[\u00a0-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]|Â[\u00a0-\u00bf]|â€|Å[“’]/;

function textProblem(text: string): CsvProblem | null {
	const lines = text.split('\n');
	for (let i = 0; i < lines.length; i++) {
		const bad = CONTROL.exec(lines[i]);
		if (bad)
			return {
				line: i + 1,
				column: null,
				message: `Caractère invalide (U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}) à la ligne ${i + 1} : le fichier est abîmé ou mal encodé. ${ENCODING_HELP}`
			};
		const moji = MOJIBAKE.exec(lines[i]);
		if (moji)
			return {
				line: i + 1,
				column: null,
				message: `Texte mal converti à la ligne ${i + 1} (« ${moji[0]} » au lieu d’une lettre accentuée) : le fichier a été réencodé deux fois. ${ENCODING_HELP}`
			};
	}
	return null;
}

/**
 * Bytes of an uploaded file → text, as French office software writes them:
 * - UTF-8 with or without BOM (Excel « CSV UTF-8 », LibreOffice « Unicode (UTF-8) »);
 * - Windows-1252 (Excel « CSV (séparateur : point-virgule) », LibreOffice « Europe occidentale
 *   (Windows-1252/WinLatin 1) »), decoded by iconv-lite — œ Œ ’ “ ” … – — € are bytes 0x80–0x9F
 *   there, not C1 control characters;
 * - UTF-16 with BOM (Excel « Texte Unicode », tab-separated).
 * Refused, with the line where it breaks: a file mixing UTF-8 and another encoding, a byte that no
 * encoding above defines, control characters, or UTF-8 mojibake (« Ã© »). Nothing half-decoded is
 * ever returned. Encodings: WHATWG Encoding Standard; iconv-lite chosen as the well-kept decoder.
 */
export function decodeCsv(bytes: Uint8Array): DecodedCsv {
	const fail = (line: number | null, message: string): DecodedCsv => ({ ok: false, problem: { line, column: null, message } });
	let text: string;
	let encoding: 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';
	if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
		encoding = bytes[0] === 0xff ? 'utf-16le' : 'utf-16be';
		text = iconv.decode(bytes.subarray(2), encoding);
	} else {
		const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
		const body = hasBom ? bytes.subarray(3) : bytes;
		const { invalidAt, multibyte } = scanUtf8(body);
		if (invalidAt === -1) {
			encoding = 'utf-8';
			text = new TextDecoder('utf-8').decode(body);
		} else if (hasBom || multibyte || scanUtf8(body.subarray(invalidAt + 1)).multibyte) {
			const line = lineAt(body, invalidAt);
			return fail(
				line,
				`Encodage incohérent à la ligne ${line} : le fichier mélange l’UTF-8 et un autre encodage (caractères accentués abîmés). ${ENCODING_HELP}`
			);
		} else {
			encoding = 'windows-1252';
			text = iconv.decode(body, 'win1252');
		}
	}
	const problem = textProblem(text);
	if (problem) return { ok: false, problem };
	return { ok: true, text: text.startsWith(BOM) ? text.slice(1) : text, encoding };
}

