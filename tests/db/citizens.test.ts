import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Claims } from '../../src/lib/server/auth/claims';
import { asService, type Tx } from '../../src/lib/server/db';
import {
	citizenCounts,
	citizenRecord,
	eraseCitizen,
	findLookalikes,
	getCitizen,
	listCitizens,
	reactivateCitizen,
	tryEnrolCitizen,
	updateCitizen,
	withdrawCitizen
} from '../../src/lib/server/citizens';
import { CONSENT_PURPOSE, CONSENT_TEXT_VERSION, type CitizenInput } from '../../src/lib/domain/citizens';
import { type TerritoryPair, asUserThenRollback, outcome, territoryPair, useTestDatabase } from './helpers';

/**
 * The citizens registry's write paths, through the same asUser path as the pages: allowed for the
 * territory's coordinator and for a facilitator; refused (403, or no row touched) for a
 * coordinator of another territory, a funder and a user without role.
 */

let stop: () => Promise<void>;
let A: TerritoryPair['A'];
let B: TerritoryPair['B'];
let citizenOfA: { id: string; version: number; display_name: string };
let withdrawnOfA: string;
let as: TerritoryPair['as'];

const TODAY = '2026-11-29';
const consent = { consent: 'on' as const, consent_purpose: CONSENT_PURPOSE, consent_text_version: CONSENT_TEXT_VERSION };
const person = (over: Partial<CitizenInput> = {}): CitizenInput => ({
	display_name: 'Zélie Test-Registre',
	email: 'zelie.registre@exemple.test',
	phone: '06 12 34 56 78',
	commune: 'Testville',
	postal_code: '63000',
	age_band: '26_40',
	source: 'event',
	is_societaire: true,
	enrolled_at: TODAY,
	...over
});
const NO_FILTER = { q: '', statut: '', source: '', societaire: '' } as const;

beforeAll(async () => {
	stop = useTestDatabase();
	({ A, B, as } = await territoryPair());
	[citizenOfA] = await asService(
		(tx) => tx<{ id: string; version: number; display_name: string }[]>`
			select id, version, display_name from public.citizens
			where territory_id = ${A.id} and status = 'active' and erased_at is null order by id limit 1`
	);
	[{ id: withdrawnOfA }] = await asService(
		(tx) => tx`select id from public.citizens where territory_id = ${A.id} and status = 'withdrawn' limit 1`
	);
});
afterAll(() => stop());

/** The refusal a user meets: an HTTP status (RLS / grants), or what the function returned. */
const attempt = async (claims: Claims, fn: (tx: Tx) => Promise<unknown>) => {
	let result: unknown;
	const status = await outcome(claims, async (tx) => {
		result = await fn(tx);
	});
	return status === 'ok' ? result : status;
};

const unchanged = async () =>
	(await asService((tx) => tx`select display_name, status, version from public.citizens where id = ${citizenOfA.id}`))[0];

describe('enrolment', () => {
	it('the coordinator of the territory and a facilitator enrol, with the consent event in the same statement', async () => {
		for (const who of [as.coordA, as.facilitator]) {
			const record = await asUserThenRollback(who, async (tx) => {
				const r = await tryEnrolCitizen(tx, A.id, person(), consent);
				if (!r.ok) throw new Error('not enrolled');
				return citizenRecord(tx, A.id, r.id);
			});
			expect(record?.citizen.display_name).toBe('Zélie Test-Registre');
			expect(record?.citizen.status).toBe('active');
			expect(record?.consents.map((e) => [e.action, e.purpose, e.text_version])).toEqual([
				['given', CONSENT_PURPOSE, CONSENT_TEXT_VERSION]
			]);
		}
	});

	it.each(['coordB', 'funder', 'outsider'] as const)('is refused to %s (403)', async (who) => {
		expect(await attempt(as[who], (tx) => tryEnrolCitizen(tx, A.id, person(), consent))).toBe(403);
	});

	it('a second person with the same email in the territory is a clear answer, not an error', async () => {
		const second = await asUserThenRollback(as.coordA, async (tx) => {
			await tryEnrolCitizen(tx, A.id, person(), consent);
			return tryEnrolCitizen(tx, A.id, person({ display_name: 'Autre personne', email: 'ZELIE.registre@exemple.test' }), consent);
		});
		expect(second).toEqual({ ok: false, reason: 'duplicate_email' });
	});

	it('the same email in another territory is another person', async () => {
		const results = await asUserThenRollback(as.facilitator, async (tx) => [
			await tryEnrolCitizen(tx, A.id, person(), consent),
			await tryEnrolCitizen(tx, B.id, person(), consent)
		]);
		expect(results.every((r) => r.ok)).toBe(true);
	});

	it('finds lookalikes: same email, or same name in the same commune, never an erased person', async () => {
		const found = await asUserThenRollback(as.coordA, async (tx) => {
			const r = await tryEnrolCitizen(tx, A.id, person(), consent);
			if (!r.ok) throw new Error('not enrolled');
			const byEmail = await findLookalikes(tx, A.id, { display_name: 'Quelqu’un', email: 'zelie.registre@exemple.test', commune: null });
			const byName = await findLookalikes(tx, A.id, { display_name: 'zélie test-registre', email: null, commune: 'TESTVILLE' });
			const otherCommune = await findLookalikes(tx, A.id, { display_name: 'Zélie Test-Registre', email: null, commune: 'Ailleurs' });
			await eraseCitizen(tx, A.id, r.id);
			const afterErasure = await findLookalikes(tx, A.id, { display_name: 'Zélie Test-Registre', email: null, commune: 'Testville' });
			return { byEmail, byName, otherCommune, afterErasure, id: r.id };
		});
		expect(found.byEmail.map((l) => l.id)).toEqual([found.id]);
		expect(found.byName.map((l) => l.id)).toEqual([found.id]);
		expect(found.otherCommune).toEqual([]);
		expect(found.afterErasure).toEqual([]);
	});
});

