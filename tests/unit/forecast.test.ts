import { describe, it, expect } from 'vitest';
import {
	FORECAST_RULE_FR,
	FORECAST_STATUS_LABEL_FR,
	freshnessDays,
	isLate,
	thresholdForecast
} from '../../src/lib/domain/forecast';

const START = '2026-02-01';
const TODAY = '2026-11-29';

/** `n` copies of the same enrolment date. */
const times = (n: number, date: string): string[] => Array.from({ length: n }, () => date);

describe('isLate', () => {
	it('is late when the due date is strictly before today and not done', () => {
		expect(isLate({ dueDate: '2026-11-28', status: 'planned' }, TODAY)).toBe(true);
		expect(isLate({ dueDate: '2026-11-28', status: 'in_progress' }, TODAY)).toBe(true);
		expect(isLate({ dueDate: '2026-11-28', status: 'blocked' }, TODAY)).toBe(true);
	});

	it('is not late when done, due today or due later', () => {
		expect(isLate({ dueDate: '2026-11-28', status: 'done' }, TODAY)).toBe(false);
		expect(isLate({ dueDate: '2026-11-29', status: 'planned' }, TODAY)).toBe(false);
		expect(isLate({ dueDate: '2026-12-01', status: 'blocked' }, TODAY)).toBe(false);
		expect(isLate({ dueDate: new Date(2026, 10, 29, 8), status: 'planned' }, new Date(2026, 10, 29, 20))).toBe(
			false
		);
	});
});

