import { csvTemplate } from '$lib/domain/csv';
import { territoryContext } from '$lib/server/territories/context';
import { csvResponse } from '../csv-response';
import type { RequestHandler } from './$types';
import { endpoint } from '$lib/server/http/respond';

/** The empty file to fill in (header line only), for the people who may import here. */
export const GET: RequestHandler = endpoint(async (event) => {
	await territoryContext(event);
	return csvResponse(csvTemplate('lieux'), 'modele-lieux.csv');
});
