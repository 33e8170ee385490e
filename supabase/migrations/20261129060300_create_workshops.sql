-- Workshops (ateliers) and their attendance. Attendance names a person: personal data.

-- ============ enums ============
create type public.workshop_format as enum (
  'atelier', 'formation', 'evenement', 'reunion', 'permanence', 'balade', 'en_ligne');
create type public.workshop_status as enum ('planned', 'held', 'cancelled');

-- ============ tables ============
create table public.workshops (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid not null references public.territories (id) on delete cascade,
  title text not null check (length(trim(title)) between 1 and 200),
  format public.workshop_format not null default 'atelier',
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  lieu_id uuid references public.lieux (id) on delete set null,
  -- free text when the place is not one of the territory's lieux
  lieu_label text not null default '' check (length(lieu_label) <= 200),
  laws smallint[] not null default '{}' check (laws <@ array[1, 2, 3, 4, 5]::smallint[]),
  capacity integer check (capacity between 1 and 10000),
  facilitator_name text not null default '' check (length(facilitator_name) <= 120),
  summary text not null default '' check (length(summary) <= 8000),
  status public.workshop_status not null default 'planned',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  constraint workshops_ends_after_start check (ends_at > starts_at)
);
create index workshops_territory_starts_idx on public.workshops (territory_id, starts_at);
create index workshops_lieu_id_idx on public.workshops (lieu_id);

create table public.attendances (
  workshop_id uuid not null references public.workshops (id) on delete cascade,
  citizen_id uuid not null references public.citizens (id) on delete cascade,
  territory_id uuid not null references public.territories (id) on delete cascade,
  checked_in_at timestamptz not null default now(),
  primary key (workshop_id, citizen_id)
);
create index attendances_citizen_idx on public.attendances (citizen_id);
create index attendances_territory_idx on public.attendances (territory_id);

-- ============ triggers ============
-- The lieu, and the attendee, must belong to the workshop's territory.
create function private.workshop_lieu_in_territory() returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  if new.lieu_id is not null and not exists (
    select 1 from public.lieux l where l.id = new.lieu_id and l.territory_id = new.territory_id) then
    raise exception 'Ce lieu n''appartient pas au territoire de l''atelier.' using errcode = '23514';
  end if;
  return new;
end
$$;
create trigger workshops_lieu_check before insert or update on public.workshops
  for each row execute function private.workshop_lieu_in_territory();

create function private.attendance_territory() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_workshop_territory uuid;
  v_citizen_territory uuid;
begin
  select w.territory_id into v_workshop_territory from public.workshops w where w.id = new.workshop_id;
  select c.territory_id into v_citizen_territory from public.citizens c where c.id = new.citizen_id;
  if v_workshop_territory is distinct from v_citizen_territory then
    raise exception 'Cette personne n''est pas inscrite sur le territoire de l''atelier.' using errcode = '23514';
  end if;
  new.territory_id := v_workshop_territory;
  return new;
end
$$;
create trigger attendances_territory before insert or update on public.attendances
  for each row execute function private.attendance_territory();

create trigger workshops_version before update on public.workshops
  for each row execute function private.bump_version();
create trigger workshops_audit after insert or update or delete on public.workshops
  for each row execute function private.audit();
create trigger attendances_audit after insert or update or delete on public.attendances
  for each row execute function private.audit();

-- ============ grants ============
revoke all on public.workshops, public.attendances from anon, authenticated;
grant select, insert, update, delete on public.workshops, public.attendances to authenticated;

-- ============ policies ============
alter table public.workshops enable row level security;
alter table public.attendances enable row level security;

create policy workshops_select on public.workshops for select to authenticated
  using (territory_id = any ((select private.my_territory_ids())::uuid[]));
create policy workshops_insert on public.workshops for insert to authenticated
  with check (territory_id = any ((select private.my_territory_ids())::uuid[]));
create policy workshops_update on public.workshops for update to authenticated
  using (territory_id = any ((select private.my_territory_ids())::uuid[]))
  with check (territory_id = any ((select private.my_territory_ids())::uuid[]));
create policy workshops_delete on public.workshops for delete to authenticated
  using (territory_id = any ((select private.my_territory_ids())::uuid[]) and status = 'planned');

create policy attendances_select on public.attendances for select to authenticated
  using (territory_id = any ((select private.my_territory_ids())::uuid[]));
create policy attendances_insert on public.attendances for insert to authenticated
  with check (territory_id = any ((select private.my_territory_ids())::uuid[]));
create policy attendances_update on public.attendances for update to authenticated
  using (territory_id = any ((select private.my_territory_ids())::uuid[]))
  with check (territory_id = any ((select private.my_territory_ids())::uuid[]));
create policy attendances_delete on public.attendances for delete to authenticated
  using (territory_id = any ((select private.my_territory_ids())::uuid[]));
