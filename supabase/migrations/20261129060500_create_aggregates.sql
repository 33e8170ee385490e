-- Aggregates: the only way funders and the public see figures built from personal data.
-- Security definer functions that return counts, never rows; each decides who may call it.

-- ============ per-territory figures ============
-- Staff and funders: every territory. Coordinators: their own. Others: nothing.
-- With p_territory_id, only that territory is counted (a territory's own page).
create function public.territory_figures(p_today date default current_date, p_territory_id uuid default null)
returns table (
  territory_id uuid,
  slug text,
  name text,
  region text,
  departement text,
  carrier_kind public.carrier_kind,
  status public.territory_status,
  start_date date,
  citizen_threshold integer,
  lieu_threshold integer,
  citizens integer,
  citizens_in_pace_window integer,
  societaires integer,
  lieux integer,
  lieux_in_pace_window integer,
  milestones integer,
  milestones_done integer,
  milestones_late integer,
  workshops_held integer,
  -- the day (Paris time) of the last recorded change: data freshness
  last_change_on date
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
  cit as (
    select c.territory_id,
           count(*)::int as n,
           count(*) filter (where c.enrolled_at between greatest(p_today - 89, v.effective_start) and p_today)::int as recent,
           count(*) filter (where c.is_societaire)::int as societaires
    from public.citizens c
    join visible v on v.id = c.territory_id
    where c.status = 'active'
    group by c.territory_id
  ),
  lx as (
    select l.territory_id,
           count(*)::int as n,
           count(*) filter (where l.enrolled_at between greatest(p_today - 89, v.effective_start) and p_today)::int as recent
    from public.lieux l
    join visible v on v.id = l.territory_id
    where l.status = 'active'
    group by l.territory_id
  ),
  ms as (
    select m.territory_id,
           count(*)::int as n,
           count(*) filter (where m.status = 'done')::int as done,
           count(*) filter (where m.status <> 'done' and m.due_date < p_today)::int as late
    from public.milestones m
    where m.territory_id in (select id from visible)
    group by m.territory_id
  ),
  ws as (
    select w.territory_id, count(*)::int as held
    from public.workshops w
    where w.status = 'held' and w.territory_id in (select id from visible)
    group by w.territory_id
  ),
  au as (
    select a.territory_id, max(a.at) as last_at
    from public.audit_events a
    where a.territory_id in (select id from visible)
    group by a.territory_id
  )
  select v.id, v.slug, v.name, v.region, v.departement, v.carrier_kind, v.status,
         v.effective_start, v.citizen_threshold, v.lieu_threshold,
         coalesce(cit.n, 0), coalesce(cit.recent, 0), coalesce(cit.societaires, 0),
         coalesce(lx.n, 0), coalesce(lx.recent, 0),
         coalesce(ms.n, 0), coalesce(ms.done, 0), coalesce(ms.late, 0),
         coalesce(ws.held, 0), (au.last_at at time zone 'Europe/Paris')::date
  from visible v
  left join cit on cit.territory_id = v.id
  left join lx on lx.territory_id = v.id
  left join ms on ms.territory_id = v.id
  left join ws on ws.territory_id = v.id
  left join au on au.territory_id = v.id
  order by v.name
$$;

-- ============ program totals ============
create function private.program_totals()
returns table (
  territories integer,
  citizens integer,
  societaires integer,
  lieux integer,
  workshops_held integer,
  attendances integer,
  territories_citizens_met integer,
  territories_lieux_met integer,
  citizen_threshold integer,
  lieu_threshold integer,
  societaire_target integer
)
language sql stable security definer set search_path = ''
as $$
  with cohort as (
    select * from public.cohorts order by start_date desc, created_at desc limit 1
  ),
  per_territory as (
    select t.id,
           (select count(*) from public.citizens c where c.territory_id = t.id and c.status = 'active') as citizens,
           (select count(*) from public.lieux l where l.territory_id = t.id and l.status = 'active') as lieux
    from public.territories t
    where t.cohort_id = (select id from cohort)
  )
  select
    (select count(*) from per_territory)::int,
    (select coalesce(sum(citizens), 0) from per_territory)::int,
    (select count(*) from public.citizens c join per_territory p on p.id = c.territory_id
      where c.status = 'active' and c.is_societaire)::int,
    (select coalesce(sum(lieux), 0) from per_territory)::int,
    (select count(*) from public.workshops w join per_territory p on p.id = w.territory_id
      where w.status = 'held')::int,
    (select count(*) from public.attendances a join per_territory p on p.id = a.territory_id)::int,
    (select count(*) from per_territory, cohort where citizens >= cohort.citizen_threshold)::int,
    (select count(*) from per_territory, cohort where lieux >= cohort.lieu_threshold)::int,
    cohort.citizen_threshold, cohort.lieu_threshold, cohort.societaire_target
  from cohort
$$;

-- Every signed-in user with a role sees the program totals (coordinators: as anonymous aggregates).
create function public.program_totals()
returns table (
  territories integer, citizens integer, societaires integer, lieux integer,
  workshops_held integer, attendances integer, territories_citizens_met integer,
  territories_lieux_met integer, citizen_threshold integer, lieu_threshold integer,
  societaire_target integer
)
language sql stable security definer set search_path = ''
as $$
  select * from private.program_totals() where (select private.app_role()) is not null
$$;

-- The public transparency page: the same totals, only once facilitators publish them.
create function public.public_program_totals()
returns table (
  territories integer, citizens integer, societaires integer, lieux integer,
  workshops_held integer, attendances integer, territories_citizens_met integer,
  territories_lieux_met integer, citizen_threshold integer, lieu_threshold integer,
  societaire_target integer
)
language sql stable security definer set search_path = ''
as $$
  select * from private.program_totals()
  where (select c.transparency_published from public.cohorts c
         order by c.start_date desc, c.created_at desc limit 1)
$$;

-- ============ grants ============
revoke execute on function public.territory_figures(date, uuid), private.program_totals(),
  public.program_totals(), public.public_program_totals() from public;
grant execute on function public.territory_figures(date, uuid), public.program_totals() to authenticated;
grant execute on function public.public_program_totals() to anon, authenticated;
