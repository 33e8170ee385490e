import type { Tx } from '$lib/server/db';
import {
	phasesOf,
	type CohortInput,
	type IndicatorInput,
	type TemplateInput,
	type TerritoryInput
} from '$lib/domain/configuration';
import type { Phase } from '$lib/domain/program';

/*
 * Program configuration writes and reads, run as the user (asUser) under RLS: only staff
 * (facilitators, admins) may write cohorts, territories, templates, indicators and targets.
 * Updates say `where … and version = …` and return false when they touched nothing (stale
 * version, or refused by RLS); inserts refused by RLS throw 42501 (→ 403).
 */

export interface CohortRow {
	id: string;
	name: string;
	start_date: string;
	duration_months: number;
	citizen_threshold: number;
	lieu_threshold: number;
	societaire_target: number;
	timeliness_day: number;
	phases: Phase[];
	version: number;
}

/** The current cohort (latest start), or null. */
export async function currentCohort(tx: Tx): Promise<CohortRow | null> {
	const [row] = await tx<CohortRow[]>`
		select id, name, start_date, duration_months, citizen_threshold, lieu_threshold, societaire_target,
		       timeliness_day, phases, version
		from public.cohorts order by start_date desc, created_at desc limit 1`;
	return row ?? null;
}

/**
 * A write refused by a rule only the database can judge, with its French message at `field`
 * (the form shows it there; nothing was written).
 */
export interface RuleRefusal {
	refused: Record<string, string>;
}

/** Constraint names the start-date triggers raise (migration 20261129182000_add_territory_start_rule). */
const START_RULES = new Set(['territories_start_date_rule', 'cohorts_start_date_rule']);

/**
 * Runs a territory or cohort write in a savepoint: when the start-date rule refuses it (a start
 * later than the territory's earliest data, or outside its cohort), returns the database's
 * French message for the `start_date` field instead of failing the whole transaction.
 */
async function underStartRule<T>(tx: Tx, write: (sp: Tx) => Promise<T>): Promise<T | RuleRefusal> {
	try {
		return (await tx.savepoint((sp) => write(sp as unknown as Tx))) as T;
	} catch (e) {
		const err = e as { code?: string; constraint_name?: string; message?: string };
		if (err.code === '23514' && START_RULES.has(err.constraint_name ?? '')) return { refused: { start_date: String(err.message) } };
		throw e;
	}
}

/**
 * Saves the cohort at the version read. False when nothing was written (stale version, or not
 * staff); a refusal at `start_date` when the new start date or duration does not suit one of its
 * territories (see {@link underStartRule}).
 */
export async function updateCohort(tx: Tx, id: string, c: CohortInput): Promise<boolean | RuleRefusal> {
	return underStartRule(tx, (sp) => writeCohort(sp, id, c));
}

async function writeCohort(tx: Tx, id: string, c: CohortInput): Promise<boolean> {
	const rows = await tx`
		update public.cohorts set name = ${c.name}, start_date = ${c.start_date}, duration_months = ${c.duration_months},
			citizen_threshold = ${c.citizen_threshold}, lieu_threshold = ${c.lieu_threshold},
			societaire_target = ${c.societaire_target}, timeliness_day = ${c.timeliness_day},
			phases = ${tx.json(phasesOf(c) as never)}
		where id = ${id} and version = ${c.version}
		returning id`;
	return rows.length === 1;
}

// ============ territories ============

export interface TerritoryConfigRow {
	id: string;
	name: string;
	slug: string;
	region: string;
	departement: string;
	carrier_kind: TerritoryInput['carrier_kind'];
	description: string;
	start_date: string | null;
	archived_at: string | null;
	version: number;
}

/** Every territory of the program (archived ones too), by name in French order. */
export function listTerritories(tx: Tx) {
	return tx<TerritoryConfigRow[]>`
		select id, name, slug, region, departement, carrier_kind, description, start_date, archived_at, version
		from public.territories order by name`;
}

