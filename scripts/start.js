// `npm start`: builds if needed, then serves the app. Without DATABASE_URL the server starts its
// own embedded Postgres (data in .marathon/), migrates it and loads the demo cohort once.
import { buildIfNeeded } from './build-if-needed.js';

const started = Date.now();
buildIfNeeded();
process.env.HOST ??= '127.0.0.1';
process.env.PORT ??= '3000';
process.env.BODY_SIZE_LIMIT ??= '3M'; // a 2 MB CSV import plus the form around it
// The address people type: form posts from any other origin are refused (CSRF protection), and a
// browser on a loopback alias (http://127.0.0.1:3000) is sent to it by the server.
const host = ['127.0.0.1', '0.0.0.0', '::'].includes(process.env.HOST) ? 'localhost' : process.env.HOST;
process.env.ORIGIN ??= `http://${host}:${process.env.PORT}`;
// One address printed, the one that works: adapter-node's own "Listening on http://127.0.0.1:3000"
// would name an address whose logins are refused as cross-site.
const log = console.log;
console.log = (...args) => {
	if (typeof args[0] === 'string' && args[0].startsWith('Listening on ')) return;
	log(...args);
};
await import('../build/index.js');
console.log(`\nMarathon est prêt : ${process.env.ORIGIN}  (${Date.now() - started} ms ; Ctrl+C pour arrêter)`);
