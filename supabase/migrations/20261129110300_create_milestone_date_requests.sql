-- Program milestones keep their program date. A territory asks for a new due date with a reason;
-- facilitators (staff) accept or refuse it. Accepting moves the milestone's due date in the same
-- transaction (audited on the milestone as well as on the request). Lateness is measured against
-- the due date in force, i.e. the accepted one: private.is_late() is the one SQL rule of « late ».

-- ============ enums ============
create type public.date_request_status as enum ('pending', 'accepted', 'refused');

-- ============ tables ============
create table public.milestone_date_requests (
  id uuid primary key default gen_random_uuid(),
  milestone_id uuid not null references public.milestones (id) on delete cascade,
  territory_id uuid not null references public.territories (id) on delete cascade,
  -- the due date in force when the request was made (set by trigger)
  current_due_date date not null,
  requested_due_date date not null
    check (requested_due_date between date '2025-10-16' and date '2039-12-31'),
  reason text not null
    check (length(trim(reason)) between 1 and 2000 and reason !~ '[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]'),
  status public.date_request_status not null default 'pending',
  requested_by uuid,
  requested_at timestamptz not null default now(),
  decided_by uuid,
  decided_at timestamptz,
  decision_note text not null default ''
    check (length(decision_note) <= 2000 and decision_note !~ '[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]'),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  constraint milestone_date_requests_decided check ((status = 'pending') = (decided_at is null))
);
-- one open request per milestone at a time
create unique index milestone_date_requests_one_pending on public.milestone_date_requests (milestone_id)
  where status = 'pending';
create index milestone_date_requests_milestone_idx on public.milestone_date_requests (milestone_id, requested_at desc);
create index milestone_date_requests_territory_idx on public.milestone_date_requests (territory_id, status);

-- ============ helpers ============
-- THE rule of « late » (mirrored by isLate in src/lib/domain/forecast.ts, tested to agree): the due
-- date in force is strictly before today and the milestone is not done.
create function private.is_late(p_due_date date, p_status public.milestone_status, p_today date)
returns boolean
language sql immutable parallel safe set search_path = ''
as $$
  select p_status <> 'done' and p_due_date < p_today
$$;
revoke execute on function private.is_late(date, public.milestone_status, date) from public;
grant execute on function private.is_late(date, public.milestone_status, date) to authenticated, anon;

-- ============ triggers ============
-- A request is about a program milestone of its territory; who asked and when come from the
-- database, never from the writer; it starts pending.
create function private.date_request_before_insert() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_milestone public.milestones;
begin
  select * into v_milestone from public.milestones m where m.id = new.milestone_id;
  if not found or v_milestone.template_id is null then
    raise exception 'Seule l''échéance d''un jalon du programme se demande ; les autres se modifient directement.'
      using errcode = '23514';
  end if;
  if v_milestone.status = 'done' then
    raise exception 'Ce jalon est fait : son échéance ne change plus.' using errcode = '23514';
  end if;
  if new.requested_due_date = v_milestone.due_date then
    raise exception 'La date demandée est déjà l''échéance du jalon.' using errcode = '23514';
  end if;
  new.territory_id := v_milestone.territory_id;
  new.current_due_date := v_milestone.due_date;
  new.status := 'pending';
  new.requested_by := auth.uid();
  new.requested_at := now();
  new.decided_by := null;
  new.decided_at := null;
  new.decision_note := '';
  return new;
end
$$;
revoke execute on function private.date_request_before_insert() from public;
create trigger milestone_date_requests_before_insert before insert on public.milestone_date_requests
  for each row execute function private.date_request_before_insert();

-- A decision is made once, on a pending request; only its status and note change.
create function private.date_request_before_update() returns trigger
language plpgsql set search_path = ''
as $$
begin
  if old.status <> 'pending' then
    raise exception 'Cette demande a déjà été traitée.' using errcode = '23514';
  end if;
  if new.status = 'pending' then
    raise exception 'Acceptez ou refusez la demande.' using errcode = '23514';
  end if;
  if (new.milestone_id, new.territory_id, new.current_due_date, new.requested_due_date, new.reason,
      new.requested_by, new.requested_at)
     is distinct from
     (old.milestone_id, old.territory_id, old.current_due_date, old.requested_due_date, old.reason,
      old.requested_by, old.requested_at) then
    raise exception 'Une demande ne se modifie pas : on l''accepte ou on la refuse.' using errcode = '42501';
  end if;
  new.decided_by := auth.uid();
  new.decided_at := now();
  new.version := old.version + 1;
  new.updated_at := now();
  return new;
end
$$;
revoke execute on function private.date_request_before_update() from public;
create trigger milestone_date_requests_before_update before update on public.milestone_date_requests
  for each row execute function private.date_request_before_update();

-- Accepted: the milestone's due date becomes the requested one (security definer: the program
-- milestone rule lets only this path, and staff, move a program date; audited on the milestone).
create function private.date_request_apply() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if new.status = 'accepted' and old.status = 'pending' then
    update public.milestones m set due_date = new.requested_due_date where m.id = new.milestone_id;
  end if;
  return null;
end
$$;
revoke execute on function private.date_request_apply() from public;
create trigger milestone_date_requests_apply after update on public.milestone_date_requests
  for each row execute function private.date_request_apply();

create trigger milestone_date_requests_audit after insert or update or delete on public.milestone_date_requests
  for each row execute function private.audit();

-- ============ grants ============
revoke all on public.milestone_date_requests from anon, authenticated;
grant select, insert, update on public.milestone_date_requests to authenticated;

-- ============ policies ============
alter table public.milestone_date_requests enable row level security;

-- coordinators read their territories' requests; staff read all (my_territory_ids: every territory)
create policy milestone_date_requests_select on public.milestone_date_requests for select to authenticated
  using (territory_id = any ((select private.my_territory_ids())::uuid[]));
-- the territory's coordinators ask (staff decide, they do not ask themselves)
create policy milestone_date_requests_insert on public.milestone_date_requests for insert to authenticated
  with check (territory_id = any ((select private.my_territory_ids())::uuid[])
              and (select private.app_role()) = 'coordinator');
create policy milestone_date_requests_update on public.milestone_date_requests for update to authenticated
  using ((select private.is_staff())) with check ((select private.is_staff()));
-- no delete: the requests are the history of the program's dates
