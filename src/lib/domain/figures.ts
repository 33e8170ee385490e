import { freshnessDays, thresholdForecast, type ThresholdForecast } from './forecast';
import { phaseOf, programMonth, programStage, type Phase, type ProgramStage, PROGRAM_MONTHS } from './program';

/** One territory's aggregate figures, as `public.territory_figures()` returns them. */
export interface TerritoryFiguresRow {
	territory_id: string;
	slug: string;
	name: string;
	region: string;
	departement: string;
	carrier_kind: 'collectivite' | 'citoyens' | 'lieux' | 'mixte';
	status: 'active' | 'paused' | 'withdrawn';
	start_date: string;
	citizen_threshold: number;
	lieu_threshold: number;
	citizens: number;
	citizens_in_pace_window: number;
	societaires: number;
	lieux: number;
	lieux_in_pace_window: number;
	milestones: number;
	milestones_done: number;
	milestones_late: number;
	workshops_held: number;
	last_change_on: string | null;
	/** the cohort's program length in months (18 unless configured) */
	program_months?: number;
	/** the cohort's phases (null: the defaults) */
	phases?: Phase[] | null;
}

/** What the pages show of a territory: the row, plus its program month, phase and forecasts. */
export interface TerritorySummary extends TerritoryFiguresRow {
	month: number;
	months: number;
	started: boolean;
	ended: boolean;
	phase: Phase;
	/** What the pages and the CSV show of the program month (never a month ≤ 0: « démarre le … » before the start). */
	stage: ProgramStage;
	citizenForecast: ThresholdForecast;
	lieuForecast: ThresholdForecast;
	freshnessDays: number | null;
}

/**
 * Derives month, phase, forecasts and freshness from the database's counts (pure), over the
 * cohort's program length and phases when the row carries them (territory_figures does).
 */
export function summarize(row: TerritoryFiguresRow, today: string, phases: Phase[] | undefined = row.phases ?? undefined): TerritorySummary {
	// the cohort's length and phases, as configured (/configuration), else the program's defaults
	const months = row.program_months ?? PROGRAM_MONTHS;
	const { month, started, ended } = programMonth(row.start_date, today, months);
	const forecast = (threshold: number, current: number, recentEnrolments: number) =>
		thresholdForecast({ threshold, current, recentEnrolments, start: row.start_date, today, months });
	return {
		...row,
		month,
		months,
		started,
		ended,
		phase: phaseOf(month, phases),
		stage: programStage(row.start_date, today, phases, months),
		citizenForecast: forecast(row.citizen_threshold, row.citizens, row.citizens_in_pace_window),
		lieuForecast: forecast(row.lieu_threshold, row.lieux, row.lieux_in_pace_window),
		freshnessDays: freshnessDays(row.last_change_on, today)
	};
}

export const CARRIER_LABEL_FR: Record<TerritoryFiguresRow['carrier_kind'], string> = {
	collectivite: 'Collectivité',
	citoyens: 'Citoyens',
	lieux: 'Lieux',
	mixte: 'Mixte'
};

/** Program-wide aggregates, as `public.program_totals()` returns them. */
export interface ProgramTotals {
	territories: number;
	citizens: number;
	societaires: number;
	lieux: number;
	workshops_held: number;
	attendances: number;
	territories_citizens_met: number;
	territories_lieux_met: number;
	citizen_threshold: number;
	lieu_threshold: number;
	societaire_target: number;
}
