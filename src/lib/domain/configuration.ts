import { z } from 'zod';
import { checkbox, date, isUuid, optionalDate, text as fieldText, textOrEmpty, uuid, version } from './fields';
import { LAWS } from './milestones';
import type { Phase } from './program';

/*
 * Forms of /configuration (facilitators and admins): the cohort, territories, milestone templates,
 * the indicator catalog and per-territory targets. One zod schema per form, French messages.
 */

const versionField = version;

const text = (label: string, max: number) =>
	fieldText({ missing: `Indiquez ${label}.`, max, tooLong: `${max} caractères au plus.` });

const optionalText = (max: number) => textOrEmpty({ max, tooLong: `${max} caractères au plus.`, multiline: true });

const int = (label: string, min: number, max: number) =>
	z.coerce
		.number({ error: `Indiquez ${label} (nombre entier).` })
		.int(`Indiquez ${label} (nombre entier).`)
		.min(min, `Au moins ${min}.`)
		.max(max, `Au plus ${max}.`);

/** Empty → null; else a number ≥ 0 (comma or point decimal). */
const optionalNumber = z
	.string({ error: 'Nombre positif attendu (ex. 12 ou 3,5).' })
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

// ============ cohort ============

/**
 * The cohort: dates, duration, thresholds, sociétaire target, timeliness day and the three
 * phases, given by the last month of Semer and of Germer (Régénérer runs to the end).
 */
export const CohortSchema = z
	.object({
		version: versionField,
		name: text('le nom de la cohorte', 120),
		start_date: date('planning', { missing: 'Indiquez la date de début.', invalid: 'Date de début invalide (JJ/MM/AAAA).' }),
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
	/** Empty: the cohort's start date. Also bounded by the cohort and the territory's data (database rule). */
	start_date: optionalDate('planning', 'Date invalide (JJ/MM/AAAA), ou laissez vide pour la date de la cohorte.')
};

export const TerritorySchema = z.object(territoryFields);
export const EditTerritorySchema = z.object({ ...territoryFields, version: versionField });
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
export const EditTemplateSchema = z.object({ ...templateFields, version: versionField }).transform(withLaws);
export type TemplateInput = z.output<typeof TemplateSchema>;

/** Applying a template: to every territory (empty) or one. */
/** Where to apply a template: `tous` (every territory) or one territory's id — said explicitly. */
export const ApplyTemplateSchema = z.object({
	territory_id: z
		.string({ error: 'Choisissez où appliquer le modèle.' })
		.trim()
		.refine((v) => v === 'tous' || isUuid(v), 'Choisissez où appliquer le modèle : tous les territoires ou l’un d’eux.')
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
	law: z.coerce.number({ error: 'Choisissez une loi.' }).int('Choisissez une loi.').min(1, 'Choisissez une loi.').max(5, 'Choisissez une loi.'),
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
export const EditIndicatorSchema = z.object({ ...indicatorFields, version: versionField }).superRefine(stockNotSummed);
export type IndicatorInput = z.output<typeof IndicatorSchema>;

export const TargetSchema = z.object({
	territory_id: uuid('Choisissez un territoire.'),
	target: optionalNumber
});

export const ArchiveSchema = z.object({
	version: versionField,
	archive: z.enum(['true', 'false'], { error: 'Action inconnue : rechargez la page.' }).transform((v) => v === 'true')
});
