import { describe, expect, it } from 'vitest';
import { PHONE_MESSAGE_FR, POSTAL_CODE_MESSAGE_FR } from '../../src/lib/domain/contact';
import {
	CONSENT_PURPOSE,
	CONSENT_TEXT_VERSION,
	EditCitizenSchema,
	EnrolCitizenFormSchema,
	EnrolCitizenSchema,
	EraseCitizenSchema,
	ERASED_NAME_FR,
	ReactivateCitizenSchema,
	citizenState,
	enrolmentDateError,
	escapeLike,
	isUuid,
	nameOf,
	parseCitizenFilters
} from '../../src/lib/domain/citizens';
import { parseForm } from '../../src/lib/domain/forms';

const form = (fields: Record<string, string>) => {
	const f = new FormData();
	for (const [k, v] of Object.entries(fields)) f.set(k, v);
	return f;
};
const valid = {
	display_name: '  Camille R. ',
	email: '',
	phone: '',
	commune: 'Thiers',
	postal_code: '',
	age_band: '41_60',
	source: 'workshop',
	enrolled_at: '2026-11-29',
	consent: 'on',
	submission: '6f1c2a7e-93b4-4d52-8a1e-2c3b4d5e6f70'
};

describe('enrolment form', () => {
	it('accepts the minimum, trims, turns empty optional fields into null and records the consent text', () => {
		const r = parseForm(EnrolCitizenFormSchema, form(valid));
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.data).toMatchObject({
			display_name: 'Camille R.',
			email: null,
			phone: null,
			commune: 'Thiers',
			postal_code: null,
			is_societaire: false,
			not_duplicate: false,
			consent: 'on',
			consent_purpose: CONSENT_PURPOSE,
			consent_text_version: CONSENT_TEXT_VERSION
		});
	});

	it('enrols nobody without consent: the schemas refuse it, with a French message at the checkbox', () => {
		const { consent: _, ...withoutConsent } = valid;
		for (const schema of [EnrolCitizenSchema, EnrolCitizenFormSchema]) {
			const r = parseForm(schema, form(withoutConsent));
			expect(r.ok).toBe(false);
			if (!r.ok) expect(r.errors.consent).toBe('La personne doit donner son consentement pour être inscrite.');
			const ticked = parseForm(schema, form({ ...valid, consent: 'true' }));
			expect(ticked.ok).toBe(false); // only a ticked box ('on') counts, not any value
		}
	});

	it('gives every field error at once, in French', () => {
		const r = parseForm(
			EnrolCitizenFormSchema,
			form({ display_name: ' ', email: 'pas-un-email', phone: 'abc', postal_code: '123', age_band: 'vieux', source: '', enrolled_at: '31/11/2026' })
		);
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.errors).toEqual({
			display_name: 'Indiquez le nom affiché (par exemple « Camille R. »).',
			email: 'Cette adresse e-mail n’est pas valide (exemple : prenom@exemple.fr).',
			phone: PHONE_MESSAGE_FR,
			postal_code: POSTAL_CODE_MESSAGE_FR,
			age_band: 'Choisissez une tranche d’âge.',
			source: 'Choisissez comment la personne est arrivée.',
			enrolled_at: 'Cette date n’existe pas.', // 31 November
			consent: 'La personne doit donner son consentement pour être inscrite.',
			submission: 'Ce formulaire a expiré : rechargez la page, puis envoyez-le à nouveau.',
			// a hidden field has no place on the page for its message: it is the form's
			_form: 'Ce formulaire a expiré : rechargez la page, puis envoyez-le à nouveau.'
		});
		expect(r.values.email).toBe('pas-un-email'); // typed values come back
	});

	it('asks for the commune or the postal code, either one is enough', () => {
		const none = parseForm(EnrolCitizenFormSchema, form({ ...valid, commune: ' ' }));
		expect(none.ok).toBe(false);
		if (!none.ok) expect(none.errors.commune).toBe('Indiquez la commune ou le code postal.');
		expect(parseForm(EnrolCitizenFormSchema, form({ ...valid, commune: '', postal_code: '63300' })).ok).toBe(true);
	});

	it('reads the sociétaire and « autre personne » checkboxes', () => {
		const r = parseForm(EnrolCitizenFormSchema, form({ ...valid, is_societaire: 'on', not_duplicate: 'on' }));
		expect(r.ok && r.data.is_societaire && r.data.not_duplicate).toBe(true);
	});

	it('refuses an enrolment date in the future', () => {
		expect(enrolmentDateError('2026-11-30', '2026-11-29')).toBe('La date d’inscription ne peut pas être dans le futur.');
		expect(enrolmentDateError('2026-11-29', '2026-11-29')).toBeNull();
		expect(enrolmentDateError('2026-02-01', '2026-11-29')).toBeNull();
	});
});

