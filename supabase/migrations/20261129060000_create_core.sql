-- Core of the Marathon coopératif: cohort, territories, who is who, audit trail.
-- Deny by default: nothing is granted to anon or authenticated unless written here, and every
-- table in public has RLS with one policy per command.

-- ============ schema and defaults ============
create schema if not exists private;
revoke all on schema private from public;
grant usage on schema private to authenticated, anon;

alter default privileges in schema public revoke execute on functions from public;
alter default privileges in schema private revoke execute on functions from public;

-- ============ enums ============
create type public.app_role as enum ('admin', 'facilitator', 'coordinator', 'funder');
create type public.carrier_kind as enum ('collectivite', 'citoyens', 'lieux', 'mixte');
create type public.territory_status as enum ('active', 'paused', 'withdrawn');

-- ============ tables ============
create table public.cohorts (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(trim(name)) between 1 and 120),
  start_date date not null,
  duration_months smallint not null default 18 check (duration_months between 1 and 60),
  citizen_threshold integer not null default 350 check (citizen_threshold > 0),
  lieu_threshold integer not null default 150 check (lieu_threshold > 0),
  societaire_target integer not null default 2000 check (societaire_target > 0),
  -- Phases inside the program, configurable per cohort: [{code, name, from, to}] in months.
  phases jsonb not null default '[
    {"code": "semer", "name": "Semer", "from": 1, "to": 6},
    {"code": "germer", "name": "Germer", "from": 7, "to": 12},
    {"code": "regenerer", "name": "Régénérer", "from": 13, "to": 18}
  ]'::jsonb check (jsonb_typeof(phases) = 'array'),
  transparency_published boolean not null default false,
  is_demo boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1
);

create table public.territories (
  id uuid primary key default gen_random_uuid(),
  cohort_id uuid not null references public.cohorts (id) on delete restrict,
  name text not null check (length(trim(name)) between 1 and 120),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80),
  region text not null check (length(region) <= 80),
  departement text not null check (length(departement) <= 80),
  carrier_kind public.carrier_kind not null,
  description text not null default '' check (length(description) <= 4000),
  -- null: the cohort's start date
  start_date date,
  status public.territory_status not null default 'active',
  is_demo boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1
);
create index territories_cohort_id_idx on public.territories (cohort_id);

create table public.profiles (
  user_id uuid primary key references auth.users (id) on delete cascade,
  display_name text not null check (length(trim(display_name)) between 1 and 120),
  app_role public.app_role not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1
);
create index profiles_app_role_idx on public.profiles (app_role);

