import { error } from '@sveltejs/kit';

/** What a failed query means for the person who asked, decided in one place. */
export interface DbFailure {
	status: number;
	message: string;
	retry: boolean;
}

const CONNECTION_CODES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'ENOTFOUND',
	'ETIMEDOUT',
	'EHOSTUNREACH',
	'CONNECT_TIMEOUT',
	'CONNECTION_CLOSED',
	'CONNECTION_ENDED',
	'CONNECTION_DESTROYED',
	'57P01', // admin shutdown
	'57P03' // cannot connect now (starting up)
]);

/** Maps a Postgres (or connection) error code to a status and a French message. */
export function describeDbError(e: unknown): DbFailure | null {
	const code = (e as { code?: string } | null)?.code;
	if (!code) return null;
	if (CONNECTION_CODES.has(code))
		return {
			status: 503,
			message: 'La base de données est momentanément injoignable. Réessayez dans un instant.',
			retry: false
		};
	switch (code) {
		case '42501':
			return { status: 403, message: 'Vous n’avez pas le droit de faire cela.', retry: false };
		case '23505':
			return { status: 409, message: 'Cet enregistrement existe déjà.', retry: false };
		case '23503':
		case '23514':
		case '23502':
		case '22P02':
		case '22007':
		case '22008':
		case '22001':
		case '22003': // numeric value out of range (an integer too large)
		case '22021': // invalid byte sequence (a NUL byte in a text)
		case '22P05': // untranslatable character
			return { status: 400, message: 'Les données envoyées ne sont pas valides.', retry: false };
		case '40001':
		case '40P01':
			return { status: 503, message: 'Conflit d’écriture, réessayez.', retry: true };
		default:
			return null;
	}
}

/** Rethrows a database error as the HTTP error it stands for (unknown errors go on to handleError). */
export function throwAsHttp(e: unknown): never {
	const failure = describeDbError(e);
	if (failure) error(failure.status, failure.message);
	throw e;
}
