import type { PageServerLoad } from './$types';

/**
 * The data dictionary of the open data: anyone (it describes columns, no figure), so that the
 * public page's files are documented for every reader.
 */
export const load: PageServerLoad = () => ({});
