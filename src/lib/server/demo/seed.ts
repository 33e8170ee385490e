import bcrypt from 'bcryptjs';
import type { Sql, TransactionSql } from 'postgres';

// ============ public API ============

/** The one password of every demo account (printed at start in embedded mode only). */
export const DEMO_PASSWORD = 'marathon-demo';

/** A demo login: its e-mail, app role, French display name and, for coordinators, their territory. */
export interface DemoAccount {
	email: string;
	role: 'admin' | 'facilitator' | 'coordinator' | 'funder';
	displayName: string;
	territorySlug?: string;
	/** Coordinators: their territory's name, as shown in the app. */
	territoryName?: string;
}

type CarrierKind = 'collectivite' | 'citoyens' | 'lieux' | 'mixte';
/** How a demo territory is doing on 2026-11-29: drives volumes, pace, lateness and staleness. */
type Profile = 'avance' | 'en_route' | 'fragile' | 'en_retard';

/** A fictional laureate territory of the demo cohort. */
export interface DemoTerritory {
	slug: string;
	name: string;
	region: string;
	departement: string;
	/** Département code, the first digits of its postal codes. */
	deptCode: string;
	carrierKind: CarrierKind;
	profile: Profile;
	/** Days between its last recorded change and 2026-11-29. */
	staleDays: number;
	/** One of its milestones is blocked. */
	blocked?: boolean;
	description: string;
}

/** The 18 fictional territories of the demo cohort (names marked « (démo) »). */
export const DEMO_TERRITORIES: readonly DemoTerritory[] = [
	{ slug: 'vallee-de-la-sourde', name: 'Vallée de la Sourde (démo)', region: 'Auvergne-Rhône-Alpes', departement: 'Puy-de-Dôme', deptCode: '63', carrierKind: 'collectivite', profile: 'avance', staleDays: 0, description: 'Une communauté de communes de moyenne montagne qui fédère ses médiathèques autour du numérique utile.' },
	{ slug: 'plateau-des-mille-sources', name: 'Plateau des Mille Sources (démo)', region: 'Nouvelle-Aquitaine', departement: 'Corrèze', deptCode: '19', carrierKind: 'citoyens', profile: 'en_retard', staleDays: 45, blocked: true, description: 'Un collectif d’habitants qui veut rompre l’isolement numérique des hameaux du plateau.' },
	{ slug: 'pays-des-trois-rivieres', name: 'Pays des Trois Rivières (démo)', region: 'Bretagne', departement: 'Côtes-d’Armor', deptCode: '22', carrierKind: 'mixte', profile: 'avance', staleDays: 1, description: 'Un pays rural où élus, associations et cafés s’allient pour des communs numériques locaux.' },
	{ slug: 'marais-de-l-estuaire', name: 'Marais de l’Estuaire (démo)', region: 'Pays de la Loire', departement: 'Loire-Atlantique', deptCode: '44', carrierKind: 'lieux', profile: 'en_route', staleDays: 3, description: 'Un réseau de tiers-lieux du marais qui mutualise matériel, savoir-faire et ateliers.' },
	{ slug: 'coteaux-du-vernet', name: 'Coteaux du Vernet (démo)', region: 'Occitanie', departement: 'Tarn', deptCode: '81', carrierKind: 'citoyens', profile: 'fragile', staleDays: 9, description: 'Des habitants des coteaux qui apprennent ensemble à réparer et à garder la maîtrise de leurs données.' },
	{ slug: 'monts-de-brume', name: 'Monts de Brume (démo)', region: 'Bourgogne-Franche-Comté', departement: 'Nièvre', deptCode: '58', carrierKind: 'collectivite', profile: 'en_retard', staleDays: 31, blocked: true, description: 'Un parc naturel qui relie sobriété numérique et préservation de ses forêts.' },
	{ slug: 'bocage-des-haies-vives', name: 'Bocage des Haies Vives (démo)', region: 'Normandie', departement: 'Orne', deptCode: '61', carrierKind: 'mixte', profile: 'fragile', staleDays: 14, description: 'Un bocage où mairies et associations construisent un réseau d’entraide numérique de proximité.' },
	{ slug: 'rives-de-l-aubrette', name: 'Rives de l’Aubrette (démo)', region: 'Grand Est', departement: 'Meuse', deptCode: '55', carrierKind: 'collectivite', profile: 'en_route', staleDays: 2, description: 'Une intercommunalité qui ouvre ses données et forme ses habitants à s’en servir.' },
	{ slug: 'causses-et-garrigues', name: 'Causses et Garrigues (démo)', region: 'Occitanie', departement: 'Hérault', deptCode: '34', carrierKind: 'lieux', profile: 'avance', staleDays: 0, description: 'Des lieux ouverts des causses qui accueillent ateliers de réemploi et fêtes du libre.' },
	{ slug: 'pays-de-la-forge', name: 'Pays de la Forge (démo)', region: 'Hauts-de-France', departement: 'Nord', deptCode: '59', carrierKind: 'citoyens', profile: 'en_route', staleDays: 5, description: 'Un ancien bassin industriel où les habitants réinventent le numérique comme un savoir-faire partagé.' },
	{ slug: 'val-d-ardoise', name: 'Val d’Ardoise (démo)', region: 'Centre-Val de Loire', departement: 'Indre-et-Loire', deptCode: '37', carrierKind: 'mixte', profile: 'fragile', staleDays: 7, description: 'Un val viticole qui associe écoles, caves coopératives et médiathèques autour des communs.' },
	{ slug: 'haute-lande-numerique', name: 'Haute-Lande numérique (démo)', region: 'Nouvelle-Aquitaine', departement: 'Landes', deptCode: '40', carrierKind: 'collectivite', profile: 'en_retard', staleDays: 24, description: 'Un territoire forestier peu dense qui mise sur les permanences itinérantes.' },
	{ slug: 'presqu-ile-des-goelands', name: 'Presqu’île des Goélands (démo)', region: 'Bretagne', departement: 'Finistère', deptCode: '29', carrierKind: 'citoyens', profile: 'en_route', staleDays: 1, description: 'Des habitants de la presqu’île qui réparent, partagent et gouvernent ensemble leurs outils.' },
	{ slug: 'pays-des-etangs-clairs', name: 'Pays des Étangs Clairs (démo)', region: 'Centre-Val de Loire', departement: 'Loir-et-Cher', deptCode: '41', carrierKind: 'lieux', profile: 'fragile', staleDays: 18, description: 'Un réseau de lieux d’accueil qui veut faire du numérique une affaire de voisinage.' },
	{ slug: 'vallons-du-lizet', name: 'Vallons du Lizet (démo)', region: 'Provence-Alpes-Côte d’Azur', departement: 'Alpes-de-Haute-Provence', deptCode: '04', carrierKind: 'mixte', profile: 'en_retard', staleDays: 38, description: 'Des villages de montagne qui cherchent à mutualiser leurs équipements et leurs compétences.' },
	{ slug: 'cretes-du-grand-vent', name: 'Crêtes du Grand Vent (démo)', region: 'Grand Est', departement: 'Vosges', deptCode: '88', carrierKind: 'citoyens', profile: 'fragile', staleDays: 11, description: 'Un collectif citoyen des crêtes qui anime des ateliers de sobriété numérique.' },
	{ slug: 'port-sauvage', name: 'Agglomération de Port-Sauvage (démo)', region: 'Île-de-France', departement: 'Seine-Saint-Denis', deptCode: '93', carrierKind: 'collectivite', profile: 'en_retard', staleDays: 27, description: 'Une agglomération populaire qui veut rapprocher ses quartiers des outils numériques libres.' },
	{ slug: 'hauts-de-bois-vert', name: 'Hauts de Bois-Vert (démo)', region: 'La Réunion', departement: 'La Réunion', deptCode: '974', carrierKind: 'mixte', profile: 'en_retard', staleDays: 20, description: 'Des quartiers des hauts de l’île qui tissent un réseau de lieux numériques solidaires.' }
];