describe('edit, withdraw, erase: refused outside the territory', () => {
	const writes: [string, (tx: Tx) => Promise<unknown>][] = [
		['edit', (tx) => updateCitizen(tx, A.id, citizenOfA.id, citizenOfA.version, person({ email: null }))],
		['withdraw', (tx) => withdrawCitizen(tx, A.id, citizenOfA.id, TODAY)],
		['reactivate', (tx) => reactivateCitizen(tx, A.id, withdrawnOfA, consent)],
		['erase', (tx) => eraseCitizen(tx, A.id, citizenOfA.id)]
	];

	it.each(writes)('%s: allowed for the coordinator of the territory and a facilitator', async (_, write) => {
		for (const who of [as.coordA, as.facilitator]) {
			const result = await asUserThenRollback(who, write);
			expect(result === true || (result as { ok?: boolean }).ok === true).toBe(true);
		}
	});

	it.each(writes)('%s: a coordinator of another territory, a funder, a user without role touch nothing', async (_, write) => {
		for (const who of [as.coordB, as.funder, as.outsider]) {
			const result = await attempt(who, write);
			// RLS hides the row: no row updated (false, or a conflict with nothing to show), or 403
			expect(
				result === 403 || result === false || (result as { reason?: string; current?: unknown }).current === null
			).toBe(true);
		}
		expect(await unchanged()).toEqual({ display_name: citizenOfA.display_name, status: 'active', version: citizenOfA.version });
	});

	it('even naming their own territory id, a coordinator cannot reach another territory’s person', async () => {
		const seen = await asUserThenRollback(as.coordB, (tx) => getCitizen(tx, A.id, citizenOfA.id));
		expect(seen).toBeNull();
		expect(await asUserThenRollback(as.coordB, (tx) => withdrawCitizen(tx, B.id, citizenOfA.id, TODAY))).toBe(false);
	});
});

describe('edit', () => {
	it('is protected against lost updates: a stale version changes nothing and returns the current row', async () => {
		const result = await asUserThenRollback(as.coordA, async (tx) => {
			const first = await updateCitizen(tx, A.id, citizenOfA.id, citizenOfA.version, person({ email: null, display_name: 'Première' }));
			const stale = await updateCitizen(tx, A.id, citizenOfA.id, citizenOfA.version, person({ email: null, display_name: 'Seconde' }));
			return { first, stale };
		});
		expect(result.first.ok).toBe(true);
		expect(result.stale).toMatchObject({ ok: false, reason: 'conflict', current: { display_name: 'Première', version: citizenOfA.version + 1 } });
	});

	it('taking another person’s email is a clear answer', async () => {
		const result = await asUserThenRollback(as.coordA, async (tx) => {
			await tryEnrolCitizen(tx, A.id, person(), consent);
			return updateCitizen(tx, A.id, citizenOfA.id, citizenOfA.version, person({ display_name: 'X', email: 'zelie.registre@exemple.test' }));
		});
		expect(result).toEqual({ ok: false, reason: 'duplicate_email' });
	});
});

