import { describe, expect, it } from 'vitest';
import {
	FLAG_RULE_FR,
	attendanceRate,
	cockpitCells,
	cockpitCsv,
	cockpitRow,
	driftLabelFr,
	milestoneDrift,
	crossingLabelFr,
	crossingMonth,
	knownFilters,
	parseCockpitQuery,
	reporting,
	reportingDeadline,
	territoryFlag,
	type CockpitRow,
	type FlagInputs
} from '../../src/lib/domain/cockpit';

const START = '2026-02-01';
const TODAY = '2026-11-29';
const months = (from: number, to: number, day = '05') =>
	Array.from({ length: to - from + 1 }, (_, i) => {
		const m = from + i; // program month 1 = 2026-02
		const d = new Date(Date.UTC(2026, m, 1));
		const next = new Date(Date.UTC(2026, m + 1, 1));
		return { month: d.toISOString().slice(0, 10), completedOn: `${next.toISOString().slice(0, 8)}${day}` };
	});

describe('reporting (completeness and timeliness)', () => {
	it('expects every month that ended before today, from the start month', () => {
		const r = reporting({ start: START, today: TODAY, timelinessDay: 10, reported: months(1, 9) });
		expect(r).toMatchObject({ expected: 9, reported: 9, completeness: 1, timelyExpected: 9, timely: 9, timeliness: 1, missing: [] });
	});

	it('counts a month reported after day N as complete but not on time', () => {
		const reported = months(1, 9).map((m, i) => (i === 8 ? { ...m, completedOn: '2026-11-11' } : m));
		const r = reporting({ start: START, today: TODAY, timelinessDay: 10, reported });
		expect(r.completeness).toBe(1);
		expect(r.timely).toBe(8);
		expect(r.timeliness).toBeCloseTo(8 / 9);
	});

	it('day N is inclusive, and months whose deadline has not passed are not judged on time yet', () => {
		expect(reportingDeadline('2026-10-01', 10)).toBe('2026-11-10');
		const r = reporting({ start: START, today: '2026-11-10', timelinessDay: 10, reported: months(1, 9, '10') });
		expect(r.expected).toBe(9);
		expect(r.timelyExpected).toBe(8);
		expect(r.timely).toBe(8);
	});

	it('lists missing months, oldest first', () => {
		const reported = months(1, 9).filter((_, i) => i !== 2 && i !== 5);
		const r = reporting({ start: START, today: TODAY, timelinessDay: 10, reported });
		expect(r.missing).toEqual(['2026-04-01', '2026-07-01']);
		expect(r.completeness).toBeCloseTo(7 / 9);
	});

	it('not started, or in the first month: nothing expected, rates null', () => {
		for (const today of ['2026-01-15', '2026-02-20']) {
			const r = reporting({ start: START, today, timelinessDay: 10, reported: [] });
			expect(r).toMatchObject({ expected: 0, completeness: null, timeliness: null });
		}
	});

	it('no data at all: 0 %', () => {
		const r = reporting({ start: START, today: TODAY, timelinessDay: 10, reported: [] });
		expect(r).toMatchObject({ expected: 9, reported: 0, completeness: 0, timeliness: 0 });
	});

	it('after month 18, stops at the program’s last month', () => {
		const r = reporting({ start: START, today: '2028-03-01', timelinessDay: 10, reported: months(1, 18) });
		expect(r).toMatchObject({ expected: 18, reported: 18, completeness: 1, timelyExpected: 18 });
	});

	it('a mid-month start counts its first (partial) month', () => {
		const r = reporting({ start: '2026-02-15', today: '2026-04-02', timelinessDay: 10, reported: [] });
		expect(r.expected).toBe(2);
		expect(r.missing).toEqual(['2026-02-01', '2026-03-01']);
	});
});

describe('crossingMonth', () => {
	const base = { threshold: 350, start: START, today: TODAY };
	it('threshold already met', () => {
		expect(crossingMonth({ ...base, current: 350, recentEnrolments: 0 })).toEqual({ status: 'met', month: null });
		expect(crossingLabelFr({ status: 'met', month: null })).toBe('atteint');
	});
	it('projects the month the pace reaches the threshold', () => {
		// 90 per 90 days = 1/day; 50 missing → 2027-01-18, program month 12
		expect(crossingMonth({ ...base, current: 300, recentEnrolments: 90 })).toEqual({ status: 'projected', month: 12 });
	});
	it('no pace, or too slow: after month 18', () => {
		expect(crossingMonth({ ...base, current: 10, recentEnrolments: 0 }).status).toBe('beyond');
		expect(crossingMonth({ ...base, current: 10, recentEnrolments: 9 }).status).toBe('beyond');
		expect(crossingLabelFr({ status: 'beyond', month: null })).toBe('après le mois 18');
	});
	it('not started', () => {
		expect(crossingMonth({ ...base, today: '2026-01-10', current: 0, recentEnrolments: 0 }).status).toBe('not_started');
	});
	it('after month 18: nothing more is projected', () => {
		expect(crossingMonth({ ...base, today: '2027-09-01', current: 300, recentEnrolments: 90 }).status).toBe('beyond');
	});
	it('a short window since the start counts days since the start', () => {
		// started 10 days ago, 20 enrolled: 2/day → 165 days for 330 more: month 6
		expect(crossingMonth({ threshold: 350, current: 20, recentEnrolments: 20, start: '2026-02-01', today: '2026-02-10' })).toEqual({ status: 'projected', month: 6 });
	});
});

