import { describe, expect, it } from 'vitest';
import { describeDbError, SESSION_ENDED_CODE } from '$lib/server/db/errors';

describe('what a database failure means for the person who asked', () => {
	it.each([
		['the embedded server stopped (its Unix socket is gone)', 'ENOENT'],
		['the connection broke while sending', 'EPIPE'],
		['refused', 'ECONNREFUSED'],
		['too many connections', '53300'],
		['the connection was lost (class 08)', '08006'],
		['the server is shutting down', '57P01'],
		['the server crashed', '57P02']
	])('%s (%s): 503, « réessayez »', (_, code) => {
		expect(describeDbError(Object.assign(new Error('x'), { code }))).toEqual({
			status: 503,
			message: 'La base de données est momentanément injoignable. Réessayez dans un instant.',
			retry: false
		});
	});

	it('a session found ended by a page’s transaction is a 401', () => {
		expect(describeDbError({ code: SESSION_ENDED_CODE })?.status).toBe(401);
	});

	it('an error without a code is not a database failure', () => {
		expect(describeDbError(new Error('x'))).toBeNull();
	});
});
