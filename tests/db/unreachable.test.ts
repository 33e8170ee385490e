import { afterAll, beforeAll, expect, it } from 'vitest';
import { isHttpError } from '@sveltejs/kit';
import { asUser, connect, disconnect } from '../../src/lib/server/db';

// A database that does not answer: port 9 on loopback (discard) has no Postgres.
beforeAll(() => {
	connect('postgres://marathon:x@127.0.0.1:9/marathon');
});
afterAll(() => disconnect());

it('a user’s request gets a 503 with a French message, not a stack trace', async () => {
	const claims = { sub: '00000000-0000-4000-8000-000000000000', role: 'authenticated', email: 'a@b.fr', app_role: null } as const;
	const e = await asUser(claims, (tx) => tx`select 1`).catch((err: unknown) => err);
	expect(isHttpError(e)).toBe(true);
	if (isHttpError(e)) {
		expect(e.status).toBe(503);
		expect(e.body.message).toMatch(/base de données est momentanément injoignable/);
	}
});
