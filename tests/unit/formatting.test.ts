import { format } from 'date-fns';
import { fr } from 'date-fns/locale';
import { describe, expect, it } from 'vitest';
import { formatDateFr, formatDateTimeFr, formatInstantDateFr, formatShortDayTimeFr, formatWeekdayDateFr, parisDay, todayIso } from '$lib/domain/dates';
import { compareFr, formatNumber } from '$lib/domain/french';

// The formatters are made once per process (docs/performance.md); these pin the text they give.
describe('dates in French', () => {
	it('writes a calendar day exactly as date-fns `d MMMM yyyy` (fr) did, every day of four years', () => {
		for (let day = new Date(2024, 0, 1); day.getFullYear() < 2028; day = new Date(day.getFullYear(), day.getMonth(), day.getDate() + 1)) {
			const iso = format(day, 'yyyy-MM-dd');
			expect(formatDateFr(iso)).toBe(format(day, 'd MMMM yyyy', { locale: fr }));
		}
		expect(formatDateFr('2026-11-01')).toBe('1 novembre 2026');
	});

	it('gives the Paris day of instants asked in any order, across midnight and clock changes (the last minute kept)', () => {
		const cases: [string, string][] = [
			['2026-12-31T22:59:59Z', '2026-12-31'], ['2026-12-31T23:00:00Z', '2027-01-01'], ['2026-12-31T22:59:00Z', '2026-12-31'],
			['2026-03-28T22:59:59Z', '2026-03-28'], ['2026-03-28T23:00:00Z', '2026-03-29'], // night of the spring change
			['2026-10-24T21:59:59Z', '2026-10-24'], ['2026-10-24T22:00:00Z', '2026-10-25'], // summer time: midnight is 22:00 UTC
			['2026-10-25T22:59:59Z', '2026-10-25'], ['2026-10-25T23:00:00Z', '2026-10-26'] // winter time again
		];
		for (const [at, day] of [...cases, ...[...cases].reverse()]) {
			expect(parisDay(at)).toBe(day);
			expect(parisDay(at)).toBe(day);
		}
		expect(() => parisDay('pas une date')).toThrow(RangeError);
	});

	it('writes a workshop day with its weekday exactly as date-fns `EEEE d MMMM yyyy` (fr)', () => {
		for (let d = 0; d < 800; d++) {
			const day = new Date(2026, 0, 1 + d);
			expect(formatWeekdayDateFr(format(day, 'yyyy-MM-dd'))).toBe(format(day, 'EEEE d MMMM yyyy', { locale: fr }));
		}
		expect(formatWeekdayDateFr('2026-12-05')).toBe('samedi 5 décembre 2026');
		expect(() => formatWeekdayDateFr('2026-02-30')).toThrow(RangeError);
	});

	it('gives the same text when a day is asked again (formatted once), and still refuses a day that does not exist', () => {
		for (let i = 0; i < 2; i++) {
			expect(formatDateFr('2027-02-28')).toBe('28 février 2027');
			expect(formatDateFr(new Date(2027, 1, 28, 15))).toBe('28 février 2027');
			expect(() => formatDateFr('2027-02-29')).toThrow(RangeError);
		}
		// more distinct days than are kept: every one still right
		for (let d = 0; d < 4000; d++) {
			const day = new Date(2020, 0, 1 + d);
			expect(formatDateFr(format(day, 'yyyy-MM-dd'))).toBe(format(day, 'd MMMM yyyy', { locale: fr }));
		}
	});

	it('writes instants in Europe/Paris, whatever the server’s zone', () => {
		// 23:30 UTC on 31 December is already 1 January in Paris (UTC+1 in winter)
		const at = '2026-12-31T23:30:00Z';
		expect(parisDay(at)).toBe('2027-01-01');
		expect(todayIso(new Date(at))).toBe('2027-01-01');
		expect(formatInstantDateFr(at)).toBe('1 janvier 2027');
		expect(formatDateTimeFr(at)).toBe('1 janvier 2027 à 00:30');
		expect(formatShortDayTimeFr('2026-11-29T13:05:00Z')).toBe('dim. 29 nov., 14:05');
	});
});

describe('numbers and order in French', () => {
	it('groups thousands and keeps at most the fraction digits asked', () => {
		expect(formatNumber(1234567)).toBe('1\u202f234\u202f567'); // narrow no-break spaces
		expect(formatNumber(12.5)).toBe('12,5');
		expect(formatNumber(12.25, 1)).toBe('12,3');
		expect(formatNumber(12.4, 0)).toBe('12');
	});

	it('sorts names as a French reader expects: accents and case ignored, numbers in order', () => {
		expect(['Zone 10', 'écluse', 'Zone 2', 'Eure', 'ajoncs'].sort(compareFr)).toEqual(['ajoncs', 'écluse', 'Eure', 'Zone 2', 'Zone 10']);
	});
});
