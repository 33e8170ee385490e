-- Enrolled citizens (personal data), their consent events (append-only), and lieux.
-- Personal data is readable only by the territory's coordinators, facilitators and admins:
-- funders and the public get counts through the aggregate functions, never rows.

-- ============ enums ============
create type public.age_band as enum ('moins_18', '18_25', '26_40', '41_60', '61_75', 'plus_75', 'non_renseigne');
create type public.citizen_source as enum ('workshop', 'event', 'online', 'partner');
create type public.citizen_status as enum ('active', 'withdrawn');
create type public.consent_action as enum ('given', 'withdrawn');
create type public.lieu_kind as enum (
  'tiers_lieu', 'mediatheque', 'ecole', 'association', 'cafe', 'mairie', 'entreprise', 'autre');
create type public.lieu_status as enum ('active', 'inactive');

-- ============ tables ============
create table public.citizens (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid not null references public.territories (id) on delete cascade,
  -- null once erased on request (RGPD): the row stays so that counts and history stay true
  display_name text check (length(trim(display_name)) between 1 and 120),
  email text check (email ~* '^[^@\s]+@[^@\s]+\.[^@\s]+$' and length(email) <= 254),
  phone text check (phone ~ '^[0-9 +().-]{6,20}$'),
  commune text check (length(commune) <= 120),
  postal_code text check (postal_code ~ '^[0-9]{5}$'),
  age_band public.age_band not null default 'non_renseigne',
  enrolled_at date not null default current_date,
  source public.citizen_source not null,
  is_societaire boolean not null default false,
  status public.citizen_status not null default 'active',
  withdrawn_at date,
  erased_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  constraint citizens_named_unless_erased check ((erased_at is null) = (display_name is not null)),
  constraint citizens_erased_has_no_contact check (erased_at is null or (email is null and phone is null)),
  constraint citizens_withdrawn_has_date check ((status = 'withdrawn') = (withdrawn_at is not null))
);
create index citizens_territory_enrolled_idx on public.citizens (territory_id, enrolled_at);
create index citizens_territory_name_idx on public.citizens (territory_id, lower(display_name));
create unique index citizens_territory_email_key on public.citizens (territory_id, lower(email));

create table public.consent_events (
  id uuid primary key default gen_random_uuid(),
  citizen_id uuid not null references public.citizens (id) on delete cascade,
  territory_id uuid not null references public.territories (id) on delete cascade,
  action public.consent_action not null,
  purpose text not null check (length(trim(purpose)) between 1 and 300),
  text_version text not null check (length(trim(text_version)) between 1 and 40),
  at timestamptz not null default now(),
  recorded_by uuid default auth.uid()
);
create index consent_events_citizen_idx on public.consent_events (citizen_id, at);
create index consent_events_territory_idx on public.consent_events (territory_id);

create table public.lieux (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid not null references public.territories (id) on delete cascade,
  name text not null check (length(trim(name)) between 1 and 160),
  kind public.lieu_kind not null,
  commune text not null check (length(trim(commune)) between 1 and 120),
  address text not null default '' check (length(address) <= 300),
  contact_name text check (length(contact_name) <= 120),
  contact_email text check (contact_email ~* '^[^@\s]+@[^@\s]+\.[^@\s]+$' and length(contact_email) <= 254),
  contact_phone text check (contact_phone ~ '^[0-9 +().-]{6,20}$'),
  enrolled_at date not null default current_date,
  status public.lieu_status not null default 'active',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1
);
create index lieux_territory_enrolled_idx on public.lieux (territory_id, enrolled_at);
create index lieux_territory_name_idx on public.lieux (territory_id, lower(name));

-- ============ triggers ============
-- A consent event belongs to the citizen's territory, whatever the writer says. (A citizen
-- inserted by the same statement is not visible yet: then the territory given is kept, and the
-- foreign key and RLS still hold.)
create function private.consent_event_territory() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_territory uuid;
begin
  select c.territory_id into v_territory from public.citizens c where c.id = new.citizen_id;
  if found then
    new.territory_id := v_territory;
  end if;
  return new;
end
$$;
create trigger consent_events_territory before insert on public.consent_events
  for each row execute function private.consent_event_territory();

create trigger citizens_version before update on public.citizens
  for each row execute function private.bump_version();
create trigger lieux_version before update on public.lieux
  for each row execute function private.bump_version();
create trigger citizens_audit after insert or update or delete on public.citizens
  for each row execute function private.audit('display_name', 'email', 'phone', 'commune', 'postal_code');
create trigger consent_events_audit after insert or update or delete on public.consent_events
  for each row execute function private.audit();
create trigger lieux_audit after insert or update or delete on public.lieux
  for each row execute function private.audit('contact_name', 'contact_email', 'contact_phone');

-- ============ grants ============
revoke all on public.citizens, public.consent_events, public.lieux from anon, authenticated;
grant select, insert, update on public.citizens, public.lieux to authenticated;
grant select, insert on public.consent_events to authenticated;

-- ============ policies ============
alter table public.citizens enable row level security;
alter table public.consent_events enable row level security;
alter table public.lieux enable row level security;

create policy citizens_select on public.citizens for select to authenticated
  using (territory_id = any ((select private.my_territory_ids())::uuid[]));
create policy citizens_insert on public.citizens for insert to authenticated
  with check (territory_id = any ((select private.my_territory_ids())::uuid[]));
create policy citizens_update on public.citizens for update to authenticated
  using (territory_id = any ((select private.my_territory_ids())::uuid[]))
  with check (territory_id = any ((select private.my_territory_ids())::uuid[]));
-- no delete: erasure anonymises the row (counts and history stay true)

create policy consent_events_select on public.consent_events for select to authenticated
  using (territory_id = any ((select private.my_territory_ids())::uuid[]));
create policy consent_events_insert on public.consent_events for insert to authenticated
  with check (territory_id = any ((select private.my_territory_ids())::uuid[]));
-- no update, no delete: consent history is append-only

create policy lieux_select on public.lieux for select to authenticated
  using (territory_id = any ((select private.my_territory_ids())::uuid[]));
create policy lieux_insert on public.lieux for insert to authenticated
  with check (territory_id = any ((select private.my_territory_ids())::uuid[]));
create policy lieux_update on public.lieux for update to authenticated
  using (territory_id = any ((select private.my_territory_ids())::uuid[]))
  with check (territory_id = any ((select private.my_territory_ids())::uuid[]));
-- no delete: a lieu is deactivated, its history stays
