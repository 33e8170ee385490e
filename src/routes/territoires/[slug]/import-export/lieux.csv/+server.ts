import { lieuCsvRow, toCsv } from '$lib/domain/csv';
import { asUser } from '$lib/server/db';
import { exportLieux } from '$lib/server/import';
import { territoryContext } from '$lib/server/territories/context';
import { csvResponse, exportFilename } from '../csv-response';
import type { RequestHandler } from './$types';
import * as clock from '$lib/server/clock';
import { endpoint } from '$lib/server/http/respond';

/** The territory's lieux as the import takes them back. */
export const GET: RequestHandler = endpoint(async (event) => {
	const { claims, territory } = await territoryContext(event);
	const rows = await asUser(claims, (tx) => exportLieux(tx, territory.id));
	const today = clock.today();
	return csvResponse(toCsv('lieux', rows.map(lieuCsvRow)), exportFilename('lieux', territory.slug, today));
});
