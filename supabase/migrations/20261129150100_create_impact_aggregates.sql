-- Funder impact aggregates: the only database objects the funder dashboard, its open data and
-- its printable report read. Security definer functions over the per-territory × month rollups
-- and the indicator values (already one row per territory × month): their cost does not depend
-- on the number of citizens. They return counts, never a row of personal data, and every count of
-- people in a cell finer than the whole program is returned as null when it is between 1 and the
-- cohort's small-count threshold minus one (primary suppression, « < 11 »). Secondary
-- suppression (so that a hidden cell cannot be recomputed from totals) is done by the app's one
-- pure function (src/lib/domain/suppression.ts), which the page, the exports and the public page share.
--
-- Periods are whole calendar months: p_from and p_to are first days of months, both included.
-- Callers: admins, facilitators, funders (coordinators: `territory_standing` only). Others: no row.

-- ============ columns ============
-- The small-count threshold: 11, the French tax administration's rule for individuals
-- (« secret statistique » for counts of people), configurable per cohort.
alter table public.cohorts
  add column small_count_threshold smallint not null default 11 check (small_count_threshold between 2 and 1000);

-- ============ helpers ============
-- A count of people as it may be shown: null when 0 < n < threshold.
create function private.small_count(p_n numeric, p_threshold integer) returns integer
language sql immutable set search_path = ''
as $$ select case when p_n > 0 and p_n < p_threshold then null else p_n::int end $$;

-- The current cohort (the latest started), as every aggregate uses it.
create function private.current_cohort() returns public.cohorts
language sql stable security definer set search_path = ''
as $$ select c from public.cohorts c order by c.start_date desc, c.created_at desc limit 1 $$;

-- May this user read the program's impact aggregates?
create function private.may_read_impact() returns boolean
language sql stable security definer set search_path = ''
as $$ select coalesce((select private.app_role()) in ('admin', 'facilitator', 'funder'), false) $$;

-- ============ per territory over a period ============
-- citizens, societaires, lieux, participants: cumulated from the start up to the end of the period
-- (active ones, by enrolment month; participants: citizens checked in at least once);
-- *_new, workshops_held, participations: during the period.
create function public.impact_territories(p_from date, p_to date)
returns table (
  territory_id uuid, slug text, name text, region text, start_date date,
  citizens integer, citizens_new integer, societaires integer, lieux integer, lieux_new integer,
  workshops_held integer, participations integer, participants integer, participants_new integer
)
language sql stable security definer set search_path = ''
as $$
  with co as (select (private.current_cohort()).*),
  ts as (
    select t.id, t.slug, t.name, t.region, coalesce(t.start_date, co.start_date) as start_date
    from public.territories t, co
    where t.cohort_id = co.id and (select private.may_read_impact())
  ),
  sums as (
    select tm.territory_id,
      sum(tm.citizens) as citizens,
      sum(tm.citizens) filter (where tm.month >= p_from) as citizens_new,
      sum(tm.societaires) as societaires,
      sum(tm.lieux) as lieux,
      sum(tm.lieux) filter (where tm.month >= p_from) as lieux_new,
      sum(tm.workshops_held) filter (where tm.month >= p_from) as held,
      sum(tm.participations) filter (where tm.month >= p_from) as participations,
      sum(tm.new_participants) as participants,
      sum(tm.new_participants) filter (where tm.month >= p_from) as participants_new
    from private.territory_months tm
    where tm.territory_id in (select id from ts) and tm.month <= p_to
    group by tm.territory_id
  )
  select ts.id, ts.slug, ts.name, ts.region, ts.start_date,
    private.small_count(coalesce(s.citizens, 0), co.small_count_threshold),
    private.small_count(coalesce(s.citizens_new, 0), co.small_count_threshold),
    private.small_count(coalesce(s.societaires, 0), co.small_count_threshold),
    coalesce(s.lieux, 0)::int, coalesce(s.lieux_new, 0)::int, coalesce(s.held, 0)::int,
    private.small_count(coalesce(s.participations, 0), co.small_count_threshold),
    private.small_count(coalesce(s.participants, 0), co.small_count_threshold),
    private.small_count(coalesce(s.participants_new, 0), co.small_count_threshold)
  from ts cross join co left join sums s on s.territory_id = ts.id
  order by ts.name
$$;

