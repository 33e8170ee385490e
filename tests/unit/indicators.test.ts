import { addDays, format } from 'date-fns';
import { describe, expect, it } from 'vitest';
import { WEB_ADDRESS_MESSAGE } from '../../src/lib/domain/fields';
import {
	decodeVersions,
	encodeVersions,
	entryField,
	formatMonthFr,
	formatValueFr,
	indicatorEntrySchema,
	monthOf,
	nextMonth,
	parseIndicatorValue,
	NO_LONGER_COLLECTED_MESSAGE,
	parseMonthlyEntries,
	previousMonth,
	programMonths,
	rowConflictMessage,
	resolveMonth,
	toMonthStart,
	VALUE_MESSAGES,
	valueForInput
} from '../../src/lib/domain/indicators';

describe('parseIndicatorValue', () => {
	it.each([
		['12,5', 12.5],
		['12.5', 12.5],
		['12', 12],
		[' 0 ', 0],
		['1 234,5', 1234.5],
		['1\u202f234', 1234],
		[',5', 0.5],
		['+3', 3]
	])('reads « %s » as %d', (raw, value) => {
		expect(parseIndicatorValue(raw)).toEqual({ ok: true, value });
	});

	it.each(['-3', '-0,5', ' -12.5'])('refuses the negative « %s »', (raw) => {
		expect(parseIndicatorValue(raw)).toEqual({ ok: false, message: VALUE_MESSAGES.negative });
	});

	it.each(['abc', '12abc', '1,2,3', '1.234,5', '12,', 'Infinity', '1e3', '', '--3'])('refuses « %s » as not a number', (raw) => {
		expect(parseIndicatorValue(raw)).toEqual({ ok: false, message: VALUE_MESSAGES.notNumber });
	});

	it('refuses values the database cannot hold', () => {
		expect(parseIndicatorValue('1000000000000')).toEqual({ ok: false, message: VALUE_MESSAGES.tooLarge });
		expect(parseIndicatorValue('999999999999')).toEqual({ ok: true, value: 999999999999 });
	});

	it('refuses more decimals than pages show (4), trailing zeros aside', () => {
		expect(parseIndicatorValue('0,0000001')).toEqual({ ok: false, message: VALUE_MESSAGES.tooPrecise });
		expect(parseIndicatorValue('12,12345')).toEqual({ ok: false, message: VALUE_MESSAGES.tooPrecise });
		expect(parseIndicatorValue('0,0001')).toEqual({ ok: true, value: 0.0001 });
		expect(parseIndicatorValue('12,50000')).toEqual({ ok: true, value: 12.5 });
	});

	it('gives back, in an input, a stored value that reads the same when posted again (never « 1e-7 »)', () => {
		for (const value of [0, 0.0001, 0.0000001, 12.5, 1234.5678, 999999999999, 0.07]) {
			const shown = valueForInput(value);
			expect(shown).not.toMatch(/e|\s/);
			expect(Number(shown.replace(',', '.'))).toBe(value);
		}
		expect(valueForInput(0.0000001)).toBe('0,0000001');
	});
});

