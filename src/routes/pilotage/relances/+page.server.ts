import { redirect } from '@sveltejs/kit';
import { parseForm } from '$lib/domain/forms';
import { paginate } from '$lib/domain/pagination';
import {
	DEFAULT_REMINDER_DAYS,
	RecordReminderSchema,
	compareNeeds,
	mailtoHref,
	parseRemindersQuery,
	reminderCopyText,
	reminderMessage,
	reminderSummary
} from '$lib/domain/reminders';
import { requireRole } from '$lib/server/auth/guard';
import * as clock from '$lib/server/clock';
import { asUser } from '$lib/server/db';
import { formFail, invalid, newSubmission, writeOnce } from '$lib/server/forms';
import { recordReminder, reminderItems } from '$lib/server/reminders';
import { route } from '$lib/routes';
import type { Actions, PageServerLoad } from './$types';

/**
 * Territories a page: each card is ~25 DOM nodes, so 8 keep the page under the 300-node budget
 * whatever the number of territories needing a reminder (18 or 180).
 */
const REMINDERS_PAGE_SIZE = 8;

/**
 * Freshness and nudges: the territories to remind (indicator months missing, or no change for N
 * days, `?jours=N`, default 30), each with a ready-to-send French message and its last recorded
 * reminder. Facilitators and admins only (403 for everyone else). Five SQL statements, one
 * transaction, whatever the number of territories (src/lib/server/reminders). A bad `jours` is
 * a French message at the field, the default applies.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
	const claims = requireRole(locals, url, 'admin', 'facilitator');
	const today = clock.today();
	const query = parseRemindersQuery(url.searchParams);
	const items = (await asUser(claims, (tx) => reminderItems(tx, today, query.jours))).sort((a, b) =>
		compareNeeds({ name: a.row.name, needs: a.needs }, { name: b.row.name, needs: b.needs })
	);
	const pagination = paginate(query.page, items.length, REMINDERS_PAGE_SIZE);
	const abs = (path: string) => new URL(path, url.origin).href;
	const cards = items.slice(pagination.offset, pagination.offset + pagination.limit).map((item) => {
		const { row } = item;
		const message = reminderMessage(item.territory, item.needs, item.coordinators, {
			indicators: abs(route.indicators(row.slug)),
			milestones: abs(route.milestones(row.slug, { statut: 'en-retard' })),
			territory: abs(route.territory(row.slug))
		}, today);
		return {
			id: row.territory_id,
			slug: row.slug,
			name: row.name,
			region: row.region,
			progress: row.ended ? 'programme terminé' : `mois ${row.month}/${row.months}`,
			summary: reminderSummary(item.needs),
			coordinators: item.coordinators,
			note: message.note,
			subject: message.subject,
			mailto: mailtoHref(message),
			copy: reminderCopyText(message),
			last: item.last && { on: item.last.sent_at.toISOString(), by: item.last.sent_by_name, channel: item.last.channel },
			submission: newSubmission()
		};
	});
	return {
		today,
		query,
		total: items.length,
		pagination,
		cards,
		recorded: url.searchParams.get('notee')?.slice(0, 80) ?? null
	};
};

export const actions: Actions = {
	/**
	 * Records that the reminder of one territory was sent (how: e-mail, other messaging, phone),
	 * with what was missing then, recomputed here (never taken from the form). Staff only (403).
	 * Writes once per submission token (a double click records one reminder). 409 when the
	 * territory has nothing to remind any more; then 303 back to the page.
	 */
	record: async ({ locals, url, request }) => {
		const claims = requireRole(locals, url, 'admin', 'facilitator');
		const parsed = parseForm(RecordReminderSchema, await request.formData());
		if (!parsed.ok) return invalid('record', parsed);
		const { territory, channel, jours, page, submission } = parsed.data;
		const today = clock.today();
		const once = await asUser(claims, (tx) =>
			writeOnce(tx, submission, 'reminder', async () => {
				const item = (await reminderItems(tx, today, jours)).find((i) => i.row.territory_id === territory);
				if (!item) return { ok: false as const, failure: null };
				const id = await recordReminder(tx, {
					territoryId: territory,
					channel,
					summary: reminderSummary(item.needs),
					missingMonths: item.needs.months.map((m) => m.month),
					daysSinceChange: item.row.freshnessDays
				});
				return { ok: true as const, value: { id, slug: item.row.slug } };
			})
		);
		if (!once.ok)
			return formFail(409, 'record', {
				errors: { _form: 'Rien à relancer pour ce territoire aujourd’hui (tout a été saisi entre-temps) : aucune relance notée.' },
				values: { territory }
			});
		redirect(303, route.cockpitReminders({ jours: jours === DEFAULT_REMINDER_DAYS ? undefined : jours, page: page > 1 ? page : undefined, notee: once.value.slug }));
	}
};
