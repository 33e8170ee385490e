// Builds the app with Vite when build/ is missing or older than the sources it comes from.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const SOURCES = ['src', 'supabase', 'static', 'package.json', 'package-lock.json', 'svelte.config.js', 'vite.config.ts'];

function newest(path) {
	if (!existsSync(path)) return 0;
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), stat.mtimeMs);
}

export function buildIfNeeded() {
	const output = join(root, 'build', 'index.js');
	const built = existsSync(output) ? statSync(output).mtimeMs : 0;
	if (built >= Math.max(...SOURCES.map((s) => newest(join(root, s))))) return;
	console.log('Construction de l’application (vite build)…');
	const result = spawnSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
		cwd: root,
		stdio: 'inherit'
	});
	if (result.status !== 0) {
		console.error('La construction a échoué.');
		process.exit(result.status ?? 1);
	}
}

if (process.argv[1] === fileURLToPath(import.meta.url)) buildIfNeeded();
