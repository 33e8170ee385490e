-- The cockpit's comparison by program month (/pilotage/comparaison, issue #8 point 2): for a page
-- of territories, their per-calendar-month enrolments from the per-territory × month rollups,
-- and the values entered for one indicator of the catalog. One statement for the whole page,
-- whatever the number of territories or citizens: it reads the rollups (one row per territory ×
-- month), never the citizens. The app aligns the months on each territory's program month and
-- accumulates them (src/lib/domain/comparison.ts).
--
-- Staff only (admins and facilitators): the rollups are private, and the comparison names every
-- territory, which coordinators and funders may not see side by side (DOMAIN.md). Anyone else
-- gets no row; anon may not call it.

-- ============ functions ============
-- p_territory_ids: the page's territories (others of the current cohort are ignored);
-- p_indicator_id: the compared indicator, or null (enrolments only).
-- Returns one row per territory × calendar month (first day) that has enrolments or a value,
-- up to the territory's last program month: citizens and lieux enrolled that month (still
-- active), and the indicator's value for that month (null: none entered).
create function public.comparison_months(p_territory_ids uuid[], p_indicator_id uuid default null)
returns table (territory_id uuid, month date, citizens integer, lieux integer, value numeric)
language sql stable security definer set search_path = ''
as $$
  with co as (select (private.current_cohort()).*),
  ts as (
    select t.id,
           (date_trunc('month', coalesce(t.start_date, co.start_date))
             + make_interval(months => co.duration_months))::date as program_end
    from public.territories t, co
    where t.cohort_id = co.id and t.id = any (p_territory_ids) and (select private.is_staff())
  ),
  enrolments as (
    select tm.territory_id, tm.month, tm.citizens, tm.lieux
    from private.territory_months tm join ts on ts.id = tm.territory_id
    where tm.month < ts.program_end and (tm.citizens <> 0 or tm.lieux <> 0)
  ),
  vals as (
    select v.territory_id, v.month, v.value
    from public.indicator_values v join ts on ts.id = v.territory_id
    where v.indicator_id = p_indicator_id and v.month < ts.program_end
  )
  select coalesce(e.territory_id, v.territory_id), coalesce(e.month, v.month),
         coalesce(e.citizens, 0), coalesce(e.lieux, 0), v.value
  from enrolments e
  full join vals v on v.territory_id = e.territory_id and v.month = e.month
  order by 1, 2
$$;

-- ============ grants ============
revoke execute on function public.comparison_months(uuid[], uuid) from public;
grant execute on function public.comparison_months(uuid[], uuid) to authenticated;
