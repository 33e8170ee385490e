import { isValid, parseISO, startOfDay } from 'date-fns';
import { describe, it, expect } from 'vitest';
import {
	DEFAULT_PHASES,
	PROGRAM_MONTHS,
	monthsLeft,
	phaseOf,
	programEnd,
	programMonth,
	toCalendarDate,
	type Phase
} from '../../src/lib/domain/program';

const START = '2026-02-01';

describe('programMonth', () => {
	it('puts 2026-11-29 in month 10 of a program started 2026-02-01, phase Germer', () => {
		const result = programMonth(START, '2026-11-29');
		expect(result).toEqual({ month: 10, started: true, ended: false });
		expect(phaseOf(result.month).code).toBe('germer');
		expect(phaseOf(result.month).name).toBe('Germer');
	});

	it('handles the boundaries of month 1 and 2', () => {
		expect(programMonth(START, '2026-02-01')).toEqual({ month: 1, started: true, ended: false });
		expect(programMonth(START, '2026-02-28').month).toBe(1);
		expect(programMonth(START, '2026-03-01').month).toBe(2);
		expect(programMonth(START, '2026-07-31').month).toBe(6);
		expect(programMonth(START, '2026-08-01').month).toBe(7);
	});

	it('handles the last day of month 18 and the exclusive end', () => {
		expect(programMonth(START, '2027-07-01')).toEqual({ month: 18, started: true, ended: false });
		expect(programMonth(START, '2027-07-31')).toEqual({ month: 18, started: true, ended: false });
		expect(programMonth(START, '2027-08-01')).toEqual({ month: 18, started: true, ended: true });
		expect(programMonth(START, '2030-01-01')).toEqual({ month: 18, started: true, ended: true });
	});

	it('clamps to month 1 before the start', () => {
		expect(programMonth(START, '2026-01-31')).toEqual({ month: 1, started: false, ended: false });
		expect(programMonth(START, '2025-06-15')).toEqual({ month: 1, started: false, ended: false });
	});

	it('counts month periods from a mid-month start', () => {
		expect(programMonth('2026-02-15', '2026-03-14').month).toBe(1);
		expect(programMonth('2026-02-15', '2026-03-15').month).toBe(2);
		// 2026-01-31 + 1 month = 2026-02-28, + 2 months = 2026-03-31
		expect(programMonth('2026-01-31', '2026-02-27').month).toBe(1);
		expect(programMonth('2026-01-31', '2026-02-28').month).toBe(2);
		expect(programMonth('2026-01-31', '2026-03-30').month).toBe(2);
		expect(programMonth('2026-01-31', '2026-03-31').month).toBe(3);
	});

	it('accepts Date objects and ignores the time of day', () => {
		expect(programMonth(new Date(2026, 1, 1), new Date(2026, 10, 29, 23, 59)).month).toBe(10);
		expect(programMonth(new Date(2026, 1, 1, 18, 0), new Date(2026, 2, 1, 0, 1)).month).toBe(2);
	});

	it('honours a custom duration', () => {
		expect(programMonth(START, '2026-07-31', 6)).toEqual({ month: 6, started: true, ended: false });
		expect(programMonth(START, '2026-11-29', 6)).toEqual({ month: 6, started: true, ended: true });
	});
});

describe('toCalendarDate', () => {
	it('parses YYYY-MM-DD as a local date', () => {
		expect(toCalendarDate('2026-02-01')).toEqual(new Date(2026, 1, 1));
		expect(toCalendarDate(new Date(2026, 1, 1, 15, 30))).toEqual(new Date(2026, 1, 1));
	});

	it('reads a plain YYYY-MM-DD exactly as date-fns parseISO does, invalid days included', () => {
		for (const iso of ['2026-02-28', '2028-02-29', '2026-03-29', '2026-10-25', '2026-12-31', '0099-01-01', '1900-03-01']) {
			expect(toCalendarDate(iso)).toEqual(startOfDay(parseISO(iso)));
		}
		for (const iso of ['2026-02-29', '2026-02-30', '2026-04-31', '2026-00-10', '2026-13-01', '2026-01-00', '2026-01-32']) {
			expect(isValid(parseISO(iso))).toBe(false);
			expect(() => toCalendarDate(iso)).toThrow(RangeError);
		}
		expect(toCalendarDate('2026-02-01T15:30:00')).toEqual(new Date(2026, 1, 1)); // other shapes: parseISO
	});

	it('rejects invalid dates', () => {
		expect(() => toCalendarDate('not a date')).toThrow(RangeError);
		expect(() => programMonth('2026-13-45', '2026-02-01')).toThrow(RangeError);
	});
});

describe('phaseOf', () => {
	it('maps months to the default phases on their boundaries', () => {
		expect(PROGRAM_MONTHS).toBe(18);
		expect(DEFAULT_PHASES.map((p) => p.name)).toEqual(['Semer', 'Germer', 'Régénérer']);
		expect([1, 6, 7, 12, 13, 18].map((m) => phaseOf(m).code)).toEqual([
			'semer',
			'semer',
			'germer',
			'germer',
			'regenerer',
			'regenerer'
		]);
	});

	it('falls back to the first or last phase outside the range', () => {
		expect(phaseOf(0).code).toBe('semer');
		expect(phaseOf(19).code).toBe('regenerer');
	});

	it('uses configured phases', () => {
		const phases: Phase[] = [
			{ code: 'regenerer', name: 'Régénérer', from: 9, to: 12 },
			{ code: 'semer', name: 'Semer', from: 1, to: 4 },
			{ code: 'germer', name: 'Germer', from: 5, to: 8 }
		];
		expect(phaseOf(4, phases).code).toBe('semer');
		expect(phaseOf(5, phases).code).toBe('germer');
		expect(phaseOf(10, phases).code).toBe('regenerer');
		expect(() => phaseOf(1, [])).toThrow();
	});
});

describe('programEnd and monthsLeft', () => {
	it('ends 18 months after the start (exclusive)', () => {
		expect(programEnd(START)).toEqual(new Date(2027, 7, 1));
		expect(programEnd('2026-01-31')).toEqual(new Date(2027, 6, 31));
		expect(programEnd(START, 6)).toEqual(new Date(2026, 7, 1));
	});

	it('counts whole months after the current one', () => {
		expect(monthsLeft(START, '2026-11-29')).toBe(8);
		expect(monthsLeft(START, '2026-02-01')).toBe(17);
		expect(monthsLeft(START, '2027-07-31')).toBe(0);
		expect(monthsLeft(START, '2027-09-01')).toBe(0);
	});

	it('counts the whole program before the start', () => {
		expect(monthsLeft(START, '2026-01-15')).toBe(18);
		expect(monthsLeft(START, '2026-01-15', 12)).toBe(12);
	});
});
