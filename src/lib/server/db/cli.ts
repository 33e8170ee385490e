import { existsSync, readFileSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { join, resolve } from 'node:path';
import postgres from 'postgres';
import { backup, restore } from './backup';
import { startEmbedded } from './embedded';
import { migrate } from './migrate';
import { embeddedRoles, embeddedRolePasswords, OWNER_ROLE, urlAs } from './roles';
import { purgeExpired, retentionMonths } from '$lib/server/rgpd/retention';

/**
 * `npm run db:backup [fichier]`, `npm run db:restore <fichier>`, `npm run db:retention [mois]`,
 * `npm run db:migrate`. With DATABASE_URL: that database, as the role in the URL (the owner).
 * Without: the embedded database of MARATHON_DATA_DIR (default `.marathon/`), whether the app is
 * running (its server is reused) or not (it is started for the command, then stopped).
 */
export async function main(args: string[], log: (line: string) => void = console.log): Promise<void> {
	const [command, arg] = args;
	const target = await connectOwner(command === 'restore');
	const sql = postgres(target.url, { max: 1, onnotice: () => {} });
	try {
		switch (command) {
			case 'backup': {
				const file = arg ?? `marathon-sauvegarde-${new Date().toISOString().replace(/[:.]/g, '-')}.txt`;
				const header = await backup(sql, createWriteStream(file, { mode: 0o600 }));
				const rows = header.tables.reduce((n, t) => n + t.rows, 0);
				log(`Sauvegarde écrite : ${file} (version ${header.version}, ${header.tables.length} tables, ${rows} lignes).`);
				break;
			}
			case 'restore': {
				if (!arg) throw new Error('Usage : npm run db:restore <fichier>');
				const header = await restore(sql, resolve(arg));
				log(`Sauvegarde du ${header.taken_at} restaurée (version ${header.version}), comptes et sommes de contrôle vérifiés.`);
				break;
			}
			case 'retention': {
				const months = arg ? Number(arg) : retentionMonths();
				const report = await sql.begin((tx) => purgeExpired(tx as never, { months }));
				log(
					`Conservation (${months} mois) : ${report.citizens} personne(s) anonymisée(s) définitivement, ` +
						`${report.login_attempts} tentative(s) de connexion et ${report.sessions} session(s) supprimées.`
				);
				break;
			}
			case 'migrate': {
				const report = await migrate(sql);
				log(report.applied.length ? `Migrations appliquées : ${report.applied.join(', ')}` : 'Base à jour.');
				break;
			}
			default:
				throw new Error('Commandes : backup [fichier] | restore <fichier> | retention [mois] | migrate');
		}
	} finally {
		await sql.end();
		await target.stop();
	}
}

/** The owner's URL: DATABASE_URL, or the embedded server (running, or started for the command). */
async function connectOwner(fresh: boolean): Promise<{ url: string; stop: () => Promise<void> }> {
	if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => {} };
	const dir = resolve(process.env.MARATHON_DATA_DIR ?? '.marathon');
	const pidFile = join(dir, 'pgdata', 'postmaster.pid');
	if (fresh && existsSync(join(dir, 'pgdata', 'PG_VERSION')) && !process.env.MARATHON_RESTORE_INTO_EXISTING)
		throw new Error(
			`${dir} contient déjà une base : restaurez dans un dossier neuf, par exemple\n` +
				`  MARATHON_DATA_DIR=.marathon-restauree npm run db:restore <fichier>\n` +
				'puis démarrez Marathon avec ce dossier (ou renommez-le en .marathon).'
		);
	if (existsSync(pidFile)) {
		// The app is running: its server answers on the port written in postmaster.pid (4th line).
		const [pid, , , port] = readFileSync(pidFile, 'utf8').split('\n');
		if (isAlive(Number(pid))) {
			const { owner } = await embeddedRolePasswords(dir);
			const superUrl = `postgres://postgres:x@127.0.0.1:${port.trim()}/postgres`;
			return { url: urlAs(superUrl, OWNER_ROLE, owner), stop: async () => {} };
		}
	}
	const embedded = await startEmbedded(dir);
	const urls = await embeddedRoles(dir, embedded.url);
	return { url: urls.owner, stop: () => embedded.stop() };
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return (e as NodeJS.ErrnoException).code === 'EPERM';
	}
}