describe('withdrawal', () => {
	it('stops counting the person, records the consent withdrawal, and is reversible with a new consent', async () => {
		const r = await asUserThenRollback(as.coordA, async (tx) => {
			const before = await citizenCounts(tx, A.id, NO_FILTER);
			await withdrawCitizen(tx, A.id, citizenOfA.id, TODAY);
			const again = await withdrawCitizen(tx, A.id, citizenOfA.id, TODAY);
			const during = await citizenCounts(tx, A.id, NO_FILTER);
			const withdrawn = await getCitizen(tx, A.id, citizenOfA.id);
			await reactivateCitizen(tx, A.id, citizenOfA.id, consent);
			const after = await citizenCounts(tx, A.id, NO_FILTER);
			const record = await citizenRecord(tx, A.id, citizenOfA.id);
			return { before, again, during, withdrawn, after, record };
		});
		expect(r.again).toBe(false);
		expect(r.during.counted).toBe(r.before.counted - 1);
		expect(r.withdrawn).toMatchObject({ status: 'withdrawn', withdrawn_at: TODAY });
		expect(r.after.counted).toBe(r.before.counted);
		expect(r.record?.citizen).toMatchObject({ status: 'active', withdrawn_at: null });
		// (one transaction here: both events carry the same time, so their order is not asserted)
		expect(r.record?.consents.map((e) => e.action).sort()).toEqual(['given', 'given', 'withdrawn']);
	});
});

describe('erasure on request', () => {
	it('keeps the territory’s count, leaves no name anywhere, and cannot be edited afterwards', async () => {
		const NAME = 'Hortense Effaçable';
		const r = await asUserThenRollback(as.coordA, async (tx) => {
			const figures = async () =>
				(await tx<{ citizens: number }[]>`select citizens from public.territory_figures(${TODAY}::date) where territory_id = ${A.id}`)[0]
					.citizens;
			const enrolled = await tryEnrolCitizen(tx, A.id, person({ display_name: NAME, email: 'hortense@exemple.test' }), consent);
			if (!enrolled.ok) throw new Error('not enrolled');
			const id = enrolled.id;
			await updateCitizen(tx, A.id, id, 1, person({ display_name: NAME, email: 'hortense@exemple.test', commune: 'Ailleurs' }));
			const before = await figures();
			const erased = await eraseCitizen(tx, A.id, id);
			const twice = await eraseCitizen(tx, A.id, id);
			const after = await figures();
			const row = await getCitizen(tx, A.id, id);
			const edit = await updateCitizen(tx, A.id, id, row!.version, person({ display_name: NAME, email: null }));
			const record = await citizenRecord(tx, A.id, id);
			const listed = await listCitizens(tx, A.id, { ...NO_FILTER, statut: 'effaces' }, { offset: 0, limit: 1000 });
			const [traces] = await tx<{ n: number }[]>`
				select (select count(*) from public.citizens where display_name = ${NAME} or email = 'hortense@exemple.test')
				     + (select count(*) from public.audit_events where changes::text ilike ${'%Hortense%'} or changes::text ilike ${'%hortense@%'})
				     + (select count(*) from public.consent_events where purpose ilike ${'%Hortense%'}) as n`;
			const [audited] = await tx<{ n: number }[]>`
				select count(*)::int as n from public.audit_events where entity = 'citizens' and entity_id = ${id}`;
			return { id, before, erased, twice, after, row, edit, record, listed, traces: Number(traces.n), audited: audited.n };
		});
		expect(r.erased).toBe(true);
		expect(r.twice).toBe(false);
		expect(r.after).toBe(r.before);
		expect(r.row).toMatchObject({ display_name: null, email: null, phone: null, postal_code: null, status: 'active' });
		expect(r.row?.erased_at).toBeInstanceOf(Date);
		expect(r.edit).toMatchObject({ ok: false, reason: 'conflict' });
		expect(r.record?.consents.map((e) => e.action).sort()).toEqual(['given', 'withdrawn']);
		expect(r.listed.find((c) => c.id === r.id)?.display_name).toBeNull();
		expect(r.traces).toBe(0);
		expect(r.audited).toBe(3); // insert, update, erasure: every write audited, the name masked
	});

	it('erasing a withdrawn person records the erasure only: no second withdrawal of their consent', async () => {
		const r = await asUserThenRollback(as.coordA, async (tx) => {
			const enrolled = await tryEnrolCitizen(tx, A.id, person({ display_name: 'Irène Retirée', email: 'irene@exemple.test' }), consent);
			if (!enrolled.ok) throw new Error('not enrolled');
			const id = enrolled.id;
			const withdrawn = await withdrawCitizen(tx, A.id, id, TODAY);
			const erased = await eraseCitizen(tx, A.id, id);
			const record = await citizenRecord(tx, A.id, id);
			const [audit] = await tx<{ n: number }[]>`
				select count(*)::int as n from public.audit_events
				where entity = 'citizens' and entity_id = ${id} and action = 'update' and changes ? 'erased_at'`;
			return { withdrawn, erased, record, erasures: audit.n };
		});
		expect(r.withdrawn).toBe(true);
		expect(r.erased).toBe(true);
		expect(r.record?.citizen).toMatchObject({ status: 'withdrawn', display_name: null });
		expect(r.record?.consents.map((e) => e.action).sort()).toEqual(['given', 'withdrawn']);
		expect(r.erasures).toBe(1);
	});

	it('the database itself refuses a nameless person who is not erased, and an erased one with contact details', async () => {
		for (const sql of [
			(tx: Tx) => tx`update public.citizens set display_name = null where id = ${citizenOfA.id}`,
			(tx: Tx) => tx`update public.citizens set display_name = null, erased_at = now(), email = 'x@exemple.test' where id = ${citizenOfA.id}`
		])
			expect(await outcome(as.coordA, sql)).toBe(400);
	});
});

