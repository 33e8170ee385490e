import { describe, expect, it } from 'vitest';
import { safeNext } from '../../src/lib/domain/auth';

const ORIGIN = 'http://localhost:3000';

describe('safeNext: only a path of this site, else home', () => {
	it.each([
		'/territoires/a',
		'/territoires/a?page=2',
		'/territoires/a/citoyens?q=Jean%20Dupont#liste',
		'/'
	])('keeps %s', (path) => {
		expect(safeNext(path, ORIGIN)).toBe(path);
	});

	// As URLSearchParams hands them over (already percent-decoded once).
	it.each([
		['protocol-relative', '//evil.example/x'],
		['slash backslash', '/\\evil.example/x'],
		['backslash backslash', '\\\\evil.example/x'],
		['backslash only', '\\evil.example'],
		['tab between slashes (/%09/)', '/\t/evil.example/x'],
		['line feed between slashes (/%0A/)', '/\n/evil.example/x'],
		['carriage return between slashes', '/\r/evil.example'],
		['tab then backslash', '/\t\\evil.example'],
		['absolute http', 'http://evil.example/'],
		['absolute https', 'https://evil.example/'],
		['scheme-relative with spaces', ' //evil.example'],
		['javascript:', 'javascript:alert(1)'],
		['JavaScript: mixed case with tab', 'java\tscript:alert(1)'],
		['data:', 'data:text/html,<script>alert(1)</script>'],
		['no leading slash', 'evil.example'],
		['full-width solidus', '／／evil.example'],
		['empty', ''],
		['user info', '//user@evil.example'],
		['three slashes', '///evil.example'],
		['slash, NUL, slash', '/\u0000/evil.example']
	])('refuses %s', (_, raw) => {
		const result = safeNext(raw, ORIGIN);
		expect(new URL(result, ORIGIN).origin).toBe(ORIGIN);
		expect(result === '/' || !/^\/[\\/]/.test(result)).toBe(true);
		expect(result).not.toMatch(/[\u0000-\u001f]/);
		if (raw.includes('evil') && !raw.startsWith('/\u0000')) expect(result).toBe('/');
	});

	it('neutralises the line feed of ?suite=/%0A/x (was a 500 after the session was created)', () => {
		expect(safeNext('/\n/x', ORIGIN)).toBe('/');
		expect(safeNext(new URLSearchParams('suite=/%0A/x').get('suite'), ORIGIN)).toBe('/');
		expect(safeNext(new URLSearchParams('suite=/%09/evil.example/x').get('suite'), ORIGIN)).toBe('/');
	});

	it('keeps doubly encoded forms as harmless paths of this site', () => {
		// %2F%2F decoded once is still encoded: a path here, never a host.
		expect(safeNext('/%2F%2Fevil.example', ORIGIN)).toBe('/%2F%2Fevil.example');
		expect(safeNext('/%5Cevil.example', ORIGIN)).toBe('/%5Cevil.example');
	});

	it('a full-width dot in a path stays a path here', () => {
		const result = safeNext('/evil。example/x', ORIGIN);
		expect(new URL(result, ORIGIN).origin).toBe(ORIGIN);
		expect(result.startsWith('/evil')).toBe(true);
	});

	it('the result never has a control character (a Location header stays valid)', () => {
		for (const raw of ['/a\u0001b', '/a\nb', '/a\tb', '/ok?x=\r\n']) expect(safeNext(raw, ORIGIN)).not.toMatch(/[\u0000-\u001f]/);
	});
});