/**
 * How much demo data to load. The default is the demo cohort as seen on 2026-11-29.
 * `program: 'full'` is the benchmark's dataset: a whole 18-month program seen on
 * {@link FULL_PROGRAM_TODAY}, ≥ 350 citizens and ≥ 150 lieux for most territories, a workshop a
 * week with attendance, a value per indicator per month. `scale` copies the 18 territories
 * (10 → 180 territories, the same volumes per territory). Read from MARATHON_DEMO_SCALE and
 * MARATHON_DEMO_PROGRAM by the server (see {@link demoOptionsFromEnv}).
 */
export interface DemoOptions {
	/** Copies of the 18 territories: an integer from 1 to 50; 1 by default. */
	scale?: number;
	program?: 'demo' | 'full';
}

/** The day the full-program dataset is seen on (the app's MARATHON_TODAY for the benchmark): month 18. */
export const FULL_PROGRAM_TODAY = '2027-07-29';

/**
 * The options the environment asks for: MARATHON_DEMO_SCALE (integer 1–50, default 1) and
 * MARATHON_DEMO_PROGRAM (`full` or `demo`, default `demo`). Throws on any other value.
 */
export function demoOptionsFromEnv(env: Record<string, string | undefined> = process.env): Required<DemoOptions> {
	const scale = Number(env.MARATHON_DEMO_SCALE ?? 1);
	if (!Number.isInteger(scale) || scale < 1 || scale > 50) throw new Error(`MARATHON_DEMO_SCALE invalide : ${env.MARATHON_DEMO_SCALE} (entier de 1 à 50)`);
	const program = env.MARATHON_DEMO_PROGRAM ?? 'demo';
	if (program !== 'demo' && program !== 'full') throw new Error(`MARATHON_DEMO_PROGRAM invalide : ${program} (demo ou full)`);
	return { scale, program };
}

/**
 * The territories at a scale: the 18 of the demo cohort, then for copy k = 2…scale the same 18
 * with slug `<slug>-<k>` and name `<name> <k> (démo)`. Pure and deterministic.
 */
export function demoTerritories(scale = 1): DemoTerritory[] {
	const copies: DemoTerritory[] = [...DEMO_TERRITORIES];
	for (let k = 2; k <= scale; k++)
		for (const t of DEMO_TERRITORIES)
			copies.push({ ...t, slug: `${t.slug}-${k}`, name: `${t.name.replace(' (démo)', '')} ${k} (démo)` });
	return copies;
}

/**
 * Every demo account, in a fixed order: the admin, the facilitator, the funder, then one
 * coordinator per territory (`coordination.<slug>@demo.marathon.test`) of
 * {@link demoTerritories}(scale). Pure and deterministic.
 */
export function demoAccounts(scale = 1): DemoAccount[] {
	return [
		{ email: 'admin@demo.marathon.test', role: 'admin', displayName: 'Administration technique (démo)' },
		{ email: 'facilitation@demo.marathon.test', role: 'facilitator', displayName: 'Équipe d’animation CoopCoNuT (démo)' },
		{ email: 'financeur@demo.marathon.test', role: 'funder', displayName: 'Financeur du programme (démo)' },
		...demoTerritories(scale).map(
			(t): DemoAccount => ({
				email: `coordination.${t.slug}@demo.marathon.test`,
				role: 'coordinator',
				displayName: `Coordination ${t.name.replace(' (démo)', '')}`,
				territorySlug: t.slug,
				territoryName: t.name
			})
		)
	];
}

/**
 * Seeds the demo cohort, once: in one transaction, under advisory lock 4242002, does nothing and
 * returns false if any cohort exists; otherwise inserts the whole cohort (accounts, territories,
 * milestones, citizens, lieux, workshops, indicators, synthetic audit history) and returns true.
 * Runs as the connection owner (bypasses RLS); the audit trigger skips the rows it writes.
 */
export async function seedDemo(sql: Sql, options: DemoOptions = {}): Promise<boolean> {
	const passwordHash = await bcrypt.hash(DEMO_PASSWORD, 10);
	const result = await sql.begin(async (tx) => {
		await tx`select pg_advisory_xact_lock(4242002)`;
		const existing = await tx`select 1 from public.cohorts limit 1`;
		if (existing.length > 0) return false;
		await tx`select set_config('marathon.seeding', 'on', true)`;
		const userColumns = await authUserColumns(tx);
		await insertAll(tx, buildDemo(passwordHash, userColumns, options));
		return true;
	});
	return result === true;
}

// ============ dates (day numbers from 2026-02-01, UTC calendar) ============

const START = Date.UTC(2026, 1, 1);
const DAY_MS = 86_400_000;
/** 2026-11-29, the demo's "today". */
const TODAY = 301;
/** 2027-07-29 ({@link FULL_PROGRAM_TODAY}), the full-program dataset's "today". */
const FULL_TODAY = 543;
/** Europe/Paris summer time: 2026-03-29 to 2026-10-24 and 2027-03-28 to 2027-10-30, included. */
const SUMMERS = [[56, 265], [420, 636]] as const;

function isoDate(day: number): string {
	return new Date(START + day * DAY_MS).toISOString().slice(0, 10);
}

/** A Paris wall-clock time on a day, as timestamptz text (e.g. 2026-05-12T18:00:00+02:00). */
function parisTime(day: number, minutes: number): string {
	const offset = SUMMERS.some(([from, to]) => day >= from && day <= to) ? '+02:00' : '+01:00';
	const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
	const mm = String(minutes % 60).padStart(2, '0');
	return `${isoDate(day)}T${hh}:${mm}:00${offset}`;
}

/** Day number of the last day of program month `month` (1 → 2026-02-28). */
function monthEnd(month: number): number {
	return Math.round((Date.UTC(2026, 1 + month, 0) - START) / DAY_MS);
}

/** Day number of the first day of program month `month` (1 → 2026-02-01). */
function monthStart(month: number): number {
	return Math.round((Date.UTC(2026, month, 1) - START) / DAY_MS);
}

/** 0 = Sunday … 6 = Saturday. */
function weekday(day: number): number {
	return new Date(START + day * DAY_MS).getUTCDay();
}