describe('months', () => {
	it('lists the program months so far, none in the future', () => {
		const months = programMonths('2026-02-01', '2026-11-29');
		expect(months).toHaveLength(10);
		expect(months[0]).toBe('2026-02');
		expect(months.at(-1)).toBe('2026-11');
	});

	it('stops at the 18th month once the program is over', () => {
		const months = programMonths('2026-02-01', '2028-03-15');
		expect(months).toHaveLength(18);
		expect(months.at(-1)).toBe('2027-07');
	});

	it('is empty before the start, and starts at the calendar month of a mid-month start', () => {
		expect(programMonths('2026-02-01', '2026-01-31')).toEqual([]);
		expect(programMonths('2026-02-15', '2026-03-02')).toEqual(['2026-02', '2026-03']);
	});

	it('names the month of a day as date-fns does, day by day over four years, and refuses impossible days', () => {
		for (let day = new Date(2025, 11, 1), i = 0; i < 4 * 366; day = addDays(day, 1), i++) {
			const iso = format(day, 'yyyy-MM-dd');
			expect(monthOf(iso)).toBe(format(day, 'yyyy-MM'));
			expect(monthOf(day)).toBe(format(day, 'yyyy-MM'));
		}
		expect(() => monthOf('2026-02-30')).toThrow(RangeError);
		expect(() => monthOf('n’importe quoi')).toThrow(RangeError);
	});

	it('formats a month once, the same text every time; an unknown month throws every time', () => {
		expect(formatMonthFr('2026-08')).toBe('août 2026');
		expect(formatMonthFr('2026-08')).toBe('août 2026');
		expect(() => formatMonthFr('2026-13')).toThrow(RangeError);
		expect(() => formatMonthFr('2026-13')).toThrow(RangeError);
	});

	it('gives the previous and next month across years', () => {
		expect(previousMonth('2026-11')).toBe('2026-10');
		expect(previousMonth('2026-01')).toBe('2025-12');
		expect(nextMonth('2026-12')).toBe('2027-01');
	});

	it('resolves the month asked for, defaulting to the current one, refusing others', () => {
		const months = programMonths('2026-02-01', '2026-11-29');
		expect(resolveMonth(null, months)).toBe('2026-11');
		expect(resolveMonth('', months)).toBe('2026-11');
		expect(resolveMonth('2026-03', months)).toBe('2026-03');
		expect(resolveMonth('2026-12', months)).toBeNull(); // the future
		expect(resolveMonth('2026-01', months)).toBeNull(); // before the program
		expect(resolveMonth('2026-3', months)).toBeNull();
	});

	it('writes months for the database and in French', () => {
		expect(toMonthStart('2026-11')).toBe('2026-11-01');
		expect(toMonthStart('2026-11-29')).toBe('2026-11-01');
		expect(() => toMonthStart('2026-13')).toThrow(RangeError);
		expect(formatMonthFr('2026-11')).toBe('novembre 2026');
	});
});

describe('numbers for people', () => {
	it('formats values the French way and back for inputs', () => {
		expect(formatValueFr(12.5)).toBe('12,5');
		expect(formatValueFr(null)).toBe('—');
		expect(valueForInput(12.5)).toBe('12,5');
		expect(valueForInput(null)).toBe('');
		expect(parseIndicatorValue(valueForInput(1234.25))).toEqual({ ok: true, value: 1234.25 });
	});
});

