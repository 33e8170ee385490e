import { describe, expect, it } from 'vitest';
import {
	canonicalPhone,
	canonicalPostalCode,
	formatPhone,
	phoneField,
	PHONE_MESSAGE_FR,
	postalCodeField,
	POSTAL_CODE_MESSAGE_FR
} from '../../src/lib/domain/contact';
import { CitizenSchema } from '../../src/lib/domain/citizens';
import { LieuSchema } from '../../src/lib/domain/lieux';
import { QuickAddSchema } from '../../src/lib/domain/workshops';

const NBSP = '\u00a0';
const NNBSP = '\u202f';

describe('canonicalPhone: as French people write them → E.164', () => {
	it('accepts every usual way of writing one mobile number', () => {
		for (const typed of [
			'06 12 34 56 78',
			`06${NBSP}12${NBSP}34${NBSP}56${NBSP}78`,
			`06${NNBSP}12${NNBSP}34${NNBSP}56${NNBSP}78`,
			'06.12.34.56.78',
			'06-12-34-56-78',
			'0612345678',
			'+33 6 12 34 56 78',
			'+33 (0)6 12 34 56 78',
			'+33(0)612345678',
			'+33 06 12 34 56 78',
			'0033 6 12 34 56 78',
			'0033612345678',
			' 06 12 34 56 78 '
		])
			expect(canonicalPhone(typed), typed).toBe('+33612345678');
	});

	it('gives overseas departments their own country code', () => {
		expect(canonicalPhone('0590 12 34 56')).toBe('+590590123456');
		expect(canonicalPhone('0590 12 34 5')).toBe(null);
		expect(canonicalPhone('05 90 12 34 56')).toBe('+590590123456');
		expect(canonicalPhone('06 90 12 34 56')).toBe('+590690123456');
		expect(canonicalPhone('+590 690 12 34 56')).toBe('+590690123456');
		expect(canonicalPhone('06 96 12 34 56')).toBe('+596696123456');
		expect(canonicalPhone('05 94 12 34 56')).toBe('+594594123456');
		expect(canonicalPhone('02 62 12 34 56')).toBe('+262262123456');
		expect(canonicalPhone('06 92 12 34 56')).toBe('+262692123456');
		expect(canonicalPhone('+262 692 12 34 56')).toBe('+262692123456');
		expect(canonicalPhone('06 39 12 34 56')).toBe('+262639123456');
		expect(canonicalPhone('+508 41 23 45')).toBe('+508412345');
		expect(canonicalPhone('+687 12 34 56')).toBe('+687123456');
		expect(canonicalPhone('+689 87 12 34 56')).toBe('+68987123456');
	});

	it('keeps foreign numbers given with their code, refuses what is not a number', () => {
		expect(canonicalPhone('+41 79 123 45 67')).toBe('+41791234567');
		expect(canonicalPhone('0041 79 123 45 67')).toBe('+41791234567');
		for (const bad of ['abc', '12', '06 12 34 56', '06 12 34 56 78 9', '+33 6 12 34', '00 12 34 56 78', '+0 6 12', '0612345678x'])
			expect(canonicalPhone(bad), bad).toBe(null);
	});
});

describe('formatPhone: shown « 06 12 34 56 78 »', () => {
	it('shows French and overseas numbers in the national format, others with their code', () => {
		expect(formatPhone('+33612345678')).toBe('06 12 34 56 78');
		expect(formatPhone('+590690123456')).toBe('06 90 12 34 56');
		expect(formatPhone('+262692123456')).toBe('06 92 12 34 56');
		expect(formatPhone('+508412345')).toBe('+508 41 23 45');
		expect(formatPhone('+41791234567')).toBe('+41791234567');
		expect(formatPhone('06.12.34.56.78')).toBe('06 12 34 56 78'); // older rows, not yet canonical
		expect(formatPhone(null)).toBe('');
		expect(formatPhone('n/a')).toBe('n/a');
	});
});

describe('canonicalPostalCode', () => {
	it('keeps the leading zero, accepts Corsica and overseas, spaces as typed', () => {
		expect(canonicalPostalCode('01000')).toBe('01000');
		expect(canonicalPostalCode('25 000')).toBe('25000');
		expect(canonicalPostalCode(`25${NBSP}000`)).toBe('25000');
		expect(canonicalPostalCode('20000')).toBe('20000');
		expect(canonicalPostalCode('20600')).toBe('20600');
		for (const dom of ['97100', '97200', '97300', '97400', '97500', '97600', '98800']) expect(canonicalPostalCode(dom)).toBe(dom);
	});

	it('refuses codes that do not exist', () => {
		for (const bad of ['1000', '00100', '96000', '97700', '99000', '2A004', 'abcde', '750011']) expect(canonicalPostalCode(bad), bad).toBe(null);
	});
});

describe('one field rule on every path', () => {
	it('stores the canonical values from the citizen form, the lieu form and their messages are French', () => {
		const base = { display_name: 'A', age_band: 'non_renseigne', source: 'event', enrolled_at: '2026-11-20' };
		const ok = CitizenSchema.parse({ ...base, phone: `+33 (0)6${NBSP}12 34 56 78`, postal_code: '01 000' });
		expect(ok).toMatchObject({ phone: '+33612345678', postal_code: '01000' });
		const bad = CitizenSchema.safeParse({ ...base, phone: '12', postal_code: '96000' });
		expect(bad.success).toBe(false);
		if (!bad.success) {
			const byField = Object.fromEntries(bad.error.issues.map((i) => [i.path[0], i.message]));
			expect(byField).toMatchObject({ phone: PHONE_MESSAGE_FR, postal_code: POSTAL_CODE_MESSAGE_FR });
		}
		const lieu = LieuSchema.parse({ name: 'L', kind: 'cafe', commune: 'C', enrolled_at: '2026-11-20', contact_phone: '0033 4 73 00 00 00' });
		expect(lieu.contact_phone).toBe('+33473000000');
		expect(phoneField.parse('')).toBe(null);
		expect(postalCodeField.parse(undefined)).toBe(null);
	});

	it('quick-add takes the same name rule (its schema has no phone)', () => {
		expect(Object.keys(QuickAddSchema.shape)).not.toContain('phone');
	});
});
