-- Per-territory × month summaries, maintained in the same transaction as the writes, so that
-- aggregate pages (funders, cockpit, landing, public page) cost the same whatever the number of
-- citizen rows. Statement-level triggers with transition tables: one upsert per statement, even
-- for a 5,000-row CSV import. The rollups live in `private` (no grant to anyone): users read them
-- only through the security-definer aggregate functions below and in the impact migration.
--
-- Months are calendar months (first day). Citizens and lieux count under the month of their
-- enrolment while they are active (a withdrawal removes them from their enrolment month, as it
-- removes them from today's count); an erased citizen stays active and keeps counting (decisions.md).
-- Workshops and participations count under the month the workshop starts, Paris time.

-- ============ tables ============
create table private.territory_months (
  territory_id uuid not null references public.territories (id) on delete cascade,
  month date not null check (extract(day from month) = 1),
  -- active citizens enrolled this month, and among them sociétaires
  citizens integer not null default 0,
  societaires integer not null default 0,
  -- active lieux enrolled this month
  lieux integer not null default 0,
  workshops_held integer not null default 0,
  -- attendances (check-ins) at workshops starting this month, whatever their status
  participations integer not null default 0,
  -- distinct citizens checked in at least once this month
  participants integer not null default 0,
  -- citizens whose first check-in ever falls this month (sum over months = distinct participants)
  new_participants integer not null default 0,
  primary key (territory_id, month)
);

-- Active citizens by enrolment month and category: breakdowns by source and age band.
create table private.territory_month_citizens (
  territory_id uuid not null references public.territories (id) on delete cascade,
  month date not null check (extract(day from month) = 1),
  source public.citizen_source not null,
  age_band public.age_band not null,
  citizens integer not null default 0,
  primary key (territory_id, month, source, age_band)
);

-- Active citizens and lieux by enrolment day: the 90-day pace window of the forecasts.
create table private.territory_days (
  territory_id uuid not null references public.territories (id) on delete cascade,
  day date not null,
  citizens integer not null default 0,
  lieux integer not null default 0,
  primary key (territory_id, day)
);

-- Check-ins per citizen and month (n = 0 rows are kept, and ignored): distinct participants.
create table private.participant_months (
  citizen_id uuid not null,
  month date not null,
  territory_id uuid not null references public.territories (id) on delete cascade,
  n integer not null default 0,
  primary key (citizen_id, month)
);

revoke all on private.territory_months, private.territory_month_citizens, private.territory_days,
  private.participant_months from public, anon, authenticated;

-- ============ helpers ============
-- The calendar month (first day) of a workshop start, Paris time.
create function private.workshop_month(p_starts_at timestamptz) returns date
language sql immutable set search_path = ''
as $$ select date_trunc('month', p_starts_at at time zone 'Europe/Paris')::date $$;

-- The rows a statement changed, signed: -1 for old rows, +1 for new ones (`d`).
create function private.signed_rows(p_op text) returns text
language sql immutable set search_path = ''
as $$
  select case p_op
    when 'INSERT' then 'select 1 as d, n.* from new_rows n'
    when 'DELETE' then 'select -1 as d, o.* from old_rows o'
    else 'select -1 as d, o.* from old_rows o union all select 1 as d, n.* from new_rows n' end
$$;

-- Applies check-in changes: p_deltas = [{territory_id, citizen_id, month, d}]. Keeps
-- participant_months, then participations, distinct participants and first participations.
create function private.rollup_participation(p_deltas jsonb) returns void
language plpgsql security definer set search_path = ''
as $$
begin
  if p_deltas is null or jsonb_array_length(p_deltas) = 0 then return; end if;
  with delta as (
    select r.territory_id, r.citizen_id, r.month, sum(r.d)::int as d
    from jsonb_to_recordset(p_deltas) as r(territory_id uuid, citizen_id uuid, month date, d int)
    group by 1, 2, 3 having sum(r.d) <> 0
  ),
  cur as (
    select delta.*, coalesce(pm.n, 0) as before
    from delta left join private.participant_months pm
      on pm.citizen_id = delta.citizen_id and pm.month = delta.month
  ),
  touched as (select distinct citizen_id, territory_id from delta),
  first_before as (
    select pm.citizen_id, min(pm.month) as m
    from private.participant_months pm join touched t on t.citizen_id = pm.citizen_id
    where pm.n > 0 group by 1
  ),
  after_months as (
    select pm.citizen_id, pm.month
    from private.participant_months pm join touched t on t.citizen_id = pm.citizen_id
    where pm.n > 0
      and not exists (select 1 from delta where delta.citizen_id = pm.citizen_id and delta.month = pm.month)
    union all
    select citizen_id, month from cur where before + d > 0
  ),
  first_after as (select citizen_id, min(month) as m from after_months group by 1),
  firsts as (
    select t.territory_id, fb.m as m_before, fa.m as m_after
    from touched t
    left join first_before fb on fb.citizen_id = t.citizen_id
    left join first_after fa on fa.citizen_id = t.citizen_id
    where fb.m is distinct from fa.m
  ),
  kept as (
    insert into private.participant_months as pm (citizen_id, month, territory_id, n)
    select citizen_id, month, territory_id, d from delta
    on conflict (citizen_id, month) do update set n = pm.n + excluded.n
  ),
  changes as (
    select territory_id, month, sum(d)::int as participations,
           sum(case when before <= 0 and before + d > 0 then 1
                    when before > 0 and before + d <= 0 then -1 else 0 end)::int as participants,
           0 as new_participants
    from cur group by 1, 2
    union all select territory_id, m_before, 0, 0, -1 from firsts where m_before is not null
    union all select territory_id, m_after, 0, 0, 1 from firsts where m_after is not null
  )
  insert into private.territory_months as tm (territory_id, month, participations, participants, new_participants)
  select territory_id, month, sum(participations), sum(participants), sum(new_participants)
  from changes group by 1, 2
  on conflict (territory_id, month) do update set
    participations = tm.participations + excluded.participations,
    participants = tm.participants + excluded.participants,
    new_participants = tm.new_participants + excluded.new_participants;
end
$$;

-- ============ triggers ============
create function private.rollup_citizens() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  execute format($q$
    with x as (%s),
    a as (select territory_id, enrolled_at, is_societaire, source, age_band, d from x where status = 'active'),
    m as (
      insert into private.territory_months as t (territory_id, month, citizens, societaires)
      select territory_id, date_trunc('month', enrolled_at)::date,
             sum(d), coalesce(sum(d) filter (where is_societaire), 0)
      from a group by 1, 2
      having sum(d) <> 0 or coalesce(sum(d) filter (where is_societaire), 0) <> 0
      on conflict (territory_id, month) do update set
        citizens = t.citizens + excluded.citizens, societaires = t.societaires + excluded.societaires
    ),
    c as (
      insert into private.territory_month_citizens as t (territory_id, month, source, age_band, citizens)
      select territory_id, date_trunc('month', enrolled_at)::date, source, age_band, sum(d)
      from a group by 1, 2, 3, 4 having sum(d) <> 0
      on conflict (territory_id, month, source, age_band) do update set citizens = t.citizens + excluded.citizens
    )
    insert into private.territory_days as t (territory_id, day, citizens)
    select territory_id, enrolled_at, sum(d) from a group by 1, 2 having sum(d) <> 0
    on conflict (territory_id, day) do update set citizens = t.citizens + excluded.citizens
  $q$, private.signed_rows(tg_op));
  return null;
end
$$;

create function private.rollup_lieux() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  execute format($q$
    with x as (%s),
    a as (select territory_id, enrolled_at, d from x where status = 'active'),
    m as (
      insert into private.territory_months as t (territory_id, month, lieux)
      select territory_id, date_trunc('month', enrolled_at)::date, sum(d) from a group by 1, 2 having sum(d) <> 0
      on conflict (territory_id, month) do update set lieux = t.lieux + excluded.lieux
    )
    insert into private.territory_days as t (territory_id, day, lieux)
    select territory_id, enrolled_at, sum(d) from a group by 1, 2 having sum(d) <> 0
    on conflict (territory_id, day) do update set lieux = t.lieux + excluded.lieux
  $q$, private.signed_rows(tg_op));
  return null;
end
$$;

create function private.rollup_workshops() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  execute format($q$
    with x as (%s)
    insert into private.territory_months as t (territory_id, month, workshops_held)
    select territory_id, private.workshop_month(starts_at), sum(d) from x where status = 'held'
    group by 1, 2 having sum(d) <> 0
    on conflict (territory_id, month) do update set workshops_held = t.workshops_held + excluded.workshops_held
  $q$, private.signed_rows(tg_op));
  return null;
end
$$;

-- A workshop moved to another month takes its check-ins along; a deleted one takes them away
-- (before the cascade, while they can still be read; the check-ins' own trigger then skips them).
create function private.rollup_workshop_attendances() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if tg_op = 'DELETE' then
    perform private.rollup_participation((
      select jsonb_agg(jsonb_build_object('territory_id', old.territory_id, 'citizen_id', a.citizen_id,
        'month', private.workshop_month(old.starts_at), 'd', -1))
      from public.attendances a where a.workshop_id = old.id));
    return old;
  end if;
  perform private.rollup_participation((
    select jsonb_agg(x) from (
      select jsonb_build_object('territory_id', old.territory_id, 'citizen_id', a.citizen_id,
        'month', private.workshop_month(old.starts_at), 'd', -1) as x
      from public.attendances a where a.workshop_id = new.id
      union all
      select jsonb_build_object('territory_id', new.territory_id, 'citizen_id', a.citizen_id,
        'month', private.workshop_month(new.starts_at), 'd', 1)
      from public.attendances a where a.workshop_id = new.id) s));
  return null;
end
$$;

create function private.rollup_attendances() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_deltas jsonb;
begin
  execute format($q$
    with x as (%s)
    select jsonb_agg(jsonb_build_object('territory_id', w.territory_id, 'citizen_id', x.citizen_id,
      'month', private.workshop_month(w.starts_at), 'd', x.d))
    from x join public.workshops w on w.id = x.workshop_id
  $q$, private.signed_rows(tg_op)) into v_deltas;
  perform private.rollup_participation(v_deltas);
  return null;
end
$$;

create trigger citizens_rollup_insert after insert on public.citizens
  referencing new table as new_rows for each statement execute function private.rollup_citizens();
create trigger citizens_rollup_update after update on public.citizens
  referencing old table as old_rows new table as new_rows for each statement execute function private.rollup_citizens();
create trigger citizens_rollup_delete after delete on public.citizens
  referencing old table as old_rows for each statement execute function private.rollup_citizens();

create trigger lieux_rollup_insert after insert on public.lieux
  referencing new table as new_rows for each statement execute function private.rollup_lieux();
create trigger lieux_rollup_update after update on public.lieux
  referencing old table as old_rows new table as new_rows for each statement execute function private.rollup_lieux();
create trigger lieux_rollup_delete after delete on public.lieux
  referencing old table as old_rows for each statement execute function private.rollup_lieux();

create trigger workshops_rollup_insert after insert on public.workshops
  referencing new table as new_rows for each statement execute function private.rollup_workshops();
create trigger workshops_rollup_update after update on public.workshops
  referencing old table as old_rows new table as new_rows for each statement execute function private.rollup_workshops();
create trigger workshops_rollup_delete after delete on public.workshops
  referencing old table as old_rows for each statement execute function private.rollup_workshops();
create trigger workshops_rollup_moved after update of starts_at, territory_id on public.workshops
  for each row when (date_trunc('month', old.starts_at at time zone 'Europe/Paris')
                       <> date_trunc('month', new.starts_at at time zone 'Europe/Paris')
                     or old.territory_id <> new.territory_id)
  execute function private.rollup_workshop_attendances();
create trigger workshops_rollup_deleted before delete on public.workshops
  for each row execute function private.rollup_workshop_attendances();

create trigger attendances_rollup_insert after insert on public.attendances
  referencing new table as new_rows for each statement execute function private.rollup_attendances();
create trigger attendances_rollup_update after update on public.attendances
  referencing old table as old_rows new table as new_rows for each statement execute function private.rollup_attendances();
create trigger attendances_rollup_delete after delete on public.attendances
  referencing old table as old_rows for each statement execute function private.rollup_attendances();

-- ============ backfill (databases that already hold data) ============
-- Recomputes every rollup from the raw rows. Owner only: migrations and maintenance.
create function private.rollup_rebuild() returns void
language plpgsql security definer set search_path = ''
as $$
begin
  delete from private.territory_months;
  delete from private.territory_month_citizens;
  delete from private.territory_days;
  delete from private.participant_months;
  insert into private.territory_month_citizens (territory_id, month, source, age_band, citizens)
  select territory_id, date_trunc('month', enrolled_at)::date, source, age_band, count(*)
  from public.citizens where status = 'active' group by 1, 2, 3, 4;
  insert into private.territory_days (territory_id, day, citizens, lieux)
  select territory_id, day, sum(c), sum(l) from (
    select territory_id, enrolled_at as day, 1 as c, 0 as l from public.citizens where status = 'active'
    union all select territory_id, enrolled_at, 0, 1 from public.lieux where status = 'active') s
  group by 1, 2;
  insert into private.participant_months (citizen_id, month, territory_id, n)
  select a.citizen_id, private.workshop_month(w.starts_at), w.territory_id, count(*)
  from public.attendances a join public.workshops w on w.id = a.workshop_id group by 1, 2, 3;
  insert into private.territory_months (territory_id, month, citizens, societaires, lieux,
    workshops_held, participations, participants, new_participants)
  select territory_id, month, sum(citizens), sum(societaires), sum(lieux), sum(held), sum(parts),
         sum(people), sum(firsts)
  from (
    select territory_id, date_trunc('month', enrolled_at)::date as month, 1 as citizens,
           is_societaire::int as societaires, 0 as lieux, 0 as held, 0 as parts, 0 as people, 0 as firsts
    from public.citizens where status = 'active'
    union all select territory_id, date_trunc('month', enrolled_at)::date, 0, 0, 1, 0, 0, 0, 0
    from public.lieux where status = 'active'
    union all select territory_id, private.workshop_month(starts_at), 0, 0, 0, 1, 0, 0, 0
    from public.workshops where status = 'held'
    union all select territory_id, month, 0, 0, 0, 0, n, 1, 0 from private.participant_months
    union all select territory_id, min(month), 0, 0, 0, 0, 0, 0, 1 from private.participant_months
    group by citizen_id, territory_id
  ) s group by 1, 2;
end
$$;
select private.rollup_rebuild();

-- ============ aggregate functions, re-implemented on the rollups (same signatures, same results) ============
create or replace function public.territory_figures(p_today date default current_date, p_territory_id uuid default null)
returns table (
  territory_id uuid, slug text, name text, region text, departement text,
  carrier_kind public.carrier_kind, status public.territory_status, start_date date,
  citizen_threshold integer, lieu_threshold integer, citizens integer, citizens_in_pace_window integer,
  societaires integer, lieux integer, lieux_in_pace_window integer, milestones integer,
  milestones_done integer, milestones_late integer, workshops_held integer, last_change_on date
)
language sql stable security definer set search_path = ''
as $$
  with visible as (
    select t.*, coalesce(t.start_date, c.start_date) as effective_start,
           c.citizen_threshold, c.lieu_threshold
    from public.territories t
    join public.cohorts c on c.id = t.cohort_id
    where ((select private.app_role()) in ('admin', 'facilitator', 'funder')
           or t.id = any ((select private.my_territory_ids())::uuid[]))
      and (p_territory_id is null or t.id = p_territory_id)
  ),
  months as (
    select tm.territory_id, sum(tm.citizens)::int as citizens, sum(tm.societaires)::int as societaires,
           sum(tm.lieux)::int as lieux, sum(tm.workshops_held)::int as held
    from private.territory_months tm
    where tm.territory_id in (select id from visible)
    group by tm.territory_id
  ),
  recent as (
    select td.territory_id, sum(td.citizens)::int as citizens, sum(td.lieux)::int as lieux
    from private.territory_days td
    join visible v on v.id = td.territory_id
    where td.day between greatest(p_today - 89, v.effective_start) and p_today
    group by td.territory_id
  ),
  ms as (
    select m.territory_id,
           count(*)::int as n,
           count(*) filter (where m.status = 'done')::int as done,
           count(*) filter (where m.status <> 'done' and m.due_date < p_today)::int as late
    from public.milestones m
    where m.territory_id in (select id from visible)
    group by m.territory_id
  )
  select v.id, v.slug, v.name, v.region, v.departement, v.carrier_kind, v.status,
         v.effective_start, v.citizen_threshold, v.lieu_threshold,
         coalesce(months.citizens, 0), coalesce(recent.citizens, 0), coalesce(months.societaires, 0),
         coalesce(months.lieux, 0), coalesce(recent.lieux, 0),
         coalesce(ms.n, 0), coalesce(ms.done, 0), coalesce(ms.late, 0),
         coalesce(months.held, 0),
         -- one index probe per territory (audit_events_territory_at_idx), not a scan of the history
         ((select max(a.at) from public.audit_events a where a.territory_id = v.id) at time zone 'Europe/Paris')::date
  from visible v
  left join months on months.territory_id = v.id
  left join recent on recent.territory_id = v.id
  left join ms on ms.territory_id = v.id
  order by v.name
$$;

create or replace function private.program_totals()
returns table (
  territories integer, citizens integer, societaires integer, lieux integer, workshops_held integer,
  attendances integer, territories_citizens_met integer, territories_lieux_met integer,
  citizen_threshold integer, lieu_threshold integer, societaire_target integer
)
language sql stable security definer set search_path = ''
as $$
  with cohort as (
    select * from public.cohorts order by start_date desc, created_at desc limit 1
  ),
  per_territory as (
    select t.id,
           coalesce(sum(tm.citizens), 0) as citizens, coalesce(sum(tm.societaires), 0) as societaires,
           coalesce(sum(tm.lieux), 0) as lieux, coalesce(sum(tm.workshops_held), 0) as held,
           coalesce(sum(tm.participations), 0) as participations
    from public.territories t
    left join private.territory_months tm on tm.territory_id = t.id
    where t.cohort_id = (select id from cohort)
    group by t.id
  )
  select
    (select count(*) from per_territory)::int,
    (select coalesce(sum(citizens), 0) from per_territory)::int,
    (select coalesce(sum(societaires), 0) from per_territory)::int,
    (select coalesce(sum(lieux), 0) from per_territory)::int,
    (select coalesce(sum(held), 0) from per_territory)::int,
    (select coalesce(sum(participations), 0) from per_territory)::int,
    (select count(*) from per_territory, cohort where citizens >= cohort.citizen_threshold)::int,
    (select count(*) from per_territory, cohort where lieux >= cohort.lieu_threshold)::int,
    cohort.citizen_threshold, cohort.lieu_threshold, cohort.societaire_target
  from cohort
$$;

-- ============ grants ============
revoke execute on function private.workshop_month(timestamptz), private.signed_rows(text),
  private.rollup_participation(jsonb), private.rollup_citizens(), private.rollup_lieux(),
  private.rollup_workshops(), private.rollup_workshop_attendances(), private.rollup_attendances(),
  private.rollup_rebuild() from public;
