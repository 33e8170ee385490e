/**
 * French generated text — one place for what is built from values: elision (« d’octobre »),
 * plurals (« 0 inscrit », « 1 autre », « 2 autres »), month names, numbers.
 *
 * Rules (Grevisse, *Le Bon Usage*; Académie française):
 * - « de » becomes « d’ » before a vowel sound: months « d’avril », « d’août », « d’octobre »;
 *   we elide before a written vowel (accented or not), never before « h » or « y » (h aspiré /
 *   semi-consonne cases vary: « de Hauteville », « de Yaoundé ») — the words we build with are
 *   month names, territory and lieu names;
 * - 0 and 1 take the singular (« 0 inscrit », « 1 participation »), 2 and more the plural;
 * - the typographic apostrophe ’ (U+2019) everywhere, as in the rest of the interface;
 * - numbers grouped by thousands with a narrow no-break space (« 1 234 »), like Intl fr-FR.
 */

export const MONTHS_FR = [
	'janvier',
	'février',
	'mars',
	'avril',
	'mai',
	'juin',
	'juillet',
	'août',
	'septembre',
	'octobre',
	'novembre',
	'décembre'
] as const;

const VOWEL = /^[aeiouàâäéèêëîïôöùûüœæ]/i;

/** « de » + word with elision: de('octobre') → « d’octobre », de('mars') → « de mars ». */
export function de(word: string): string {
	return VOWEL.test(word) ? `d’${word}` : `de ${word}`;
}

/** Same as `de`, capitalised at the start of a sentence: « D’août », « De mars ». */
export function De(word: string): string {
	return VOWEL.test(word) ? `D’${word}` : `De ${word}`;
}

const collatorFr = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });

/**
 * French order for names (Array.sort comparator): accents and case ignored, numbers in numeric
 * order (« Zone 2 » before « Zone 10 »). One collator for the process: `localeCompare(b, 'fr')`
 * would build one per comparison.
 */
export function compareFr(a: string, b: string): number {
	return collatorFr.compare(a, b);
}

/**
 * Formatters are made once per precision, never per call or per render: building an
 * Intl.NumberFormat costs ≈ 20 µs, a format ≈ 1 µs (docs/performance.md).
 */
const numberFr = new Map<number, Intl.NumberFormat>();

/** A number as French readers write it: « 1 234 », « 12,5 » (at most `maxFractionDigits`, default 2). */
export function formatNumber(n: number, maxFractionDigits = 2): string {
	let f = numberFr.get(maxFractionDigits);
	if (!f) numberFr.set(maxFractionDigits, (f = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: maxFractionDigits })));
	return f.format(n);
}

/**
 * « n word » with French agreement: 0 and 1 singular, 2 and more plural.
 * plural(0, 'inscrit', 'inscrits') → « 0 inscrit »; plural(2, 'autre', 'autres') → « 2 autres ».
 * `many` defaults to `one` + « s ».
 */
export function plural(n: number, one: string, many: string = `${one}s`): string {
	return `${formatNumber(n)} ${Math.abs(n) < 2 ? one : many}`;
}

/** The word alone, agreed with n: pluralWord(1, 'ignorée', 'ignorées') → « ignorée ». */
export function pluralWord(n: number, one: string, many: string = `${one}s`): string {
	return Math.abs(n) < 2 ? one : many;
}

/** Month number (1–12) → its French name, lower case (« août »). Throws RangeError otherwise. */
export function monthName(month: number): string {
	const name = MONTHS_FR[month - 1];
	if (!Number.isInteger(month) || name === undefined) throw new RangeError(`Mois inconnu : ${month}`);
	return name;
}

/** « 2026-10 » or « 2026-10-07 » → « octobre 2026 ». */
export function monthYear(isoMonth: string): string {
	const [y, m] = isoMonth.split('-').map(Number);
	return `${monthName(m)} ${y}`;
}

/** « 2026-10 » → « d’octobre 2026 », « 2026-03 » → « de mars 2026 » (« Calendrier d’octobre 2026 »). */
export function ofMonthYear(isoMonth: string): string {
	return de(monthYear(isoMonth));
}

/** Joins names the French way: « A », « A et B », « A, B et C ». */
export function listFr(items: readonly string[]): string {
	if (items.length <= 1) return items.join('');
	return `${items.slice(0, -1).join(', ')} et ${items[items.length - 1]}`;
}

/**
 * The first `shown` names, then « et 1 autre » / « et 3 autres »:
 * firstAndOthers(['A', 'B', 'C'], 2) → « A, B et 1 autre ».
 */
export function firstAndOthers(items: readonly string[], shown: number): string {
	if (items.length <= shown) return listFr(items);
	return `${items.slice(0, shown).join(', ')} et ${plural(items.length - shown, 'autre')}`;
}
