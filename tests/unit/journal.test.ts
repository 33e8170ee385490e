import { describe, expect, it } from 'vitest';
import { describeAuditChanges, journalCsv, journalFilters } from '../../src/lib/domain/journal';

describe('journalFilters', () => {
	it('keeps well-formed filters and drops the rest', () => {
		const f = journalFilters(new URLSearchParams('territoire=Pas%20un%20slug&personne=0b0e8f8e-8a8a-4c4c-9d9d-111111111111&entite=indicators&du=2026-11-01&au=hier'));
		expect(f).toEqual({ territoire: null, personne: '0b0e8f8e-8a8a-4c4c-9d9d-111111111111', entite: 'indicators', du: '2026-11-01', au: null });
		expect(journalFilters(new URLSearchParams('entite=pg_authid')).entite).toBeNull();
	});
});

describe('describeAuditChanges', () => {
	it('before → after for an update; values for a creation; masked fields stay masked; long values cut', () => {
		expect(describeAuditChanges('update', { title: ['Avant', 'Après'], due_date: [null, '2026-12-31'] })).toEqual([
			'title : Avant → Après',
			'due_date : — → 2026-12-31'
		]);
		expect(describeAuditChanges('insert', { display_name: '«masqué»', laws: [2, 5] })).toEqual(['display_name : «masqué»', 'laws : [2,5]']);
		expect(describeAuditChanges('update', { note: ['', 'x'.repeat(200)] })[0]).toMatch(/^note : — → x{79}…$/);
	});
});

describe('journalCsv', () => {
	it('one line per event, formulas guarded, BOM', () => {
		const csv = journalCsv([
			{ id: '1', at: '2026-11-29T10:00:00Z', actor_id: null, actor_name: null, territory_slug: 'x', territory_name: '=HYPERLINK(1)', entity: 'indicators', entity_id: 'x', action: 'update', changes: { unit: ['=1+1', 'kWh'] } }
		]);
		expect(csv.startsWith('\uFEFF')).toBe(true);
		expect(csv).toContain(`système;"'=HYPERLINK(1)";Indicateur;x;Modification;unit : =1+1 → kWh`);
	});
});
