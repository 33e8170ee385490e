import { z } from 'zod';
import { phoneField } from './contact';
import * as field from './fields';

/** The kinds of lieux (public.lieu_kind), as coordinators name them. */
export const LIEU_KIND_LABEL_FR = {
	tiers_lieu: 'Tiers-lieu',
	mediatheque: 'Médiathèque',
	ecole: 'École',
	association: 'Association',
	cafe: 'Café',
	mairie: 'Mairie',
	entreprise: 'Entreprise',
	autre: 'Autre'
} as const;
export type LieuKind = keyof typeof LIEU_KIND_LABEL_FR;
export const LIEU_KINDS = Object.keys(LIEU_KIND_LABEL_FR) as [LieuKind, ...LieuKind[]];

/** public.lieu_status: a lieu is deactivated, never deleted (its history stays). */
export const LIEU_STATUS_LABEL_FR = {
	active: 'Actif',
	inactive: 'Inactif'
} as const;
export type LieuStatus = keyof typeof LIEU_STATUS_LABEL_FR;
export const LIEU_STATUSES = Object.keys(LIEU_STATUS_LABEL_FR) as [LieuStatus, ...LieuStatus[]];

const optionalText = (max: number, message: string) => field.optionalText({ max, tooLong: message });

const requiredText = (max: number, missing: string, tooLong: string) => field.text({ max, missing, tooLong });

/** A calendar date YYYY-MM-DD that exists (no 31 February): the shared rule of fields.ts. */
export const isRealIsoDate = field.isRealIsoDate;

/** The lieu form's refusal of a lieu already engaged (same rule as the import: name + commune). */
export const LIEU_DUPLICATE_MESSAGE_FR =
	'Un lieu de ce nom est déjà engagé dans cette commune (accents, majuscules et espaces mis à part) : ouvrez sa fiche plutôt que de l’engager deux fois.';

const DATE_MESSAGE = 'Indiquez la date d’engagement (AAAA-MM-JJ).';

/** A lieu as the coordinator enrols or edits it (form, CSV row). Contact person = personal data. */
export const LieuSchema = z.object({
	name: requiredText(160, 'Indiquez le nom du lieu.', 'Le nom ne doit pas dépasser 160 caractères.'),
	kind: z.enum(LIEU_KINDS, { error: 'Choisissez le type de lieu.' }),
	commune: requiredText(120, 'Indiquez la commune.', 'Le nom de commune ne doit pas dépasser 120 caractères.'),
	address: field.textOrEmpty({ max: 300, tooLong: 'L’adresse ne doit pas dépasser 300 caractères.' }),
	contact_name: optionalText(120, 'Le nom du contact ne doit pas dépasser 120 caractères.'),
	contact_email: optionalText(254, 'Cette adresse e-mail est trop longue.').refine(
		(v) => v === null || z.email().safeParse(v).success,
		'Cette adresse e-mail n’est pas valide (exemple : prenom@exemple.fr).'
	),
	contact_phone: phoneField,
	enrolled_at: field.date('enrolment', { missing: DATE_MESSAGE, future: 'La date d’engagement ne peut pas être dans le futur.' }),
	status: z.enum(LIEU_STATUSES, { error: 'Choisissez le statut du lieu.' }).default('active')
});
export type LieuInput = z.output<typeof LieuSchema>;

const version = field.version;

/** The enrolment form: the lieu and its submission token (written once, see src/lib/server/forms). */
export const LieuFormSchema = LieuSchema.extend({ submission: field.submission });

/** Edit form: everything but the status (changed by its own buttons), plus the version read. */
export const UpdateLieuSchema = LieuSchema.omit({ status: true }).extend({ version });
export type UpdateLieuInput = z.output<typeof UpdateLieuSchema>;

/** Deactivate / reactivate buttons: the version read, so that a stale page does not win. */
export const LieuStatusChangeSchema = z.object({ version });

/** List filters from the URL (`?q=&type=&statut=`); unknown values are ignored, not errors. */
export interface LieuFilters {
	q: string;
	kind: LieuKind | null;
	status: LieuStatus | null;
}

export function lieuFiltersFromUrl(url: URL): LieuFilters {
	const q = field.searchTermOf(url.searchParams, 'q');
	const type = url.searchParams.get('type') ?? '';
	const statut = url.searchParams.get('statut') ?? '';
	return {
		q,
		kind: (LIEU_KINDS as string[]).includes(type) ? (type as LieuKind) : null,
		status: (LIEU_STATUSES as string[]).includes(statut) ? (statut as LieuStatus) : null
	};
}

/** A lieu as read back from the database. */
export interface LieuRecord {
	id: string;
	name: string;
	kind: LieuKind;
	commune: string;
	address: string;
	contact_name: string | null;
	contact_email: string | null;
	contact_phone: string | null;
	enrolled_at: string;
	status: LieuStatus;
	version: number;
}

export const isUuid = field.isUuid;

/** Erasing a contact person cannot be undone: the coordinator confirms it explicitly. */
export const EraseLieuContactSchema = z.object({
	confirm: z.literal('on', { error: 'Cochez « Je confirme l’effacement » pour effacer les coordonnées du contact.' })
});
