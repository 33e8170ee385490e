import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asService } from '../../src/lib/server/db';
import type { LieuInput } from '../../src/lib/domain/lieux';
import { countLieux, createLieu, getLieu, listLieux, setLieuStatus, updateLieu } from '../../src/lib/server/lieux';
import { type TerritoryPair, asUserThenRollback, outcome, territoryPair, useTestDatabase } from './helpers';

let stop: () => Promise<void>;
let A: TerritoryPair['A'];
let B: TerritoryPair['B'];
let lieuOfA: { id: string; version: number };
let as: TerritoryPair['as'];

const lieu: LieuInput = {
	name: 'Fablab des Tests',
	kind: 'tiers_lieu',
	commune: 'Testville',
	address: '1 rue du Test',
	contact_name: 'Alex T.',
	contact_email: 'alex@exemple.test',
	contact_phone: null,
	enrolled_at: '2026-11-29',
	status: 'active'
};
const edit = (version: number) => ({ ...lieu, name: 'Fablab renommé', version });

beforeAll(async () => {
	stop = useTestDatabase();
	({ A, B, as } = await territoryPair());
	[lieuOfA] = await asService((tx) => tx<{ id: string; version: number }[]>`select id, version from public.lieux where territory_id = ${A.id} limit 1`);
});
afterAll(() => stop());

describe('createLieu', () => {
	it('is allowed for the own coordinator and a facilitator', async () => {
		for (const who of [as.coordA, as.facilitator]) {
			const read = await asUserThenRollback(who, async (tx) => getLieu(tx, A.id, await createLieu(tx, A.id, lieu)));
			expect(read).toMatchObject({ ...lieu, version: 1 });
		}
	});
	it('is refused for a coordinator of another territory, a funder and a user with no role', async () => {
		for (const who of [as.coordB, as.funder, as.outsider]) expect(await outcome(who, (tx) => createLieu(tx, A.id, lieu))).toBe(403);
	});
});

describe('updateLieu and setLieuStatus', () => {
	it('edit and deactivate/reactivate for the own coordinator and a facilitator; version bumps', async () => {
		for (const who of [as.coordA, as.facilitator]) {
			const result = await asUserThenRollback(who, async (tx) => {
				const updated = await updateLieu(tx, A.id, lieuOfA.id, edit(lieuOfA.version));
				const off = await setLieuStatus(tx, A.id, lieuOfA.id, 'inactive', updated!.version);
				const on = await setLieuStatus(tx, A.id, lieuOfA.id, 'active', off!.version);
				return { updated, off, on };
			});
			expect(result.updated).toMatchObject({ name: 'Fablab renommé', version: lieuOfA.version + 1 });
			expect(result.off?.version).toBe(lieuOfA.version + 2);
			expect(result.on?.version).toBe(lieuOfA.version + 3);
		}
	});

	it('a stale version touches nothing (lost-update protection)', async () => {
		const result = await asUserThenRollback(as.coordA, async (tx) => ({
			update: await updateLieu(tx, A.id, lieuOfA.id, edit(lieuOfA.version + 7)),
			status: await setLieuStatus(tx, A.id, lieuOfA.id, 'inactive', lieuOfA.version + 7)
		}));
		expect(result).toEqual({ update: undefined, status: undefined });
	});

	it('touches nothing for a coordinator of another territory, a funder and a user with no role', async () => {
		for (const who of [as.coordB, as.funder, as.outsider]) {
			const result = await asUserThenRollback(who, async (tx) => ({
				update: await updateLieu(tx, A.id, lieuOfA.id, edit(lieuOfA.version)),
				status: await setLieuStatus(tx, A.id, lieuOfA.id, 'inactive', lieuOfA.version),
				read: await getLieu(tx, A.id, lieuOfA.id)
			}));
			expect(result).toEqual({ update: undefined, status: undefined, read: undefined });
		}
		const [after] = await asService((tx) => tx`select version, status from public.lieux where id = ${lieuOfA.id}`);
		expect(after.version).toBe(lieuOfA.version);
	});

	it('even with its own territory id, coordinator B cannot move a lieu of A', async () => {
		const result = await asUserThenRollback(as.coordB, (tx) => updateLieu(tx, B.id, lieuOfA.id, edit(lieuOfA.version)));
		expect(result).toBeUndefined();
	});
});

describe('listLieux', () => {
	it('filters by name or commune, kind and status, and pages', async () => {
		const result = await asUserThenRollback(as.coordA, async (tx) => {
			await createLieu(tx, A.id, { ...lieu, name: 'Café 100% _test_', kind: 'cafe', status: 'inactive' });
			const filters = { q: '100%', kind: null, status: null };
			return {
				byName: await listLieux(tx, A.id, filters, 25, 0),
				count: await countLieux(tx, A.id, filters),
				byKindStatus: await countLieux(tx, A.id, { q: 'Café 100', kind: 'cafe', status: 'inactive' }),
				wrongKind: await countLieux(tx, A.id, { q: 'Café 100', kind: 'ecole', status: null }),
				byCommune: await countLieux(tx, A.id, { q: 'testville', kind: null, status: null }),
				// punctuation alone is looked for literally, never ignored (it listed every lieu)
				underscores: await listLieux(tx, A.id, { q: '_', kind: null, status: null }, 25, 0),
				percent: await countLieux(tx, A.id, { q: '%', kind: null, status: null }),
				nowhere: await countLieux(tx, A.id, { q: '¤¤', kind: null, status: null }),
				all: await countLieux(tx, A.id, { q: '', kind: null, status: null }),
				page2: await listLieux(tx, A.id, { q: '', kind: null, status: null }, 25, 25)
			};
		});
		expect(result.byName.map((l) => l.name)).toEqual(['Café 100% _test_']);
		expect(result.count).toBe(1);
		expect(result.byKindStatus).toBe(1);
		expect(result.wrongKind).toBe(0);
		expect(result.byCommune).toBe(1);
		expect(result.underscores.map((l) => l.name)).toEqual(['Café 100% _test_']);
		expect(result.percent).toBe(1);
		expect(result.nowhere).toBe(0);
		expect(result.page2.length).toBe(Math.min(25, result.all - 25));
		expect(await asUserThenRollback(as.coordB, (tx) => countLieux(tx, A.id, { q: '', kind: null, status: null }))).toBe(0);
	});
});
