import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
	DATE_BOUNDS,
	checkbox,
	date,
	dateBoundsProblem,
	hasControlCharacter,
	searchTermOf,
	isUuid,
	NONEXISTENT_DATE_MESSAGE,
	optionalText,
	parseDateFr,
	readDateFr,
	submission,
	text,
	textOrEmpty,
	uuid,
	version
} from '../../src/lib/domain/fields';
import { failureOf, parseForm } from '../../src/lib/domain/forms';
import { LieuSchema } from '../../src/lib/domain/lieux';
import { CitizenSchema } from '../../src/lib/domain/citizens';
import { parseCitizensCsv, parseLieuxCsv } from '../../src/lib/domain/csv';
import { journalFilterErrors, journalFilters } from '../../src/lib/domain/journal';

const TODAY = '2026-11-29';
const form = (fields: Record<string, string>) => {
	const f = new FormData();
	for (const [k, v] of Object.entries(fields)) f.set(k, v);
	return f;
};
const issue = (schema: z.ZodType, v: unknown) => {
	const r = schema.safeParse(v);
	return r.success ? null : r.error.issues[0].message;
};

describe('uuid and version', () => {
	it('knows a uuid, whatever its case, and nothing else', () => {
		expect(isUuid('9B2F0C53-3F57-4A5E-9D1E-2B1F2F9A1C01')).toBe(true);
		expect(isUuid('9b2f0c53-3f57-4a5e-9d1e-2b1f2f9a1c0')).toBe(false);
		expect(isUuid("1'; drop table citizens; --")).toBe(false);
		expect(isUuid(undefined)).toBe(false);
		expect(issue(uuid('Personne inconnue.'), 'x')).toBe('Personne inconnue.');
	});

	it('bounds the version to a Postgres integer: 99999999999 is a form error, not a database error', () => {
		expect(version.parse('1')).toBe(1);
		expect(version.parse(' 2147483647 ')).toBe(2147483647);
		for (const bad of ['0', '-1', '2147483648', '99999999999', '1.5', '1e3', 'abc', ''])
			expect(issue(version, bad), bad).toBe('Version manquante : rechargez la page.');
		expect(issue(version, undefined)).toBe('Version manquante : rechargez la page.');
	});

	it('takes a submission token as a uuid, lower-cased', () => {
		expect(submission.parse('6F1C2A7E-93B4-4D52-8A1E-2C3B4D5E6F70')).toBe('6f1c2a7e-93b4-4d52-8a1e-2c3b4d5e6f70');
		expect(issue(submission, undefined)).toMatch(/rechargez la page/);
	});
});

describe('text without control characters', () => {
	const name = text({ missing: 'Indiquez le nom.', max: 10, tooLong: 'Trop long.' });
	const note = textOrEmpty({ max: 100, tooLong: 'Trop long.', multiline: true });

	it('trims, requires, bounds', () => {
		expect(name.parse('  Lou  ')).toBe('Lou');
		expect(issue(name, '   ')).toBe('Indiquez le nom.');
		expect(issue(name, undefined)).toBe('Indiquez le nom.');
		expect(issue(name, 'x'.repeat(11))).toBe('Trop long.');
	});

	it('refuses every C0 and C1 control character (NUL included), in French', () => {
		for (const c of ['\u0000', '\u0001', '\u0008', '\u000B', '\u001B', '\u007F', '\u0080', '\u009C', '\u009F'])
			expect(issue(name, `Lo${c}u`), JSON.stringify(c)).toMatch(/caractère invisible/);
		expect(issue(name, 'L\u009Cuvre')).toMatch(/caractère invisible/); // œ decoded as Latin-1
	});

	it('refuses the bidirectional overrides that make a text display in another order (Trojan Source), keeps U+202F', () => {
		for (const c of ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'])
			expect(issue(name, `Lo${c}u`), JSON.stringify(c)).toMatch(/caractère invisible/);
		expect(name.parse('10\u202F%')).toBe('10\u202F%');
	});

	it('allows tab and line breaks in multi-line fields only', () => {
		expect(note.parse('ligne 1\nligne 2\r\n\tfin')).toBe('ligne 1\nligne 2\r\n\tfin');
		expect(issue(name, 'Jean\nPierre')).toMatch(/caractère invisible/);
		expect(issue(name, 'Jean\tPierre')).toMatch(/caractère invisible/);
		expect(issue(note, 'a\u0000b')).toMatch(/caractère invisible/);
	});

	it('keeps what French text needs: accents, œ, typographic apostrophes, non-breaking spaces', () => {
		expect(name.parse('L’Œuvre')).toBe('L’Œuvre');
		expect(hasControlCharacter('Zéphyr\u00A0«\u202Fœ\u202F»', false)).toBe(false);
	});

	it('turns a blank optional text into null, an absent one too', () => {
		const o = optionalText({ max: 5, tooLong: 'Trop long.' });
		expect(o.parse('  ')).toBeNull();
		expect(o.parse(undefined)).toBeNull();
		expect(o.parse(' ab ')).toBe('ab');
	});

	it('parseForm refuses a NUL byte in any field, even one the schema does not know', () => {
		const r = parseForm(z.object({ a: z.string() }), form({ a: 'ok', autre: 'x\u0000y' }));
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.errors.autre).toMatch(/caractère invisible/);
		// the typed text comes back without its control characters (never echoed into the page)
		expect(r.values).toEqual({ a: 'ok', autre: 'xy' });
	});
});