describe('attendanceRate', () => {
	it('check-ins over capacity; null without capacity', () => {
		expect(attendanceRate(30, 40)).toBe(0.75);
		expect(attendanceRate(0, 0)).toBeNull();
	});
});

describe('territoryFlag', () => {
	const fine: FlagInputs = {
		started: true, citizenForecast: 'on_track', lieuForecast: 'on_track', milestonesLate: 0,
		freshnessDays: 2, daysSinceStart: 300, completeness: 1, timeliness: 1
	};
	it('on track when nothing is wrong, with no reasons', () => {
		expect(territoryFlag(fine)).toEqual({ flag: 'on_track', reasons: [] });
	});
	it('not started: on track whatever the inputs', () => {
		expect(territoryFlag({ ...fine, started: false, citizenForecast: 'not_started', lieuForecast: 'not_started', freshnessDays: null, completeness: null }).flag).toBe('on_track');
	});
	it('the better of the two thresholds counts (350 citizens or 150 lieux)', () => {
		expect(territoryFlag({ ...fine, citizenForecast: 'off_track', lieuForecast: 'met' }).flag).toBe('on_track');
		expect(territoryFlag({ ...fine, citizenForecast: 'off_track', lieuForecast: 'at_risk' })).toEqual({ flag: 'watch', reasons: ['seuils seulement « à risque »'] });
		expect(territoryFlag({ ...fine, citizenForecast: 'off_track', lieuForecast: 'off_track' }).flag).toBe('needs_help');
	});
	it('late milestones: 1 → watch, 3 → help', () => {
		expect(territoryFlag({ ...fine, milestonesLate: 1 })).toEqual({ flag: 'watch', reasons: ['1 jalon en retard'] });
		expect(territoryFlag({ ...fine, milestonesLate: 2 }).reasons).toEqual(['2 jalons en retard']);
		expect(territoryFlag({ ...fine, milestonesLate: 3 })).toEqual({ flag: 'needs_help', reasons: ['3 jalons en retard'] });
	});
	it('staleness: 14 days → watch, 30 → help; never changed counts from the start', () => {
		expect(territoryFlag({ ...fine, freshnessDays: 13 }).flag).toBe('on_track');
		expect(territoryFlag({ ...fine, freshnessDays: 14 }).flag).toBe('watch');
		expect(territoryFlag({ ...fine, freshnessDays: 30 }).flag).toBe('needs_help');
		expect(territoryFlag({ ...fine, freshnessDays: null, daysSinceStart: 5 }).flag).toBe('on_track');
		expect(territoryFlag({ ...fine, freshnessDays: null, daysSinceStart: 45 }).reasons).toEqual(['aucune mise à jour depuis le début (45 j)']);
	});
	it('completeness and timeliness; null (nothing expected yet) triggers nothing', () => {
		expect(territoryFlag({ ...fine, completeness: 8 / 9 }).reasons).toEqual(['complétude des indicateurs 89 %']);
		expect(territoryFlag({ ...fine, completeness: 0.4 }).flag).toBe('needs_help');
		expect(territoryFlag({ ...fine, timeliness: 0.4 }).reasons).toEqual(['ponctualité des indicateurs 40 %']);
		expect(territoryFlag({ ...fine, completeness: null, timeliness: null }).flag).toBe('on_track');
	});
	it('lists every help reason, and only those, when it needs help', () => {
		const r = territoryFlag({ ...fine, milestonesLate: 4, freshnessDays: 40, timeliness: 0 });
		expect(r).toEqual({ flag: 'needs_help', reasons: ['4 jalons en retard', 'aucune mise à jour depuis 40 j'] });
	});
	it('the rule in words names its thresholds', () => {
		expect(FLAG_RULE_FR).toContain('30 jours');
		expect(FLAG_RULE_FR).toContain('3 jalons');
	});
});

