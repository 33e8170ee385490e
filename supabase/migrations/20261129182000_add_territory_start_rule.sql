-- A territory's start date (its own, or its cohort's when it has none) is the first day of its
-- program month 1. It must fall within its cohort's program and never after the territory's
-- earliest data: a start moved years ahead would put enrolments, lieux, workshops and indicator
-- months before month 1 (« mois -37 »). Enforced here, for every writer (the app, raw SQL, the
-- owner), on territories and on cohorts (whose start date is the default of their territories).
-- The app shows the same French message at the start date field (constraint names below).

-- ============ helpers ============
-- Why `p_start` cannot be the start of territory `p_territory_id` in a cohort starting on
-- `p_cohort_start` and lasting `p_duration` months; null when it can. French, for the form.
--   1. not before the cohort's start;
--   2. before the cohort's program ends (start + duration months, exclusive);
--   3. not after the territory's earliest enrolment (citizen, lieu) or workshop (Paris date);
--   4. not in a month after its earliest indicator month (indicator values are per month).
create function private.territory_start_problem(
  p_territory_id uuid, p_start date, p_cohort_start date, p_duration integer
)
returns text
language plpgsql stable security definer set search_path = ''
as $$
declare
  v_end date := (p_cohort_start + make_interval(months => p_duration))::date;
  v_first date;
  v_first_month date;
begin
  if p_start is null or p_cohort_start is null then
    return null;
  end if;
  if p_start < p_cohort_start then
    return format('La date de début ne peut pas précéder celle de la cohorte (%s).', to_char(p_cohort_start, 'DD/MM/YYYY'));
  end if;
  if p_start >= v_end then
    return format('La date de début doit tomber pendant les %s mois de la cohorte : au plus tard le %s.',
      p_duration, to_char(v_end - 1, 'DD/MM/YYYY'));
  end if;
  select least(
    (select min(c.enrolled_at) from public.citizens c where c.territory_id = p_territory_id),
    (select min(l.enrolled_at) from public.lieux l where l.territory_id = p_territory_id),
    (select (min(w.starts_at) at time zone 'Europe/Paris')::date from public.workshops w where w.territory_id = p_territory_id)
  ) into v_first;
  if v_first is not null and p_start > v_first then
    return format('Ce territoire a déjà des données datées du %s (inscription, lieu ou atelier) : '
      'sa date de début ne peut pas être plus tardive.', to_char(v_first, 'DD/MM/YYYY'));
  end if;
  select min(v.month) into v_first_month from public.indicator_values v where v.territory_id = p_territory_id;
  if v_first_month is not null and date_trunc('month', p_start)::date > v_first_month then
    return format('Ce territoire a déjà des indicateurs saisis pour le mois %s : sa date de début ne peut pas '
      'tomber après ce mois.', to_char(v_first_month, 'MM/YYYY'));
  end if;
  return null;
end
$$;

-- ============ triggers ============
-- Territories: on insert, and when the start date or the cohort changes.
create function private.check_territory_start()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_cohort_start date;
  v_duration integer;
  v_problem text;
begin
  select c.start_date, c.duration_months into v_cohort_start, v_duration from public.cohorts c where c.id = new.cohort_id;
  v_problem := private.territory_start_problem(new.id, coalesce(new.start_date, v_cohort_start), v_cohort_start, v_duration);
  if v_problem is not null then
    raise exception using errcode = '23514', constraint = 'territories_start_date_rule', message = v_problem;
  end if;
  return new;
end
$$;

create trigger territories_start_rule_insert before insert on public.territories
  for each row execute function private.check_territory_start();
create trigger territories_start_rule_update before update of start_date, cohort_id on public.territories
  for each row when (new.start_date is distinct from old.start_date or new.cohort_id is distinct from old.cohort_id)
  execute function private.check_territory_start();

-- Cohorts: a new start date or duration must suit every territory of the cohort (those without
-- their own start date start with the cohort).
create function private.check_cohort_start()
returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_name text;
  v_problem text;
begin
  select t.name, private.territory_start_problem(t.id, coalesce(t.start_date, new.start_date), new.start_date, new.duration_months)
    into v_name, v_problem
  from public.territories t
  where t.cohort_id = new.id
    and private.territory_start_problem(t.id, coalesce(t.start_date, new.start_date), new.start_date, new.duration_months) is not null
  order by t.name
  limit 1;
  if v_problem is not null then
    raise exception using errcode = '23514', constraint = 'cohorts_start_date_rule',
      message = format('Territoire « %s » : %s', v_name, v_problem);
  end if;
  return new;
end
$$;

create trigger cohorts_start_rule before update of start_date, duration_months on public.cohorts
  for each row when (new.start_date is distinct from old.start_date or new.duration_months is distinct from old.duration_months)
  execute function private.check_cohort_start();

-- ============ grants ============
-- Trigger functions and their helper: nobody calls them directly.
revoke execute on function private.territory_start_problem(uuid, date, date, integer),
  private.check_territory_start(), private.check_cohort_start() from public;