export async function getTerritory(tx: Tx, id: string): Promise<TerritoryConfigRow | undefined> {
	const [row] = await tx<TerritoryConfigRow[]>`
		select id, name, slug, region, departement, carrier_kind, description, start_date, archived_at, version
		from public.territories where id = ${id}`;
	return row;
}

/**
 * A new territory in the cohort; its id, or a refusal at `start_date` when the start is outside
 * the cohort's program. @throws 409 (slug taken), 403 (not staff).
 */
export async function createTerritory(tx: Tx, cohortId: string, t: TerritoryInput): Promise<string | RuleRefusal> {
	return underStartRule(tx, async (sp) => {
		const [row] = await sp<{ id: string }[]>`
		insert into public.territories (cohort_id, name, slug, region, departement, carrier_kind, description, start_date)
		values (${cohortId}, ${t.name}, ${t.slug}, ${t.region}, ${t.departement}, ${t.carrier_kind}, ${t.description}, ${t.start_date})
		returning id`;
		return row.id;
	});
}

/**
 * Saves a territory at the version read. False when nothing was written (stale version, or not
 * staff); a refusal at `start_date` when the start would be later than the territory's earliest
 * data (enrolment, lieu, workshop, indicator month) or outside its cohort's program.
 * @throws 409 (slug taken).
 */
export async function updateTerritory(tx: Tx, id: string, t: TerritoryInput & { version: number }): Promise<boolean | RuleRefusal> {
	return underStartRule(tx, async (sp) => {
		const rows = await sp`
		update public.territories set name = ${t.name}, slug = ${t.slug}, region = ${t.region}, departement = ${t.departement},
			carrier_kind = ${t.carrier_kind}, description = ${t.description}, start_date = ${t.start_date}
		where id = ${id} and version = ${t.version}
		returning id`;
		return rows.length === 1;
	});
}

/** Archives (or restores) a territory: it leaves the cockpit's lists; no data is deleted. */
export async function archiveTerritory(tx: Tx, id: string, version: number, archive: boolean): Promise<boolean> {
	const rows = await tx`
		update public.territories set archived_at = ${archive ? tx`now()` : null}
		where id = ${id} and version = ${version}
		returning id`;
	return rows.length === 1;
}

// ============ milestone templates ============

export interface TemplateRow {
	id: string;
	code: string;
	title: string;
	description: string;
	month_offset: number;
	laws: number[];
	sort_order: number;
	version: number;
	/** Milestones made from it, and how many of those their territory edited (left alone when applying). */
	milestones: number;
	edited: number;
}

const templateColumns = (tx: Tx) => tx`
	mt.id, mt.code, mt.title, mt.description, mt.month_offset, mt.laws, mt.sort_order, mt.version,
	(select count(*)::int from public.milestones m where m.template_id = mt.id) as milestones,
	(select count(*)::int from public.milestones m where m.template_id = mt.id
	   and m.template_synced is distinct from private.milestone_template_fields(m.title, m.description, m.laws, m.due_date)) as edited`;

export function listTemplates(tx: Tx, cohortId: string) {
	return tx<TemplateRow[]>`
		select ${templateColumns(tx)} from public.milestone_templates mt
		where mt.cohort_id = ${cohortId} order by mt.sort_order, mt.month_offset, mt.code`;
}

export async function getTemplate(tx: Tx, id: string): Promise<TemplateRow | undefined> {
	const [row] = await tx<TemplateRow[]>`select ${templateColumns(tx)} from public.milestone_templates mt where mt.id = ${id}`;
	return row;
}

/** A new template, last in the order. @throws 409 (code taken in the cohort), 403. */
export async function createTemplate(tx: Tx, cohortId: string, t: TemplateInput): Promise<string> {
	const [row] = await tx<{ id: string }[]>`
		insert into public.milestone_templates (cohort_id, code, title, description, month_offset, laws, sort_order)
		values (${cohortId}, ${t.code}, ${t.title}, ${t.description}, ${t.month_offset}, ${t.laws}::smallint[],
		        (select coalesce(max(sort_order), 0) + 1 from public.milestone_templates where cohort_id = ${cohortId}))
		returning id`;
	return row.id;
}