-- ============ program totals over a period ============
-- The same measures summed over every territory, plus how many territories met each threshold
-- by the end of the period, and the cohort's targets and threshold.
create function public.impact_totals(p_from date, p_to date)
returns table (
  territories integer, citizens integer, citizens_new integer, societaires integer, lieux integer,
  lieux_new integer, workshops_held integer, participations integer, participants integer,
  participants_new integer, territories_citizens_met integer, territories_lieux_met integer,
  citizen_threshold integer, lieu_threshold integer, societaire_target integer, small_count_threshold integer,
  cohort_start date, cohort_months integer
)
language sql stable security definer set search_path = ''
as $$
  with co as (select (private.current_cohort()).*),
  per as (
    select t.id,
      coalesce(sum(tm.citizens), 0) as citizens,
      coalesce(sum(tm.citizens) filter (where tm.month >= p_from), 0) as citizens_new,
      coalesce(sum(tm.societaires), 0) as societaires,
      coalesce(sum(tm.lieux), 0) as lieux,
      coalesce(sum(tm.lieux) filter (where tm.month >= p_from), 0) as lieux_new,
      coalesce(sum(tm.workshops_held) filter (where tm.month >= p_from), 0) as held,
      coalesce(sum(tm.participations) filter (where tm.month >= p_from), 0) as participations,
      coalesce(sum(tm.new_participants), 0) as participants,
      coalesce(sum(tm.new_participants) filter (where tm.month >= p_from), 0) as participants_new
    from public.territories t
    cross join co
    left join private.territory_months tm on tm.territory_id = t.id and tm.month <= p_to
    where t.cohort_id = co.id
    group by t.id
  )
  select (select count(*) from per)::int,
    private.small_count((select sum(citizens) from per), co.small_count_threshold),
    private.small_count((select sum(citizens_new) from per), co.small_count_threshold),
    private.small_count((select sum(societaires) from per), co.small_count_threshold),
    (select sum(lieux) from per)::int, (select sum(lieux_new) from per)::int,
    (select sum(held) from per)::int,
    private.small_count((select sum(participations) from per), co.small_count_threshold),
    private.small_count((select sum(participants) from per), co.small_count_threshold),
    private.small_count((select sum(participants_new) from per), co.small_count_threshold),
    (select count(*) from per where citizens >= co.citizen_threshold)::int,
    (select count(*) from per where lieux >= co.lieu_threshold)::int,
    co.citizen_threshold, co.lieu_threshold, co.societaire_target, co.small_count_threshold::int,
    co.start_date, co.duration_months::int
  from co
  where (select private.may_read_impact())
$$;

