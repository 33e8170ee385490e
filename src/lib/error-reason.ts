/**
 * The French title of an error page, naming the real reason: not allowed (401/403), not found
 * (404/410), unavailable (502–504: database restarting…), refused input (other 4xx). Shared by
 * the error page (+error.svelte) and the server's own refusals ($lib/server/http/respond.ts).
 */
export function reasonTitle(status: number): string {
	if (status === 401 || status === 403) return 'Pas autorisé';
	if (status === 404 || status === 410) return 'Introuvable';
	if (status === 413) return 'Envoi trop volumineux';
	if (status === 429) return 'Trop de tentatives';
	if (status >= 502 && status <= 504) return 'Momentanément indisponible';
	if (status >= 500) return 'Erreur inattendue';
	return 'Demande refusée';
}