describe('edit, re-enrolment and erasure forms', () => {
	it('an edit carries the version it was read at', () => {
		const { consent: _, ...data } = valid;
		expect(parseForm(EditCitizenSchema, form({ ...data, version: '3' }))).toMatchObject({ ok: true, data: { version: 3 } });
		const r = parseForm(EditCitizenSchema, form(data));
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.errors.version).toBe('Version manquante : rechargez la page.');
	});

	it('re-enrolment takes a fresh consent; erasure an explicit confirmation', () => {
		expect(parseForm(ReactivateCitizenSchema, form({})).ok).toBe(false);
		expect(parseForm(ReactivateCitizenSchema, form({ consent: 'on' })).ok).toBe(true);
		const r = parseForm(EraseCitizenSchema, form({}));
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.errors.confirm).toMatch(/Je confirme l’effacement/);
		expect(parseForm(EraseCitizenSchema, form({ confirm: 'on' })).ok).toBe(true);
	});
});

describe('list filters', () => {
	it('reads known values and ignores the rest', () => {
		expect(parseCitizenFilters(new URLSearchParams('q=  Camille   R. &statut=retires&source=online&societaire=oui'))).toEqual({
			q: 'Camille R.',
			statut: 'retires',
			source: 'online',
			societaire: 'oui'
		});
		expect(parseCitizenFilters(new URLSearchParams('statut=tous&source=drop%20table&societaire=1'))).toEqual({
			q: '',
			statut: '',
			source: '',
			societaire: ''
		});
		expect(parseCitizenFilters(new URLSearchParams(`q=${'x'.repeat(500)}`)).q).toHaveLength(100);
	});

	it('searches for %, _ and \\ literally', () => {
		expect(escapeLike('100%_a\\b')).toBe('100\\%\\_a\\\\b');
		expect(escapeLike('Saint-Étienne')).toBe('Saint-Étienne');
	});
});

describe('a person’s state and name', () => {
	it('erasure wins over withdrawal, and an erased person is « Personne effacée »', () => {
		expect(citizenState({ status: 'active', erased_at: null })).toBe('active');
		expect(citizenState({ status: 'withdrawn', erased_at: null })).toBe('withdrawn');
		expect(citizenState({ status: 'withdrawn', erased_at: new Date() })).toBe('erased');
		expect(citizenState({ status: 'active', erased_at: '2026-11-29T10:00:00Z' })).toBe('erased');
		expect(nameOf({ display_name: null })).toBe(ERASED_NAME_FR);
		expect(ERASED_NAME_FR).toBe('Personne effacée');
		expect(nameOf({ display_name: 'Camille R.' })).toBe('Camille R.');
	});

	it('recognises ids before they reach the database', () => {
		expect(isUuid('0b7e2c1a-3f4d-4e5f-8a9b-0c1d2e3f4a5b')).toBe(true);
		expect(isUuid('nouveau')).toBe(false);
		expect(isUuid("1' or '1'='1")).toBe(false);
	});
});
