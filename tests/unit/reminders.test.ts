import { describe, expect, it } from 'vitest';
import { reporting } from '../../src/lib/domain/cockpit';
import { freshnessDays } from '../../src/lib/domain/forecast';
import { programMonth } from '../../src/lib/domain/program';
import {
	DEFAULT_REMINDER_DAYS,
	RecordReminderSchema,
	compareNeeds,
	mailtoHref,
	parseRemindersQuery,
	reminderCopyText,
	reminderMessage,
	reminderNeeds,
	reminderSummary,
	type ReminderTerritory
} from '../../src/lib/domain/reminders';

const CATALOG = [
	{ id: 'i1', name: 'Événements organisés' },
	{ id: 'i2', name: 'Participants' },
	{ id: 'i3', name: 'Sociétaires' }
];
const LINKS = {
	indicators: 'https://marathon.example/territoires/t/indicateurs',
	milestones: 'https://marathon.example/territoires/t/jalons?statut=en-retard',
	territory: 'https://marathon.example/territoires/t'
};
const ALICE = { name: 'Alice Martin', email: 'alice@exemple.fr' };

/** A territory as the page builds it, from the same pure functions (cockpit `reporting`). */
function territory(o: {
	start?: string;
	today: string;
	reported?: string[];
	lastChangeOn?: string | null;
	entered?: Record<string, string[]>;
	indicatorsLastOn?: string | null;
	milestonesLate?: number;
	catalog?: typeof CATALOG;
}): ReminderTerritory {
	const start = o.start ?? '2026-02-01';
	const pm = programMonth(start, o.today);
	const rep = reporting({
		start,
		today: o.today,
		timelinessDay: 10,
		reported: (o.reported ?? []).map((month) => ({ month, completedOn: month }))
	});
	const lastChangeOn = o.lastChangeOn === undefined ? o.today : o.lastChangeOn;
	return {
		name: 'Pays d’Oc',
		start,
		started: pm.started,
		ended: pm.ended,
		month: pm.month,
		months: 18,
		lastChangeOn,
		freshnessDays: freshnessDays(lastChangeOn, o.today),
		missingMonths: rep.missing,
		enteredByMonth: new Map(Object.entries(o.entered ?? {}).map(([m, ids]) => [m, new Set(ids)])),
		catalog: o.catalog ?? CATALOG,
		indicatorsLastOn: o.indicatorsLastOn ?? null,
		milestonesLate: o.milestonesLate ?? 0,
		timelinessDay: 10
	};
}

/** 2026-02 … 2026-09 reported: October 2026 is missing on 2026-11-29. */
const UP_TO_SEPTEMBER = ['2026-02-01', '2026-03-01', '2026-04-01', '2026-05-01', '2026-06-01', '2026-07-01', '2026-08-01', '2026-09-01'];

