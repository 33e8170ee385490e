-- Per-territory figures read each visible territory's own rollup rows by index (LATERAL), instead
-- of scanning the rollups and milestones of the whole program and keeping the visible ones: a
-- territory's home then costs the same with 18 or 180 territories (issue #10, p50 at scale 10).
-- Same rule and same results as 20261129170100 (checked row for row at both scales), in PL/pgSQL
-- so that its plan is kept (20261129190200) — but for one: the last change of a territory (days
-- without update, the cockpit's freshness) is the last change made by one of its members; a
-- template applied by the facilitation to every territory no longer makes them all look fresh.

-- It also gives the cohort's program length and phases with each territory (`program_months`,
-- `phases`): the pages derived month k/18 and the phases from constants, so a cohort configured
-- for 24 months or other phases was shown as 18 months on some pages (attack of issue #8).
-- The result gains two columns: the function is dropped and created again, with its grants.

-- ============ per-territory figures ============
drop function public.territory_figures(date, uuid);
create function public.territory_figures(p_today date default current_date, p_territory_id uuid default null)
returns table (
  territory_id uuid, slug text, name text, region text, departement text,
  carrier_kind public.carrier_kind, status public.territory_status, start_date date,
  citizen_threshold integer, lieu_threshold integer, citizens integer, citizens_in_pace_window integer,
  societaires integer, lieux integer, lieux_in_pace_window integer, milestones integer,
  milestones_done integer, milestones_late integer, workshops_held integer, last_change_on date,
  program_months integer, phases jsonb
)
language plpgsql stable security definer set search_path = ''
as $$
#variable_conflict use_column
begin
  return query
  with visible as (
    select t.*, coalesce(t.start_date, c.start_date) as effective_start,
           c.citizen_threshold, c.lieu_threshold, c.duration_months::int as program_months, c.phases as cohort_phases
    from public.territories t
    join public.cohorts c on c.id = t.cohort_id
    where ((select private.app_role()) in ('admin', 'facilitator', 'funder')
           or t.id = any ((select private.my_territory_ids())::uuid[]))
      and (p_territory_id is null or t.id = p_territory_id)
  )
  select v.id, v.slug, v.name, v.region, v.departement, v.carrier_kind, v.status,
         v.effective_start, v.citizen_threshold, v.lieu_threshold,
         coalesce(months.citizens, 0), coalesce(recent.citizens, 0), coalesce(months.societaires, 0),
         coalesce(months.lieux, 0), coalesce(recent.lieux, 0),
         coalesce(ms.n, 0), coalesce(ms.done, 0), coalesce(ms.late, 0),
         coalesce(months.held, 0),
         -- the territory's own activity: changes made by its members (a facilitator applying a
         -- milestone template to every territory is not news from the territory)
         ((select max(a.at) from public.audit_events a
           where a.territory_id = v.id
             and exists (select from public.territory_members tm where tm.territory_id = v.id and tm.user_id = a.actor_id))
          at time zone 'Europe/Paris')::date,
         v.program_months, v.cohort_phases
  from visible v
  -- each visible territory's own rows, by index: the cost follows the territories asked for,
  -- not the size of the whole program
  cross join lateral (
    select sum(tm.citizens)::int as citizens, sum(tm.societaires)::int as societaires,
           sum(tm.lieux)::int as lieux, sum(tm.workshops_held)::int as held
    from private.territory_months tm where tm.territory_id = v.id
  ) months
  cross join lateral (
    select sum(td.citizens)::int as citizens, sum(td.lieux)::int as lieux
    from private.territory_days td
    where td.territory_id = v.id and td.day between greatest(p_today - 89, v.effective_start) and p_today
  ) recent
  cross join lateral (
    select count(*)::int as n,
           count(*) filter (where m.status = 'done')::int as done,
           count(*) filter (where private.is_late(m.due_date, m.status, p_today))::int as late
    from public.milestones m where m.territory_id = v.id
  ) ms
  order by v.name;
end
$$;

-- ============ grants (as before: signed-in users only) ============
revoke execute on function public.territory_figures(date, uuid) from public, anon;
grant execute on function public.territory_figures(date, uuid) to authenticated;