// ============ deterministic randomness ============

type Rng = () => number;

/** mulberry32: a small, fast, seeded PRNG returning floats in [0, 1). */
function mulberry32(seed: number): Rng {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

class Random {
	private readonly next: Rng;
	private readonly ids: Rng;
	constructor(seed: number) {
		this.next = mulberry32(seed);
		this.ids = mulberry32(seed ^ 0x5eed);
	}
	float(): number {
		return this.next();
	}
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}
	chance(p: number): boolean {
		return this.next() < p;
	}
	pick<T>(items: readonly T[]): T {
		return items[Math.floor(this.next() * items.length)];
	}
	weighted<T extends string>(weights: Readonly<Record<T, number>>): T {
		const entries = Object.entries(weights) as [T, number][];
		let r = this.next() * entries.reduce((s, [, w]) => s + w, 0);
		for (const [key, w] of entries) {
			r -= w;
			if (r < 0) return key;
		}
		return entries[entries.length - 1][0];
	}
	sample<T>(items: readonly T[], n: number): T[] {
		const pool = [...items];
		for (let i = pool.length - 1; i > 0; i--) {
			const j = Math.floor(this.next() * (i + 1));
			[pool[i], pool[j]] = [pool[j], pool[i]];
		}
		return pool.slice(0, n);
	}
	/** A uuid-v4-shaped id from its own stream, so ids do not depend on other draws. */
	uuid(): string {
		const hex = Array.from({ length: 4 }, () => Math.floor(this.ids() * 4_294_967_296).toString(16).padStart(8, '0')).join('');
		const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
		return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
	}
}

// ============ reference data ============

const FIRST_NAMES = [
	'Camille', 'Léa', 'Manon', 'Chloé', 'Inès', 'Jade', 'Louise', 'Emma', 'Alice', 'Zoé', 'Sarah', 'Lina', 'Nadia', 'Fatou',
	'Martine', 'Sylvie', 'Monique', 'Hélène', 'Odile', 'Yasmina', 'Lucas', 'Hugo', 'Louis', 'Nathan', 'Théo', 'Jules', 'Adam',
	'Mathis', 'Karim', 'Moussa', 'Bernard', 'Gérard', 'Alain', 'Pascal', 'Thierry', 'Yannick', 'Sacha', 'Dominique', 'Claude', 'Maël'
];
const INITIALS = 'ABCDEFGHJLMNPRSTV';
const COMMUNES = [
	'Beaulieu', 'Villeneuve', 'Saint-Aubin', 'Montferrand', 'Les Essarts', 'Champagnac', 'La Chapelle-aux-Bois', 'Fontclaire',
	'Saint-Martin-du-Val', 'Roche-Haute', 'Le Mesnil', 'Boisseuil', 'Chanteloup', 'Val-Fleury', 'Sainte-Colombe', 'Pierrefeu',
	'Mont-Lucet', 'Les Ormeaux', 'Clairvaux-le-Bas', 'Saint-Jory', 'Bellecombe', 'Vauclair', 'Le Pradel', 'Puyrenard'
];
const STREETS = [
	'rue de la République', 'place de l’Église', 'avenue Jean-Jaurès', 'chemin des Vignes', 'rue du Moulin',
	'impasse des Tilleuls', 'rue Victor-Hugo', 'Grande Rue', 'route de la Gare', 'place du Marché'
];

type LieuKind = 'tiers_lieu' | 'mediatheque' | 'ecole' | 'association' | 'cafe' | 'mairie' | 'entreprise' | 'autre';
const LIEU_KIND_WEIGHTS: Record<LieuKind, number> = {
	tiers_lieu: 12, mediatheque: 9, ecole: 14, association: 28, cafe: 10, mairie: 7, entreprise: 10, autre: 10
};
/** Lieu names by kind; `%` is replaced by the commune. */
const LIEU_NAMES: Record<LieuKind, readonly string[]> = {
	tiers_lieu: ['La Fabrique (%)', 'La Ruche (%)', 'Le Hangar (%)', 'L’Établi (%)', 'La Grange numérique (%)', 'Le Moulin partagé (%)'],
	mediatheque: ['Médiathèque de %', 'Bibliothèque de %'],
	ecole: ['École Jules-Ferry (%)', 'École des Tilleuls (%)', 'Collège Louise-Michel (%)', 'Lycée Marie-Curie (%)', 'École du Bourg (%)'],
	association: ['Foyer rural de %', 'Centre social de %', 'Repair café de %', 'Club informatique de %', 'Jardins partagés de %', 'Atelier vélo de %', 'Les Amis du numérique (%)', 'Familles en réseau (%)'],
	cafe: ['Café associatif Le Comptoir (%)', 'Café-librairie La Page (%)', 'Le Bistrot de pays (%)', 'Café des Sports (%)'],
	mairie: ['Mairie de %'],
	entreprise: ['Ressourcerie informatique (%)', 'SCOP Numérique solidaire (%)', 'Imprimerie coopérative (%)', 'Atelier de réparation (%)'],
	autre: ['Salle des fêtes de %', 'Maison de santé de %', 'Office de tourisme de %', 'Marché couvert de %']
};

type AgeBand = 'moins_18' | '18_25' | '26_40' | '41_60' | '61_75' | 'plus_75' | 'non_renseigne';
const AGE_WEIGHTS: Record<AgeBand, number> = {
	moins_18: 3, '18_25': 12, '26_40': 25, '41_60': 30, '61_75': 18, plus_75: 5, non_renseigne: 7
};
type Source = 'workshop' | 'event' | 'online' | 'partner';
const SOURCE_WEIGHTS: Record<Source, number> = { workshop: 45, event: 25, online: 14, partner: 16 };

type Format = 'atelier' | 'formation' | 'evenement' | 'reunion' | 'permanence' | 'balade' | 'en_ligne';
const WORKSHOP_KINDS: readonly { title: string; format: Format; laws: number[]; minutes: number }[] = [
	{ title: 'Café réparation de smartphones', format: 'atelier', laws: [4, 3], minutes: 150 },
	{ title: 'Initiation aux logiciels libres', format: 'formation', laws: [5, 3], minutes: 180 },
	{ title: 'Balade numérique : les lieux ressources du quartier', format: 'balade', laws: [2], minutes: 120 },
	{ title: 'Atelier « Mes données, mes droits »', format: 'atelier', laws: [5], minutes: 120 },
	{ title: 'Fresque du numérique', format: 'atelier', laws: [4, 1], minutes: 180 },
	{ title: 'Permanence d’aide aux démarches en ligne', format: 'permanence', laws: [3], minutes: 180 },
	{ title: 'Réunion du collectif local', format: 'reunion', laws: [5], minutes: 120 },
	{ title: 'Forum des communs numériques', format: 'evenement', laws: [1, 2], minutes: 240 },
	{ title: 'Formation de facilitateurs et facilitatrices', format: 'formation', laws: [3], minutes: 210 },
	{ title: 'Atelier reconditionnement d’ordinateurs', format: 'atelier', laws: [4], minutes: 180 },
	{ title: 'Visio : la gouvernance coopérative expliquée', format: 'en_ligne', laws: [5], minutes: 90 },
	{ title: 'Collecte de matériel informatique', format: 'evenement', laws: [4, 2], minutes: 240 },
	{ title: 'Comprendre les algorithmes qui nous entourent', format: 'atelier', laws: [5, 3], minutes: 120 },
	{ title: 'Cartopartie OpenStreetMap', format: 'atelier', laws: [2, 5], minutes: 180 }
];
const SUMMARIES = [
	'Très bonne dynamique, plusieurs personnes souhaitent revenir.',
	'Échanges riches sur les usages du numérique au quotidien.',
	'Plusieurs appareils remis en état et rendus à leurs propriétaires.',
	'Le groupe propose d’animer lui-même la prochaine séance.',
	'Public intergénérationnel, à refaire pendant les vacances scolaires.',
	'Participation plus faible que prévu à cause de la météo.',
	'Rencontre avec de nouveaux partenaires du territoire.',
	'Restitution affichée au tiers-lieu et partagée sur la liste de diffusion.'
];