describe('reminderNeeds', () => {
	it('is null before the territory starts, even with nothing ever recorded', () => {
		const t = territory({ start: '2026-12-01', today: '2026-11-29', lastChangeOn: null });
		expect(t.started).toBe(false);
		expect(reminderNeeds(t, 30, '2026-11-29')).toBeNull();
	});

	it('is null when nothing is missing and the territory changed recently', () => {
		const t = territory({ today: '2026-11-29', reported: [...UP_TO_SEPTEMBER, '2026-10-01'], lastChangeOn: '2026-11-20' });
		expect(reminderNeeds(t, 30, '2026-11-29')).toBeNull();
	});

	it('lists the missing month, and which indicators when only some were entered', () => {
		const t = territory({
			today: '2026-11-29',
			reported: UP_TO_SEPTEMBER.filter((m) => m !== '2026-08-01'),
			entered: { '2026-08-01': ['i1'] },
			lastChangeOn: '2026-11-20'
		});
		const n = reminderNeeds(t, 30, '2026-11-29')!;
		expect(n.months).toEqual([
			{ month: '2026-08-01', indicators: ['Participants', 'Sociétaires'], all: false },
			{ month: '2026-10-01', indicators: ['Événements organisés', 'Participants', 'Sociétaires'], all: true }
		]);
		expect(n.staleDays).toBeNull();
	});

	it('flags no change for N days or more, and not for N − 1', () => {
		const all = [...UP_TO_SEPTEMBER, '2026-10-01'];
		expect(reminderNeeds(territory({ today: '2026-11-29', reported: all, lastChangeOn: '2026-10-30' }), 30, '2026-11-29')).toMatchObject({
			months: [],
			staleDays: 30,
			neverUpdated: false
		});
		expect(reminderNeeds(territory({ today: '2026-11-29', reported: all, lastChangeOn: '2026-10-31' }), 30, '2026-11-29')).toBeNull();
	});

	it('counts from the start when nothing was ever recorded', () => {
		const n = reminderNeeds(territory({ start: '2026-10-15', today: '2026-11-29', lastChangeOn: null }), 30, '2026-11-29')!;
		expect(n).toMatchObject({ staleDays: 45, neverUpdated: true });
		expect(n.months.map((m) => m.month)).toEqual(['2026-10-01']);
	});

	it('after month 18, asks only for the missing months (no staleness), never beyond month 18', () => {
		const t = territory({ start: '2025-01-01', today: '2026-11-29', reported: [], lastChangeOn: '2026-01-01' });
		expect(t.ended).toBe(true);
		const n = reminderNeeds(t, 30, '2026-11-29')!;
		expect(n.staleDays).toBeNull();
		expect(n.months).toHaveLength(18);
		expect(n.months.at(-1)!.month).toBe('2026-06-01');
		const done = territory({ start: '2025-01-01', today: '2026-11-29', reported: t.missingMonths as string[], lastChangeOn: '2026-01-01' });
		expect(reminderNeeds(done, 30, '2026-11-29')).toBeNull();
	});

	it('expects no month of an empty catalog', () => {
		const t = territory({ today: '2026-11-29', catalog: [], lastChangeOn: '2026-11-28' });
		expect(reminderNeeds(t, 30, '2026-11-29')).toBeNull();
	});
});