-- A coordinator's territories (one or more).
create table public.territory_members (
  territory_id uuid not null references public.territories (id) on delete cascade,
  user_id uuid not null references public.profiles (user_id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (territory_id, user_id)
);
create index territory_members_user_id_idx on public.territory_members (user_id);

-- Every write, by whom and when. Written only by the trigger below (security definer).
create table public.audit_events (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  actor_id uuid,
  territory_id uuid references public.territories (id) on delete set null,
  entity text not null,
  entity_id text not null,
  action text not null check (action in ('insert', 'update', 'delete')),
  -- changed columns → [old, new]; personal data columns are masked
  changes jsonb not null default '{}'::jsonb
);
create index audit_events_territory_at_idx on public.audit_events (territory_id, at desc);
create index audit_events_entity_idx on public.audit_events (entity, entity_id);

-- ============ helpers (private, security definer) ============
create function private.app_role() returns public.app_role
language sql stable security definer set search_path = ''
as $$
  select p.app_role from public.profiles p where p.user_id = (select auth.uid())
$$;

create function private.is_staff() returns boolean
language sql stable security definer set search_path = ''
as $$
  select coalesce((select private.app_role()) in ('admin', 'facilitator'), false)
$$;

create function private.is_admin() returns boolean
language sql stable security definer set search_path = ''
as $$
  select coalesce((select private.app_role()) = 'admin', false)
$$;

-- Territories whose rows (personal data included) this user may read and write.
create function private.my_territory_ids() returns uuid[]
language sql stable security definer set search_path = ''
as $$
  select case
    when (select private.is_staff()) then array(select t.id from public.territories t)
    when (select private.app_role()) = 'coordinator' then array(
      select m.territory_id from public.territory_members m where m.user_id = (select auth.uid()))
    else '{}'::uuid[]
  end
$$;

create function private.can_access_territory(p_territory_id uuid) returns boolean
language sql stable security definer set search_path = ''
as $$
  select p_territory_id = any ((select private.my_territory_ids())::uuid[])
$$;

grant execute on function private.app_role(), private.is_staff(), private.is_admin(),
  private.my_territory_ids(), private.can_access_territory(uuid) to authenticated;

-- For the app: may the current user open this territory's workspace?
create function public.can_access_territory(p_territory_id uuid) returns boolean
language sql stable security invoker set search_path = ''
as $$
  select private.can_access_territory(p_territory_id)
$$;
grant execute on function public.can_access_territory(uuid) to authenticated;

-- ============ triggers: version and audit ============
-- Optimistic locking: every update bumps `version`; writers say which version they edited.
create function private.bump_version() returns trigger
language plpgsql set search_path = ''
as $$
begin
  new.version := old.version + 1;
  new.updated_at := now();
  return new;
end
$$;

-- Audit trail. Arguments: the columns holding personal data, masked in `changes`.
create function private.audit() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  v_old jsonb := case when tg_op in ('UPDATE', 'DELETE') then to_jsonb(old) end;
  v_new jsonb := case when tg_op in ('INSERT', 'UPDATE') then to_jsonb(new) end;
  v_row jsonb := coalesce(v_new, v_old);
  v_changes jsonb := '{}'::jsonb;
  v_key text;
begin
  -- The demo seed (run by the server, never as a user) writes its own history.
  if coalesce(current_setting('marathon.seeding', true), '') = 'on'
     and coalesce(auth.role(), '') not in ('authenticated', 'anon') then
    return null;
  end if;
  for v_key in select jsonb_object_keys(v_row) loop
    continue when v_key in ('version', 'updated_at', 'created_at');
    continue when tg_op = 'UPDATE' and (v_old -> v_key) is not distinct from (v_new -> v_key);
    v_changes := v_changes || jsonb_build_object(v_key,
      case when v_key = any (tg_argv) then to_jsonb('«masqué»'::text)
           when tg_op = 'INSERT' then v_new -> v_key
           when tg_op = 'DELETE' then v_old -> v_key
           else jsonb_build_array(v_old -> v_key, v_new -> v_key) end);
  end loop;
  if tg_op = 'UPDATE' and v_changes = '{}'::jsonb then
    return null;
  end if;
  insert into public.audit_events (actor_id, territory_id, entity, entity_id, action, changes)
  values (
    auth.uid(),
    case when tg_table_name = 'territories' then (v_row ->> 'id')::uuid
         else (v_row ->> 'territory_id')::uuid end,
    tg_table_name,
    coalesce(v_row ->> 'id', v_row ->> 'user_id',
             (v_row ->> 'workshop_id') || ':' || (v_row ->> 'citizen_id'),
             (v_row ->> 'indicator_id') || ':' || (v_row ->> 'territory_id'), ''),
    lower(tg_op),
    v_changes);
  return null;
end
$$;

create trigger cohorts_version before update on public.cohorts
  for each row execute function private.bump_version();
create trigger territories_version before update on public.territories
  for each row execute function private.bump_version();
create trigger profiles_version before update on public.profiles
  for each row execute function private.bump_version();

create trigger cohorts_audit after insert or update or delete on public.cohorts
  for each row execute function private.audit();
create trigger territories_audit after insert or update or delete on public.territories
  for each row execute function private.audit();
create trigger profiles_audit after insert or update or delete on public.profiles
  for each row execute function private.audit('display_name');
create trigger territory_members_audit after insert or update or delete on public.territory_members
  for each row execute function private.audit();

-- ============ grants ============
revoke all on public.cohorts, public.territories, public.profiles, public.territory_members,
  public.audit_events from anon, authenticated;
grant select, insert, update, delete on public.cohorts, public.territories, public.profiles,
  public.territory_members to authenticated;
grant select on public.audit_events to authenticated;

-- ============ policies ============
alter table public.cohorts enable row level security;
alter table public.territories enable row level security;
alter table public.profiles enable row level security;
alter table public.territory_members enable row level security;
alter table public.audit_events enable row level security;

-- cohorts: program configuration, readable by every signed-in user
create policy cohorts_select on public.cohorts for select to authenticated using (true);
create policy cohorts_insert on public.cohorts for insert to authenticated
  with check ((select private.is_staff()));
create policy cohorts_update on public.cohorts for update to authenticated
  using ((select private.is_staff())) with check ((select private.is_staff()));
create policy cohorts_delete on public.cohorts for delete to authenticated
  using ((select private.is_admin()));

-- territories: the laureates' list is public knowledge inside the program
create policy territories_select on public.territories for select to authenticated using (true);
create policy territories_insert on public.territories for insert to authenticated
  with check ((select private.is_staff()));
create policy territories_update on public.territories for update to authenticated
  using ((select private.is_staff())) with check ((select private.is_staff()));
create policy territories_delete on public.territories for delete to authenticated
  using ((select private.is_admin()));

-- profiles: one's own; staff see all; facilitators manage non-admin accounts, admins all
create policy profiles_select on public.profiles for select to authenticated
  using (user_id = (select auth.uid()) or (select private.is_staff()));
create policy profiles_insert on public.profiles for insert to authenticated
  with check ((select private.is_admin()) or ((select private.is_staff()) and app_role <> 'admin'));
create policy profiles_update on public.profiles for update to authenticated
  using ((select private.is_admin()) or ((select private.is_staff()) and app_role <> 'admin'))
  with check ((select private.is_admin()) or ((select private.is_staff()) and app_role <> 'admin'));
create policy profiles_delete on public.profiles for delete to authenticated
  using ((select private.is_admin()));

-- territory_members: one's own memberships; staff manage them
create policy territory_members_select on public.territory_members for select to authenticated
  using (user_id = (select auth.uid()) or (select private.is_staff()));
create policy territory_members_insert on public.territory_members for insert to authenticated
  with check ((select private.is_staff()));
create policy territory_members_update on public.territory_members for update to authenticated
  using ((select private.is_staff())) with check ((select private.is_staff()));
create policy territory_members_delete on public.territory_members for delete to authenticated
  using ((select private.is_staff()));

-- audit_events: read-only history, per territory; nobody writes but the trigger
create policy audit_events_select on public.audit_events for select to authenticated
  using ((select private.is_staff()) or territory_id = any ((select private.my_territory_ids())::uuid[]));