interface TemplateDef {
	code: string;
	title: string;
	description: string;
	month: number;
	laws: number[];
}
const TEMPLATES: readonly TemplateDef[] = [
	{ code: 'lancement', title: 'Lancement public du marathon', description: 'Réunion publique de lancement avec les partenaires du territoire.', month: 1, laws: [1, 2] },
	{ code: 'equipe_locale', title: 'Constitution de l’équipe locale', description: 'Équipe d’animation et comité de pilotage ouverts aux habitants.', month: 2, laws: [5] },
	{ code: 'diagnostic', title: 'Diagnostic partagé du territoire', description: 'Usages, besoins et ressources numériques, établis avec les habitants.', month: 3, laws: [1, 2] },
	{ code: 'charte', title: 'Charte de coopération signée', description: 'Les engagements communs des lieux et des partenaires.', month: 4, laws: [5] },
	{ code: 'premiers_lieux', title: 'Cinquante lieux engagés', description: 'Un premier réseau de lieux accueillant les activités du marathon.', month: 5, laws: [2] },
	{ code: 'bilan_semer', title: 'Bilan de la phase Semer', description: 'Bilan partagé des six premiers mois et ajustement du plan d’action.', month: 6, laws: [1, 5] },
	{ code: 'formation_facilitateurs', title: 'Formation des citoyens facilitateurs', description: 'Des habitants formés pour animer à leur tour des ateliers.', month: 8, laws: [3] },
	{ code: 'plan_sobriete', title: 'Plan de sobriété numérique', description: 'Réemploi, mutualisation et usages sobres : un plan d’action chiffré.', month: 9, laws: [4] },
	{ code: 'assemblee_mi_parcours', title: 'Assemblée citoyenne de mi-parcours', description: 'Les habitants évaluent le marathon et orientent la suite.', month: 10, laws: [3, 5] },
	{ code: 'bilan_germer', title: 'Bilan de la phase Germer', description: 'Bilan de la deuxième phase et préparation de la pérennisation.', month: 12, laws: [1, 5] },
	{ code: 'essaimage', title: 'Essaimage vers les territoires voisins', description: 'Partager les outils et les méthodes avec d’autres territoires.', month: 15, laws: [2, 3] },
	{ code: 'restitution_finale', title: 'Restitution finale et suites', description: 'Restitution publique des résultats et engagements pour l’après-marathon.', month: 18, laws: [1, 5] }
];
const OWN_MILESTONES: readonly { title: string; laws: number[] }[] = [
	{ title: 'Fête des communs numériques', laws: [2, 5] },
	{ title: 'Ouverture d’une ressourcerie informatique', laws: [4] },
	{ title: 'Cartographie participative des lieux', laws: [2] },
	{ title: 'Création d’un fonds de matériel partagé', laws: [4] },
	{ title: 'Jumelage avec un territoire voisin', laws: [1, 2] }
];
const EVIDENCE_NOTES = [
	'Compte rendu partagé avec l’équipe d’animation.',
	'Feuille d’émargement et photos archivées.',
	'Délibération adoptée, copie transmise à CoopCoNuT.',
	'Synthèse publiée sur le site du territoire.',
	'Présenté en comité de pilotage.'
];
const BLOCKED_REASONS = [
	'En attente de la délibération du conseil communautaire.',
	'Salle indisponible jusqu’à nouvel ordre ; recherche d’un autre lieu en cours.'
];

type Derived = 'societaires' | 'events' | 'participants' | 'hosting_lieux';
interface IndicatorDef {
	law: number;
	code: string;
	fr: string;
	en: string;
	unit: string;
	kind: 'flow' | 'stock';
	/** flow: typical monthly value; stock: typical monthly increase. */
	base: number;
	derived?: Derived;
	/** Per-territory target for the 18 months, for some indicators. */
	target?: number;
}
const INDICATORS: readonly IndicatorDef[] = [
	{ law: 1, code: 'initiatives_regeneratives', fr: 'Initiatives régénératives lancées', en: 'Regenerative initiatives launched', unit: 'initiatives', kind: 'flow', base: 1.5 },
	{ law: 1, code: 'partenariats_actifs', fr: 'Partenariats locaux actifs', en: 'Active local partnerships', unit: 'partenariats', kind: 'stock', base: 1.2, target: 25 },
	{ law: 1, code: 'actions_biodiversite', fr: 'Actions pour la biodiversité outillées par le numérique', en: 'Biodiversity actions supported by digital tools', unit: 'actions', kind: 'flow', base: 1 },
	{ law: 2, code: 'evenements_presentiel', fr: 'Événements en présentiel', en: 'In-person events', unit: 'événements', kind: 'flow', base: 3, derived: 'events' },
	{ law: 2, code: 'participants_presentiel', fr: 'Participants en présentiel', en: 'In-person participants', unit: 'personnes', kind: 'flow', base: 30, derived: 'participants' },
	{ law: 2, code: 'lieux_accueillants', fr: 'Lieux ayant accueilli un atelier', en: 'Lieux hosting workshops', unit: 'lieux', kind: 'stock', base: 2, derived: 'hosting_lieux' },
	{ law: 3, code: 'personnes_formees', fr: 'Personnes formées', en: 'People trained', unit: 'personnes', kind: 'flow', base: 14, target: 250 },
	{ law: 3, code: 'heures_formation', fr: 'Heures de formation dispensées', en: 'Training hours delivered', unit: 'heures', kind: 'flow', base: 22 },
	{ law: 3, code: 'citoyens_facilitateurs', fr: 'Citoyens devenus facilitateurs', en: 'Citizens who became facilitators', unit: 'personnes', kind: 'stock', base: 0.8 },
	{ law: 4, code: 'equipements_reemployes', fr: 'Équipements réemployés ou reconditionnés', en: 'Devices reused or refurbished', unit: 'équipements', kind: 'flow', base: 9, target: 180 },
	{ law: 4, code: 'kwh_evites', fr: 'Énergie évitée (estimation)', en: 'Estimated energy avoided', unit: 'kWh', kind: 'flow', base: 320 },
	{ law: 4, code: 'services_mutualises', fr: 'Services mutualisés ou abandonnés', en: 'Services pooled or retired', unit: 'services', kind: 'stock', base: 0.5 },
	{ law: 5, code: 'reunions_gouvernance', fr: 'Réunions de gouvernance ouvertes', en: 'Open governance meetings', unit: 'réunions', kind: 'flow', base: 1.3 },
	{ law: 5, code: 'outils_libres_adoptes', fr: 'Outils libres adoptés', en: 'Free/open tools adopted', unit: 'outils', kind: 'stock', base: 0.7, target: 12 },
	{ law: 5, code: 'societaires', fr: 'Sociétaires de la coopérative', en: 'Cooperative members', unit: 'sociétaires', kind: 'stock', base: 5, derived: 'societaires' }
];
const VALUE_NOTES = [
	'Chiffre consolidé avec les partenaires.',
	'Estimation, à confirmer le mois prochain.',
	'Inclut la fête du numérique.',
	'Saisie à partir des feuilles d’émargement.'
];

