import { describe, expect, it } from 'vitest';
import { PHONE_MESSAGE_FR } from '../../src/lib/domain/contact';
import {
	isRealIsoDate,
	isUuid,
	lieuFiltersFromUrl,
	LieuSchema,
	LieuStatusChangeSchema,
	UpdateLieuSchema
} from '../../src/lib/domain/lieux';
import { parseForm } from '../../src/lib/domain/forms';

const form = (values: Record<string, string>) => {
	const f = new FormData();
	for (const [k, v] of Object.entries(values)) f.set(k, v);
	return f;
};
const good = { name: ' La Fabrique ', kind: 'tiers_lieu', commune: 'Thiers', address: '', contact_name: '', contact_email: '', contact_phone: '', enrolled_at: '2026-11-29', status: 'active' };

describe('LieuSchema', () => {
	it('accepts a lieu, trims, turns empty contacts into null', () => {
		const parsed = parseForm(LieuSchema, form(good));
		expect(parsed).toEqual({
			ok: true,
			data: { name: 'La Fabrique', kind: 'tiers_lieu', commune: 'Thiers', address: '', contact_name: null, contact_email: null, contact_phone: null, enrolled_at: '2026-11-29', status: 'active' }
		});
	});

	it('says in French, field by field, what is wrong', () => {
		const parsed = parseForm(LieuSchema, form({ ...good, name: '  ', kind: 'piscine', commune: '', contact_email: 'non', contact_phone: 'abc', enrolled_at: '2026-02-30', status: 'ferme' }));
		expect(parsed.ok).toBe(false);
		if (parsed.ok) return;
		expect(parsed.errors).toEqual({
			name: 'Indiquez le nom du lieu.',
			kind: 'Choisissez le type de lieu.',
			commune: 'Indiquez la commune.',
			contact_email: 'Cette adresse e-mail n’est pas valide (exemple : prenom@exemple.fr).',
			contact_phone: PHONE_MESSAGE_FR,
			enrolled_at: 'Cette date n’existe pas.', // 30 February
			status: 'Choisissez le statut du lieu.'
		});
		expect(parsed.values.name).toBe('  ');
	});

	it('edits need the version read; status changes too', () => {
		const { status: _, ...edit } = good;
		expect(parseForm(UpdateLieuSchema, form(edit)).ok).toBe(false);
		const ok = parseForm(UpdateLieuSchema, form({ ...edit, version: '3' }));
		expect(ok.ok && ok.data.version).toBe(3);
		expect(parseForm(LieuStatusChangeSchema, form({ version: 'x' })).ok).toBe(false);
	});
});

describe('helpers', () => {
	it('reads list filters from the URL, ignoring unknown values', () => {
		expect(lieuFiltersFromUrl(new URL('http://x/?q=%20Riom%20&type=cafe&statut=inactive'))).toEqual({ q: 'Riom', kind: 'cafe', status: 'inactive' });
		expect(lieuFiltersFromUrl(new URL('http://x/?type=piscine&statut=zzz'))).toEqual({ q: '', kind: null, status: null });
	});
	it('knows real dates and ids', () => {
		expect(isRealIsoDate('2028-02-29')).toBe(true);
		expect(isRealIsoDate('2026-02-29')).toBe(false);
		expect(isUuid('9b2f0c53-3f57-4a5e-9d1e-2b1f2f9a1c01')).toBe(true);
		expect(isUuid('1; drop table')).toBe(false);
	});
});
