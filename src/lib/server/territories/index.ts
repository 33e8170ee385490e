import type { Tx } from '$lib/server/db';
import type { ProgramTotals, TerritoryFiguresRow } from '$lib/domain/figures';

/** Aggregate figures of every territory this user may see (one query, whatever their number). */
export function territoryFigures(tx: Tx, today: string) {
	return tx<TerritoryFiguresRow[]>`select * from public.territory_figures(${today}::date)`;
}

/** One territory's figures; empty if this user may not see it. */
export function territoryFiguresBySlug(tx: Tx, today: string, slug: string) {
	return tx<TerritoryFiguresRow[]>`
		select * from public.territory_figures(${today}::date) where slug = ${slug}`;
}

export interface TerritoryAccess {
	id: string;
	name: string;
	slug: string;
	can_access: boolean;
}

/** The territory (visible to every signed-in user) and whether this user may open its workspace. */
export async function territoryAccess(tx: Tx, slug: string): Promise<TerritoryAccess | null> {
	const [row] = await tx<TerritoryAccess[]>`
		select id, name, slug, public.can_access_territory(id) as can_access
		from public.territories where slug = ${slug}`;
	return row ?? null;
}


export async function programTotals(tx: Tx): Promise<ProgramTotals | null> {
	const [row] = await tx<ProgramTotals[]>`select * from public.program_totals()`;
	return row ?? null;
}

export async function publicProgramTotals(tx: Tx): Promise<ProgramTotals | null> {
	const [row] = await tx<ProgramTotals[]>`select * from public.public_program_totals()`;
	return row ?? null;
}