-- ============ trends ============
-- Per calendar month of the period (p_by = 'calendar'), or per program month 1…N (p_by =
-- 'program': a territory's month k is the k-th calendar month from the month it starts), summed
-- over the territories. Flows only (a monthly cumulative would let a hidden month be recomputed
-- from two published ones).
create function public.impact_trend(p_from date, p_to date, p_by text default 'calendar')
returns table (
  period integer, month date, citizens_new integer, societaires_new integer, lieux_new integer,
  workshops_held integer, participations integer, participants integer, participants_new integer,
  territories integer
)
language sql stable security definer set search_path = ''
as $$
  with co as (select (private.current_cohort()).*),
  ts as (
    select t.id, date_trunc('month', coalesce(t.start_date, co.start_date))::date as start_month
    from public.territories t, co
    where t.cohort_id = co.id and (select private.may_read_impact()) and p_by in ('calendar', 'program')
  ),
  monthly as (
    select tm.*, ts.start_month,
      ((extract(year from tm.month) - extract(year from ts.start_month)) * 12
        + extract(month from tm.month) - extract(month from ts.start_month) + 1)::int as program_month
    from private.territory_months tm join ts on ts.id = tm.territory_id
    where tm.month between p_from and p_to
  ),
  keyed as (
    select case when p_by = 'program' then program_month
                else ((extract(year from month) - extract(year from p_from)) * 12
                      + extract(month from month) - extract(month from p_from) + 1)::int end as period,
           monthly.*
    from monthly
    where p_by = 'calendar' or program_month between 1 and (select duration_months from co)
  ),
  series as (
    select g.k as period,
           case when p_by = 'program' then null else (p_from + make_interval(months => g.k - 1))::date end as month
    from generate_series(1, case when p_by = 'program' then (select duration_months from co)
      else ((extract(year from p_to) - extract(year from p_from)) * 12
            + extract(month from p_to) - extract(month from p_from) + 1)::int end) as g(k)
    where exists (select 1 from ts)
  )
  select s.period, s.month,
    private.small_count(coalesce(sum(k.citizens), 0), co.small_count_threshold),
    private.small_count(coalesce(sum(k.societaires), 0), co.small_count_threshold),
    coalesce(sum(k.lieux), 0)::int,
    coalesce(sum(k.workshops_held), 0)::int,
    private.small_count(coalesce(sum(k.participations), 0), co.small_count_threshold),
    private.small_count(coalesce(sum(k.participants), 0), co.small_count_threshold),
    private.small_count(coalesce(sum(k.new_participants), 0), co.small_count_threshold),
    count(distinct k.territory_id)::int
  from series s cross join co left join keyed k on k.period = s.period
  group by s.period, s.month, co.small_count_threshold
  order by s.period
$$;

-- ============ breakdown of citizens enrolled during the period ============
-- p_dimension: 'source' or 'age_band'. One row per territory × category (territory_id set), and
-- one per category for the whole program (territory_id null). Active citizens only.
create function public.impact_breakdown(p_from date, p_to date, p_dimension text)
returns table (territory_id uuid, category text, citizens integer)
language sql stable security definer set search_path = ''
as $$
  with co as (select (private.current_cohort()).*),
  ts as (
    select t.id from public.territories t, co
    where t.cohort_id = co.id and (select private.may_read_impact()) and p_dimension in ('source', 'age_band')
  ),
  cats as (
    select unnest(case when p_dimension = 'source' then enum_range(null::public.citizen_source)::text[]
                       else enum_range(null::public.age_band)::text[] end) as category
  ),
  cells as (
    select c.territory_id, case when p_dimension = 'source' then c.source::text else c.age_band::text end as category,
           sum(c.citizens) as n
    from private.territory_month_citizens c
    where c.territory_id in (select id from ts) and c.month between p_from and p_to
    group by 1, 2
  ),
  grid as (
    select ts.id as territory_id, cats.category, coalesce(cells.n, 0) as n
    from ts cross join cats left join cells on cells.territory_id = ts.id and cells.category = cats.category
  )
  select g.territory_id, g.category, private.small_count(sum(g.n), co.small_count_threshold)
  from grid g cross join co
  group by grouping sets ((g.territory_id, g.category), (g.category)), co.small_count_threshold
  order by g.territory_id nulls last, g.category
$$;

-- ============ indicators, aggregated by their declared rules ============
-- Per territory, over the months of the period that have a value: sum ('sum'), the value of the
-- latest month ('last') or the mean ('average'). Then across the territories that reported:
-- sum or mean. Target: each territory's target (or the indicator's default) combined across
-- territories by the same rule; null when none is set. Values are declared aggregates, not counts
-- of personal rows, and are shown as entered.
create function public.impact_indicators(p_from date, p_to date)
returns table (
  indicator_id uuid, law smallint, law_name text, code text, name_fr text, unit text,
  kind public.indicator_kind, higher_is_better boolean,
  aggregation_over_time public.aggregation_over_time, aggregation_across public.aggregation_across,
  baseline numeric, target numeric, actual numeric, territories_reported integer, territories_total integer,
  sort_order smallint
)
language sql stable security definer set search_path = ''
as $$
  with co as (select (private.current_cohort()).*),
  ts as (
    select t.id from public.territories t, co where t.cohort_id = co.id and (select private.may_read_impact())
  ),
  ind as (
    select i.* from public.indicators i, co where i.cohort_id = co.id and i.active
  ),
  per_territory as (
    select v.indicator_id, v.territory_id,
      case ind.aggregation_over_time
        when 'sum' then sum(v.value)
        when 'average' then avg(v.value)
        else (array_agg(v.value order by v.month desc))[1] end as value
    from public.indicator_values v
    join ind on ind.id = v.indicator_id
    where v.territory_id in (select id from ts) and v.month between p_from and p_to
    group by v.indicator_id, v.territory_id, ind.aggregation_over_time
  ),
  targets as (
    select ind.id as indicator_id,
      case ind.aggregation_across when 'sum' then sum(coalesce(tg.target, ind.default_target))
        else avg(coalesce(tg.target, ind.default_target)) end as target
    from ind cross join ts
    left join public.indicator_targets tg on tg.indicator_id = ind.id and tg.territory_id = ts.id
    group by ind.id, ind.aggregation_across
  )
  select ind.id, ind.law, l.name_fr, ind.code, ind.name_fr, ind.unit, ind.kind, ind.higher_is_better,
    ind.aggregation_over_time, ind.aggregation_across, ind.baseline, targets.target,
    case ind.aggregation_across when 'sum' then sum(p.value) else avg(p.value) end,
    count(p.territory_id)::int, (select count(*) from ts)::int, ind.sort_order
  from ind
  join public.laws l on l.id = ind.law
  left join targets on targets.indicator_id = ind.id
  left join per_territory p on p.indicator_id = ind.id
  where exists (select 1 from ts)
  group by ind.id, ind.law, l.name_fr, ind.code, ind.name_fr, ind.unit, ind.kind, ind.higher_is_better,
    ind.aggregation_over_time, ind.aggregation_across, ind.baseline, targets.target, ind.sort_order
  order by ind.law, ind.sort_order, ind.code
