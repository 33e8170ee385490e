import type { Tx } from '$lib/server/db';
import type { ProgramTotals, TerritoryFiguresRow } from '$lib/domain/figures';

/** Aggregate figures of every territory this user may see (one query, whatever their number). */
export function territoryFigures(tx: Tx, today: string) {
	return tx<TerritoryFiguresRow[]>`select * from public.territory_figures(${today}::date)`;
}

/** One territory's figures, counted for it alone; empty if this user may not see it. */
export function territoryFiguresOf(tx: Tx, today: string, territoryId: string) {
	return tx<TerritoryFiguresRow[]>`select * from public.territory_figures(${today}::date, ${territoryId}::uuid)`;
}

export async function programTotals(tx: Tx): Promise<ProgramTotals | null> {
	const [row] = await tx<ProgramTotals[]>`select * from public.program_totals()`;
	return row ?? null;
}

export async function publicProgramTotals(tx: Tx): Promise<ProgramTotals | null> {
	const [row] = await tx<ProgramTotals[]>`select * from public.public_program_totals()`;
	return row ?? null;
}
