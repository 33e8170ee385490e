import { describe, expect, it } from 'vitest';
import { isRedirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guard';

// Not signed in: to the login page, then back. A form sent after the session ended goes back to
// the form's page (not to its action), and the login page is told nothing was saved.
const redirectOf = (address: string) => {
	try {
		requireRole({ claims: null, displayName: null } as App.Locals, new URL(`http://x${address}`), 'coordinator');
	} catch (e) {
		if (isRedirect(e)) return e.location;
		throw e;
	}
	throw new Error('no redirect');
};

describe('requireRole, signed out', () => {
	it('a page: back to it after login', () => {
		expect(redirectOf('/territoires/a/citoyens?q=lou')).toBe(`/connexion?suite=${encodeURIComponent('/territoires/a/citoyens?q=lou')}`);
	});
	it('a form action: back to the form’s page, its other parameters kept, and « expiree »', () => {
		expect(redirectOf('/territoires/a/ateliers/nouveau?/create&lieu=ecole')).toBe(
			`/connexion?suite=${encodeURIComponent('/territoires/a/ateliers/nouveau?lieu=ecole')}&expiree`
		);
		expect(redirectOf('/territoires/a/indicateurs?/save')).toBe(`/connexion?suite=${encodeURIComponent('/territoires/a/indicateurs')}&expiree`);
	});
});
