import { describe, expect, it } from 'vitest';
import {
	CancelWorkshopSchema,
	CheckInSchema,
	CloseWorkshopSchema,
	EditWorkshopSchema,
	QuickAddSchema,
	WorkshopSchema,
	attendanceRate,
	calendarWeeks,
	canCheckIn,
	canClose,
	currentInstant,
	formatRate,
	formatWhen,
	isPast,
	monthLabel,
	monthOf,
	shiftMonth,
	viewOf,
	workshopFormValues,
	type Workshop
} from '../../src/lib/domain/workshops';
import { parseForm } from '../../src/lib/domain/forms';

const form = (fields: Record<string, string>) => {
	const f = new FormData();
	for (const [k, v] of Object.entries(fields)) f.append(k, v);
	return f;
};
const LIEU = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const valid = {
	title: 'Café réparation',
	format: 'atelier',
	date: '2026-12-05',
	start_time: '14:00',
	duration_minutes: '150',
	lieu_id: LIEU,
	lieu_label: '',
	capacity: '20',
	facilitator_name: 'Alex T.',
	summary: ''
};

describe('WorkshopSchema', () => {
	it('accepts a complete workshop and turns law boxes into a list', () => {
		const r = parseForm(WorkshopSchema, form({ ...valid, law_4: 'on', law_2: 'on' }));
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.data).toMatchObject({ title: 'Café réparation', duration_minutes: 150, capacity: 20, lieu_id: LIEU, laws: [2, 4] });
	});

	it('ignores anything but law_1…law_5 and keeps no law when none is ticked', () => {
		const r = parseForm(WorkshopSchema, form({ ...valid, law_6: 'on', law_0: 'on' }));
		expect(r.ok && r.data.laws).toEqual([]);
	});

	it('refuses a law box with a forged value', () => {
		const r = parseForm(WorkshopSchema, form({ ...valid, law_3: 'oui' }));
		expect(r.ok).toBe(false);
	});

	it('refuses an end before (or at) the start: a duration of at least 1 minute', () => {
		for (const d of ['0', '-30']) {
			const r = parseForm(WorkshopSchema, form({ ...valid, duration_minutes: d }));
			expect(r.ok).toBe(false);
			if (!r.ok) expect(r.errors.duration_minutes).toMatch(/La fin doit être après le début/);
		}
		const long = parseForm(WorkshopSchema, form({ ...valid, duration_minutes: '1441' }));
		expect(!long.ok && long.errors.duration_minutes).toMatch(/24 heures/);
		const text = parseForm(WorkshopSchema, form({ ...valid, duration_minutes: 'deux heures' }));
		expect(!text.ok && text.errors.duration_minutes).toMatch(/nombre entier/);
	});

	it('refuses a bad start time, reads « 14h30 », and refuses an impossible date', () => {
		for (const t of ['25:00', '14h60', '9:5', '', '23:60', 'midi', '14h3']) {
			const r = parseForm(WorkshopSchema, form({ ...valid, start_time: t }));
			expect(r.ok, t).toBe(false);
			if (!r.ok) expect(r.errors.start_time).toMatch(/heure de début/);
		}
		expect(parseForm(WorkshopSchema, form({ ...valid, start_time: '09:05:00' })).ok).toBe(true);
		// as French people write it, where an old phone has no time picker
		for (const [typed, time] of [['14h30', '14:30'], ['14h', '14:00'], ['14 h 30', '14:30'], ['9h05', '09:05'], ['9:05', '09:05'], ['9H', '09:00']]) {
			const r = parseForm(WorkshopSchema, form({ ...valid, start_time: typed }));
			expect(r.ok && r.data.start_time, typed).toBe(time);
		}
		const feb = parseForm(WorkshopSchema, form({ ...valid, date: '2026-02-30' }));
		expect(!feb.ok && feb.errors.date).toBe('Cette date n’existe pas.');
	});

	it('requires a title, in French, and keeps what was typed', () => {
		const r = parseForm(WorkshopSchema, form({ ...valid, title: '   ' }));
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.errors.title).toBe('Indiquez le titre de l’atelier.');
		expect(r.values.facilitator_name).toBe('Alex T.');
	});

	it('capacity: empty means none, at least 1 otherwise', () => {
		const none = parseForm(WorkshopSchema, form({ ...valid, capacity: '' }));
		expect(none.ok && none.data.capacity).toBe(null);
		const zero = parseForm(WorkshopSchema, form({ ...valid, capacity: '0' }));
		expect(!zero.ok && zero.errors.capacity).toMatch(/au moins 1 place/);
	});

	it('a lieu from the list OR a free label, exactly one of them', () => {
		const both = parseForm(WorkshopSchema, form({ ...valid, lieu_label: 'Salle des fêtes' }));
		expect(!both.ok && both.errors.lieu_label).toMatch(/pas les deux/);
		const none = parseForm(WorkshopSchema, form({ ...valid, lieu_id: '' }));
		expect(!none.ok && none.errors.lieu_id).toMatch(/Indiquez où se tient/);
		const label = parseForm(WorkshopSchema, form({ ...valid, lieu_id: '', lieu_label: 'En ligne' }));
		expect(label.ok && label.data).toMatchObject({ lieu_id: null, lieu_label: 'En ligne' });
		const forged = parseForm(WorkshopSchema, form({ ...valid, lieu_id: 'pas-un-id' }));
		expect(!forged.ok && forged.errors.lieu_id).toMatch(/Choisissez un lieu/);
	});

	it('the edit form also needs the version it was read at', () => {
		const r = parseForm(EditWorkshopSchema, form({ ...valid, version: '3', law_1: 'on' }));
		expect(r.ok && r.data).toMatchObject({ version: 3, laws: [1], title: 'Café réparation' });
		const missing = parseForm(EditWorkshopSchema, form({ ...valid, title: '' }));
		expect(!missing.ok && missing.errors).toMatchObject({ version: expect.stringMatching(/Version/), title: expect.any(String) });
	});
});

