import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimsOf, emailOf, outcome, useTestDatabase } from './helpers';

/**
 * Values only the database can judge become a 400 with a French message (describeDbError), never
 * a 500: what reaches SQL from a form past its schema, as a coordinator would send it.
 */
let disconnect: () => Promise<void>;
beforeAll(() => {
	disconnect = useTestDatabase();
});
afterAll(() => disconnect());

describe('database data errors are 400, not 500', () => {
	it.each([
		['an integer over 2^31 (22003)', "select ${v}::int", '2147483648'],
		['a malformed uuid (22P02)', 'select ${v}::uuid', 'pas-un-uuid'],
		['a NUL in text (22021)', 'select ${v}::text', 'a\u0000b'],
		['a date that does not exist (22008)', 'select ${v}::date', '2026-02-31'],
		['a malformed date (22007)', 'select ${v}::date', 'demain'],
		['a number out of numeric range (22003)', 'select ${v}::numeric(5,2)', '123456']
	])('%s', async (_, sqlText, value) => {
		const claims = await claimsOf(emailOf('facilitator'));
		const status = await outcome(claims, (tx) => tx.unsafe(sqlText.replace('${v}', '$1'), [value]));
		expect(status).toBe(400);
	});

	it('a version over 2^31 in a real update is a 400 (the versioned-action bug)', async () => {
		const claims = await claimsOf(emailOf('facilitator'));
		const status = await outcome(claims, (tx) => tx`update public.milestones set title = title where version = ${'2147483648'}::int`);
		expect(status).toBe(400);
	});
});