describe('reminderMessage', () => {
	it('one missing month: subject with elision, the month, the deadline rule and the link', () => {
		const t = territory({ today: '2026-11-29', reported: UP_TO_SEPTEMBER, lastChangeOn: '2026-11-20', indicatorsLastOn: '2026-10-05' });
		const n = reminderNeeds(t, 30, '2026-11-29')!;
		const m = reminderMessage(t, n, [ALICE], LINKS, '2026-11-29');
		expect(m.subject).toBe('Marathon coopératif — Pays d’Oc : indicateurs d’octobre 2026 à saisir');
		expect(m.recipients).toEqual(['alice@exemple.fr']);
		expect(m.note).toBeNull();
		expect(m.body).toContain('Nous suivons Pays d’Oc dans le Marathon coopératif (mois 10 sur 18). Voici ce qui manque sur Marathon au 29 novembre 2026 :');
		expect(m.body).toContain('- octobre 2026 : aucun des 3 indicateurs n’est saisi.');
		expect(m.body).toContain('Dernière saisie d’indicateur il y a 55 jours.');
		expect(m.body).toContain('Les indicateurs d’un mois sont attendus au plus tard le 10 du mois suivant.');
		expect(m.body).toContain(`Pour saisir les indicateurs : ${LINKS.indicators}`);
		expect(m.body).not.toContain('jalon');
		expect(m.body).not.toContain('Dernière mise à jour');
	});

	it('several months, partial ones by name, staleness and late milestones, with French agreement', () => {
		const t = territory({
			today: '2026-11-29',
			reported: UP_TO_SEPTEMBER.filter((m) => m !== '2026-03-01' && m !== '2026-08-01'),
			entered: { '2026-03-01': ['i1', 'i2'], '2026-08-01': ['i1'] },
			lastChangeOn: '2026-10-15',
			milestonesLate: 1
		});
		const n = reminderNeeds(t, 30, '2026-11-29')!;
		const m = reminderMessage(t, n, [ALICE, { name: 'Bruno', email: 'bruno@exemple.fr' }], LINKS, '2026-11-29');
		expect(m.subject).toBe('Marathon coopératif — Pays d’Oc : 3 mois d’indicateurs à saisir');
		expect(m.body).toContain('- mars 2026 : manque Sociétaires (1 sur 3) ;');
		expect(m.body).toContain('- août 2026 : manquent Participants et Sociétaires (2 sur 3) ;');
		expect(m.body).toContain('- octobre 2026 : aucun des 3 indicateurs n’est saisi.');
		expect(m.body).toContain('Dernière mise à jour sur Marathon il y a 45 jours (le 15 octobre 2026)');
		expect(m.body).toContain(`Un jalon est par ailleurs en retard : ${LINKS.milestones}`);
		expect(reminderSummary(n)).toBe(
			'3 mois d’indicateurs manquants (mars 2026, août 2026, octobre 2026) ; aucune mise à jour depuis 45 jours ; 1 jalon en retard'
		);
	});

	it('staleness alone: no indicator section, a generic subject', () => {
		const t = territory({ today: '2026-11-29', reported: [...UP_TO_SEPTEMBER, '2026-10-01'], lastChangeOn: '2026-09-01', milestonesLate: 3 });
		const n = reminderNeeds(t, 30, '2026-11-29')!;
		const m = reminderMessage(t, n, [ALICE], LINKS, '2026-11-29');
		expect(m.subject).toBe('Marathon coopératif — Pays d’Oc : des nouvelles de votre territoire ?');
		expect(m.body).not.toContain('Indicateurs mensuels');
		expect(m.body).not.toContain('Pour saisir les indicateurs');
		expect(m.body).toContain('3 jalons sont par ailleurs en retard');
		expect(reminderSummary(n)).toBe('aucune mise à jour depuis 89 jours ; 3 jalons en retard');
	});

	it('nothing ever recorded: says so, from the start date, singular for one day', () => {
		const t = territory({ start: '2026-11-28', today: '2026-11-29', lastChangeOn: null });
		const n = reminderNeeds(t, 1, '2026-11-29')!;
		const m = reminderMessage(t, n, [ALICE], LINKS, '2026-11-29');
		expect(m.body).toContain('Aucune saisie n’a encore été enregistrée pour Pays d’Oc depuis le début du programme, le 28 novembre 2026 (1 jour).');
		expect(reminderSummary(n)).toBe('aucune saisie depuis le début (1 jour)');
	});

	it('after month 18: the program is over, only the final months are asked for', () => {
		const t = territory({ start: '2025-01-01', today: '2026-11-29', reported: [], lastChangeOn: '2026-01-01' });
		const m = reminderMessage(t, reminderNeeds(t, 30, '2026-11-29')!, [ALICE], LINKS, '2026-11-29');
		expect(m.body).toContain('Le programme de Pays d’Oc est terminé (18 mois).');
		expect(m.body).toContain('- juin 2026 : aucun des 3 indicateurs n’est saisi.');
		expect(m.body).not.toContain('juillet 2026');
		expect(m.body).not.toContain('Dernière mise à jour');
	});

	it('no coordination yet: the message has no recipient and a note says so', () => {
		const t = territory({ today: '2026-11-29', reported: UP_TO_SEPTEMBER });
		const m = reminderMessage(t, reminderNeeds(t, 30, '2026-11-29')!, [], LINKS, '2026-11-29');
		expect(m.recipients).toEqual([]);
		expect(m.note).toContain('Aucune coordination n’est encore rattachée à ce territoire');
		expect(reminderCopyText(m)).toMatch(/^À : \(aucune coordination rattachée\)\nObjet : Marathon/);
		expect(mailtoHref(m)).toMatch(/^mailto:\?subject=/);
	});

	it('one-indicator catalog: « l’indicateur n’est pas saisi »; a month name with a consonant: « de mars »', () => {
		const t = territory({ start: '2026-03-01', today: '2026-04-15', catalog: [CATALOG[0]] });
		const m = reminderMessage(t, reminderNeeds(t, 30, '2026-04-15')!, [ALICE], LINKS, '2026-04-15');
		expect(m.subject).toBe('Marathon coopératif — Pays d’Oc : indicateurs de mars 2026 à saisir');
		expect(m.body).toContain('- mars 2026 : l’indicateur n’est pas saisi.');
	});
});

