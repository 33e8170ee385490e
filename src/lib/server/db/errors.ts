import { error } from '@sveltejs/kit';

/** What a failed query means for the person who asked, decided in one place. */
export interface DbFailure {
	status: number;
	message: string;
	retry: boolean;
}

/** Raised by private.confirm_session: the session a page trusted from its token has ended. */
export const SESSION_ENDED_CODE = 'MS401';
export const SESSION_ENDED = 'Votre session a pris fin : reconnectez-vous.';

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
	'ENOENT', // the embedded server's Unix socket is gone: it was stopped
	'EPIPE', // the connection broke while a statement was sent
	'08000', // connection_exception (class 08: the connection failed or was lost)
	'08001',
	'08003',
	'08004',
	'08006',
	'53300', // too_many_connections
	'57P01', // admin shutdown
	'57P02', // crash shutdown
	'57P03' // cannot connect now (starting up)
]);

/**
 * Maps a Postgres (or connection) error code to a status and a French message — the one place
 * where database errors become HTTP answers. Bad data that only the database could judge (class
 * 22 data exceptions, 23 integrity, 54000) is the client's fault: 400, never a 500. Connection
 * failures and serialization conflicts are 503 (the answer then carries Retry-After, set in
 * hooks.server.ts). Unknown codes: null (then handleError logs them as unexpected).
 */
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
		case SESSION_ENDED_CODE:
			return { status: 401, message: SESSION_ENDED, retry: false };
		case '42501':
			return { status: 403, message: 'Vous n’êtes pas autorisé·e à faire cela.', retry: false };
		case '23505':
			return { status: 409, message: 'Cet enregistrement existe déjà.', retry: false };
		case '23503':
		case '23514':
		case '23502':
		case '22P02': // invalid_text_representation (a malformed uuid or integer)
		case '22007': // invalid_datetime_format
		case '22008': // datetime_field_overflow
		case '22001': // string_data_right_truncation
		case '22003': // numeric_value_out_of_range (a version over 2^31…)
		case '22021': // character_not_in_repertoire (NUL in text)
		case '22P05': // untranslatable_character
		case '22023': // invalid_parameter_value
		case '22004': // null_value_not_allowed
		case '2201B': // invalid_regular_expression
		case '22025': // invalid_escape_sequence
		case '54000': // program_limit_exceeded (value too large to index…)
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