describe('checkbox', () => {
	it('reads HTML and CSV yes/no', () => {
		for (const yes of ['on', 'true', 'oui']) expect(checkbox.parse(yes)).toBe(true);
		for (const no of ['', 'false', 'non', undefined]) expect(checkbox.parse(no)).toBe(false);
		expect(checkbox.safeParse('peut-être').success).toBe(false);
	});
});

describe('dates: one rule on every path', () => {
	it('reads JJ/MM/AAAA as the French do, and AAAA-MM-JJ', () => {
		expect(parseDateFr('11/12/2026')).toBe('2026-12-11'); // 11 December, not 12 November
		expect(parseDateFr('1/2/2026')).toBe('2026-02-01');
		expect(parseDateFr('2026-02-01')).toBe('2026-02-01');
		expect(parseDateFr('29/02/2028')).toBe('2028-02-29');
		for (const bad of ['29/02/2026', '31/11/2026', '2026-13-01', '2026-02-30', '12/2026', 'demain', ''])
			expect(parseDateFr(bad), bad).toBeNull();
	});

	it('bounds enrolment dates: from the AMI (2025-10-16) to today', () => {
		expect(DATE_BOUNDS.from).toBe('2025-10-16');
		expect(dateBoundsProblem('2025-10-16', 'enrolment', TODAY)).toBeNull();
		expect(dateBoundsProblem(TODAY, 'enrolment', TODAY)).toBeNull();
		expect(dateBoundsProblem('2025-10-15', 'enrolment', TODAY)).toMatch(/trop ancienne/);
		expect(dateBoundsProblem('0001-01-01', 'enrolment', TODAY)).toMatch(/trop ancienne/);
		expect(dateBoundsProblem('2026-11-30', 'enrolment', TODAY)).toMatch(/futur/);
		expect(dateBoundsProblem('2030-01-01', 'enrolment', TODAY)).toMatch(/futur/);
	});

	it('bounds planning dates: 2025-10-16 to 2039-12-31, the future allowed', () => {
		expect(dateBoundsProblem('2027-06-15', 'planning', TODAY)).toBeNull();
		expect(dateBoundsProblem('2039-12-31', 'planning', TODAY)).toBeNull();
		expect(dateBoundsProblem('2040-01-01', 'planning', TODAY)).toMatch(/trop lointaine/);
		expect(dateBoundsProblem('2020-01-01', 'planning', TODAY)).toMatch(/trop ancienne/);
	});

	it('a date field answers in French: empty, impossible, out of bounds', () => {
		const d = date('enrolment', { missing: 'Indiquez la date.', invalid: 'Cette date n’existe pas.' }, () => TODAY);
		expect(d.parse('29/11/2026')).toBe('2026-11-29');
		expect(issue(d, '')).toBe('Indiquez la date.');
		expect(issue(d, '31/02/2026')).toBe('Cette date n’existe pas.');
		expect(issue(d, '30/11/2026')).toMatch(/futur/);
	});

	it('the citizen form refuses 0001-01-01, the lieu form 2030-01-01', () => {
		const c = CitizenSchema.safeParse({ display_name: 'Lou', age_band: 'non_renseigne', source: 'workshop', enrolled_at: '0001-01-01' });
		expect(c.success).toBe(false);
		if (!c.success) expect(c.error.issues.find((i) => i.path[0] === 'enrolled_at')?.message).toMatch(/trop ancienne/);
		const l = parseForm(LieuSchema, form({ name: 'Café', kind: 'cafe', commune: 'Riom', enrolled_at: '2030-01-01' }));
		expect(!l.ok && l.errors.enrolled_at).toBe('La date d’engagement ne peut pas être dans le futur.');
	});

	it('the CSV import refuses 11/12/2026 and 2027-06-15 (future) with line and column', () => {
		const header = 'nom;email;telephone;commune;code_postal;tranche_age;source;societaire;inscrit_le';
		const csv = [header, 'Ana;;;Riom;;;atelier;;11/12/2026', 'Bea;;;Riom;;;atelier;;2027-06-15', 'Cid;;;Riom;;;atelier;;01/12/2025'].join('\n');
		const r = parseCitizensCsv(csv, TODAY);
		expect(r.problems.map((p) => [p.line, p.column])).toEqual([
			[2, 'inscrit_le'],
			[3, 'inscrit_le']
		]);
		expect(r.problems[0].message).toMatch(/11\/12\/2026.*futur/);
		const lieux = parseLieuxCsv(['nom;type;commune;engage_le', 'Café;cafe;Riom;2025-01-01'].join('\n'), TODAY);
		expect(lieux.problems).toEqual([{ line: 2, column: 'engage_le', message: expect.stringMatching(/trop ancienne/) }]);
	});
});