describe('mailtoHref (RFC 6068)', () => {
	it('percent-encodes subject and body as UTF-8, CRLF line breaks, addresses comma-separated', () => {
		const href = mailtoHref({ recipients: ['alice@exemple.fr', 'b+c@exemple.fr'], subject: 'Indicateurs d’août & co ?', body: 'Bonjour,\n\nMerci' });
		expect(href).toBe(
			'mailto:alice@exemple.fr,b%2Bc@exemple.fr?subject=Indicateurs%20d%E2%80%99ao%C3%BBt%20%26%20co%20%3F&body=Bonjour%2C%0D%0A%0D%0AMerci'
		);
		const url = new URL(href);
		expect(url.searchParams.get('subject')).toBe('Indicateurs d’août & co ?');
		expect(url.searchParams.get('body')).toBe('Bonjour,\r\n\r\nMerci');
	});
});

describe('parseRemindersQuery', () => {
	const q = (s: string) => parseRemindersQuery(new URLSearchParams(s));
	it('defaults to 30 days and page 1', () => {
		expect(q('')).toEqual({ jours: DEFAULT_REMINDER_DAYS, typed: '30', error: null, page: 1 });
		expect(q('jours=')).toMatchObject({ jours: 30, error: null });
	});
	it('accepts 1…365', () => {
		expect(q('jours=1').jours).toBe(1);
		expect(q('jours=365&page=2')).toMatchObject({ jours: 365, page: 2, error: null });
	});
	it.each(['0', '366', '-3', '2.5', 'abc', '1e3', '99999999999999999999', '30 jours'])('refuses « %s » with a French message and applies the default', (v) => {
		const r = q(`jours=${encodeURIComponent(v)}`);
		expect(r.jours).toBe(30);
		expect(r.error).toBe('Indiquez un nombre entier de jours entre 1 et 365.');
	});
});

describe('RecordReminderSchema', () => {
	const ok = { territory: '00000000-0000-4000-8000-000000000001', channel: 'email', jours: '30', submission: '00000000-0000-4000-8000-0000000000aa' };
	it('accepts a territory, a channel, N and a token', () => {
		expect(RecordReminderSchema.safeParse(ok)).toMatchObject({ success: true, data: { jours: 30, page: 1, channel: 'email' } });
	});
	it('refuses an unknown channel and a malformed territory, in French', () => {
		const r = RecordReminderSchema.safeParse({ ...ok, channel: 'pigeon', territory: 'x' });
		expect(r.success).toBe(false);
		const messages = r.error!.issues.map((i) => i.message);
		expect(messages).toContain('Choisissez comment la relance a été envoyée.');
		expect(messages).toContain('Territoire inconnu : rechargez la page.');
	});
});

describe('compareNeeds', () => {
	it('puts most missing months first, then longest without change, then name', () => {
		const n = (months: number, staleDays: number | null) => ({
			months: Array.from({ length: months }, () => ({ month: '2026-10-01', indicators: [], all: true })),
			staleDays,
			neverUpdated: false,
			indicatorsDays: null,
			milestonesLate: 0
		});
		const list = [
			{ name: 'B', needs: n(1, null) },
			{ name: 'A', needs: n(1, null) },
			{ name: 'C', needs: n(0, 40) },
			{ name: 'D', needs: n(2, null) },
			{ name: 'E', needs: n(1, 31) }
		].sort(compareNeeds);
		expect(list.map((x) => x.name)).toEqual(['D', 'E', 'A', 'B', 'C']);
	});
});
