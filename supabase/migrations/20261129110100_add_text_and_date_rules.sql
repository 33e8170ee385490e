-- What the forms refuse, the database refuses too (Supabase exposes these tables to signed-in
-- users): no control character in any text a person types, and one rule per kind of date.
--   · enrolment dates (citizens, lieux): from the AMI's opening (2025-10-16) to today in Paris;
--   · planning dates (milestone due dates, workshops): from 2025-10-16 to 2039-12-31;
--   · a milestone is completed between 2025-10-16 and today.
-- « Today » is only known at write time: it is checked by trigger, for the writes of users
-- (roles authenticated/anon); system jobs (demo seed, migrations) are trusted with their dates.
-- The same bounds live in src/lib/domain/fields.ts (DATE_BOUNDS).

-- ============ text: no C0/C1 control characters ============
-- Tab, line feed and carriage return stay allowed (multi-line fields); single-line fields refuse
-- them in the form schemas. NUL cannot be stored in a Postgres text at all.
do $$
declare
  r record;
begin
  for r in
    select c.table_name, c.column_name
    from information_schema.columns c
    where c.table_schema = 'public' and c.data_type = 'text' and c.is_generated = 'NEVER'
      and (c.table_name, c.column_name) in (
        ('citizens', 'display_name'), ('citizens', 'email'), ('citizens', 'phone'),
        ('citizens', 'commune'), ('citizens', 'postal_code'),
        ('consent_events', 'purpose'), ('consent_events', 'text_version'),
        ('lieux', 'name'), ('lieux', 'commune'), ('lieux', 'address'), ('lieux', 'contact_name'),
        ('lieux', 'contact_email'), ('lieux', 'contact_phone'),
        ('workshops', 'title'), ('workshops', 'lieu_label'), ('workshops', 'facilitator_name'),
        ('workshops', 'summary'),
        ('milestones', 'title'), ('milestones', 'description'), ('milestones', 'evidence_note'),
        ('milestones', 'evidence_url'), ('milestones', 'blocked_reason'),
        ('milestone_templates', 'title'), ('milestone_templates', 'description'),
        ('indicator_values', 'note'), ('indicator_values', 'evidence_url'))
  loop
    execute format(
      'alter table public.%I add constraint %I check (%I !~ %L)',
      r.table_name, r.table_name || '_' || r.column_name || '_no_control', r.column_name,
      '[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]');
  end loop;
end
$$;

-- ============ dates: fixed bounds (checks) ============
alter table public.citizens
  add constraint citizens_enrolled_at_range check (enrolled_at >= date '2025-10-16');
alter table public.lieux
  add constraint lieux_enrolled_at_range check (enrolled_at >= date '2025-10-16');
alter table public.milestones
  add constraint milestones_due_date_range check (due_date between date '2025-10-16' and date '2039-12-31'),
  add constraint milestones_completed_at_range check (completed_at >= date '2025-10-16');
alter table public.workshops
  add constraint workshops_starts_at_range
    check (starts_at >= timestamptz '2025-10-15 22:00:00+00' and starts_at < timestamptz '2039-12-31 23:00:00+00');

-- ============ dates: never in the future (trigger) ============
-- The date a person typed that must not be after today (Paris): enrolled_at, or completed_at.
create function private.refuse_future_date() returns trigger
language plpgsql set search_path = ''
as $$
declare
  v_new date := (to_jsonb(new) ->> tg_argv[0])::date;
  v_old date := case when tg_op = 'UPDATE' then (to_jsonb(old) ->> tg_argv[0])::date end;
begin
  if current_user in ('authenticated', 'anon')
     and v_new is distinct from v_old
     and v_new > (now() at time zone 'Europe/Paris')::date then
    raise exception '%', tg_argv[1] using errcode = '23514';
  end if;
  return new;
end
$$;
revoke execute on function private.refuse_future_date() from public;

create trigger citizens_enrolled_not_future before insert or update on public.citizens
  for each row execute function private.refuse_future_date(
    'enrolled_at', 'La date d''inscription ne peut pas être dans le futur.');
create trigger lieux_enrolled_not_future before insert or update on public.lieux
  for each row execute function private.refuse_future_date(
    'enrolled_at', 'La date d''engagement ne peut pas être dans le futur.');
create trigger milestones_completed_not_future before insert or update on public.milestones
  for each row execute function private.refuse_future_date(
    'completed_at', 'La date de réalisation ne peut pas être dans le futur.');