describe('parseCockpitQuery', () => {
	it('defaults and rejects unknown values', () => {
		expect(parseCockpitQuery(new URLSearchParams('tri=xx&drapeau=zz&page=-1'))).toEqual({ tri: 'drapeau', ordre: 'asc', region: '', drapeau: '', phase: '', page: 1 });
		expect(parseCockpitQuery(new URLSearchParams('tri=prevision&ordre=desc&drapeau=watch&region=Bretagne&page=2'))).toMatchObject({ tri: 'prevision', ordre: 'desc', drapeau: 'watch', region: 'Bretagne', page: 2 });
	});
});

describe('knownFilters', () => {
	// only what the rule reads: région, whether the program started, its phase
	const rows = [
		{ region: 'Occitanie', stage: { stage: 'month' }, phase: { code: 'germer' } },
		{ region: 'Bretagne', stage: { stage: 'before' }, phase: { code: 'semer' } }
	] as unknown as CockpitRow[];
	const q = parseCockpitQuery(new URLSearchParams('region=Occitanie&phase=germer&drapeau=watch&tri=lieux'));
	it('keeps a région and a phase some territory has', () => {
		expect(knownFilters(q, rows)).toEqual(q);
	});
	it('drops a région or phase no territory has — a typo, another case, a crafted value, a phase nobody started', () => {
		for (const search of ['region=occitanie', 'region=%3Cscript%3E', 'phase=xyz', 'phase=semer']) {
			const known = knownFilters(parseCockpitQuery(new URLSearchParams(`${search}&drapeau=watch`)), rows);
			expect(known, search).toMatchObject({ region: '', phase: '', drapeau: 'watch' });
		}
	});
});

describe('milestoneDrift', () => {
	const due = '2026-10-31';
	it('done early, on the day, late', () => {
		expect(milestoneDrift({ due_date: due, status: 'done', completed_at: '2026-10-28' }, TODAY)).toEqual({ kind: 'early', days: 3 });
		expect(milestoneDrift({ due_date: due, status: 'done', completed_at: due }, TODAY)).toEqual({ kind: 'on_time', days: 0 });
		expect(milestoneDrift({ due_date: due, status: 'done', completed_at: '2026-11-05' }, TODAY)).toEqual({ kind: 'late', days: 5 });
	});
	it('not done: overdue after the due date, not yet due until then (due today is not late)', () => {
		expect(milestoneDrift({ due_date: due, status: 'blocked', completed_at: null }, TODAY)).toEqual({ kind: 'overdue', days: 29 });
		expect(milestoneDrift({ due_date: TODAY, status: 'planned', completed_at: null }, TODAY)).toEqual({ kind: 'not_due', days: 0 });
		expect(driftLabelFr({ kind: 'overdue', days: 29 })).toBe('en retard de 29 j');
	});
});

describe('cockpitCells (the page) and cockpitCsv (the export) say the same', () => {
	const row = cockpitRow(
		{
			territory_id: 't1', slug: 'vallee', name: 'Vallée', region: 'Bretagne', departement: '29', carrier_kind: 'mixte',
			status: 'active', start_date: START, citizen_threshold: 350, lieu_threshold: 150, citizens: 120,
			citizens_in_pace_window: 40, societaires: 3, lieux: 150, lieux_in_pace_window: 10, milestones: 10,
			milestones_done: 4, milestones_late: 2, workshops_held: 30, last_change_on: '2026-11-27',
			workshops_held_this_month: 3, attendees: 90, capacity: 120, reported_months: months(1, 8),
			timeliness_day: 10, phases: null, archived: false
		},
		TODAY
	);
	const cells = cockpitCells(row);
	it('gives display text only', () => {
		expect(cells.where).toBe('Bretagne · mois 10/18 · ' + row.phase.name);
		// before its start, a territory says when it starts (never a month ≤ 0)
		expect(cockpitCells({ ...row, stage: { stage: 'before', startsOn: '2027-03-01' } }).where).toBe('Bretagne · démarre le 1er mars 2027');
		expect(cells.lieux.text).toBe('150/150 · ' + cells.lieux.text.split(' · ')[1] + ' · atteint');
		expect(cells.milestones).toBe('4/10 · 2 en retard');
		expect(cells.workshops).toBe('3 / 30 · 75 %');
		expect(cells.fresh).toBe('2 j');
		expect(Object.values(cells).every((v) => typeof v === 'string' || (typeof v === 'object' && typeof v.text === 'string'))).toBe(true);
	});
	it('the CSV line holds the same figures', () => {
		const line = cockpitCsv([row]).split('\r\n')[1];
		expect(line).toContain('Vallée');
		expect(line).toContain('75 %');
		expect(line).toContain(cells.flagText.split(' : ')[0]);
	});
});
