import type { CsvKind } from '$lib/domain/csv';

/** A CSV download: UTF-8 (the text carries its BOM), attachment, never cached (personal data). */
export function csvResponse(csv: string, filename: string): Response {
	return new Response(csv, {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="${filename}"`,
			'cache-control': 'private, no-store'
		}
	});
}

export const exportFilename = (kind: CsvKind, slug: string, today: string) => `${kind}-${slug}-${today}.csv`;
