/** What was typed to find a lieu of the workshop form (`?lieu=`), trimmed, at most 100 characters. */
export function lieuSearchOf(url: URL): string {
	return (url.searchParams.get('lieu') ?? '').trim().slice(0, 100);
}

/** The form's action, keeping the lieu search: a refused post shows the same lieux again. */
export function actionKeepingSearch(action: string, lieuSearch: string): string {
	return lieuSearch ? `?/${action}&lieu=${encodeURIComponent(lieuSearch)}` : `?/${action}`;
}