/** Volumes and pace per profile: [min, max] drawn per territory. */
interface ProfileSpec {
	citizens: [number, number];
	/** Share of citizens enrolled within the 90-day pace window. */
	citizensRecent: [number, number];
	lieux: [number, number];
	lieuxRecent: [number, number];
	workshops: [number, number];
	/** Past template milestones still not done (demo program; the full program adds the months since). */
	late: [number, number];
	/** Multiplier on indicator values. */
	activity: number;
}
const PROFILES: Record<Profile, ProfileSpec> = {
	avance: { citizens: [360, 400], citizensRecent: [0.22, 0.28], lieux: [135, 160], lieuxRecent: [0.15, 0.2], workshops: [34, 40], late: [0, 0], activity: 1.3 },
	en_route: { citizens: [280, 330], citizensRecent: [0.22, 0.27], lieux: [110, 135], lieuxRecent: [0.16, 0.2], workshops: [26, 33], late: [0, 1], activity: 1 },
	fragile: { citizens: [190, 250], citizensRecent: [0.13, 0.17], lieux: [60, 100], lieuxRecent: [0.12, 0.16], workshops: [20, 27], late: [1, 1], activity: 0.75 },
	en_retard: { citizens: [60, 140], citizensRecent: [0.05, 0.1], lieux: [20, 45], lieuxRecent: [0.04, 0.08], workshops: [15, 19], late: [2, 3], activity: 0.5 }
};
/**
 * The full program at month 18 (benchmark): ≥ 350 citizens and ≥ 150 lieux everywhere but the
 * late territories; workshops are weekly (see addWorkshops), so their count here is unused.
 */
const FULL_PROFILES: Record<Profile, ProfileSpec> = {
	avance: { ...PROFILES.avance, citizens: [440, 500], lieux: [180, 210] },
	en_route: { ...PROFILES.en_route, citizens: [390, 440], lieux: [160, 185] },
	fragile: { ...PROFILES.fragile, citizens: [350, 380], lieux: [150, 165] },
	en_retard: { ...PROFILES.en_retard, citizens: [180, 300], lieux: [70, 120] }
};

// ============ rows ============

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
/** A row to insert. jsonb columns take objects (postgres.js serialises them), never JSON text. */
export type Row = Record<string, Json>;

export interface DemoData {
	users: Row[];
	cohort: Row;
	territories: Row[];
	profiles: Row[];
	members: Row[];
	templates: Row[];
	milestones: Row[];
	citizens: Row[];
	consents: Row[];
	lieux: Row[];
	workshops: Row[];
	attendances: Row[];
	indicators: Row[];
	targets: Row[];
	values: Row[];
	audit: Row[];
}

/** Everything a territory produced, kept for the rows that refer to it. */
interface TerritoryContext {
	t: DemoTerritory;
	id: string;
	coordinatorId: string;
	communes: { name: string; postalCode: string }[];
	citizens: { id: string; day: number; withdrawnDay: number | null; societaire: boolean }[];
	lieux: { id: string; day: number; active: boolean }[];
	workshops: { id: string; day: number; held: boolean; inPerson: boolean; lieuId: string | null; attendees: number; title: string }[];
	milestones: { id: string; status: string }[];
	/** The dataset's "today" (day number) and whether it is the full program (weekly workshops). */
	today: number;
	full: boolean;
}

/** The last day a territory recorded anything: nothing is dated after its last change (nor today). */
const lastDay = (ctx: TerritoryContext): number => Math.min(ctx.today - 1, ctx.today - ctx.t.staleDays);
/** First day of the 90-day pace window ending today (2026-09-01 for the demo). */
const windowStart = (ctx: TerritoryContext): number => ctx.today - 89;
const profileSpec = (ctx: TerritoryContext): ProfileSpec => (ctx.full ? FULL_PROFILES : PROFILES)[ctx.t.profile];
const pgArray = (xs: readonly number[]): string => `{${xs.join(',')}}`;
const ascii = (s: string): string =>
	s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '');
const range = (r: Random, [min, max]: [number, number]): number => min + r.float() * (max - min);

/** The Supabase Auth columns that must not be null for GoTrue, when the table has them. */
const GOTRUE_EMPTY_STRINGS = ['confirmation_token', 'recovery_token', 'email_change_token_new', 'email_change'];

async function authUserColumns(tx: TransactionSql): Promise<Set<string>> {
	const rows = await tx<{ column_name: string }[]>`
		select column_name from information_schema.columns where table_schema = 'auth' and table_name = 'users'`;
	return new Set(rows.map((r) => r.column_name));
}

/** The whole demo cohort as rows, deterministic (tests compute expected figures from it). */
export function buildDemo(passwordHash: string, userColumns: Set<string>, options: DemoOptions = {}): DemoData {
	const full = options.program === 'full';
	const today = full ? FULL_TODAY : TODAY;
	const scale = options.scale ?? 1;
	const r = new Random(20260201);
	const data: DemoData = {
		users: [], cohort: {}, territories: [], profiles: [], members: [], templates: [], milestones: [], citizens: [],
		consents: [], lieux: [], workshops: [], attendances: [], indicators: [], targets: [], values: [], audit: []
	};
	const cohortId = r.uuid();
	data.cohort = {
		id: cohortId, name: 'Marathon coopératif 2026 (démo)', start_date: '2026-02-01', is_demo: true, transparency_published: true
	};
	const accountIds = addAccounts(r, data, passwordHash, userColumns, scale);
	const templateIds = addTemplates(r, data, cohortId);
	const indicatorIds = addIndicators(r, data, cohortId);
	for (const t of demoTerritories(scale)) {
		const ctx = addTerritory(r, data, t, cohortId, accountIds.get(t.slug) ?? '', today, full);
		addCitizens(r, data, ctx);
		addLieux(r, data, ctx);
		addWorkshops(r, data, ctx);
		addMilestones(r, data, ctx, templateIds);
		addIndicatorValues(r, data, ctx, indicatorIds);
		addAudit(r, data, ctx);
	}
	return data;
}

