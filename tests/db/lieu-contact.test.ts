import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asService } from '../../src/lib/server/db';
import { eraseLieuContact, lieuContactRecord } from '../../src/lib/server/lieux';
import { type TerritoryPair, asUserThenRollback, outcome, territoryPair, useTestDatabase } from './helpers';

// RGPD (issue #7, point 10): access and erasure for a lieu's contact person, as for citizens.

let stop: () => Promise<void>;
let pair: TerritoryPair;
let lieuId: string;
beforeAll(async () => {
	stop = useTestDatabase();
	pair = await territoryPair();
	const [row] = await asService(
		(tx) => tx<{ id: string }[]>`select id from public.lieux where territory_id = ${pair.A.id}
			and contact_name is not null and contact_email is not null order by id limit 1`
	);
	lieuId = row.id;
});
afterAll(() => stop());

describe('a lieu’s contact person', () => {
	it('the territory’s coordinator gets everything held about the contact; others get nothing', async () => {
		const record = await asUserThenRollback(pair.as.coordA, (tx) => lieuContactRecord(tx, pair.A.id, lieuId));
		expect(record?.lieu.id).toBe(lieuId);
		expect(record?.contact.name).toBeTruthy();
		expect(record?.contact.email).toMatch(/@/);
		for (const who of ['coordB', 'funder', 'outsider'] as const)
			expect(await asUserThenRollback(pair.as[who], (tx) => lieuContactRecord(tx, pair.A.id, lieuId))).toBeUndefined();
		expect(await outcome(null, (tx) => lieuContactRecord(tx, pair.A.id, lieuId))).toBe(403);
	});

	it('erasure removes name, e-mail and phone, keeps the lieu, records it in the audit trail masked, once', async () => {
		const r = await asUserThenRollback(pair.as.coordA, async (tx) => {
			const done = await eraseLieuContact(tx, pair.A.id, lieuId);
			const again = await eraseLieuContact(tx, pair.A.id, lieuId);
			const [lieu] = await tx`select name, commune, contact_name, contact_email, contact_phone from public.lieux where id = ${lieuId}`;
			const [audit] = await tx`select changes from public.audit_events where entity = 'lieux' and entity_id = ${lieuId}
				order by id desc limit 1`;
			return { done, again, lieu, audit };
		});
		expect(r.done).toBe(true);
		expect(r.again).toBe(false);
		expect(r.lieu).toMatchObject({ contact_name: null, contact_email: null, contact_phone: null });
		expect(r.lieu.name).toBeTruthy();
		expect(JSON.stringify(r.audit.changes)).not.toMatch(/@/);
		expect(r.audit.changes.contact_email).toBe('«masqué»');
	});

	it('nobody outside the territory’s team can erase it', async () => {
		for (const who of ['coordB', 'funder', 'outsider'] as const)
			expect(await asUserThenRollback(pair.as[who], (tx) => eraseLieuContact(tx, pair.A.id, lieuId))).toBe(false);
		expect(await outcome(null, (tx) => eraseLieuContact(tx, pair.A.id, lieuId))).toBe(403);
		const [still] = await asService((tx) => tx`select contact_email from public.lieux where id = ${lieuId}`);
		expect(still.contact_email).toMatch(/@/);
	});
});
