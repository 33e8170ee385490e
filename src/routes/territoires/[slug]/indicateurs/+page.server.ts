import { error, fail, redirect } from '@sveltejs/kit';
import type { FieldErrors } from '$lib/domain/forms';
import {
	CONFLICT_MONTH_MESSAGE,
	entryField,
	nextMonth,
	parseMonthlyEntries,
	previousMonth,
	programMonths,
	resolveMonth,
	rowConflictMessage,
	type MonthKey
} from '$lib/domain/indicators';
import { asUser } from '$lib/server/db';
import {
	activeIndicatorIds,
	currentValues,
	monthSheet,
	saveMonth,
	StaleEntries,
	type CurrentValue,
	type MonthSheetRow,
	type SaveResult
} from '$lib/server/indicators';
import { readTerritory, territoryContext } from '$lib/server/territories/context';
import { route } from '$lib/routes';
import type { Actions, PageServerLoad } from './$types';
import { withoutControlCharacters } from '$lib/domain/fields';
import * as clock from '$lib/server/clock';
import { htmlOnly } from '$lib/html-only';
import { countFromUrl } from '$lib/domain/pagination';

export interface LawGroup {
	id: number;
	name: string;
	summary: string;
	indicators: (Omit<MonthSheetRow, 'id' | 'law' | 'law_name' | 'law_summary'> & { id: string })[];
}

function byLaw(rows: MonthSheetRow[]): LawGroup[] {
	const laws = new Map<number, LawGroup>();
	for (const { law, law_name, law_summary, ...row } of rows) {
		let group = laws.get(law);
		if (!group) laws.set(law, (group = { id: law, name: law_name, summary: law_summary, indicators: [] }));
		if (row.id) group.indicators.push({ ...row, id: row.id });
	}
	return [...laws.values()];
}

/**
 * The monthly entry form (`?mois=YYYY-MM`, by default the current month): 1 query for the guard,
 * 1 for the whole sheet (laws, indicators, values of the month and the one before, targets).
 */
export const load: PageServerLoad = (event) =>
	readTerritory(event, async (tx, { territory }) => {
		const months = programMonths(territory.start_date, clock.today());
		const requested = event.url.searchParams.get('mois');
		const month = resolveMonth(requested, months);
		if (months.length === 0) return { territory, months, month: null, laws: [], missing: 0, total: 0, saved: null };
		if (!month) error(404, 'Ce mois ne fait pas partie du programme, ou il n’est pas encore arrivé.');

		const laws = byLaw(await monthSheet(tx, territory.id, month, months[0]));
		const indicators = laws.flatMap((l) => l.indicators);
		const saved = countFromUrl(event.url, 'enregistre', indicators.length);
		return {
			territory,
			months,
			month,
			previous: months.includes(previousMonth(month)) ? previousMonth(month) : null,
			next: months.includes(nextMonth(month)) ? nextMonth(month) : null,
			laws,
			total: indicators.length,
			missing: indicators.filter((i) => i.version === 0).length,
			saved
		};
	}).then((data) => htmlOnly(event, data));

function formStrings(form: FormData): Record<string, string> {
	const values: Record<string, string> = {};
	for (const [key, value] of form) if (typeof value === 'string') values[key] = value;
	return values;
}

export const actions: Actions = {
	/**
	 * Saves the month's filled rows, all or nothing (one transaction, 3 statements: the list of
	 * indicators, a locking read, one upsert). Empty values are skipped.
	 */
	save: async (event) => {
		const { claims, territory } = await territoryContext(event);
		const values = formStrings(await event.request.formData().catch(() => new FormData()));
		const month: MonthKey = values.mois ?? '';
		// what was typed, shown again on failure without control characters (refused at their field)
		const echo = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, withoutControlCharacters(v)]));
		if (!programMonths(territory.start_date, clock.today()).includes(month))
			return fail(400, {
				errors: { _form: 'Ce mois ne fait pas partie du programme, ou il n’est pas encore arrivé.' } as FieldErrors,
				values: echo,
				current: null
			});

		type Outcome = SaveResult | { kind: 'invalid'; errors: FieldErrors };
		const save = () =>
			asUser(claims, async (tx): Promise<Outcome> => {
				const parsed = parseMonthlyEntries(values, await activeIndicatorIds(tx, territory.id));
				if (!parsed.ok) return { kind: 'invalid', errors: parsed.errors };
				return saveMonth(tx, territory.id, month, parsed.entries);
			});
		let outcome: Outcome;
		try {
			// A value created meanwhile (no row to lock when the form was read) undoes the whole save;
			// once more, that row is read and locked: the same value posted twice (a double click) is
			// then no conflict, a different one is.
			outcome = await save().catch((e: unknown) => {
				if (e instanceof StaleEntries) return save();
				throw e;
			});
		} catch (e) {
			if (!(e instanceof StaleEntries)) throw e;
			const current = await asUser(claims, (tx) => currentValues(tx, territory.id, month, e.indicatorIds));
			outcome = { kind: 'conflict', current };
		}

		if (outcome.kind === 'invalid')
			return fail(400, {
				errors: { _form: 'Rien n’a été enregistré : corrigez les champs signalés.', ...outcome.errors } as FieldErrors,
				values: echo,
				current: null
			});
		if (outcome.kind === 'conflict') {
			const errors: FieldErrors = { _form: CONFLICT_MONTH_MESSAGE };
			for (const [id, current] of Object.entries(outcome.current))
				errors[entryField.value(id)] = rowConflictMessage(current, {
					value: values[entryField.value(id)],
					note: values[entryField.note(id)],
					evidence: values[entryField.evidence(id)]
				});
			return fail(409, { errors, values: echo, current: outcome.current as Record<string, CurrentValue | null> });
		}
		redirect(303, route.indicators(territory.slug, { mois: month, enregistre: outcome.written }));
	}
};

/** Plain HTML: nothing on this page needs JavaScript (see docs/decisions.md, Sobriété). */
export const csr = false;