/** auth.users, profiles; returns the coordinator ids by territory slug. */
function addAccounts(r: Random, data: DemoData, passwordHash: string, userColumns: Set<string>, scale: number): Map<string, string> {
	const bySlug = new Map<string, string>();
	for (const a of demoAccounts(scale)) {
		const id = r.uuid();
		const user: Row = {
			id,
			aud: 'authenticated',
			role: 'authenticated',
			email: a.email,
			encrypted_password: passwordHash,
			email_confirmed_at: '2026-01-20T10:00:00+01:00',
			raw_app_meta_data: { provider: 'email', providers: ['email'] },
			raw_user_meta_data: {},
			created_at: '2026-01-20T10:00:00+01:00',
			updated_at: '2026-01-20T10:00:00+01:00'
		};
		if (userColumns.has('instance_id')) user.instance_id = '00000000-0000-0000-0000-000000000000';
		for (const c of GOTRUE_EMPTY_STRINGS) if (userColumns.has(c)) user[c] = '';
		data.users.push(user);
		data.profiles.push({ user_id: id, display_name: a.displayName, app_role: a.role });
		if (a.territorySlug) bySlug.set(a.territorySlug, id);
	}
	return bySlug;
}

function addTemplates(r: Random, data: DemoData, cohortId: string): string[] {
	return TEMPLATES.map((tpl) => {
		const id = r.uuid();
		data.templates.push({
			id, cohort_id: cohortId, code: tpl.code, title: tpl.title, description: tpl.description,
			month_offset: tpl.month, laws: pgArray(tpl.laws)
		});
		return id;
	});
}

function addIndicators(r: Random, data: DemoData, cohortId: string): string[] {
	const perLaw = new Map<number, number>();
	return INDICATORS.map((ind) => {
		const id = r.uuid();
		const order = (perLaw.get(ind.law) ?? 0) + 1;
		perLaw.set(ind.law, order);
		data.indicators.push({
			id, cohort_id: cohortId, law: ind.law, code: ind.code, name_fr: ind.fr, name_en: ind.en, unit: ind.unit,
			kind: ind.kind, sort_order: ind.law * 10 + order
		});
		return id;
	});
}

function addTerritory(
	r: Random, data: DemoData, t: DemoTerritory, cohortId: string, coordinatorId: string, today: number, full: boolean
): TerritoryContext {
	const id = r.uuid();
	data.territories.push({
		id, cohort_id: cohortId, name: t.name, slug: t.slug, region: t.region, departement: t.departement,
		carrier_kind: t.carrierKind, description: t.description, start_date: null, is_demo: true
	});
	data.members.push({ territory_id: id, user_id: coordinatorId });
	const communes = r.sample(COMMUNES, 8).map((name) => ({ name, postalCode: postalCode(r, t.deptCode) }));
	return { t, id, coordinatorId, communes, citizens: [], lieux: [], workshops: [], milestones: [], today, full };
}

function postalCode(r: Random, deptCode: string): string {
	const free = 5 - deptCode.length - 1;
	return `${deptCode}${String(r.int(0, 10 ** free - 1)).padStart(free, '0')}0`;
}

/**
 * `n` enrolment days, sorted: a share in the 90-day pace window, the rest since the start
 * (ramping up for thriving territories, flat for the others).
 */
function enrolmentDays(r: Random, n: number, recentShare: number, ctx: TerritoryContext): number[] {
	const recent = Math.round(n * recentShare);
	const ramp = ctx.t.profile === 'avance' || ctx.t.profile === 'en_route' ? 0.8 : 1.2;
	const days = Array.from({ length: n }, (_, i) =>
		i < recent
			? r.int(windowStart(ctx), lastDay(ctx))
			: Math.min(windowStart(ctx) - 1, 3 + Math.floor((windowStart(ctx) - 3) * r.float() ** ramp))
	);
	return days.sort((a, b) => a - b);
}

function addCitizens(r: Random, data: DemoData, ctx: TerritoryContext): void {
	const spec = profileSpec(ctx);
	const n = r.int(...spec.citizens);
	const societaireRate = range(r, [0.15, 0.25]);
	const days = enrolmentDays(r, n, range(r, spec.citizensRecent), ctx);
	days.forEach((day, i) => {
		const id = r.uuid();
		const first = r.pick(FIRST_NAMES);
		const initial = r.pick([...INITIALS]);
		const commune = r.chance(0.9) ? r.pick(ctx.communes) : null;
		const withdrawnDay = day < lastDay(ctx) - 20 && r.chance(0.03) ? r.int(day + 7, lastDay(ctx)) : null;
		const societaire = withdrawnDay === null && r.chance(societaireRate);
		data.citizens.push({
			id, territory_id: ctx.id, display_name: `${first} ${initial}.`,
			email: r.chance(0.55) ? `${ascii(first)}.${initial.toLowerCase()}${i + 1}@example.org` : null,
			phone: r.chance(0.35) ? phone(r) : null,
			commune: commune?.name ?? null,
			postal_code: commune && r.chance(0.85) ? commune.postalCode : null,
			age_band: r.weighted(AGE_WEIGHTS), enrolled_at: isoDate(day), source: r.weighted(SOURCE_WEIGHTS),
			is_societaire: societaire, status: withdrawnDay === null ? 'active' : 'withdrawn',
			withdrawn_at: withdrawnDay === null ? null : isoDate(withdrawnDay)
		});
		addConsents(r, data, ctx, id, day, withdrawnDay);
		ctx.citizens.push({ id, day, withdrawnDay, societaire });
	});
}

function addConsents(r: Random, data: DemoData, ctx: TerritoryContext, citizenId: string, day: number, withdrawnDay: number | null): void {
	const base = {
		citizen_id: citizenId, territory_id: ctx.id, purpose: 'Participation au Marathon coopératif et suivi de l’impact',
		text_version: 'v1.0', recorded_by: ctx.coordinatorId
	};
	data.consents.push({ id: r.uuid(), ...base, action: 'given', at: parisTime(day, 10 * 60 + r.int(0, 540)) });
	if (withdrawnDay !== null) {
		data.consents.push({ id: r.uuid(), ...base, action: 'withdrawn', at: parisTime(withdrawnDay, 9 * 60 + r.int(0, 540)) });
	}
}

function phone(r: Random): string {
	const pair = (): string => String(r.int(0, 99)).padStart(2, '0');
	// Stored canonical (E.164), as every form and import stores it; shown « 06 12 34 56 78 ».
	return `+33${r.pick(['6', '7'])}${pair()}${pair()}${pair()}${pair()}`;
}