$$;

-- ============ where a territory stands (its coordinators, and staff) ============
-- For the territory's current program month k (on p_today): its own cumulative figures, and the
-- first quartile, median and third quartile of the same figures over every territory of the
-- cohort that has reached month k, each taken at the end of its own month k. No territory is named.
create function public.territory_standing(p_territory_id uuid, p_today date default current_date)
returns table (
  program_month integer, measure text, own integer, q1 numeric, median numeric, q3 numeric, territories integer
)
language sql stable security definer set search_path = ''
as $$
  with co as (select (private.current_cohort()).*),
  ts as (
    select t.id, date_trunc('month', coalesce(t.start_date, co.start_date))::date as start_month
    from public.territories t, co where t.cohort_id = co.id
  ),
  me as (
    select ts.*, least(co.duration_months::int,
      ((extract(year from p_today) - extract(year from ts.start_month)) * 12
        + extract(month from p_today) - extract(month from ts.start_month) + 1)::int) as k
    from ts, co
    where ts.id = p_territory_id and (select private.can_access_territory(p_territory_id))
  ),
  reached as (
    select ts.id, (ts.start_month + make_interval(months => me.k - 1))::date as upto
    from ts, me
    where (ts.start_month + make_interval(months => me.k - 1))::date <= date_trunc('month', p_today)::date
       or ts.id = me.id
  ),
  cumul as (
    select r.id,
      coalesce(sum(tm.citizens), 0)::int as citizens, coalesce(sum(tm.societaires), 0)::int as societaires,
      coalesce(sum(tm.lieux), 0)::int as lieux, coalesce(sum(tm.workshops_held), 0)::int as workshops_held,
      coalesce(sum(tm.new_participants), 0)::int as participants
    from reached r left join private.territory_months tm on tm.territory_id = r.id and tm.month <= r.upto
    group by r.id
  ),
  long as (
    select c.id, m.measure, m.value
    from cumul c cross join lateral (values ('citizens', c.citizens), ('societaires', c.societaires),
      ('lieux', c.lieux), ('workshops_held', c.workshops_held), ('participants', c.participants)) as m(measure, value)
  )
  select me.k, l.measure,
    max(l.value) filter (where l.id = me.id),
    percentile_cont(0.25) within group (order by l.value)::numeric,
    percentile_cont(0.5) within group (order by l.value)::numeric,
    percentile_cont(0.75) within group (order by l.value)::numeric,
    count(*)::int
  from long l cross join me
  group by me.k, l.measure
  order by array_position(array['citizens', 'lieux', 'societaires', 'workshops_held', 'participants'], l.measure)
$$;

-- ============ grants ============
revoke execute on function private.small_count(numeric, integer), private.current_cohort(),
  private.may_read_impact(), public.impact_territories(date, date), public.impact_totals(date, date),
  public.impact_trend(date, date, text), public.impact_breakdown(date, date, text),
  public.impact_indicators(date, date), public.territory_standing(uuid, date) from public;
grant execute on function public.impact_territories(date, date), public.impact_totals(date, date),
  public.impact_trend(date, date, text), public.impact_breakdown(date, date, text),
  public.impact_indicators(date, date), public.territory_standing(uuid, date) to authenticated;