export async function updateTemplate(tx: Tx, id: string, t: TemplateInput & { version: number }): Promise<boolean> {
	const rows = await tx`
		update public.milestone_templates set code = ${t.code}, title = ${t.title}, description = ${t.description},
			month_offset = ${t.month_offset}, laws = ${t.laws}::smallint[]
		where id = ${id} and version = ${t.version}
		returning id`;
	return rows.length === 1;
}

/**
 * Moves a template one place up or down in its cohort's order (swaps with its neighbour;
 * positions are renumbered 1…n first so that equal orders cannot stall). False at either end.
 */
export async function moveTemplate(tx: Tx, id: string, direction: 'up' | 'down'): Promise<boolean> {
	const rows = await tx<{ id: string }[]>`
		with ordered as (
			select mt.id, row_number() over (order by mt.sort_order, mt.month_offset, mt.code)::int as n
			from public.milestone_templates mt
			where mt.cohort_id = (select cohort_id from public.milestone_templates where id = ${id})
		),
		me as (select n from ordered where id = ${id}),
		target as (
			select o.id, o.n from ordered o, me
			where o.n = me.n + ${direction === 'up' ? -1 : 1}
		),
		renumbered as (
			select o.id,
			       case when o.id = ${id} then (select n from target)
			            when o.id = (select id from target) then (select n from me)
			            else o.n end as n
			from ordered o
			where exists (select 1 from target)
		)
		update public.milestone_templates mt set sort_order = r.n
		from renumbered r where r.id = mt.id and mt.sort_order is distinct from r.n
		returning mt.id`;
	return rows.length > 0;
}

export interface ApplyResult {
	created: number;
	updated: number;
	/** Milestones their territory edited: left as they are. */
	kept: number;
}

/**
 * Applies a template to every non-archived territory of its cohort, or to one: creates the
 * milestone where missing (due on the last day of the template's program month), and updates
 * those still in sync with the template (title, description, laws, due date as last applied).
 * A milestone its territory edited is never touched; status and evidence never are. One statement.
 */
export async function applyTemplate(tx: Tx, id: string, territoryId: string | null): Promise<ApplyResult> {
	const [row] = await tx<ApplyResult[]>`
		with target as (
			select mt.id as template_id, t.id as territory_id, mt.title, mt.description, mt.laws,
			       ((coalesce(t.start_date, c.start_date) + make_interval(months => mt.month_offset::int))::date - 1) as due_date
			from public.milestone_templates mt
			join public.territories t on t.cohort_id = mt.cohort_id
			join public.cohorts c on c.id = t.cohort_id
			where mt.id = ${id} and t.archived_at is null
			  and (${territoryId}::uuid is null or t.id = ${territoryId}::uuid)
		),
		created as (
			insert into public.milestones (territory_id, template_id, title, description, due_date, laws)
			select territory_id, template_id, title, description, due_date, laws from target
			on conflict (territory_id, template_id) do nothing
			returning id
		),
		updated as (
			update public.milestones m
			   set title = x.title, description = x.description, due_date = x.due_date, laws = x.laws,
			       template_synced = private.milestone_template_fields(x.title, x.description, x.laws, x.due_date)
			  from target x
			 where m.template_id = x.template_id and m.territory_id = x.territory_id
			   and m.template_synced = private.milestone_template_fields(m.title, m.description, m.laws, m.due_date)
			   and (m.title, m.description, m.due_date, m.laws) is distinct from (x.title, x.description, x.due_date, x.laws)
			returning m.id
		)
		select (select count(*) from created)::int as created,
		       (select count(*) from updated)::int as updated,
		       (select count(*) from public.milestones m join target x
		          on m.template_id = x.template_id and m.territory_id = x.territory_id
		         where m.template_synced is distinct from private.milestone_template_fields(m.title, m.description, m.laws, m.due_date)
		       )::int as kept`;
	return row;
}

