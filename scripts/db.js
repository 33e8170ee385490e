// `npm run db:backup | db:restore <fichier> | db:retention [mois] | db:migrate`: database commands
// run with the app's own TypeScript modules (src/lib/server/db/cli.ts), loaded through Vite.
import { createServer } from 'vite';

const server = await createServer({
	server: { middlewareMode: true, hmr: false, watch: null },
	appType: 'custom',
	logLevel: 'error',
	optimizeDeps: { noDiscovery: true, include: [] }
});
let code = 0;
try {
	const cli = await server.ssrLoadModule('/src/lib/server/db/cli.ts');
	await cli.main(process.argv.slice(2));
} catch (e) {
	console.error(e instanceof Error ? e.message : e);
	code = 1;
} finally {
	await server.close();
}
process.exit(code);
