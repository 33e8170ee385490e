import { describe, expect, it } from 'vitest';
import { cockpitCsv, cockpitRow, parseCockpitQuery, sortAndFilter, type CockpitExtras } from '../../src/lib/domain/cockpit';
import { summarize, type TerritoryFiguresRow } from '../../src/lib/domain/figures';
import { DEFAULT_PHASES, isShownProgramMonth, programStage, programStageFr, type Phase } from '../../src/lib/domain/program';

/**
 * No program month ≤ 0 is ever shown (a territory whose start was moved years ahead once showed
 * « mois -37 »): the stage is « démarre le … » before the start, month k/18 and its phase during
 * the program, « terminé » after; the pages, the CSV and the filters read the same stage.
 */

const TODAY = '2026-11-29';

describe('programStage', () => {
	it('before the start: the start date, no month', () => {
		expect(programStage('2029-12-01', TODAY)).toEqual({ stage: 'before', startsOn: '2029-12-01' });
		expect(programStage('2026-11-30', TODAY)).toEqual({ stage: 'before', startsOn: '2026-11-30' });
		expect(programStageFr(programStage('2029-12-01', TODAY))).toBe('démarre le 1er décembre 2029');
		expect(programStageFr(programStage('2026-12-15', TODAY))).toBe('démarre le 15 décembre 2026');
		expect(programStageFr(programStage('2029-12-01', TODAY), true)).toBe('pas encore démarré');
	});

	it('on the start day: month 1, Semer', () => {
		expect(programStage(TODAY, TODAY)).toEqual({ stage: 'running', month: 1, months: 18, phase: DEFAULT_PHASES[0] });
		expect(programStageFr(programStage(TODAY, TODAY))).toBe('mois 1/18 · Semer');
	});

	it('during the program: month k/18 and its phase', () => {
		expect(programStageFr(programStage('2026-02-01', TODAY))).toBe('mois 10/18 · Germer');
		expect(programStageFr(programStage('2025-06-01', TODAY))).toBe('mois 18/18 · Régénérer');
	});

	it('from the day after month 18: over, no month', () => {
		expect(programStage('2025-05-29', TODAY)).toEqual({ stage: 'ended', months: 18 });
		expect(programStageFr(programStage('2025-05-29', TODAY))).toBe('terminé (18 mois)');
	});

	it('isShownProgramMonth keeps 1…18 only', () => {
		expect([-37, 0, 1, 10, 18, 19, 2.5].map((m) => isShownProgramMonth(m))).toEqual([false, false, true, true, true, false, false]);
	});
});

const figures = (over: Partial<TerritoryFiguresRow>): TerritoryFiguresRow & CockpitExtras => ({
	territory_id: over.slug ?? 't', slug: 't', name: 'T', region: 'Bretagne', departement: 'Morbihan', carrier_kind: 'mixte', status: 'active',
	start_date: '2026-02-01', citizen_threshold: 350, lieu_threshold: 150, citizens: 10, citizens_in_pace_window: 5, societaires: 0,
	lieux: 2, lieux_in_pace_window: 1, milestones: 12, milestones_done: 0, milestones_late: 0, workshops_held: 0, last_change_on: TODAY,
	workshops_held_this_month: 0, attendees: 0, capacity: 0, reported_months: [], timeliness_day: 10, phases: null, archived: false,
	...over
});

describe('a territory whose start was moved years ahead', () => {
	const future = figures({ slug: 'futur', name: 'Futur', start_date: '2029-12-01' });
	const running = figures({ slug: 'en-cours', name: 'En cours' });

	it('its summary says when it starts, never a month ≤ 0', () => {
		const s = summarize(future, TODAY);
		expect(s.stage).toEqual({ stage: 'before', startsOn: '2029-12-01' });
		expect(s.month).toBeGreaterThanOrEqual(1);
	});

	it('the CSV leaves its month empty and says « démarre le … » as its phase', () => {
		const csv = cockpitCsv([cockpitRow(future, TODAY), cockpitRow(running, TODAY)]);
		const [, futureLine, runningLine] = csv.split('\r\n');
		expect(futureLine.split(';').slice(0, 4)).toEqual(['Futur', 'Bretagne', '', 'démarre le 1er décembre 2029']);
		expect(runningLine.split(';').slice(0, 4)).toEqual(['En cours', 'Bretagne', '10', 'Germer']);
		expect(csv).not.toMatch(/;-\d+;/);
	});

	it('a phase filter leaves it out (it is in no phase yet)', () => {
		const rows = [cockpitRow(future, TODAY), cockpitRow(running, TODAY)];
		expect(sortAndFilter(rows, parseCockpitQuery(new URLSearchParams('phase=semer'))).map((r) => r.name)).toEqual([]);
		expect(sortAndFilter(rows, parseCockpitQuery(new URLSearchParams('phase=germer'))).map((r) => r.name)).toEqual(['En cours']);
		expect(sortAndFilter(rows, parseCockpitQuery(new URLSearchParams(''))).map((r) => r.name)).toHaveLength(2);
	});
});

describe('summarize follows the cohort as configured (duration, phases)', () => {
	const row = {
		territory_id: 't', slug: 's', name: 'N', region: 'R', departement: '01', carrier_kind: 'mixte' as const,
		status: 'active' as const, start_date: '2026-02-01', citizen_threshold: 350, lieu_threshold: 150, citizens: 100,
		citizens_in_pace_window: 30, societaires: 0, lieux: 40, lieux_in_pace_window: 10, milestones: 0,
		milestones_done: 0, milestones_late: 0, workshops_held: 0, last_change_on: null
	};
	it('a 24-month cohort: month 20 is running, not ended; forecasts run to month 24', async () => {
		const { summarize } = await import('../../src/lib/domain/figures');
		const s = summarize({ ...row, program_months: 24 }, '2027-09-15');
		expect(s.months).toBe(24);
		expect(s.month).toBe(20);
		expect(s.ended).toBe(false);
		expect(s.stage).toMatchObject({ stage: 'running', month: 20, months: 24 });
		const s18 = summarize(row, '2027-09-15');
		expect(s18.ended).toBe(true);
		expect(s.citizenForecast.projected).toBeGreaterThan(s18.citizenForecast.projected);
	});
	it('the cohort’s phases name the phase', async () => {
		const { summarize } = await import('../../src/lib/domain/figures');
		const phases: Phase[] = [
			{ code: 'semer', name: 'Semer', from: 1, to: 4 },
			{ code: 'germer', name: 'Germer', from: 5, to: 9 },
			{ code: 'regenerer', name: 'Régénérer', from: 10, to: 18 }
		];
		expect(summarize({ ...row, phases }, '2026-11-29').phase.name).toBe('Régénérer');
		expect(summarize(row, '2026-11-29').phase.name).toBe('Germer');
	});
});
