// The server Playwright tests against: the built app on a brand-new embedded database.
import { rmSync } from 'node:fs';

const dir = process.env.MARATHON_DATA_DIR ?? '.marathon-e2e';
if (!dir.includes('e2e')) throw new Error(`Refus d’effacer ${dir} : seul un dossier de test (…e2e…) est effacé.`);
rmSync(dir, { recursive: true, force: true });
process.env.MARATHON_DATA_DIR = dir;
await import('./start.js');
