import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Claims } from '../../src/lib/server/auth/claims';
import { asService, type Tx } from '../../src/lib/server/db';
import { CohortSchema, EditIndicatorSchema, TemplateSchema, TerritorySchema } from '../../src/lib/domain/configuration';
import {
	applyTemplate,
	archiveTerritory,
	createIndicator,
	createTemplate,
	createTerritory,
	currentCohort,
	listTemplates,
	moveTemplate,
	setTarget,
	updateCohort,
	updateIndicator,
	updateTemplate,
	updateTerritory,
	type CohortRow
} from '../../src/lib/server/configuration';
import { cockpitRows } from '../../src/lib/server/cockpit';
import { asUserThenRollback, outcome, territoryPair, type TerritoryPair } from './helpers';
import { useTestDatabase } from './helpers';

/**
 * Every configuration write, as each role, through the same asUser path as /configuration:
 * allowed for a facilitator and an admin; refused (403, or nothing touched) for coordinators,
 * funders and a user with no role. Everything is rolled back.
 */

let stop: () => Promise<void>;
let pair: TerritoryPair;
let cohort: CohortRow;
let template: { id: string; version: number };
let indicator: { id: string; version: number; kind: string };
/** A template no territory has a milestone of yet (committed; removed after). */
let fresh: { id: string };

beforeAll(async () => {
	stop = useTestDatabase();
	pair = await territoryPair();
	cohort = (await asService((tx) => currentCohort(tx)))!;
	[template] = await asService((tx) => tx`select id, version from public.milestone_templates order by sort_order limit 1`) as never[];
	[indicator] = await asService((tx) => tx`select id, version, kind from public.indicators where kind = 'flow' order by code limit 1`) as never[];
	[fresh] = await asService((tx) => tx`insert into public.milestone_templates (cohort_id, code, title, month_offset)
		values (${cohort.id}, 'essai_db_frais', 'Jalon neuf', 9) returning id`) as never[];
});
afterAll(async () => {
	await asService((tx) => tx`delete from public.milestone_templates where id = ${fresh.id}`);
	await stop();
});

const cohortInput = () =>
	CohortSchema.parse({
		version: String(cohort.version), name: 'Cohorte modifiée', start_date: cohort.start_date, duration_months: '18',
		citizen_threshold: '300', lieu_threshold: '150', societaire_target: '2000', timeliness_day: '15', semer_to: '6', germer_to: '12'
	});
const territoryInput = TerritorySchema.parse({
	name: 'Territoire d’essai', slug: 'territoire-d-essai', region: 'Bretagne', departement: 'Morbihan', carrier_kind: 'mixte'
});
const templateInput = TemplateSchema.parse({ code: 'essai_db', title: 'Jalon d’essai', month_offset: '5', law_2: 'on' });

/** 'ok' when the write happened; false when it touched nothing; or the HTTP status it was refused with. */
async function attempt(claims: Claims, fn: (tx: Tx) => Promise<unknown>) {
	let result: unknown;
	const status = await outcome(claims, async (tx) => {
		result = await fn(tx);
	});
	return status === 'ok' ? (result === false ? false : 'ok') : status;
}

const writes: Record<string, (tx: Tx) => Promise<unknown>> = {
	'update the cohort': (tx) => updateCohort(tx, cohort.id, cohortInput()),
	'create a territory': (tx) => createTerritory(tx, cohort.id, territoryInput),
	'edit a territory': async (tx) => {
		const [t] = await tx`select version from public.territories where id = ${pair.A.id}`;
		return updateTerritory(tx, pair.A.id, { ...territoryInput, slug: pair.A.slug, version: t?.version ?? 1 });
	},
	'archive a territory': async (tx) => {
		const [t] = await tx`select version from public.territories where id = ${pair.A.id}`;
		return archiveTerritory(tx, pair.A.id, t?.version ?? 1, true);
	},
	'create a template': (tx) => createTemplate(tx, cohort.id, templateInput),
	'edit a template': (tx) => updateTemplate(tx, template.id, { ...templateInput, version: template.version }),
	'move a template': (tx) => moveTemplate(tx, template.id, 'down'),
	'apply a template to every territory': async (tx) => ((await applyTemplate(tx, fresh.id, null)).created > 0 ? 'ok' : false),
	'apply a template to another territory': async (tx) => ((await applyTemplate(tx, fresh.id, pair.B.id)).created > 0 ? 'ok' : false),
	'create an indicator': (tx) =>
		createIndicator(tx, cohort.id, EditIndicatorSchema.parse({
			version: '1', law: '4', code: 'essai_db', name_fr: 'Essai', name_en: 'Test', unit: 'kWh', kind: 'flow',
			aggregation_over_time: 'sum', aggregation_across: 'sum', higher_is_better: 'true', active: 'on'
		})),
	'change an indicator’s aggregation': (tx) =>
		updateIndicator(tx, indicator.id, EditIndicatorSchema.parse({
			version: String(indicator.version), law: '2', code: 'essai_agg', name_fr: 'Essai', name_en: 'Test', unit: 'u', kind: 'flow',
			aggregation_over_time: 'average', aggregation_across: 'average', higher_is_better: 'true', active: 'on'
		})),
	'set a territory target': async (tx) => {
		await setTarget(tx, indicator.id, pair.A.id, 42);
		const [row] = await tx`select target from public.indicator_targets where indicator_id = ${indicator.id} and territory_id = ${pair.A.id}`;
		return row ? 'ok' : false;
	}
};

