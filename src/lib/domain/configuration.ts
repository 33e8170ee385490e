import { z } from 'zod';
import * as field from './fields';
import { LAWS } from './milestones';
import type { Phase } from './program';

/*
 * Forms of /configuration (facilitators and admins): the cohort, territories, milestone templates,
 * the indicator catalog and per-territory targets. One zod schema per form, French messages.
 */

/**
 * What is wrong with a typed date of these forms (JJ/MM/AAAA or AAAA-MM-JJ, 2020 to 2099): a date
 * the calendar does not have reads NONEXISTENT_DATE_MESSAGE as on every form (fields.ts), anything
 * else `message`; null when fine.
 */
function dateIssue(v: string, message: string): string | null {
	const read = field.readDateFr(v);
	if (!read.ok) return read.problem === 'nonexistent' ? field.NONEXISTENT_DATE_MESSAGE : message;
	return read.iso >= '2020-01-01' && read.iso <= '2099-12-31' ? null : message;
}
/** The date as stored (AAAA-MM-JJ), once `dateIssue` found nothing wrong. */
const isoOf = (v: string) => field.parseDateFr(v) ?? v;

const version = z.coerce
	.number({ error: 'Version de la fiche manquante : rechargez la page.' })
	.int('Version de la fiche manquante : rechargez la page.')
	.min(1, 'Version de la fiche manquante : rechargez la page.')
	.max(2147483647, 'Version de la fiche manquante : rechargez la page.');

/** Texts of these forms: the shared rule of fields.ts (trimmed, no control character, at most `max`). */
const text = (label: string, max: number) => field.text({ missing: `Indiquez ${label}.`, max, tooLong: `${max} caractères au plus.` });

const optionalText = (max: number) => field.textOrEmpty({ max, tooLong: `${max} caractères au plus.`, multiline: true });

const int = (label: string, min: number, max: number) =>
	z.coerce
		.number({ error: `Indiquez ${label} (nombre entier).` })
		.int(`Indiquez ${label} (nombre entier).`)
		.min(min, `Au moins ${min}.`)
		.max(max, `Au plus ${max}.`);

/** Empty → null; else a number ≥ 0 (comma or point decimal). */
const optionalNumber = z
	.string()
	.trim()
	.optional()
	.transform((v, ctx) => {
		if (!v) return null;
		const n = Number(v.replace(/\s/g, '').replace(',', '.'));
		if (!Number.isFinite(n) || n < 0 || n >= 1e12) {
			ctx.addIssue({ code: 'custom', message: 'Nombre positif attendu (ex. 12 ou 3,5).' });
			return z.NEVER;
		}
		return n;
	});

const checkbox = z
	.union([z.literal('on'), z.literal('true'), z.literal('')])
	.optional()
	.transform((v) => v === 'on' || v === 'true');

const date = (message: string) =>
	z
		.string({ error: message })
		.trim()
		.superRefine((v, ctx) => {
			const issue = dateIssue(v, message);
			if (issue) ctx.addIssue({ code: 'custom', message: issue });
		})
		.transform(isoOf);

// ============ cohort ============

/**
 * The cohort: dates, duration, thresholds, sociétaire target, timeliness day and the three
 * phases, given by the last month of Semer and of Germer (Régénérer runs to the end).
 */
export const CohortSchema = z
	.object({
		version,
		name: text('le nom de la cohorte', 120),
		start_date: date('Indiquez la date de début (AAAA-MM-JJ).'),
		duration_months: int('la durée en mois', 3, 60),
		citizen_threshold: int('le seuil de citoyens', 1, 1_000_000),
		lieu_threshold: int('le seuil de lieux', 1, 1_000_000),
		societaire_target: int('l’objectif de sociétaires', 1, 10_000_000),
		timeliness_day: int('le jour limite de saisie', 1, 28),
		semer_to: int('le dernier mois de « Semer »', 1, 58),
		germer_to: int('le dernier mois de « Germer »', 2, 59)
	})
	.superRefine((v, ctx) => {
		if (v.germer_to <= v.semer_to)
			ctx.addIssue({ code: 'custom', path: ['germer_to'], message: '« Germer » doit finir après « Semer ».' });
		if (v.germer_to >= v.duration_months)
			ctx.addIssue({ code: 'custom', path: ['germer_to'], message: '« Régénérer » doit durer au moins un mois : finissez « Germer » avant le dernier mois.' });
	});
export type CohortInput = z.output<typeof CohortSchema>;

/** The phases a cohort form describes. */
export function phasesOf(v: Pick<CohortInput, 'semer_to' | 'germer_to' | 'duration_months'>): Phase[] {
	return [
		{ code: 'semer', name: 'Semer', from: 1, to: v.semer_to },
		{ code: 'germer', name: 'Germer', from: v.semer_to + 1, to: v.germer_to },
		{ code: 'regenerer', name: 'Régénérer', from: v.germer_to + 1, to: v.duration_months }
	];
}

// ============ territories ============

export const CARRIER_KINDS = ['collectivite', 'citoyens', 'lieux', 'mixte'] as const;