function addLieux(r: Random, data: DemoData, ctx: TerritoryContext): void {
	const spec = profileSpec(ctx);
	// Territories carried by lieux enrol the most lieux of their profile.
	const n = ctx.t.carrierKind === 'lieux' ? spec.lieux[1] : r.int(...spec.lieux);
	const used = new Set<string>();
	enrolmentDays(r, n, range(r, spec.lieuxRecent), ctx).forEach((day, i) => {
		const id = r.uuid();
		const commune = r.pick(ctx.communes).name;
		const { kind, name } = lieuName(r, commune, used);
		const contact = r.chance(0.6);
		const active = !r.chance(0.03);
		data.lieux.push({
			id, territory_id: ctx.id, name, kind, commune,
			address: `${r.int(1, 48)} ${r.pick(STREETS)}`,
			contact_name: contact ? `${r.pick(FIRST_NAMES)} ${r.pick([...INITIALS])}.` : null,
			contact_email: contact && r.chance(0.8) ? `lieu${i + 1}.${ctx.t.slug}@example.org` : null,
			contact_phone: contact && r.chance(0.5) ? phone(r) : null,
			enrolled_at: isoDate(day), status: active ? 'active' : 'inactive'
		});
		ctx.lieux.push({ id, day, active });
	});
}

function lieuName(r: Random, commune: string, used: Set<string>): { kind: LieuKind; name: string } {
	let kind: LieuKind = 'association';
	let name = '';
	for (let attempt = 0; attempt < 12; attempt++) {
		kind = r.weighted(LIEU_KIND_WEIGHTS);
		name = r.pick(LIEU_NAMES[kind]).replace('%', commune);
		if (!used.has(name)) break;
	}
	for (let n = 2; used.has(name); n++) name = `${name.replace(/ \(site \d+\)$/, '')} (site ${n})`;
	used.add(name);
	return { kind, name };
}

/** A Paris-time slot on a day: Saturday daytime, weekday afternoon or evening. */
function slot(r: Random, day: number): number {
	if (weekday(day) === 6) return r.pick([10 * 60, 14 * 60, 14 * 60 + 30]);
	return r.pick([14 * 60, 17 * 60 + 30, 18 * 60, 18 * 60 + 30]);
}

function addWorkshops(r: Random, data: DemoData, ctx: TerritoryContext): void {
	const spec = profileSpec(ctx);
	const n = r.int(...spec.workshops);
	const upcoming = r.int(2, 4);
	// Late enough for a dozen citizens to be enrolled, so that every held workshop has attendees.
	const firstDay = Math.max(10, (ctx.citizens[11]?.day ?? 9) + 1);
	const days = ctx.full
		? weeklyDays(r, firstDay, lastDay(ctx), ctx.today, upcoming)
		: Array.from({ length: n }, (_, i) => (i < upcoming ? r.int(ctx.today + 5, ctx.today + 30) : r.int(firstDay, lastDay(ctx))));
	const facilitators = Array.from({ length: 3 }, () => `${r.pick(FIRST_NAMES)} ${r.pick([...INITIALS])}.`);
	for (const raw of days.sort((a, b) => a - b)) {
		const day = weekday(raw) === 0 ? raw - 1 : raw;
		const kind = r.pick(WORKSHOP_KINDS);
		const status = day >= ctx.today ? 'planned' : r.chance(0.08) ? 'cancelled' : 'held';
		const inPerson = kind.format !== 'en_ligne';
		const lieu = inPerson && r.chance(0.85) ? pickLieu(r, ctx, day) : null;
		const start = slot(r, day);
		const id = r.uuid();
		const attendees = status === 'held' ? addAttendances(r, data, ctx, id, day, start) : 0;
		data.workshops.push({
			id, territory_id: ctx.id, title: kind.title, format: kind.format,
			starts_at: parisTime(day, start), ends_at: parisTime(day, Math.min(start + kind.minutes, 23 * 60)),
			lieu_id: lieu, lieu_label: inPerson ? (lieu ? '' : `Salle des fêtes de ${r.pick(ctx.communes).name}`) : 'En ligne (visioconférence)',
			laws: pgArray(kind.laws), capacity: kind.format === 'evenement' ? null : r.pick([12, 15, 20, 25, 30]),
			facilitator_name: r.pick(facilitators), summary: workshopSummary(r, status, attendees), status
		});
		ctx.workshops.push({ id, day, held: status === 'held', inPerson, lieuId: lieu, attendees, title: kind.title });
	}
}

/** The full program: one workshop a week from `first` to `last`, then `upcoming` in the next month. */
function weeklyDays(r: Random, first: number, last: number, today: number, upcoming: number): number[] {
	const days: number[] = [];
	for (let week = first; week <= last - 6; week += 7) days.push(week + r.int(0, 6));
	for (let i = 0; i < upcoming; i++) days.push(r.int(today + 5, today + 30));
	return days;
}

function pickLieu(r: Random, ctx: TerritoryContext, day: number): string | null {
	const open = ctx.lieux.filter((l) => l.active && l.day <= day);
	return open.length ? r.pick(open).id : null;
}

function workshopSummary(r: Random, status: string, attendees: number): string {
	if (status === 'cancelled') return r.pick(['Annulé faute d’inscriptions.', 'Annulé : intervenant indisponible, reporté.']);
	if (status === 'planned') return '';
	return `${attendees} participant·es. ${r.pick(SUMMARIES)}`;
}

/** 4–20 citizens of the territory, enrolled on or before the day and not withdrawn by then. */
function addAttendances(r: Random, data: DemoData, ctx: TerritoryContext, workshopId: string, day: number, start: number): number {
	const eligible = ctx.citizens.filter((c) => c.day <= day && (c.withdrawnDay === null || c.withdrawnDay > day));
	const chosen = r.sample(eligible, Math.min(eligible.length, r.int(4, 20)));
	for (const c of chosen) {
		data.attendances.push({ workshop_id: workshopId, citizen_id: c.id, territory_id: ctx.id, checked_in_at: parisTime(day, start) });
	}
	return chosen.length;
}

function addMilestones(r: Random, data: DemoData, ctx: TerritoryContext, templateIds: readonly string[]): void {
	const spec = profileSpec(ctx);
	const pastIdx = TEMPLATES.map((tpl, i) => (monthEnd(tpl.month) < ctx.today ? i : -1)).filter((i) => i >= 0);
	const late = new Set(pastIdx.slice(pastIdx.length - r.int(...spec.late)));
	const blockedIdx = ctx.t.blocked ? Math.min(...late) : -1;
	const thriving = ctx.t.profile === 'avance' || ctx.t.profile === 'en_route';
	TEMPLATES.forEach((tpl, i) => {
		const due = monthEnd(tpl.month);
		let status = due < ctx.today ? 'done' : thriving && due - ctx.today < 35 ? 'in_progress' : 'planned';
		if (late.has(i)) status = i === blockedIdx ? 'blocked' : r.pick(['planned', 'in_progress']);
		const evidenceUrl = status === 'done' && r.chance(0.4) ? `https://example.org/demo/${ctx.t.slug}/${tpl.code}` : null;
		const row = milestoneRow(r, ctx, { title: tpl.title, description: tpl.description, laws: tpl.laws, due, status, evidenceUrl });
		data.milestones.push({ ...row, template_id: templateIds[i] });
	});
	for (const own of r.sample(OWN_MILESTONES, r.int(0, 2))) {
		const due = r.int(60, 460);
		const status = due >= ctx.today ? 'planned' : ctx.t.profile === 'en_retard' ? 'in_progress' : 'done';
		const row = milestoneRow(r, ctx, { title: own.title, description: '', laws: own.laws, due, status, evidenceUrl: null });
		data.milestones.push({ ...row, template_id: null });
	}
}

