import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
	ApplyTemplateSchema,
	ArchiveSchema,
	CohortSchema,
	EditIndicatorSchema,
	EditTemplateSchema,
	EditTerritorySchema,
	MoveTemplateSchema,
	TargetSchema,
	TerritorySchema
} from '../../src/lib/domain/configuration';
import { parseForm } from '../../src/lib/domain/forms';
import { AcceptInvitationSchema, ChangeRoleSchema, InvitationSchema, MembershipSchema, PersonSchema } from '../../src/lib/domain/people';

/**
 * The forms of /configuration, /personnes and /invitation: every refusal is in French, at a field
 * (zod's own English messages — « Invalid input: expected string » — never reach a page).
 */

const SCHEMAS: Record<string, z.ZodType> = {
	CohortSchema, TerritorySchema, EditTerritorySchema, EditTemplateSchema, ApplyTemplateSchema, MoveTemplateSchema,
	EditIndicatorSchema, TargetSchema, ArchiveSchema, InvitationSchema, AcceptInvitationSchema, ChangeRoleSchema,
	PersonSchema, MembershipSchema
};
const FIELDS = [
	'version', 'name', 'start_date', 'duration_months', 'citizen_threshold', 'lieu_threshold', 'societaire_target', 'timeliness_day',
	'semer_to', 'germer_to', 'slug', 'region', 'departement', 'carrier_kind', 'description', 'code', 'title', 'month_offset', 'law_1',
	'territory_id', 'direction', 'law', 'name_fr', 'name_en', 'unit', 'kind', 'aggregation_over_time', 'aggregation_across',
	'higher_is_better', 'baseline', 'default_target', 'active', 'target', 'archive', 'email', 'display_name', 'app_role', 'submission',
	'password', 'password_confirm', 'user_id'
];
const ENGLISH = /\b(invalid|expected|received|too (small|big)|must|required|string|number)\b/i;

const form = (value: string | null) => {
	const f = new FormData();
	if (value !== null) for (const k of FIELDS) f.set(k, value);
	return f;
};

describe('staff forms refuse in French', () => {
	for (const [name, schema] of Object.entries(SCHEMAS)) {
		for (const [label, value] of [['nothing sent', null], ['garbage', '§§ pas une valeur §§'], ['blank', ''], ['a huge number', '99999999999999']] as const) {
			it(`${name}: ${label}`, () => {
				const parsed = parseForm(schema, form(value));
				if (parsed.ok) return; // e.g. every field optional and blank: nothing to refuse
				const messages = Object.values(parsed.errors);
				expect(messages.length).toBeGreaterThan(0);
				for (const m of messages) expect(m, `${name} « ${m} »`).not.toMatch(ENGLISH);
			});
		}
	}

	it('a bad role on /personnes/<id>?/role is refused at the role, in French; a missing person id too', () => {
		const bad = new FormData();
		bad.set('user_id', '00000000-0000-4000-8000-000000000000');
		bad.set('app_role', 'superadmin');
		expect(parseForm(ChangeRoleSchema, bad)).toMatchObject({ ok: false, errors: { app_role: 'Choisissez un rôle.' } });
		const none = new FormData();
		none.set('app_role', 'funder');
		expect(parseForm(ChangeRoleSchema, none)).toMatchObject({ ok: false, errors: { user_id: 'Personne inconnue : rechargez la page.' } });
	});

	it('the territory start date: JJ/MM/AAAA or empty (the cohort’s); a typo year is refused', () => {
		const base = { name: 'T', slug: 't', region: 'R', departement: 'D', carrier_kind: 'mixte' };
		expect(TerritorySchema.parse({ ...base, start_date: '01/03/2026' }).start_date).toBe('2026-03-01');
		expect(TerritorySchema.parse({ ...base, start_date: '' }).start_date).toBeNull();
		expect(TerritorySchema.safeParse({ ...base, start_date: '2300-01-01' }).error?.issues[0].message).toContain('trop lointaine');
	});

	it('an invitation carries its submission token', () => {
		const base = { email: 'a@exemple.test', display_name: 'A', app_role: 'funder' };
		expect(InvitationSchema.safeParse(base).error?.issues[0]).toMatchObject({ path: ['submission'] });
		expect(InvitationSchema.parse({ ...base, submission: '6F9619FF-8B86-4011-B42D-00C04FC964FF' }).submission).toBe('6f9619ff-8b86-4011-b42d-00c04fc964ff');
	});
});