const territoryFields = {
	name: text('le nom du territoire', 120),
	slug: z
		.string({ error: 'Indiquez l’identifiant d’adresse.' })
		.trim()
		.toLowerCase()
		.regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'Lettres minuscules sans accent, chiffres et tirets (ex. val-d-ardoise).')
		.max(80, '80 caractères au plus.'),
	region: text('la région', 80),
	departement: text('le département', 80),
	carrier_kind: z.enum(CARRIER_KINDS, { error: 'Choisissez le porteur.' }),
	description: optionalText(4000),
	start_date: z
		.string()
		.trim()
		.optional()
		.superRefine((v, ctx) => {
			const issue = v ? dateIssue(v, 'Date invalide (AAAA-MM-JJ), ou laissez vide pour la date de la cohorte.') : null;
			if (issue) ctx.addIssue({ code: 'custom', message: issue });
		})
		.transform((v) => (v ? isoOf(v) : null))
};

export const TerritorySchema = z.object(territoryFields);
export const EditTerritorySchema = z.object({ ...territoryFields, version });
export type TerritoryInput = z.output<typeof TerritorySchema>;

// ============ milestone templates ============

type LawFields = Record<`law_${1 | 2 | 3 | 4 | 5}`, boolean>;
const lawFields = { law_1: checkbox, law_2: checkbox, law_3: checkbox, law_4: checkbox, law_5: checkbox };
const withLaws = <T extends LawFields>({ law_1, law_2, law_3, law_4, law_5, ...rest }: T) => ({
	...rest,
	laws: LAWS.filter((l) => ({ law_1, law_2, law_3, law_4, law_5 })[`law_${l.n}`]).map((l) => l.n as number)
});

const templateFields = {
	code: z
		.string({ error: 'Indiquez un code.' })
		.trim()
		.regex(/^[a-z0-9_]{1,40}$/, 'Lettres minuscules, chiffres et « _ », 40 caractères au plus.'),
	title: text('le titre du jalon', 200),
	description: optionalText(4000),
	month_offset: int('le mois du programme', 1, 60),
	...lawFields
};

export const TemplateSchema = z.object(templateFields).transform(withLaws);
export const EditTemplateSchema = z.object({ ...templateFields, version }).transform(withLaws);
export type TemplateInput = z.output<typeof TemplateSchema>;

/** Applying a template: to every territory (empty) or one. */
/** Where to apply a template: `tous` (every territory) or one territory's id — said explicitly. */
export const ApplyTemplateSchema = z.object({
	territory_id: z
		.string({ error: 'Choisissez où appliquer le modèle.' })
		.trim()
		.refine((v) => v === 'tous' || field.isUuid(v), 'Choisissez où appliquer le modèle : tous les territoires ou l’un d’eux.')
		.transform((v) => (v === 'tous' ? null : v))
});

export const MoveTemplateSchema = z.object({
	direction: z.enum(['up', 'down'], { error: 'Sens inconnu.' })
});

// ============ indicator catalog ============

export const AGGREGATION_OVER_TIME = ['sum', 'last', 'average'] as const;
export const AGGREGATION_ACROSS = ['sum', 'average'] as const;
export type AggregationOverTime = (typeof AGGREGATION_OVER_TIME)[number];
export type AggregationAcross = (typeof AGGREGATION_ACROSS)[number];

export const OVER_TIME_LABEL_FR: Record<AggregationOverTime, string> = {
	sum: 'somme des mois (flux)',
	last: 'dernière valeur (stock)',
	average: 'moyenne des mois (taux)'
};
export const ACROSS_LABEL_FR: Record<AggregationAcross, string> = {
	sum: 'somme des territoires',
	average: 'moyenne des territoires'
};

const indicatorFields = {
	law: z.coerce.number().int().min(1, 'Choisissez une loi.').max(5, 'Choisissez une loi.'),
	code: templateFields.code,
	name_fr: text('le nom en français', 200),
	name_en: text('le nom en anglais', 200),
	unit: text('l’unité', 40),
	kind: z.enum(['flow', 'stock'], { error: 'Choisissez la nature (flux ou stock).' }),
	aggregation_over_time: z.enum(AGGREGATION_OVER_TIME, { error: 'Choisissez l’agrégation dans le temps.' }),
	aggregation_across: z.enum(AGGREGATION_ACROSS, { error: 'Choisissez l’agrégation entre territoires.' }),
	higher_is_better: z.enum(['true', 'false'], { error: 'Choisissez le sens.' }).transform((v) => v === 'true'),
	baseline: optionalNumber,
	default_target: optionalNumber,
	active: checkbox
};
const stockNotSummed = (v: { kind: string; aggregation_over_time: string }, ctx: z.RefinementCtx) => {
	if (v.kind === 'stock' && v.aggregation_over_time === 'sum')
		ctx.addIssue({
			code: 'custom',
			path: ['aggregation_over_time'],
			message: 'Un stock ne s’additionne pas d’un mois à l’autre : choisissez « dernière valeur » ou « moyenne ».'
		});
};

export const IndicatorSchema = z.object(indicatorFields).superRefine(stockNotSummed);
export const EditIndicatorSchema = z.object({ ...indicatorFields, version }).superRefine(stockNotSummed);
export type IndicatorInput = z.output<typeof IndicatorSchema>;

export const TargetSchema = z.object({
	territory_id: z.string().trim().regex(/^[0-9a-f-]{36}$/i, 'Choisissez un territoire.'),
	target: optionalNumber
});

export const ArchiveSchema = z.object({ version, archive: z.enum(['true', 'false']).transform((v) => v === 'true') });
