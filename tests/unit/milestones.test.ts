import { describe, expect, it } from 'vitest';
import { WEB_ADDRESS_MESSAGE } from '../../src/lib/domain/fields';
import {
	BlockMilestoneSchema,
	DeleteMilestoneSchema,
	EditMilestoneSchema,
	MilestoneSchema,
	canDo,
	completeMilestoneSchema,
	describeChanges,
	lawNames,
	matchesFilter,
	milestoneTimeline,
	phasesFrom,
	programPlace,
	statusFilterOf
} from '../../src/lib/domain/milestones';
import { parseForm } from '../../src/lib/domain/forms';
import { DEFAULT_PHASES } from '../../src/lib/domain/program';

const TODAY = '2026-11-29';
const form = (values: Record<string, string>) => {
	const f = new FormData();
	for (const [k, v] of Object.entries(values)) f.append(k, v);
	return f;
};

describe('milestone schemas', () => {
	it('reads a territory’s own milestone, laws from five checkboxes', () => {
		const parsed = parseForm(
			MilestoneSchema,
			form({ title: '  Fête des communs ', description: '', due_date: '2027-03-15', law_2: 'on', law_5: 'on', submission: '6f1c2a7e-93b4-4d52-8a1e-2c3b4d5e6f70' })
		);
		expect(parsed).toEqual({
			ok: true,
			data: { title: 'Fête des communs', description: '', due_date: '2027-03-15', laws: [2, 5], submission: '6f1c2a7e-93b4-4d52-8a1e-2c3b4d5e6f70' }
		});
	});

	it('refuses a missing title and an impossible due date, in French, field by field', () => {
		const parsed = parseForm(MilestoneSchema, form({ title: ' ', due_date: '2026-02-31' }));
		expect(parsed.ok).toBe(false);
		if (parsed.ok) return;
		expect(parsed.errors.title).toBe('Indiquez le titre du jalon.');
		// a date written right that the calendar does not have says so (fields.ts), not « indiquez »
		expect(parsed.errors.due_date).toBe('Cette date n’existe pas.');
		expect(parsed.values.title).toBe(' ');
		const notADate = parseForm(MilestoneSchema, form({ title: 'x', due_date: 'bientôt' }));
		expect(notADate.ok || notADate.errors.due_date).toBe('Indiquez l’échéance (AAAA-MM-JJ).');
	});

	it('needs the version to edit', () => {
		const parsed = parseForm(EditMilestoneSchema, form({ title: 'A', due_date: '2026-12-01' }));
		expect(parsed.ok).toBe(false);
		if (!parsed.ok) expect(parsed.errors.version).toMatch(/rechargez la page/);
		const ok = parseForm(EditMilestoneSchema, form({ title: 'A', due_date: '2026-12-01', version: '3' }));
		expect(ok.ok && ok.data).toEqual({ title: 'A', description: '', due_date: '2026-12-01', laws: [], version: 3 });
	});

	describe('completing with evidence', () => {
		const schema = completeMilestoneSchema(TODAY);

		it('requires an evidence note', () => {
			const parsed = parseForm(schema, form({ version: '1', evidence_note: '   ' }));
			expect(parsed.ok).toBe(false);
			if (!parsed.ok) expect(parsed.errors.evidence_note).toMatch(/^Décrivez la preuve de réalisation/);
		});

		it('refuses a link that is not an http(s) URL', () => {
			for (const evidence_url of ['exemple.fr/cr', 'javascript:alert(1)', 'ftp://exemple.fr/cr', 'https://', 'https://intranet/cr']) {
				const parsed = parseForm(schema, form({ version: '1', evidence_note: 'CR', evidence_url }));
				expect(parsed.ok, evidence_url).toBe(false);
				// the message says the rule a refused address breaks, « https://intranet » included
				if (!parsed.ok) expect(parsed.errors.evidence_url).toBe(WEB_ADDRESS_MESSAGE);
			}
		});

		it('takes an optional link, and today as the completion date by default', () => {
			const parsed = parseForm(schema, form({ version: '2', evidence_note: ' CR signé ', evidence_url: '', completed_at: '' }));
			expect(parsed).toEqual({
				ok: true,
				data: { version: 2, evidence_note: 'CR signé', evidence_url: null, completed_at: TODAY }
			});
			const withLink = parseForm(
				schema,
				form({ version: '2', evidence_note: 'CR', evidence_url: 'https://exemple.fr/cr.pdf', completed_at: '2026-11-02' })
			);
			expect(withLink.ok && withLink.data).toMatchObject({ evidence_url: 'https://exemple.fr/cr.pdf', completed_at: '2026-11-02' });
		});

		it('refuses a completion date in the future', () => {
			const parsed = parseForm(schema, form({ version: '1', evidence_note: 'CR', completed_at: '2026-11-30' }));
			expect(parsed.ok).toBe(false);
			if (!parsed.ok) expect(parsed.errors.completed_at).toBe('La date de réalisation ne peut pas être dans le futur.');
		});
	});

	it('requires a reason to block', () => {
		const parsed = parseForm(BlockMilestoneSchema, form({ version: '1', blocked_reason: '' }));
		expect(parsed.ok).toBe(false);
		if (!parsed.ok) expect(parsed.errors.blocked_reason).toBe('Expliquez ce qui bloque ce jalon.');
		expect(parseForm(BlockMilestoneSchema, form({ version: '1', blocked_reason: ' Salle fermée ' }))).toEqual({
			ok: true,
			data: { version: 1, blocked_reason: 'Salle fermée' }
		});
	});

	it('requires the confirmation box to delete', () => {
		const parsed = parseForm(DeleteMilestoneSchema, form({ version: '1' }));
		expect(parsed.ok).toBe(false);
		if (!parsed.ok) expect(parsed.errors.confirm).toBe('Cochez la case pour confirmer la suppression.');
	});
});