describe('the list', () => {
	it('searches by name, commune or email and filters by status, source and sociétaire, in one count and one page', async () => {
		const r = await asUserThenRollback(as.coordA, async (tx) => {
			const e = await tryEnrolCitizen(tx, A.id, person({ display_name: 'Octave 100%_Unique', commune: 'Bourg-Témoin' }), consent);
			if (!e.ok) throw new Error('not enrolled');
			const find = (f: Partial<typeof NO_FILTER> | Record<string, string>) =>
				listCitizens(tx, A.id, { ...NO_FILTER, ...f } as never, { offset: 0, limit: 25 });
			return {
				id: e.id,
				byName: await find({ q: 'octave 100%_u' }),
				wildcard: await find({ q: '100%' }),
				literal: await find({ q: '_' }),
				byCommune: await find({ q: 'bourg-tém' }),
				byEmail: await find({ q: 'ZELIE.REGISTRE' }),
				wrongSource: await find({ q: 'octave', source: 'online' }),
				rightFilters: await find({ q: 'octave', source: 'event', societaire: 'oui', statut: 'actifs' }),
				notSocietaire: await find({ q: 'octave', societaire: 'non' }),
				withdrawnOnly: await find({ statut: 'retires' }),
				counts: await citizenCounts(tx, A.id, { ...NO_FILTER, q: 'octave' }),
				all: await citizenCounts(tx, A.id, NO_FILTER),
				truth: (
					await tx<{ n: number; withdrawn: number }[]>`
						select count(*)::int as n, count(*) filter (where status = 'withdrawn')::int as withdrawn
						from public.citizens where territory_id = ${A.id}`
				)[0]
			};
		});
		for (const hits of [r.byName, r.wildcard, r.byCommune, r.byEmail, r.rightFilters]) expect(hits.map((c) => c.id)).toContain(r.id);
		expect(r.literal.map((c) => c.id)).toEqual([r.id]); // '_' is a character, not a wildcard
		expect(r.wrongSource).toEqual([]);
		expect(r.notSocietaire).toEqual([]);
		expect(r.withdrawnOnly.length).toBeGreaterThan(0);
		expect(r.withdrawnOnly.every((c) => c.status === 'withdrawn')).toBe(true);
		expect(r.counts.matching).toBe(r.byName.length);
		expect(r.all).toMatchObject({ matching: r.truth.n, registered: r.truth.n, withdrawn: r.truth.withdrawn, counted: r.truth.n - r.truth.withdrawn });
	});

	it('a funder and a user without role see nobody; a coordinator sees only their territory', async () => {
		for (const who of [as.funder, as.outsider, as.coordB]) {
			const rows = await asUserThenRollback(who, (tx) => listCitizens(tx, A.id, NO_FILTER, { offset: 0, limit: 25 }));
			expect(rows).toEqual([]);
			expect(await asUserThenRollback(who, (tx) => citizenRecord(tx, A.id, citizenOfA.id))).toBeNull();
		}
	});
});