describe('other forms', () => {
	it('cancelling is confirmed; closing needs a summary', () => {
		expect(parseForm(CancelWorkshopSchema, form({ version: '2' })).ok).toBe(false);
		expect(parseForm(CancelWorkshopSchema, form({ version: '2', confirm: 'on' })).ok).toBe(true);
		const close = parseForm(CloseWorkshopSchema, form({ version: '2', summary: ' ' }));
		expect(!close.ok && close.errors.summary).toBe('Écrivez un bref compte rendu de l’atelier.');
	});

	it('quick-add: a name, an age band and the consent; commune and e-mail optional', () => {
		const submission = '6f1c2a7e-93b4-4d52-8a1e-2c3b4d5e6f70';
		const ok = parseForm(QuickAddSchema, form({ display_name: 'Sam K.', age_band: '26_40', consent: 'on', commune: '', email: '', submission }));
		expect(ok.ok && ok.data).toEqual({ display_name: 'Sam K.', age_band: '26_40', consent: 'on', commune: null, email: null, submission });
		const bad = parseForm(QuickAddSchema, form({ display_name: '', age_band: 'vieux', email: 'pas-une-adresse' }));
		expect(bad.ok).toBe(false);
		if (bad.ok) return;
		expect(bad.errors.display_name).toMatch(/nom affiché/);
		expect(bad.errors.age_band).toBe('Choisissez une tranche d’âge.');
		expect(bad.errors.email).toMatch(/n’est pas valide/);
		expect(bad.errors.consent).toMatch(/consentement/);
	});

	it('check-in needs a well-formed person id', () => {
		expect(parseForm(CheckInSchema, form({ citizen_id: 'x' })).ok).toBe(false);
		expect(parseForm(CheckInSchema, form({ citizen_id: LIEU, q: ' Mar ' }))).toMatchObject({ ok: true, data: { q: 'Mar' } });
	});
});

