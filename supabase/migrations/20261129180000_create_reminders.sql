-- Reminders (/pilotage/relances): the staff note that they nudged a territory's coordination
-- about what is missing (monthly indicators, no update for N days). No mail is sent by the app:
-- the facilitator sends the prepared text themselves (mailto: or copy) and records it here, so the
-- next person sees « dernière relance le … par … ». Append-only history.

-- ============ enums ============
-- how the reminder went out: e-mail, another messaging tool, or by phone
create type public.reminder_channel as enum ('email', 'message', 'phone');

-- ============ tables ============
create table public.reminders (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid not null references public.territories (id) on delete cascade,
  -- who recorded it: always the signed-in person (trigger below), never a form field
  sent_by uuid references auth.users (id) on delete set null default auth.uid(),
  sent_at timestamptz not null default now(),
  channel public.reminder_channel not null,
  -- what was missing when it was sent, in French (« 1 mois d’indicateurs manquant (octobre 2026) ; … »)
  summary text not null check (length(trim(summary)) between 1 and 2000),
  -- the months of indicators missing then (first day of each month), for later counts
  missing_months date[] not null default '{}' check (cardinality(missing_months) <= 60),
  -- days without any change on the territory then; null when nothing was ever recorded
  days_since_change integer check (days_since_change >= 0)
);
create index reminders_territory_sent_idx on public.reminders (territory_id, sent_at desc);
create index reminders_sent_by_idx on public.reminders (sent_by);

-- ============ triggers ============
-- The sender and the time come from the session, whatever was sent (the demo seed, run by the
-- owner without a user, keeps what it writes).
create function private.reminders_stamp() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if auth.uid() is not null then
    new.sent_by := auth.uid();
    new.sent_at := now();
  end if;
  return new;
end
$$;
create trigger reminders_stamp before insert on public.reminders
  for each row execute function private.reminders_stamp();

-- Audited like every write, but WITHOUT the territory on the event: a territory's « days since
-- the last change » is read from its audit events (public.territory_figures), and a facilitator's
-- reminder is not a change made by the territory — recording one must not make it look fresh.
-- The territory stays in the event's `changes` (column territory_id), so the journal shows it.
create function private.audit_reminders() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_row jsonb := to_jsonb(case when tg_op = 'DELETE' then old else new end);
begin
  if coalesce(current_setting('marathon.seeding', true), '') = 'on'
     and coalesce(auth.role(), '') not in ('authenticated', 'anon') then
    return null;
  end if;
  insert into public.audit_events (actor_id, territory_id, entity, entity_id, action, changes)
  values (auth.uid(), null, tg_table_name, v_row ->> 'id', lower(tg_op),
          case when tg_op = 'UPDATE'
               then (select coalesce(jsonb_object_agg(n.key, jsonb_build_array(to_jsonb(old) -> n.key, n.value)), '{}'::jsonb)
                     from jsonb_each(to_jsonb(new)) n where (to_jsonb(old) -> n.key) is distinct from n.value)
               else v_row end);
  return null;
end
$$;
create trigger reminders_audit after insert or update or delete on public.reminders
  for each row execute function private.audit_reminders();

-- ============ grants ============
revoke execute on function private.reminders_stamp() from public;
revoke execute on function private.audit_reminders() from public;
revoke all on public.reminders from anon, authenticated;
grant select, insert on public.reminders to authenticated;

-- ============ policies ============
alter table public.reminders enable row level security;

-- staff read every territory's reminders; a coordinator reads those about their own territories
-- (docs/decisions.md « Relances »); funders and the public read none
create policy reminders_select on public.reminders for select to authenticated
  using (territory_id = any ((select private.my_territory_ids())::uuid[]));
-- only facilitators and admins record a reminder
create policy reminders_insert on public.reminders for insert to authenticated
  with check ((select private.is_staff()));
-- history: nobody edits or removes a reminder
create policy reminders_update on public.reminders for update to authenticated
  using (false);
create policy reminders_delete on public.reminders for delete to authenticated
  using (false);