describe('thresholdForecast', () => {
	// Start 2026-02-01, today 2026-11-29: window 2026-09-01…2026-11-29 (90 days),
	// end 2027-08-01 (exclusive) → 244 days left after today = 8.016 months.
	const base = { threshold: 350, current: 200, start: START, today: TODAY };

	it('projects a 90-day pace to the end of month 18: on track', () => {
		const enrolmentDates = [
			...times(59, '2026-10-15'),
			'2026-09-01', // first day of the window: counted
			...times(5, '2026-08-31'), // before the window: not counted
			...times(3, '2026-11-30') // after today: not counted
		];
		expect(thresholdForecast({ ...base, enrolmentDates })).toEqual({
			current: 200,
			threshold: 350,
			windowDays: 90,
			pacePerMonth: 20.3, // 60 / 90 × 30.4375 = 20.29
			projected: 363, // 200 + 60 / 90 × 244 = 362.67
			status: 'on_track',
			monthlyNeeded: 19, // 150 / 8.016 = 18.71
			monthsLeft: 8
		});
	});

	it('is at risk at 80 % of the threshold and off track below', () => {
		// 200 + 30 / 90 × 244 = 281.33 → 281 ≥ 280
		const atRisk = thresholdForecast({ ...base, enrolmentDates: times(30, '2026-11-01') });
		expect(atRisk.projected).toBe(281);
		expect(atRisk.status).toBe('at_risk');
		// 200 + 27 / 90 × 244 = 273.2 → 273 < 280
		const offTrack = thresholdForecast({ ...base, enrolmentDates: times(27, '2026-11-01') });
		expect(offTrack.projected).toBe(273);
		expect(offTrack.status).toBe('off_track');
		expect(offTrack.monthlyNeeded).toBe(19);
	});

	it('projects the current count when there are no enrolments', () => {
		const flat = thresholdForecast({ threshold: 150, current: 100, enrolmentDates: [], start: START, today: TODAY });
		expect(flat.pacePerMonth).toBe(0);
		expect(flat.projected).toBe(100);
		expect(flat.status).toBe('off_track'); // 100 < 120
		expect(flat.monthlyNeeded).toBe(7); // 50 / 8.016 = 6.24
		expect(thresholdForecast({ ...base, current: 290, enrolmentDates: [] }).status).toBe('at_risk');
	});

	it('is met when the current count already reaches the threshold', () => {
		const met = thresholdForecast({ ...base, current: 350, enrolmentDates: times(9, '2026-11-29') });
		expect(met.status).toBe('met');
		expect(met.monthlyNeeded).toBe(0);
		expect(met.projected).toBe(350 + Math.round((9 / 90) * 244)); // 374
		expect(thresholdForecast({ ...base, current: 400, enrolmentDates: [] }).status).toBe('met');
	});

	it('uses the days since the start when shorter than 90', () => {
		// Today 2026-03-02: window 2026-02-01…2026-03-02 = 30 days; 516 days left after today.
		const enrolmentDates = [...times(15, '2026-02-01'), ...times(15, '2026-03-02'), ...times(2, '2026-01-20')];
		expect(
			thresholdForecast({ threshold: 350, current: 32, enrolmentDates, start: START, today: '2026-03-02' })
		).toEqual({
			current: 32,
			threshold: 350,
			windowDays: 30,
			pacePerMonth: 30.4, // 1 per day
			projected: 548, // 32 + 516
			status: 'on_track',
			monthlyNeeded: 19, // 318 / 16.95 = 18.76
			monthsLeft: 17 // 516 / 30.4375 = 16.95
		});
	});

	it('uses a one-day window on the start day', () => {
		const first = thresholdForecast({
			threshold: 350,
			current: 3,
			enrolmentDates: [new Date(2026, 1, 1, 9), new Date(2026, 1, 1, 12), '2026-02-01'],
			start: START,
			today: START
		});
		expect(first.windowDays).toBe(1);
		expect(first.pacePerMonth).toBe(91.3); // 3 × 30.4375
		expect(first.projected).toBe(1638); // 3 + 3 × 545
	});

	it('is not started before the start date', () => {
		expect(
			thresholdForecast({
				threshold: 150,
				current: 0,
				enrolmentDates: [],
				start: START,
				today: '2026-01-15'
			})
		).toEqual({
			current: 0,
			threshold: 150,
			windowDays: 0,
			pacePerMonth: 0,
			projected: 0,
			status: 'not_started',
			monthlyNeeded: 9, // 150 / (546 / 30.4375) = 8.36
			monthsLeft: 17.9
		});
	});

	it('projects nothing more after month 18', () => {
		const enrolmentDates = times(90, '2027-07-15');
		const ended = thresholdForecast({ ...base, current: 300, enrolmentDates, today: '2027-08-01' });
		expect(ended).toMatchObject({ projected: 300, monthsLeft: 0, monthlyNeeded: 50, status: 'at_risk' });
		expect(thresholdForecast({ ...base, current: 300, enrolmentDates, today: '2027-07-31' }).projected).toBe(300);
		// 2027-07-30: one day left, pace 1 per day.
		expect(thresholdForecast({ ...base, current: 300, enrolmentDates, today: '2027-07-30' }).projected).toBe(301);
	});

	it('honours a custom duration', () => {
		// 6 months: end 2026-08-01; today 2026-07-02 → 29 days left; 90 enrolments in 90 days.
		const short = thresholdForecast({
			threshold: 150,
			current: 100,
			enrolmentDates: times(90, '2026-06-01'),
			start: START,
			today: '2026-07-02',
			months: 6
		});
		expect(short.projected).toBe(129);
		expect(short.status).toBe('at_risk');
		expect(short.monthlyNeeded).toBe(50); // fewer than one month left: divided by 1
	});
});

describe('forecast labels', () => {
	it('states the rule and the statuses in French', () => {
		expect(FORECAST_RULE_FR).toContain('90 derniers jours');
		expect(FORECAST_RULE_FR).toContain('80 %');
		expect(FORECAST_STATUS_LABEL_FR).toEqual({
			met: 'Seuil atteint',
			on_track: 'En bonne voie',
			at_risk: 'À risque',
			off_track: 'En retard',
			not_started: 'Pas commencé'
		});
	});
});

describe('freshnessDays', () => {
	it('counts calendar days since the last change', () => {
		expect(freshnessDays('2026-11-20', TODAY)).toBe(9);
		expect(freshnessDays('2026-11-29', TODAY)).toBe(0);
		expect(freshnessDays(new Date(2026, 10, 28, 23, 59), new Date(2026, 10, 29, 0, 1))).toBe(1);
		expect(freshnessDays('2026-03-01', '2026-04-01')).toBe(31);
	});

	it('returns null without any change and 0 for a future change', () => {
		expect(freshnessDays(null, TODAY)).toBeNull();
		expect(freshnessDays('2026-12-01', TODAY)).toBe(0);
	});
});
