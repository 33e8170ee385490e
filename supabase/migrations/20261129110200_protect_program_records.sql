-- What the forms forbid, the database forbids. As a signed-in user, by direct SQL:
--   · a program milestone (from a template) keeps its program date: its due date changes only
--     through an accepted date-change request (see milestone_date_requests) — staff excepted —,
--     and it cannot be detached from its template (nor deleted: policy milestones_delete);
--   · a held workshop stays held (so it cannot be reopened, then deleted with its attendance),
--     and a workshop with attendance is never deleted;
--   · an erased citizen stays erased (no name, no contact, no status change);
--   · a withdrawn citizen becomes active again only with a new consent event, in the same
--     transaction.
-- System jobs (demo seed, migrations: roles other than authenticated/anon) are not concerned.

-- ============ milestones ============
create function private.milestone_program_rules() returns trigger
language plpgsql set search_path = ''
as $$
begin
  if current_user not in ('authenticated', 'anon') or (select private.is_staff()) then
    return new;
  end if;
  if tg_op = 'INSERT' then
    if new.template_id is not null then
      raise exception 'Seule l''animation crée les jalons du programme.' using errcode = '42501';
    end if;
    return new;
  end if;
  if new.template_id is distinct from old.template_id then
    raise exception 'Un jalon du programme reste un jalon du programme.' using errcode = '42501';
  end if;
  if old.template_id is not null and new.due_date is distinct from old.due_date then
    raise exception 'L''échéance d''un jalon du programme ne change que par une demande acceptée par l''animation.'
      using errcode = '42501';
  end if;
  return new;
end
$$;
revoke execute on function private.milestone_program_rules() from public;
create trigger milestones_program_rules before insert or update on public.milestones
  for each row execute function private.milestone_program_rules();

-- ============ workshops ============
create function private.workshop_history_rules() returns trigger
language plpgsql set search_path = ''
as $$
begin
  if current_user not in ('authenticated', 'anon') then
    return coalesce(new, old);
  end if;
  if tg_op = 'UPDATE' then
    if old.status = 'held' and new.status <> 'held' then
      raise exception 'Un atelier tenu le reste : son compte rendu et ses présences sont son histoire.'
        using errcode = '42501';
    end if;
    return new;
  end if;
  -- DELETE
  if old.status <> 'planned' or exists (select 1 from public.attendances a where a.workshop_id = old.id) then
    raise exception 'Un atelier tenu, annulé ou avec des présences ne se supprime pas.' using errcode = '42501';
  end if;
  return old;
end
$$;
revoke execute on function private.workshop_history_rules() from public;
create trigger workshops_history_rules before update or delete on public.workshops
  for each row execute function private.workshop_history_rules();

-- ============ citizens: erasure is final ============
create function private.citizen_erasure_final() returns trigger
language plpgsql set search_path = ''
as $$
begin
  if old.erased_at is not null and (
       new.erased_at is distinct from old.erased_at
    or new.display_name is not null or new.email is not null or new.phone is not null
    or new.postal_code is not null or new.status is distinct from old.status) then
    raise exception 'Les données d''une personne effacée ne peuvent pas être rétablies.' using errcode = '42501';
  end if;
  return new;
end
$$;
revoke execute on function private.citizen_erasure_final() from public;
create trigger citizens_erasure_final before update on public.citizens
  for each row execute function private.citizen_erasure_final();

-- ============ citizens: reactivation takes a new consent ============
-- A consent event written by a user is dated by the database (now()), never by the writer; the
-- citizen's updated_at is set by private.bump_version. So « a consent given since the person was
-- withdrawn (or last changed) » is exactly `at >= old.updated_at`: through Supabase's API, insert
-- the 'given' event, then reactivate; in one transaction (the app), both at once.
create function private.consent_event_dated_now() returns trigger
language plpgsql set search_path = ''
as $$
begin
  if current_user in ('authenticated', 'anon') then
    new.at := now();
    new.recorded_by := auth.uid();
  end if;
  return new;
end
$$;
revoke execute on function private.consent_event_dated_now() from public;
create trigger consent_events_dated_now before insert on public.consent_events
  for each row execute function private.consent_event_dated_now();

-- Checked after the statement (a constraint trigger): the app writes the event and the status in
-- one statement (data-modifying CTEs), whose effects the trigger sees.
create function private.citizen_reactivation_consent() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if old.status = 'withdrawn' and new.status = 'active' and not exists (
    select 1 from public.consent_events e
    where e.citizen_id = new.id and e.action = 'given' and e.at >= old.updated_at) then
    raise exception 'Une personne retirée ne revient qu''avec un nouveau consentement.' using errcode = '23514';
  end if;
  return null;
end
$$;
revoke execute on function private.citizen_reactivation_consent() from public;
create constraint trigger citizens_reactivation_consent after update of status on public.citizens
  for each row execute function private.citizen_reactivation_consent();
