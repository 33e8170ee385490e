/** Every URL of the app, built in one place (pages link with these, never with hand-made strings). */
const q = (params: Record<string, string | number | undefined | null>) => {
	const search = new URLSearchParams();
	for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') search.set(k, String(v));
	const s = search.toString();
	return s ? `?${s}` : '';
};

const t = (slug: string) => `/territoires/${encodeURIComponent(slug)}`;

export const route = {
	home: () => '/',
	login: (next?: string) => `/connexion${q({ suite: next })}`,
	/**
	 * The login page's door for a page whose session was found ended or changed (hooks.server.ts):
	 * it reads the session, then sends back to `page` with a true token, or as a visitor.
	 */
	sessionCheck: (page: URL) => `/connexion${q({ suite: page.pathname + page.search, fin: 1 })}`,
	transparency: () => '/transparence',
	territory: t,
	milestones: (slug: string, params: { vue?: 'liste' | 'frise'; statut?: string; page?: number } = {}) =>
		`${t(slug)}/jalons${q(params)}`,
	milestone: (slug: string, id: string) => `${t(slug)}/jalons/${id}`,
	workshops: (slug: string, params: { vue?: 'a-venir' | 'passes' | 'calendrier'; mois?: string; page?: number } = {}) =>
		`${t(slug)}/ateliers${q(params)}`,
	newWorkshop: (slug: string) => `${t(slug)}/ateliers/nouveau`,
	workshop: (slug: string, id: string) => `${t(slug)}/ateliers/${id}`,
	/** A workshop's page with its roster's name search (`q`) and page. */
	workshopRoster: (slug: string, id: string, params: { q?: string; page?: number } = {}) =>
		`${t(slug)}/ateliers/${id}${q(params)}`,
	editWorkshop: (slug: string, id: string) => `${t(slug)}/ateliers/${id}/modifier`,
	citizens: (slug: string, params: { q?: string; statut?: string; source?: string; societaire?: string; page?: number } = {}) =>
		`${t(slug)}/citoyens${q(params)}`,
	newCitizen: (slug: string) => `${t(slug)}/citoyens/nouveau`,
	citizen: (slug: string, id: string) => `${t(slug)}/citoyens/${id}`,
	citizenExport: (slug: string, id: string) => `${t(slug)}/citoyens/${id}/donnees.json`,
	lieux: (slug: string, params: { q?: string; type?: string; statut?: string; page?: number } = {}) =>
		`${t(slug)}/lieux${q(params)}`,
	newLieu: (slug: string) => `${t(slug)}/lieux/nouveau`,
	lieu: (slug: string, id: string, params: { ok?: 'cree' | 'modifie' | 'desactive' | 'reactive' | 'contact-efface' } = {}) =>
		`${t(slug)}/lieux/${id}${q(params)}`,
	importExport: (slug: string, params: { importe?: number; quoi?: 'citoyens' | 'lieux'; ignores?: number } = {}) =>
		`${t(slug)}/import-export${q(params)}`,
	exportCsv: (slug: string, what: 'citoyens' | 'lieux') => `${t(slug)}/import-export/${what}.csv`,
	importTemplate: (slug: string, what: 'citoyens' | 'lieux') => `${t(slug)}/import-export/modele-${what}.csv`,
	indicators: (slug: string, params: { mois?: string; enregistre?: number } = {}) => `${t(slug)}/indicateurs${q(params)}`,
	indicator: (slug: string, id: string) => `${t(slug)}/indicateurs/${id}`,
	// ---- dbtrust (RGPD) ----
	lieuContactExport: (slug: string, id: string) => `${t(slug)}/lieux/${id}/contact.json`,
	// ---- webtrust: the signed-in person's own account ----
	/** Change one's password; `?modifie=1` after a change. */
	account: (params: { modifie?: 1 } = {}) => `/compte${q(params)}`,
	// ============ impact (funders) and transparency ============
	/** The funder dashboard; `du` / `au`: AAAA-MM, `loi`: 1…5. */
	impact: (params: ImpactParams = {}) => `/impact${q(params)}`,
	impactTrends: (params: ImpactParams = {}) => `/impact/tendances${q(params)}`,
	impactTerritories: (params: ImpactParams = {}) => `/impact/territoires${q(params)}`,
	impactSources: (params: ImpactParams = {}) => `/impact/sources${q(params)}`,
	impactCsv: (params: ImpactParams = {}) => `/impact/donnees.csv${q(params)}`,
	impactJson: (params: ImpactParams = {}) => `/impact/donnees.json${q(params)}`,
	impactReport: (params: ImpactParams = {}) => `/impact/rapport${q(params)}`,
	impactDictionary: () => '/impact/dictionnaire',
	transparencyTerritories: () => '/transparence/territoires',
	transparencyCsv: () => '/transparence/donnees.csv',
	transparencyJson: () => '/transparence/donnees.json',
	// ---- cockpit (facilitators and admins) ----
	cockpit: (params: { tri?: string; ordre?: string; region?: string; drapeau?: string; phase?: string; page?: number } = {}) =>
		`/pilotage${q(params)}`,
	cockpitCsv: (params: { tri?: string; ordre?: string; region?: string; drapeau?: string; phase?: string } = {}) =>
		`/pilotage/pilotage.csv${q(params)}`,
	cockpitMilestones: (params: { page?: number } = {}) => `/pilotage/jalons${q(params)}`,
	// ---- relances: `notee` is the slug of the territory whose reminder was just recorded ----
	cockpitReminders: (params: { jours?: number | string; page?: number; notee?: string } = {}) => `/pilotage/relances${q(params)}`,
	// ---- comparaison: measure (`citoyens`, `lieux`, an indicator's code or id), région, page ----
	cockpitComparison: (params: { indicateur?: string; region?: string; page?: number } = {}) => `/pilotage/comparaison${q(params)}`,
	configuration: (params: { ok?: string } = {}) => `/configuration${q(params)}`,
	people: (params: { ok?: string } = {}) => `/personnes${q(params)}`,
	invitation: (token: string) => `/invitation/${encodeURIComponent(token)}`,
	journal: (params: { territoire?: string; personne?: string; entite?: string; du?: string; au?: string; page?: number } = {}) =>
		`/journal${q(params)}`,
	journalCsv: (params: { territoire?: string; personne?: string; entite?: string; du?: string; au?: string } = {}) =>
		`/journal/journal.csv${q(params)}`
};

/** The funder dashboard's filter (`du` / `au`: AAAA-MM, `loi`: 1…5) and, for trends, the axis. */
export type ImpactParams = { du?: string; au?: string; loi?: number | string | null; axe?: 'calendrier' | 'programme' };
