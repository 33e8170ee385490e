import { randomUUID } from 'node:crypto';
import { isHttpError } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Claims } from '../../src/lib/server/auth/claims';
import { asService, asUser, type Tx } from '../../src/lib/server/db';
import { writeOnce } from '../../src/lib/server/forms';
import { createLieu } from '../../src/lib/server/lieux';
import { enrolCitizen, reactivateCitizen } from '../../src/lib/server/citizens';
import { CONSENT_PURPOSE, CONSENT_TEXT_VERSION } from '../../src/lib/domain/citizens';
import type { LieuInput } from '../../src/lib/domain/lieux';
import { outcome, territoryPair, type TerritoryPair, useTestDatabase } from './helpers';

/**
 * Forms that never write twice (private.form_submissions), through the same asUser path as the
 * pages: parallel posts of one submission commit ONE record and all answer with it. These
 * transactions really commit (concurrency cannot be shown inside one rolled-back transaction);
 * what they write is deleted afterwards by the service.
 */

let stop: () => Promise<void>;
let pair: TerritoryPair;
let coord: Claims;

beforeAll(async () => {
	stop = useTestDatabase();
	pair = await territoryPair();
	coord = pair.as.coordA;
});
afterAll(async () => {
	// leave the demo as found: the records, and their audit trail (other tests count it)
	await asService(async (tx) => {
		const ids = await tx<{ id: string }[]>`
			select id::text from public.lieux where name like 'Écrit une fois%'
			union all select id::text from public.citizens where display_name like 'Écrite une fois%'
			union all select e.id::text from public.consent_events e join public.citizens c on c.id = e.citizen_id
				where c.display_name like 'Écrite une fois%'`;
		await tx`delete from public.audit_events where entity_id = any(${ids.map((r) => r.id)}::text[])`;
		await tx`delete from public.lieux where name like 'Écrit une fois%'`;
		await tx`delete from public.citizens where display_name like 'Écrite une fois%'`;
	});
	await stop();
});

const lieu = (name: string): LieuInput => ({
	name,
	kind: 'cafe',
	commune: 'Riom',
	address: '',
	contact_name: null,
	contact_email: null,
	contact_phone: null,
	enrolled_at: '2026-11-20',
	status: 'active'
});

/** One post of the lieu form, as the route does it: the write inside writeOnce. */
const postLieu = (claims: Claims, token: string, name: string) =>
	asUser(claims, (tx) =>
		writeOnce(tx, token, 'lieu', async () => ({ ok: true, value: { id: await createLieu(tx, pair.A.id, lieu(name)) } }))
	);

const countLieux = async (name: string) =>
	(await asService((tx) => tx<{ n: number }[]>`select count(*)::int as n from public.lieux where name = ${name}`))[0].n;

describe('write once', () => {
	it('two parallel identical posts give one record, and both answers lead to it', async () => {
		const token = randomUUID();
		const name = 'Écrit une fois — deux envois';
		const [a, b] = await Promise.all([postLieu(coord, token, name), postLieu(coord, token, name)]);
		expect(await countLieux(name)).toBe(1);
		expect(a.ok && b.ok).toBe(true);
		if (!a.ok || !b.ok) return;
		expect(a.value.id).toBeTruthy();
		expect(b.value.id).toBe(a.value.id);
		expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
	});

	it('ten parallel posts of one enrolment write one person (and one consent)', async () => {
		const token = randomUUID();
		const name = 'Écrite une fois — dix envois';
		const consent = { consent: 'on' as const, consent_purpose: CONSENT_PURPOSE, consent_text_version: CONSENT_TEXT_VERSION };
		const results = await Promise.all(
			Array.from({ length: 10 }, () =>
				asUser(coord, (tx) =>
					writeOnce(tx, token, 'citizen', async () => ({
						ok: true,
						value: {
							id: await enrolCitizen(
								tx,
								pair.A.id,
								{ display_name: name, email: null, phone: null, commune: 'Riom', postal_code: null, age_band: 'non_renseigne', source: 'event', is_societaire: false, enrolled_at: '2026-11-28' },
								consent
							)
						}
					}))
				)
			)
		);
		const [row] = await asService(
			(tx) => tx<{ n: number; consents: number }[]>`
				select count(*)::int as n, (select count(*)::int from public.consent_events e join public.citizens c on c.id = e.citizen_id
					where c.display_name = ${name}) as consents
				from public.citizens where display_name = ${name}`
		);
		expect(row).toEqual({ n: 1, consents: 1 });
		const ids = new Set(results.map((r) => (r.ok ? r.value.id : null)));
		expect(ids.size).toBe(1);
		expect(results.filter((r) => r.ok && !r.replayed)).toHaveLength(1);
	});

	it('a retry after the first answer was lost writes nothing and finds the record', async () => {
		const token = randomUUID();
		const name = 'Écrit une fois — nouvel essai';
		const first = await postLieu(coord, token, name);
		const retry = await postLieu(coord, token, name);
		expect(await countLieux(name)).toBe(1);
		expect(retry).toEqual({ ok: true, value: first.ok ? first.value : null, replayed: true });
	});

	it('a refused submission gives its token back: the corrected form goes through', async () => {
		const token = randomUUID();
		const refused = await asUser(coord, (tx) => writeOnce(tx, token, 'lieu', async () => ({ ok: false, failure: 'sosie' })));
		expect(refused).toEqual({ ok: false, failure: 'sosie' });
		const name = 'Écrit une fois — après correction';
		const ok = await postLieu(coord, token, name);
		expect(ok.ok && !ok.replayed).toBe(true);
		expect(await countLieux(name)).toBe(1);
	});

	it('a failed write rolls its claim back with it', async () => {
		const token = randomUUID();
		await expect(
			asUser(coord, (tx) =>
				writeOnce(tx, token, 'lieu', async () => ({ ok: true, value: { id: await createLieu(tx, pair.A.id, { ...lieu('x'), enrolled_at: '2030-01-01' }) } }))
			)
		).rejects.toSatisfy((e) => isHttpError(e) && e.status === 400);
		const name = 'Écrit une fois — après échec';
		expect((await postLieu(coord, token, name)).ok).toBe(true);
		expect(await countLieux(name)).toBe(1);
	});

	it('a token is per person and per form: another user writes their own; another form is refused', async () => {
		const token = randomUUID();
		const name = 'Écrit une fois — deux personnes';
		await postLieu(coord, token, name);
		await postLieu(pair.as.facilitator, token, name);
		expect(await countLieux(name)).toBe(2);
		const other = await outcome(coord, (tx) => writeOnce(tx, token, 'milestone', async () => ({ ok: true, value: {} })));
		expect(other).toBe(400);
	});

	it('nobody reads or writes the claims directly', async () => {
		for (const who of [coord, pair.as.facilitator, pair.as.admin])
			expect(await outcome(who, (tx) => tx`select * from private.form_submissions`)).toBe(403);
		expect(await outcome(null, (tx) => tx`select private.claim_submission(${randomUUID()}::uuid, 'lieu')`)).toBe(403);
	});
});
