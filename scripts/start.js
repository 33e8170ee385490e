// `npm start`: builds if needed, then serves the app. Without DATABASE_URL the server starts its
// own embedded Postgres (data in .marathon/), migrates it and loads the demo cohort once.
import { buildIfNeeded } from './build-if-needed.js';

const started = Date.now();
buildIfNeeded();
process.env.HOST ??= '127.0.0.1';
process.env.PORT ??= '3000';
process.env.BODY_SIZE_LIMIT ??= '2M';
await import('../build/index.js');
const host = process.env.HOST === '127.0.0.1' || process.env.HOST === '0.0.0.0' ? 'localhost' : process.env.HOST;
console.log(`\nMarathon est prêt : http://${host}:${process.env.PORT}  (${Date.now() - started} ms ; Ctrl+C pour arrêter)`);