describe('calendar', () => {
	it('November 2026 starts on a Sunday: six weeks from Monday 26 October to Sunday 6 December', () => {
		const weeks = calendarWeeks('2026-11');
		expect(weeks).toHaveLength(6);
		expect(weeks.every((w) => w.length === 7)).toBe(true);
		expect(weeks[0][0]).toEqual({ date: '2026-10-26', day: 26, inMonth: false });
		expect(weeks[0][6]).toEqual({ date: '2026-11-01', day: 1, inMonth: true });
		expect(weeks[5][0]).toEqual({ date: '2026-11-30', day: 30, inMonth: true });
		expect(weeks[5][6].date).toBe('2026-12-06');
		expect(weeks.flat().filter((d) => d.inMonth)).toHaveLength(30);
	});

	it('every week starts on a Monday, across DST changes and leap years', () => {
		for (const m of ['2026-03', '2026-10', '2028-02', '2027-02', '2026-06']) {
			const weeks = calendarWeeks(m);
			for (const w of weeks) expect(new Date(`${w[0].date}T12:00:00Z`).getUTCDay(), m).toBe(1);
			const days = weeks.flat().map((d) => d.date);
			expect(new Set(days).size).toBe(days.length);
		}
		// February 2027 starts on a Monday and has 28 days: exactly four weeks
		expect(calendarWeeks('2027-02')).toHaveLength(4);
		expect(calendarWeeks('2028-02').flat().filter((d) => d.inMonth)).toHaveLength(29);
	});

	it('months: read from the URL, shifted, named in French', () => {
		expect(monthOf('2026-12', '2026-11-29')).toBe('2026-12');
		expect(monthOf('2026-13', '2026-11-29')).toBe('2026-11');
		expect(monthOf(null, '2026-11-29')).toBe('2026-11');
		expect(monthOf('2026-1', '2026-11-29')).toBe('2026-11');
		expect(shiftMonth('2026-12', 1)).toBe('2027-01');
		expect(shiftMonth('2026-01', -1)).toBe('2025-12');
		expect(monthLabel('2026-11')).toBe('novembre 2026');
		expect(viewOf('calendrier')).toBe('calendrier');
		expect(viewOf('n’importe quoi')).toBe('a-venir');
	});
});

describe('rates, dates and rules', () => {
	it('attendance rate: checked-in over capacity, « — » without capacity', () => {
		expect(attendanceRate(3, 20)).toBeCloseTo(0.15);
		expect(formatRate(attendanceRate(3, 20))).toBe('15 %');
		expect(formatRate(attendanceRate(31, 30))).toBe('103 %');
		expect(attendanceRate(5, null)).toBe(null);
		expect(formatRate(attendanceRate(5, null))).toBe('—');
		expect(formatRate(attendanceRate(0, 12))).toBe('0 %');
	});

	it('dates and times in French', () => {
		expect(formatWhen({ local_date: '2026-12-05', start_time: '09:30', end_time: '12:00' })).toBe(
			'samedi 5 décembre 2026, 9 h 30 – 12 h 00'
		);
	});

	it('« now » keeps the real time of day on the pinned date', () => {
		const real = new Date('2025-06-10T08:15:00Z');
		const now = currentInstant(real, '2026-11-29');
		expect(now.toISOString().slice(0, 10)).toBe('2026-11-29');
		expect(now.getUTCMinutes()).toBe(15);
		expect(currentInstant(real)).toBe(real);
	});

	it('past: ended or closed; closing only once started; check-in from the day on, never when cancelled', () => {
		const now = new Date('2026-11-29T10:00:00Z');
		const later = new Date('2026-11-29T12:00:00Z');
		const earlier = new Date('2026-11-29T09:00:00Z');
		expect(isPast({ status: 'planned', ends_at: later }, now)).toBe(false);
		expect(isPast({ status: 'held', ends_at: later }, now)).toBe(true);
		expect(isPast({ status: 'cancelled', ends_at: earlier }, now)).toBe(true);
		expect(canClose({ status: 'planned', starts_at: earlier }, now)).toBe(true);
		expect(canClose({ status: 'planned', starts_at: later }, now)).toBe(false);
		expect(canClose({ status: 'cancelled', starts_at: earlier }, now)).toBe(false);
		expect(canCheckIn({ status: 'planned', local_date: '2026-11-29' }, '2026-11-29')).toBe(true);
		expect(canCheckIn({ status: 'planned', local_date: '2026-11-30' }, '2026-11-29')).toBe(false);
		expect(canCheckIn({ status: 'cancelled', local_date: '2026-11-01' }, '2026-11-29')).toBe(false);
	});

	it('a stored workshop fills the edit form back', () => {
		const values = workshopFormValues({
			title: 'Fresque', format: 'atelier', local_date: '2026-12-05', start_time: '14:00', duration_minutes: 180,
			lieu_id: null, lieu_label: 'En ligne', capacity: null, facilitator_name: '', summary: '', laws: [1, 4]
		} as unknown as Workshop);
		expect(values).toMatchObject({ date: '2026-12-05', duration_minutes: '180', capacity: '', lieu_id: '', law_1: 'on', law_4: 'on' });
		expect(parseForm(WorkshopSchema, form(values))).toMatchObject({ ok: true, data: { laws: [1, 4], lieu_label: 'En ligne' } });
	});
});