// ============ indicator catalog ============

export interface IndicatorConfigRow {
	id: string;
	law: number;
	code: string;
	name_fr: string;
	name_en: string;
	unit: string;
	kind: 'flow' | 'stock';
	aggregation_over_time: 'sum' | 'last' | 'average';
	aggregation_across: 'sum' | 'average';
	higher_is_better: boolean;
	baseline: string | null;
	default_target: string | null;
	active: boolean;
	version: number;
}

const indicatorColumns = (tx: Tx) => tx`
	id, law, code, name_fr, name_en, unit, kind, aggregation_over_time, aggregation_across, higher_is_better,
	baseline::text, default_target::text, active, version`;

/** The catalog of a cohort, by law then order. */
export function listIndicators(tx: Tx, cohortId: string) {
	return tx<IndicatorConfigRow[]>`
		select ${indicatorColumns(tx)} from public.indicators where cohort_id = ${cohortId} order by law, sort_order, code`;
}

export async function getIndicator(tx: Tx, id: string): Promise<IndicatorConfigRow | undefined> {
	const [row] = await tx<IndicatorConfigRow[]>`select ${indicatorColumns(tx)} from public.indicators where id = ${id}`;
	return row;
}

/** @throws 409 (code taken), 403 (not staff). */
export async function createIndicator(tx: Tx, cohortId: string, i: IndicatorInput): Promise<string> {
	const [row] = await tx<{ id: string }[]>`
		insert into public.indicators (cohort_id, law, code, name_fr, name_en, unit, kind, aggregation_over_time,
			aggregation_across, higher_is_better, baseline, default_target, active, sort_order)
		values (${cohortId}, ${i.law}, ${i.code}, ${i.name_fr}, ${i.name_en}, ${i.unit}, ${i.kind}, ${i.aggregation_over_time},
			${i.aggregation_across}, ${i.higher_is_better}, ${i.baseline}, ${i.default_target}, ${i.active},
			(select coalesce(max(sort_order), 0) + 1 from public.indicators where cohort_id = ${cohortId} and law = ${i.law}))
		returning id`;
	return row.id;
}

export async function updateIndicator(tx: Tx, id: string, i: IndicatorInput & { version: number }): Promise<boolean> {
	const rows = await tx`
		update public.indicators set law = ${i.law}, code = ${i.code}, name_fr = ${i.name_fr}, name_en = ${i.name_en},
			unit = ${i.unit}, kind = ${i.kind}, aggregation_over_time = ${i.aggregation_over_time},
			aggregation_across = ${i.aggregation_across}, higher_is_better = ${i.higher_is_better},
			baseline = ${i.baseline}, default_target = ${i.default_target}, active = ${i.active}
		where id = ${id} and version = ${i.version}
		returning id`;
	return rows.length === 1;
}

export interface TargetRow {
	territory_id: string;
	name: string;
	target: string | null;
}

/** Every non-archived territory with its target for this indicator (null: the default target applies). */
export function listTargets(tx: Tx, indicatorId: string) {
	return tx<TargetRow[]>`
		select t.id as territory_id, t.name, it.target::text as target
		from public.territories t
		left join public.indicator_targets it on it.territory_id = t.id and it.indicator_id = ${indicatorId}
		where t.archived_at is null
		order by t.name`;
}

/** Sets a territory's target (null removes it: the default target applies). @throws 403. */
export async function setTarget(tx: Tx, indicatorId: string, territoryId: string, target: number | null): Promise<void> {
	if (target === null) {
		await tx`delete from public.indicator_targets where indicator_id = ${indicatorId} and territory_id = ${territoryId}`;
		return;
	}
	await tx`
		insert into public.indicator_targets (indicator_id, territory_id, target)
		values (${indicatorId}, ${territoryId}, ${target})
		on conflict (indicator_id, territory_id) do update set target = excluded.target`;
}