describe('status changes and filters', () => {
	it('allows each change only from the statuses it leaves', () => {
		expect(canDo('start', 'planned')).toBe(true);
		expect(canDo('start', 'blocked')).toBe(false);
		expect(canDo('complete', 'blocked')).toBe(true);
		expect(canDo('complete', 'done')).toBe(false);
		expect(canDo('block', 'done')).toBe(false);
		expect(canDo('unblock', 'blocked')).toBe(true);
		expect(canDo('reopen', 'done')).toBe(true);
		expect(canDo('reopen', 'in_progress')).toBe(false);
	});

	it('reads ?statut= and filters late milestones by the isLate rule', () => {
		expect(statusFilterOf('en-retard')).toBe('late');
		expect(statusFilterOf('fait')).toBe('done');
		expect(statusFilterOf('n’importe quoi')).toBeNull();
		expect(statusFilterOf(null)).toBeNull();
		expect(matchesFilter({ due_date: '2026-11-28', status: 'blocked' }, 'late', TODAY)).toBe(true);
		expect(matchesFilter({ due_date: '2026-11-29', status: 'planned' }, 'late', TODAY)).toBe(false);
		expect(matchesFilter({ due_date: '2026-01-01', status: 'done' }, 'late', TODAY)).toBe(false);
		expect(matchesFilter({ due_date: '2026-01-01', status: 'done' }, 'done', TODAY)).toBe(true);
		expect(matchesFilter({ due_date: '2026-01-01', status: 'done' }, null, TODAY)).toBe(true);
	});

	it('names laws', () => {
		expect(lawNames([1, 4])).toBe('Visée régénérative, Sobriété');
		expect(lawNames([])).toBe('');
	});
});

