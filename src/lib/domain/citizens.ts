import { z } from 'zod';

export const AGE_BAND_LABEL_FR = {
	non_renseigne: 'Non renseigné',
	moins_18: 'Moins de 18 ans',
	'18_25': '18–25 ans',
	'26_40': '26–40 ans',
	'41_60': '41–60 ans',
	'61_75': '61–75 ans',
	plus_75: 'Plus de 75 ans'
} as const;
export type AgeBand = keyof typeof AGE_BAND_LABEL_FR;

export const SOURCE_LABEL_FR = {
	workshop: 'Atelier',
	event: 'Événement',
	online: 'En ligne',
	partner: 'Partenaire'
} as const;
export type CitizenSource = keyof typeof SOURCE_LABEL_FR;

/** The consent text people agree to when they enrol; its version is recorded with each consent. */
export const CONSENT_PURPOSE = 'Participation au Marathon coopératif et suivi de l’impact';
export const CONSENT_TEXT_VERSION = 'v1.0';

const optionalText = (max: number, message: string) =>
	z
		.string()
		.trim()
		.max(max, message)
		.transform((v) => (v === '' ? null : v))
		.nullable()
		.optional()
		.transform((v) => v ?? null);

const isoDate = (message: string) =>
	z
		.string({ error: message })
		.trim()
		.regex(/^\d{4}-\d{2}-\d{2}$/, message)
		.refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), message);

/** A citizen's minimal data, as coordinators enter it (forms, quick-add, CSV rows). */
export const CitizenSchema = z.object({
	display_name: z
		.string({ error: 'Indiquez le nom affiché (par exemple « Camille R. »).' })
		.trim()
		.min(1, 'Indiquez le nom affiché (par exemple « Camille R. »).')
		.max(120, 'Le nom affiché ne doit pas dépasser 120 caractères.'),
	email: optionalText(254, 'Cette adresse e-mail est trop longue.').refine(
		(v) => v === null || z.email().safeParse(v).success,
		'Cette adresse e-mail n’est pas valide (exemple : prenom@exemple.fr).'
	),
	phone: optionalText(20, 'Ce numéro est trop long.').refine(
		(v) => v === null || /^[0-9 +().-]{6,20}$/.test(v),
		'Ce numéro de téléphone n’est pas valide (chiffres, espaces, + ( ) . - ).'
	),
	commune: optionalText(120, 'Le nom de commune ne doit pas dépasser 120 caractères.'),
	postal_code: optionalText(5, 'Le code postal a 5 chiffres.').refine(
		(v) => v === null || /^\d{5}$/.test(v),
		'Le code postal a 5 chiffres.'
	),
	age_band: z.enum(Object.keys(AGE_BAND_LABEL_FR) as [AgeBand, ...AgeBand[]], {
		error: 'Choisissez une tranche d’âge.'
	}),
	source: z.enum(Object.keys(SOURCE_LABEL_FR) as [CitizenSource, ...CitizenSource[]], {
		error: 'Choisissez comment la personne est arrivée.'
	}),
	is_societaire: z
		.union([z.literal('on'), z.literal('true'), z.literal('oui'), z.literal(''), z.literal('false'), z.literal('non')])
		.optional()
		.transform((v) => v === 'on' || v === 'true' || v === 'oui'),
	enrolled_at: isoDate('Indiquez la date d’inscription (AAAA-MM-JJ).')
});
export type CitizenInput = z.output<typeof CitizenSchema>;

/** Nothing is enrolled without consent: the box must be ticked, and what was agreed to is kept. */
export const ConsentSchema = z.object({
	consent: z.literal('on', { error: 'La personne doit donner son consentement pour être inscrite.' }),
	consent_purpose: z.string().trim().min(1).max(300).default(CONSENT_PURPOSE),
	consent_text_version: z.string().trim().min(1).max(40).default(CONSENT_TEXT_VERSION)
});
export type ConsentInput = z.output<typeof ConsentSchema>;

export const EnrolCitizenSchema = CitizenSchema.extend(ConsentSchema.shape);
