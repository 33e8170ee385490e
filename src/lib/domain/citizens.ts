import { z } from 'zod';
import { phoneField, postalCodeField } from './contact';
import * as field from './fields';

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

/** What the coordinator reads to the person (and shows) before ticking the consent box (version CONSENT_TEXT_VERSION). */
export const CONSENT_TEXT_FR =
	'La personne accepte que son nom, ses coordonnées éventuelles, sa commune et sa tranche d’âge soient ' +
	'enregistrés par la coordination du territoire et l’équipe d’animation de CoopCoNuT, pour sa participation ' +
	'au Marathon coopératif et le suivi de son impact. Ces données ne sont jamais transmises aux financeurs. ' +
	'Elle peut à tout moment les consulter, retirer son consentement ou demander leur effacement.';

const optionalText = (max: number, message: string) => field.optionalText({ max, tooLong: message });

/** A citizen's minimal data, as coordinators enter it (forms, quick-add, CSV rows). */
export const CitizenSchema = z.object({
	display_name: field.text({
		missing: 'Indiquez le nom affiché (par exemple « Camille R. »).',
		max: 120,
		tooLong: 'Le nom affiché ne doit pas dépasser 120 caractères.'
	}),
	email: optionalText(254, 'Cette adresse e-mail est trop longue.').refine(
		(v) => v === null || z.email().safeParse(v).success,
		'Cette adresse e-mail n’est pas valide (exemple : prenom@exemple.fr).'
	),
	phone: phoneField,
	commune: optionalText(120, 'Le nom de commune ne doit pas dépasser 120 caractères.'),
	postal_code: postalCodeField,
	age_band: z.enum(Object.keys(AGE_BAND_LABEL_FR) as [AgeBand, ...AgeBand[]], {
		error: 'Choisissez une tranche d’âge.'
	}),
	source: z.enum(Object.keys(SOURCE_LABEL_FR) as [CitizenSource, ...CitizenSource[]], {
		error: 'Choisissez comment la personne est arrivée.'
	}),
	is_societaire: field.checkbox,
	enrolled_at: field.date('enrolment', {
		missing: 'Indiquez la date d’inscription (AAAA-MM-JJ).',
		future: 'La date d’inscription ne peut pas être dans le futur.'
	})
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

// ───────────────────────── The registry (list, person page, erasure) ─────────────────────────

/** What an erased person is called wherever their name used to be. */
export const ERASED_NAME_FR = 'Personne effacée';

export type CitizenState = 'active' | 'withdrawn' | 'erased';
export const CITIZEN_STATE_LABEL_FR: Record<CitizenState, string> = {
	active: 'Active',
	withdrawn: 'Retirée',
	erased: 'Données effacées'
};

/** Erasure wins over withdrawal: an erased person's row only keeps what counts need. */
export function citizenState(c: { status: 'active' | 'withdrawn'; erased_at: string | Date | null }): CitizenState {
	if (c.erased_at !== null) return 'erased';
	return c.status === 'withdrawn' ? 'withdrawn' : 'active';
}

/** The name to show: the display name, or « Personne effacée » once erased. */
export function nameOf(c: { display_name: string | null }): string {
	return c.display_name ?? ERASED_NAME_FR;
}

export const CONSENT_ACTION_LABEL_FR = { given: 'Consentement donné', withdrawn: 'Consentement retiré' } as const;

/** The status filter of the list (`?statut=`), in the words coordinators use. */
export const STATUS_FILTER_LABEL_FR = { actifs: 'Actives', retires: 'Retirées', effaces: 'Effacées' } as const;
export type StatusFilter = keyof typeof STATUS_FILTER_LABEL_FR;

export const SOCIETAIRE_FILTER_LABEL_FR = { oui: 'Sociétaires', non: 'Non sociétaires' } as const;
export type SocietaireFilter = keyof typeof SOCIETAIRE_FILTER_LABEL_FR;

export interface CitizenFilters {
	q: string;
	statut: StatusFilter | '';
	source: CitizenSource | '';
	societaire: SocietaireFilter | '';
}

const oneOf = <K extends string>(keys: readonly K[], v: string | null): K | '' =>
	v !== null && (keys as readonly string[]).includes(v) ? (v as K) : '';

/** The list's filters read from the URL; anything unknown is simply ignored (a link never breaks). */
export function parseCitizenFilters(params: URLSearchParams): CitizenFilters {
	return {
		q: field.searchTermOf(params, 'q'),
		statut: oneOf(Object.keys(STATUS_FILTER_LABEL_FR) as StatusFilter[], params.get('statut')),
		source: oneOf(Object.keys(SOURCE_LABEL_FR) as CitizenSource[], params.get('source')),
		societaire: oneOf(Object.keys(SOCIETAIRE_FILTER_LABEL_FR) as SocietaireFilter[], params.get('societaire'))
	};
}

/** `%`, `_` and `\` typed in a search box are searched for literally, not as wildcards. */
export function escapeLike(text: string): string {
	return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const checkbox = field.checkbox;

/**
 * The enrolment form: the citizen, their consent, and « Il s’agit bien d’une autre personne »
 * (ticked only when a lookalike was found). The registry asks where the person lives (commune or
 * postal code): the marathon counts people anchored in the territory.
 */
const filled = (v: unknown) => typeof v === 'string' && v.trim() !== '';
export const EnrolCitizenFormSchema = EnrolCitizenSchema.extend({ not_duplicate: checkbox, submission: field.submission }).refine(
	(v) => filled(v.commune) || filled(v.postal_code),
	// checked even when other fields are wrong, so that every message shows at once
	{ path: ['commune'], message: 'Indiquez la commune ou le code postal.', when: () => true }
);
export type EnrolCitizenForm = z.output<typeof EnrolCitizenFormSchema>;

/** The edit form: the same data, plus the version it was read at (lost-update protection). */
export const EditCitizenSchema = CitizenSchema.extend({
	version: field.version
});
export type EditCitizenInput = z.output<typeof EditCitizenSchema>;

/** Re-enrolling a withdrawn person takes a fresh consent, like a first enrolment. */
export const ReactivateCitizenSchema = ConsentSchema;

/** Erasure cannot be undone: the coordinator confirms it explicitly. */
export const EraseCitizenSchema = z.object({
	confirm: z.literal('on', { error: 'Cochez « Je confirme l’effacement » pour effacer les données de cette personne.' })
});

/** An enrolment date out of bounds (future, before the AMI). Null when the date is fine. */
export function enrolmentDateError(enrolledAt: string, today: string): string | null {
	return enrolledAt > today ? 'La date d’inscription ne peut pas être dans le futur.' : field.dateBoundsProblem(enrolledAt, 'enrolment', today);
}

/** A well-formed id (the shared rule of fields.ts). */
export const isUuid = field.isUuid;

/** Field names shown in the conflict message's « current values ». */
export const CITIZEN_FIELD_LABEL_FR = {
	display_name: 'Nom affiché',
	email: 'Adresse e-mail',
	phone: 'Téléphone',
	commune: 'Commune',
	postal_code: 'Code postal',
	age_band: 'Tranche d’âge',
	source: 'Arrivée par',
	is_societaire: 'Sociétaire',
	enrolled_at: 'Inscrite le'
} as const;

/** A citizen as stored (public.citizens). */
export interface CitizenRow {
	id: string;
	territory_id: string;
	display_name: string | null;
	email: string | null;
	phone: string | null;
	commune: string | null;
	postal_code: string | null;
	age_band: AgeBand;
	source: CitizenSource;
	is_societaire: boolean;
	enrolled_at: string;
	status: 'active' | 'withdrawn';
	withdrawn_at: string | null;
	erased_at: Date | null;
	created_at: Date;
	updated_at: Date;
	version: number;
}