describe('milestoneTimeline', () => {
	const m = (id: string, due_date: string) => ({ id, due_date });

	it('lays out months 1–18 with their dates and phases from the start date', () => {
		const { months } = milestoneTimeline('2026-02-01', [], TODAY);
		expect(months).toHaveLength(18);
		expect(months[0]).toMatchObject({ month: 1, from: '2026-02-01', to: '2026-02-28', current: false });
		expect(months[0].phase.name).toBe('Semer');
		expect(months[6]).toMatchObject({ month: 7, from: '2026-08-01', to: '2026-08-31' });
		expect(months[6].phase.name).toBe('Germer');
		expect(months[9]).toMatchObject({ month: 10, from: '2026-11-01', to: '2026-11-30', current: true });
		expect(months[12].phase.name).toBe('Régénérer');
		expect(months[17]).toMatchObject({ month: 18, from: '2027-07-01', to: '2027-07-31' });
		expect(months.filter((x) => x.current).map((x) => x.month)).toEqual([10]);
	});

	it('handles a start in the middle of a month', () => {
		const { months } = milestoneTimeline('2026-01-15', [], TODAY);
		expect(months[0]).toMatchObject({ from: '2026-01-15', to: '2026-02-14' });
		expect(months[1]).toMatchObject({ from: '2026-02-15', to: '2026-03-14' });
		expect(months.find((x) => x.current)?.month).toBe(11);
	});

	it('places each milestone in the month of its due date, the others outside', () => {
		const list = [
			m('a', '2026-02-01'),
			m('b', '2026-02-28'),
			m('c', '2026-03-01'),
			m('d', '2026-11-30'),
			m('e', '2027-07-31'),
			m('before', '2026-01-31'),
			m('after', '2027-08-01')
		];
		const { months, outside } = milestoneTimeline('2026-02-01', list, TODAY);
		const ids = (n: number) => months[n - 1].milestones.map((x) => x.id);
		expect(ids(1)).toEqual(['a', 'b']);
		expect(ids(2)).toEqual(['c']);
		expect(ids(10)).toEqual(['d']);
		expect(ids(18)).toEqual(['e']);
		expect(outside.map((x) => x.id)).toEqual(['before', 'after']);
		expect(months.reduce((n, x) => n + x.milestones.length, 0)).toBe(5);
	});

	it('marks no month current before the start or after the end', () => {
		expect(milestoneTimeline('2026-02-01', [], '2026-01-31').months.some((x) => x.current)).toBe(false);
		expect(milestoneTimeline('2026-02-01', [], '2027-08-01').months.some((x) => x.current)).toBe(false);
	});

	it('uses the cohort’s phases', () => {
		const phases = phasesFrom([
			{ code: 'semer', name: 'Semer', from: 1, to: 4 },
			{ code: 'germer', name: 'Germer', from: 5, to: 14 },
			{ code: 'regenerer', name: 'Régénérer', from: 15, to: 18 }
		]);
		const { months } = milestoneTimeline('2026-02-01', [], TODAY, phases);
		expect(months[4].phase.name).toBe('Germer');
		expect(months[14].phase.name).toBe('Régénérer');
		expect(phasesFrom('pas du json')).toEqual(DEFAULT_PHASES);
		expect(phasesFrom([])).toEqual(DEFAULT_PHASES);
	});
});

describe('programPlace and history', () => {
	it('gives the month and phase of a due date, or says it is outside', () => {
		expect(programPlace('2026-02-01', '2026-11-30')).toMatchObject({ month: 10, outside: null });
		expect(programPlace('2026-02-01', '2026-11-30').phase.name).toBe('Germer');
		expect(programPlace('2026-02-01', '2026-01-10').outside).toBe('before');
		expect(programPlace('2026-02-01', '2027-08-01').outside).toBe('after');
	});

	it('describes an update in French', () => {
		expect(
			describeChanges('update', {
				status: ['in_progress', 'done'],
				completed_at: [null, '2026-11-29'],
				evidence_note: ['', 'CR'],
				territory_id: 'x'
			})
		).toEqual(['statut : En cours → Fait', 'date de réalisation : — → 29/11/2026', 'preuve modifiée']);
		expect(describeChanges('insert', { title: 'A' })).toEqual([]);
	});
});
