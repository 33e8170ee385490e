import { searchTermOf } from '$lib/domain/fields';

/** What was typed to find a lieu of the workshop form (`?lieu=`, see `searchTermOf`). */
export function lieuSearchOf(url: URL): string {
	return searchTermOf(url.searchParams, 'lieu');
}

/** The form's action, keeping the lieu search: a refused post shows the same lieux again. */
export function actionKeepingSearch(action: string, lieuSearch: string): string {
	return lieuSearch ? `?/${action}&lieu=${encodeURIComponent(lieuSearch)}` : `?/${action}`;
}