describe('the monthly form', () => {
	const A = '00000000-0000-4000-8000-00000000000a';
	const B = '00000000-0000-4000-8000-00000000000b';
	const C = '00000000-0000-4000-8000-00000000000c';

	it('keeps the filled rows, skips empty ones, reads versions', () => {
		const result = parseMonthlyEntries(
			{
				[entryField.value(A)]: '12,5',
				[entryField.note(A)]: ' Fête du numérique ',
				[entryField.evidence(A)]: 'https://exemple.fr/cr',
				versions: encodeVersions([
					{ id: A, version: 2 },
					{ id: B, version: 0 }
				]),
				[entryField.value(B)]: '',
				[entryField.value(C)]: '3'
			},
			[A, B, C]
		);
		expect(result).toEqual({
			ok: true,
			entries: [
				{ indicator_id: A, value: 12.5, note: 'Fête du numérique', evidence_url: 'https://exemple.fr/cr', version: 2 },
				{ indicator_id: C, value: 3, note: '', evidence_url: null, version: 0 }
			]
		});
	});

	it('a filled line whose indicator was switched off meanwhile: nothing saved, said at the top (it was dropped without a word)', () => {
		const posted = {
			versions: encodeVersions([
				{ id: A, version: 1 },
				{ id: B, version: 3 }
			]),
			[entryField.value(A)]: '4',
			[entryField.value(B)]: '5'
		};
		expect(parseMonthlyEntries(posted, [A])).toEqual({ ok: false, errors: { _form: NO_LONGER_COLLECTED_MESSAGE } });
		// left empty, that line loses nothing: the rest is saved
		expect(parseMonthlyEntries({ ...posted, [entryField.value(B)]: ' ' }, [A])).toMatchObject({ ok: true, entries: [{ indicator_id: A, value: 4 }] });
	});

	it('reports French errors at each bad field, and nothing to save', () => {
		const result = parseMonthlyEntries(
			{
				[entryField.value(A)]: '-3',
				[entryField.value(B)]: 'abc',
				[entryField.evidence(B)]: 'ftp://exemple.fr',
				[entryField.value(C)]: '',
				[entryField.note(C)]: 'sans valeur'
			},
			[A, B, C]
		);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.errors[entryField.value(A)]).toBe('La valeur ne peut pas être négative.');
		expect(result.errors[entryField.value(B)]).toBe(VALUE_MESSAGES.notNumber);
		expect(result.errors[entryField.evidence(B)]).toBe(WEB_ADDRESS_MESSAGE);
		expect(result.errors[entryField.value(C)]).toMatch(/Indiquez la valeur/);
	});

	it('refuses a control character at its field (value, note, link), like every other form', () => {
		const result = parseMonthlyEntries(
			{
				[entryField.value(A)]: '12',
				[entryField.note(A)]: 'Fête\u0000 du numérique',
				[entryField.value(B)]: '3',
				[entryField.evidence(B)]: 'https://exemple.fr/a\u0001b',
				[entryField.value(C)]: '4'
			},
			[A, B, C]
		);
		expect(result).toEqual({
			ok: false,
			errors: { [entryField.note(A)]: expect.stringMatching(/caractère invisible/), [entryField.evidence(B)]: expect.stringMatching(/caractère invisible/) }
		});
	});

	it('says which of the value, the note and the link someone else changed, not a value the form already held', () => {
		const now = { value: 6, note: 'CR', evidence_url: 'https://exemple.fr/b' };
		expect(rowConflictMessage(now, { value: '6', note: 'CR', evidence: 'https://exemple.fr/a' })).toBe(
			'Modifiée entre-temps par quelqu’un d’autre : le lien a changé. Vérifiez puis enregistrez à nouveau.'
		);
		expect(rowConflictMessage(now, { value: '7', note: '', evidence: 'https://exemple.fr/b' })).toBe(
			'Modifiée entre-temps par quelqu’un d’autre : la valeur enregistrée est maintenant 6. Votre formulaire indiquait 7 ; la note a changé. Vérifiez puis enregistrez à nouveau.'
		);
		expect(rowConflictMessage({ value: 6, note: '', evidence_url: null }, { value: '6,0', note: 'x', evidence: 'https://exemple.fr/b' })).toBe(
			'Modifiée entre-temps par quelqu’un d’autre : la note a été effacée ; le lien a été effacé. Vérifiez puis enregistrez à nouveau.'
		);
		expect(rowConflictMessage(null, { value: '3' })).toBe('Modifiée entre-temps par quelqu’un d’autre : la valeur a été supprimée. Vérifiez puis enregistrez à nouveau.');
	});

	it('refuses links that are not web addresses', () => {
		for (const bad of ['javascript:alert(1)', 'exemple.fr', 'https://', 'http://localhost', 'https://intranet/doc', 'http://127.0.0.1/x', 'https://exemple.fr/x y']) {
			const r = indicatorEntrySchema().safeParse({ value: '1', evidence_url: bad });
			expect(r.success, bad).toBe(false);
			// the same rule and message as every other link (a milestone's proof)
			if (!r.success) expect(r.error.issues[0].message).toBe(WEB_ADDRESS_MESSAGE);
		}
		expect(indicatorEntrySchema().safeParse({ value: '1', evidence_url: 'http://exemple.fr/a?b=1' }).success).toBe(true);
	});

	it('reads the versions field, and refuses a tampered version', () => {
		expect(decodeVersions(`${A}:3,${B}:0`)).toEqual({ [A]: '3', [B]: '0' });
		expect(decodeVersions(undefined)).toEqual({});
		const result = parseMonthlyEntries({ [entryField.value(A)]: '1', versions: `${A}:x` }, [A]);
		expect(result).toEqual({ ok: false, errors: { [entryField.value(A)]: 'Formulaire invalide : rechargez la page.' } });
	});

	it('ignores posted fields of indicators it was not asked about', () => {
		const result = parseMonthlyEntries({ [entryField.value(B)]: '5' }, [A]);
		expect(result).toEqual({ ok: true, entries: [] });
	});
});

describe('shiftMonth: month keys counted in months', () => {
	it('crosses years both ways and keeps two-digit months', async () => {
		const { shiftMonth, previousMonth, nextMonth, programMonths } = await import('../../src/lib/domain/indicators');
		expect(shiftMonth('2026-12', 1)).toBe('2027-01');
		expect(shiftMonth('2027-01', -1)).toBe('2026-12');
		expect(shiftMonth('2026-02', 17)).toBe('2027-07');
		expect(shiftMonth('2026-02', -26)).toBe('2023-12');
		expect(previousMonth('2026-10')).toBe('2026-09');
		expect(nextMonth('2026-09')).toBe('2026-10');
		expect(programMonths('2026-02-01', '2027-07-29')).toHaveLength(18);
		expect(programMonths('2026-02-01', '2027-07-29').at(-1)).toBe('2027-07');
	});
});