describe('an impossible date reads « Cette date n’existe pas. » on every path', () => {
	const NONEXISTENT = 'Cette date n’existe pas.';
	const at = (r: { ok: boolean; errors?: Record<string, string | undefined> }, key: string) => (r.ok ? 'accepté' : r.errors?.[key]);

	it('tells a date the calendar does not have from text that is no date', () => {
		expect(readDateFr('31/02/2026')).toEqual({ ok: false, problem: 'nonexistent' });
		expect(readDateFr('2026-02-31')).toEqual({ ok: false, problem: 'nonexistent' });
		expect(readDateFr('2026-13-01')).toEqual({ ok: false, problem: 'nonexistent' });
		expect(readDateFr('demain')).toEqual({ ok: false, problem: 'format' });
		expect(readDateFr(' ')).toEqual({ ok: false, problem: 'empty' });
		expect(readDateFr('1/2/2026')).toEqual({ ok: true, iso: '2026-02-01' });
		expect(NONEXISTENT_DATE_MESSAGE).toBe(NONEXISTENT);
	});

	it('every form schema with a date', async () => {
		const { EditCitizenSchema } = await import('../../src/lib/domain/citizens');
		const { UpdateLieuSchema } = await import('../../src/lib/domain/lieux');
		const { WorkshopSchema } = await import('../../src/lib/domain/workshops');
		const { MilestoneSchema, DateRequestSchema, completeMilestoneSchema } = await import('../../src/lib/domain/milestones');
		const { CohortSchema, TerritorySchema } = await import('../../src/lib/domain/configuration');
		for (const bad of ['2026-02-31', '31/02/2026']) {
			expect(at(parseForm(EditCitizenSchema, form({ enrolled_at: bad })), 'enrolled_at'), 'citizen').toBe(NONEXISTENT);
			expect(at(parseForm(UpdateLieuSchema, form({ enrolled_at: bad })), 'enrolled_at'), 'lieu').toBe(NONEXISTENT);
			expect(at(parseForm(WorkshopSchema, form({ date: bad })), 'date'), 'workshop').toBe(NONEXISTENT);
			expect(at(parseForm(MilestoneSchema, form({ due_date: bad })), 'due_date'), 'milestone').toBe(NONEXISTENT);
			expect(at(parseForm(DateRequestSchema, form({ requested_due_date: bad })), 'requested_due_date'), 'date request').toBe(NONEXISTENT);
			expect(at(parseForm(completeMilestoneSchema(TODAY), form({ completed_at: bad })), 'completed_at'), 'completion').toBe(NONEXISTENT);
			expect(at(parseForm(CohortSchema, form({ start_date: bad })), 'start_date'), 'cohort').toBe(NONEXISTENT);
			expect(at(parseForm(TerritorySchema, form({ start_date: bad })), 'start_date'), 'territory').toBe(NONEXISTENT);
		}
		// what is no date at all keeps the field's own hint
		expect(at(parseForm(MilestoneSchema, form({ due_date: 'bientôt' })), 'due_date')).toBe('Indiquez l’échéance (AAAA-MM-JJ).');
		expect(at(parseForm(TerritorySchema, form({ start_date: 'bientôt' })), 'start_date')).toMatch(/Date invalide \(JJ\/MM\/AAAA\)/);
		expect(at(parseForm(CohortSchema, form({ start_date: '2026-01-05' })), 'start_date')).toBeUndefined();
	});

	it('the CSV import and the journal filters', () => {
		const citizens = parseCitizensCsv(['nom;source;inscrit_le', 'Ana;atelier;31/02/2026'].join('\n'), TODAY);
		expect(citizens.problems).toEqual([{ line: 2, column: 'inscrit_le', message: `Date « 31/02/2026 » refusée. ${NONEXISTENT}` }]);
		const lieux = parseLieuxCsv(['nom;type;commune;engage_le', 'Café;cafe;Riom;2026-02-31'].join('\n'), TODAY);
		expect(lieux.problems).toEqual([{ line: 2, column: 'engage_le', message: `Date « 2026-02-31 » refusée. ${NONEXISTENT}` }]);
		const params = new URLSearchParams('du=2026-02-31&au=hier');
		expect(journalFilterErrors(params)).toEqual({ du: NONEXISTENT, au: 'Indiquez une date (JJ/MM/AAAA ou AAAA-MM-JJ).' });
		expect(journalFilters(params)).toMatchObject({ du: null, au: null }); // not applied, never a failed query
		expect(journalFilters(new URLSearchParams('du=01/11/2026'))).toMatchObject({ du: '2026-11-01' });
		expect(journalFilterErrors(new URLSearchParams('du=2026-11-01&au='))).toEqual({});
	});
});

describe('one shape of a refused form', () => {
	it('a page reads the errors and values of the form that failed, and only of that one', () => {
		const failure = { intent: 'requestDate', errors: { reason: 'Expliquez.' }, values: { reason: '' } };
		expect(failureOf(failure, 'requestDate')).toEqual({ errors: { reason: 'Expliquez.' }, values: { reason: '' } });
		expect(failureOf(failure, 'update')).toEqual({ errors: {}, values: {} });
		expect(failureOf(null, 'update')).toEqual({ errors: {}, values: {} });
	});
});

describe('searchTermOf: a search typed in an address', () => {
	const term = (q: string) => searchTermOf(new URLSearchParams({ q }), 'q');
	it('drops what no field may store (a right-to-left override would reverse the echoed text), collapses spaces, bounds', () => {
		expect(term('  \u202Eecole\u202C  du   bourg ')).toBe('ecole du bourg');
		expect(term('a\u0007b')).toBe('a b');
		expect(term('x'.repeat(150))).toHaveLength(100);
		expect(term('10\u202F%')).toBe('10 %'); // any space, one plain space (the identity rule ignores them anyway)
		expect(searchTermOf(new URLSearchParams(), 'q')).toBe('');
	});
});