describe('configuration writes, as each role', () => {
	it.each(Object.keys(writes))('%s: a facilitator and an admin may', async (name) => {
		expect(await attempt(pair.as.facilitator, writes[name])).toBe('ok');
		expect(await attempt(pair.as.admin, writes[name])).toBe('ok');
	});

	it.each(Object.keys(writes))('%s: coordinators, a funder and a user with no role may not', async (name) => {
		for (const who of [pair.as.coordA, pair.as.funder, pair.as.outsider]) {
			expect([403, false], `${who.email}`).toContain(await attempt(who, writes[name]));
		}
	});
});

describe('what the configuration writes do', () => {
	it('the cohort’s timeliness day and phases are saved', async () => {
		const after = await asUserThenRollback(pair.as.facilitator, async (tx) => {
			await updateCohort(tx, cohort.id, cohortInput());
			return currentCohort(tx);
		});
		expect(after).toMatchObject({ timeliness_day: 15, citizen_threshold: 300, version: cohort.version + 1 });
		expect(after!.phases.map((p) => [p.from, p.to])).toEqual([[1, 6], [7, 12], [13, 18]]);
	});

	it('a stale version touches nothing', async () => {
		expect(await attempt(pair.as.facilitator, (tx) => updateCohort(tx, cohort.id, { ...cohortInput(), version: cohort.version + 5 }))).toBe(false);
	});

	it('an archived territory keeps its data and leaves the cockpit', async () => {
		const result = await asUserThenRollback(pair.as.facilitator, async (tx) => {
			const [t] = await tx`select version from public.territories where id = ${pair.A.id}`;
			await archiveTerritory(tx, pair.A.id, t.version, true);
			const rows = await cockpitRows(tx, '2026-11-29');
			const [counts] = await tx`select (select count(*)::int from public.citizens where territory_id = ${pair.A.id}) as citizens`;
			return { archived: rows.find((r) => r.territory_id === pair.A.id)?.archived, citizens: counts.citizens };
		});
		expect(result.archived).toBe(true);
		expect(result.citizens).toBeGreaterThan(0);
	});

	it('applying a template creates missing milestones, updates those in sync, leaves edited ones alone', async () => {
		const result = await asUserThenRollback(pair.as.facilitator, async (tx) => {
			const id = await createTemplate(tx, cohort.id, templateInput);
			const first = await applyTemplate(tx, id, null);
			// territory A edits its copy; then the template changes and is applied again
			await tx`update public.milestones set title = 'Titre choisi par le territoire' where template_id = ${id} and territory_id = ${pair.A.id}`;
			const [tpl] = await tx`select version from public.milestone_templates where id = ${id}`;
			await updateTemplate(tx, id, { ...templateInput, title: 'Jalon d’essai, titre revu', version: tpl.version });
			const second = await applyTemplate(tx, id, null);
			const titles = await tx<{ territory_id: string; title: string; due_date: string }[]>`
				select territory_id, title, due_date from public.milestones where template_id = ${id}`;
			const one = await applyTemplate(tx, id, pair.B.id);
			return { first, second, titles, one };
		});
		const n = result.titles.length;
		expect(result.first).toEqual({ created: n, updated: 0, kept: 0 });
		expect(result.second).toEqual({ created: 0, updated: n - 1, kept: 1 });
		expect(result.titles.find((t) => t.territory_id === pair.A.id)?.title).toBe('Titre choisi par le territoire');
		expect(result.titles.find((t) => t.territory_id === pair.B.id)).toMatchObject({ title: 'Jalon d’essai, titre revu', due_date: '2026-06-30' });
		expect(result.one).toEqual({ created: 0, updated: 0, kept: 0 });
	});

	it('demo template milestones start in sync; moving a template changes the order', async () => {
		const result = await asUserThenRollback(pair.as.facilitator, async (tx) => {
			const before = await listTemplates(tx, cohort.id);
			await moveTemplate(tx, before[0].id, 'down');
			const after = await listTemplates(tx, cohort.id);
			const up = await moveTemplate(tx, after[0].id, 'up');
			return { before, after, up };
		});
		expect(result.before[0].milestones).toBeGreaterThan(0);
		expect(result.before.reduce((s, t) => s + t.edited, 0)).toBe(0);
		expect(result.after[1].id).toBe(result.before[0].id);
		expect(result.after[0].id).toBe(result.before[1].id);
		expect(result.up).toBe(false);
	});

	it('a stock cannot be summed over time (the database says so too)', async () => {
		const [stock] = await asService((tx) => tx`select id, version from public.indicators where kind = 'stock' limit 1`);
		const status = await outcome(pair.as.facilitator, (tx) => tx`update public.indicators set aggregation_over_time = 'sum' where id = ${stock.id}`);
		expect(status).toBe(400);
	});
});
