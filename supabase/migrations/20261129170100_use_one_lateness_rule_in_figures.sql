-- One definition of « late » (issue #6): the per-territory figures count late milestones with
-- private.is_late, the same rule as the milestone lists and the home page (and isLate in src/lib/domain/forecast.ts).
-- The body is otherwise the one of 20261129150000 (figures read from the rollups).

-- ============ per-territory figures ============
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
           count(*) filter (where private.is_late(m.due_date, m.status, p_today))::int as late
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