function milestoneRow(
	r: Random,
	ctx: TerritoryContext,
	m: { title: string; description: string; laws: number[]; due: number; status: string; evidenceUrl: string | null }
): Row {
	const id = r.uuid();
	const done = m.status === 'done';
	const completed = done ? Math.min(lastDay(ctx), m.due + r.int(-20, 10)) : null;
	ctx.milestones.push({ id, status: m.status });
	return {
		id, territory_id: ctx.id, title: m.title, description: m.description, due_date: isoDate(m.due), status: m.status,
		completed_at: completed === null ? null : isoDate(completed),
		evidence_note: done ? r.pick(EVIDENCE_NOTES) : '',
		evidence_url: m.evidenceUrl,
		blocked_reason: m.status === 'blocked' ? r.pick(BLOCKED_REASONS) : '',
		laws: pgArray(m.laws)
	};
}

/**
 * Months with values: from 2026-02 to the month before today for all, today's month too for
 * up-to-date territories (demo: up to 2026-10 or 2026-11; full program: 17 or 18 months).
 */
function valueMonths(ctx: TerritoryContext): number[] {
	const upToDate = ctx.t.staleDays <= 9;
	let current = 1;
	while (monthStart(current + 1) <= ctx.today) current++;
	return Array.from({ length: upToDate ? current : current - 1 }, (_, i) => i + 1);
}

function addIndicatorValues(r: Random, data: DemoData, ctx: TerritoryContext, indicatorIds: readonly string[]): void {
	const activity = PROFILES[ctx.t.profile].activity;
	INDICATORS.forEach((ind, k) => {
		if (ind.target !== undefined) {
			data.targets.push({ indicator_id: indicatorIds[k], territory_id: ctx.id, target: Math.round(ind.target * activity) });
		}
		let stock = 0;
		for (const month of valueMonths(ctx)) {
			const ramp = Math.min(1, 0.35 + 0.1 * month) * (month === 7 ? 0.6 : 1);
			let value: number;
			if (ind.derived) value = derivedValue(ctx, ind.derived, month);
			else if (ind.kind === 'flow') value = Math.round(ind.base * activity * ramp * (0.5 + r.float()));
			else {
				stock += Math.round(ind.base * activity * ramp * 2 * r.float());
				value = stock;
			}
			data.values.push({
				id: r.uuid(), indicator_id: indicatorIds[k], territory_id: ctx.id, month: isoDate(monthStart(month)),
				value, note: r.chance(0.06) ? r.pick(VALUE_NOTES) : '',
				// Entered early in the following month (on time by day 10) when the territory is up to
				// date, around the 20th (late) otherwise: the cockpit's timeliness has something to show.
				created_at: parisTime(Math.min(monthEnd(month) + (ctx.t.staleDays <= 9 ? 5 : 20), ctx.today - 1), 18 * 60)
			});
		}
	});
}

/** Indicators computed from the generated rows, so that figures agree with each other. */
function derivedValue(ctx: TerritoryContext, derived: Derived, month: number): number {
	const from = monthStart(month);
	const to = monthEnd(month);
	const inPersonHeld = ctx.workshops.filter((w) => w.held && w.inPerson);
	switch (derived) {
		case 'societaires':
			return ctx.citizens.filter((c) => c.societaire && c.day <= to).length;
		case 'events':
			return inPersonHeld.filter((w) => w.day >= from && w.day <= to).length;
		case 'participants':
			return inPersonHeld.filter((w) => w.day >= from && w.day <= to).reduce((s, w) => s + w.attendees, 0);
		case 'hosting_lieux':
			return new Set(inPersonHeld.filter((w) => w.day <= to && w.lieuId).map((w) => w.lieuId)).size;
	}
}

/** A few synthetic audit events by the coordinator, the latest `staleDays` before 2026-11-29. */
function addAudit(r: Random, data: DemoData, ctx: TerritoryContext): void {
	const n = r.int(4, 8);
	let day = ctx.today - ctx.t.staleDays;
	for (let i = 0; i < n; i++) {
		const at = parisTime(day, i === 0 ? r.int(8 * 60, 9 * 60) : r.int(9 * 60, 19 * 60));
		data.audit.push({ at, actor_id: ctx.coordinatorId, territory_id: ctx.id, ...auditChange(r, ctx, day) });
		day -= r.int(1, 9);
	}
}

/** A plausible change on one of the territory's real rows, as of `day`. */
function auditChange(r: Random, ctx: TerritoryContext, day: number): Row {
	const kind = r.int(0, 2);
	if (kind === 0) {
		const m = r.pick(ctx.milestones);
		const changes = m.status === 'done' ? { status: ['in_progress', 'done'] } : { status: ['planned', m.status] };
		return { entity: 'milestones', entity_id: m.id, action: 'update', changes };
	}
	if (kind === 1) {
		const w = r.pick(ctx.workshops);
		return { entity: 'workshops', entity_id: w.id, action: 'insert', changes: { title: w.title } };
	}
	const enrolled = ctx.citizens.filter((c) => c.day <= day);
	const c = r.pick(enrolled.length ? enrolled : ctx.citizens);
	return { entity: 'citizens', entity_id: c.id, action: 'insert', changes: { display_name: '«masqué»' } };
}

// ============ insertion ============

/** Postgres takes at most 65,535 parameters per statement: as many rows as fit, per insert. */
const MAX_PARAMETERS = 65_000;

async function insertRows(tx: TransactionSql, table: string, rows: readonly Row[]): Promise<void> {
	const size = Math.max(1, Math.floor(MAX_PARAMETERS / Math.max(1, Object.keys(rows[0] ?? {}).length)));
	for (let i = 0; i < rows.length; i += size) {
		const chunk = rows.slice(i, i + size);
		await tx`insert into ${tx(table)} ${tx(chunk)}`;
	}
}

async function insertAll(tx: TransactionSql, d: DemoData): Promise<void> {
	await insertRows(tx, 'auth.users', d.users);
	await insertRows(tx, 'public.profiles', d.profiles);
	await insertRows(tx, 'public.cohorts', [d.cohort]);
	await insertRows(tx, 'public.territories', d.territories);
	await insertRows(tx, 'public.territory_members', d.members);
	await insertRows(tx, 'public.milestone_templates', d.templates);
	await insertRows(tx, 'public.milestones', d.milestones);
	await insertRows(tx, 'public.citizens', d.citizens);
	await insertRows(tx, 'public.consent_events', d.consents);
	await insertRows(tx, 'public.lieux', d.lieux);
	await insertRows(tx, 'public.workshops', d.workshops);
	await insertRows(tx, 'public.attendances', d.attendances);
	await insertRows(tx, 'public.indicators', d.indicators);
	await insertRows(tx, 'public.indicator_targets', d.targets);
	await insertRows(tx, 'public.indicator_values', d.values);
	await insertRows(tx, 'public.audit_events', d.audit);
}
