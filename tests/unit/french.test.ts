import { describe, expect, it } from 'vitest';
import { de, De, firstAndOthers, listFr, monthName, monthYear, MONTHS_FR, ofMonthYear, plural, pluralWord } from '../../src/lib/domain/french';
import { formatMonthFr } from '../../src/lib/domain/indicators';
import { monthLabel } from '../../src/lib/domain/workshops';
import { importedNotice } from '../../src/lib/domain/csv';

describe('elision: « de » before a vowel', () => {
	const expected: Record<number, string> = {
		1: 'de janvier 2026',
		2: 'de février 2026',
		3: 'de mars 2026',
		4: 'd’avril 2026',
		5: 'de mai 2026',
		6: 'de juin 2026',
		7: 'de juillet 2026',
		8: 'd’août 2026',
		9: 'de septembre 2026',
		10: 'd’octobre 2026',
		11: 'de novembre 2026',
		12: 'de décembre 2026'
	};
	it('is right for every month', () => {
		for (let m = 1; m <= 12; m++) expect(ofMonthYear(`2026-${String(m).padStart(2, '0')}`)).toBe(expected[m]);
	});

	it('builds « Calendrier d’octobre 2026 » and « Valeurs d’août 2026 »', () => {
		expect(`Calendrier ${ofMonthYear('2026-10')}`).toBe('Calendrier d’octobre 2026');
		expect(`Valeurs ${de(formatMonthFr('2026-08'))}`).toBe('Valeurs d’août 2026');
		expect(`Calendrier ${de(monthLabel('2026-03'))}`).toBe('Calendrier de mars 2026');
	});

	it('elides before accented vowels and œ, not before a consonant, h or y; capitalised form too', () => {
		expect(de('Étangs')).toBe('d’Étangs');
		expect(de('œuvre')).toBe('d’œuvre');
		expect(de('Hauteville')).toBe('de Hauteville');
		expect(de('Yvetot')).toBe('de Yvetot');
		expect(De('août')).toBe('D’août');
		expect(De('mars')).toBe('De mars');
	});
});

describe('month names', () => {
	it('names the twelve months in French, lower case, and refuses others', () => {
		expect(MONTHS_FR).toHaveLength(12);
		expect(monthName(8)).toBe('août');
		expect(monthYear('2026-12-31')).toBe('décembre 2026');
		expect(() => monthName(0)).toThrow(RangeError);
		expect(() => monthName(13)).toThrow(RangeError);
	});

	it('is the one source of the month labels of workshops and indicators', () => {
		for (let m = 1; m <= 12; m++) {
			const key = `2027-${String(m).padStart(2, '0')}`;
			expect(monthLabel(key)).toBe(`${MONTHS_FR[m - 1]} 2027`);
			expect(formatMonthFr(key)).toBe(`${MONTHS_FR[m - 1]} 2027`);
		}
	});
});

describe('plurals: 0 and 1 singular, 2 and more plural', () => {
	it('agrees for 0, 1 and n', () => {
		expect(plural(0, 'inscrit')).toBe('0 inscrit');
		expect(plural(1, 'inscrit')).toBe('1 inscrit');
		expect(plural(2, 'inscrit')).toBe('2 inscrits');
		expect(plural(1, 'autre')).toBe('1 autre');
		expect(plural(2, 'autre')).toBe('2 autres');
		expect(plural(0, 'participation')).toBe('0 participation');
		expect(plural(1, 'participation')).toBe('1 participation');
		expect(plural(12, 'participation')).toBe('12 participations');
		expect(plural(3, 'lieu', 'lieux')).toBe('3 lieux');
		expect(plural(1234, 'citoyen')).toBe('1\u202f234 citoyens');
		expect(pluralWord(0, 'ignorée')).toBe('ignorée');
		expect(pluralWord(5, 'le', 'les')).toBe('les');
	});

	it('says « et 1 autre » and « et 2 autres »', () => {
		expect(firstAndOthers(['A', 'B', 'C'], 2)).toBe('A, B et 1 autre');
		expect(firstAndOthers(['A', 'B', 'C', 'D'], 2)).toBe('A, B et 2 autres');
		expect(firstAndOthers(['A', 'B'], 2)).toBe('A et B');
		expect(listFr(['A'])).toBe('A');
		expect(listFr(['A', 'B', 'C'])).toBe('A, B et C');
	});

	it('is what the import notice says', () => {
		expect(importedNotice('citoyens', 0)).toBe('0 citoyen importé');
		expect(importedNotice('citoyens', 1)).toBe('1 citoyen importé');
		expect(importedNotice('citoyens', 2)).toBe('2 citoyens importés');
		expect(importedNotice('lieux', 2)).toBe('2 lieux importés');
	});
});
