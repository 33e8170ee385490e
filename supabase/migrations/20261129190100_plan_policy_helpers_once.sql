-- The helpers every policy calls, in PL/pgSQL instead of SQL: same rules, same signatures and
-- grants. A `security definer` SQL function is never inlined, and its query is planned again at
-- every call; PL/pgSQL keeps its plans for the life of the connection. Each signed-in request
-- calls these about ten times (once per statement and table): measured on the demo cohort,
-- my_territory_ids() went from 0.24 ms to 0.05 ms a call (scripts/bench.js, docs/performance.md).

create or replace function private.app_role() returns public.app_role
language plpgsql stable security definer set search_path = ''
as $$
begin
  return (select p.app_role from public.profiles p where p.user_id = (select auth.uid()));
end
$$;

create or replace function private.is_staff() returns boolean
language plpgsql stable security definer set search_path = ''
as $$
begin
  return coalesce(private.app_role() in ('admin', 'facilitator'), false);
end
$$;

create or replace function private.is_admin() returns boolean
language plpgsql stable security definer set search_path = ''
as $$
begin
  return coalesce(private.app_role() = 'admin', false);
end
$$;

-- Territories whose rows (personal data included) this user may read and write.
create or replace function private.my_territory_ids() returns uuid[]
language plpgsql stable security definer set search_path = ''
as $$
declare
  r public.app_role := private.app_role();
begin
  if r in ('admin', 'facilitator') then
    return array(select t.id from public.territories t);
  elsif r = 'coordinator' then
    return array(select m.territory_id from public.territory_members m where m.user_id = (select auth.uid()));
  end if;
  return '{}'::uuid[];
end
$$;

create or replace function private.can_access_territory(p_territory_id uuid) returns boolean
language plpgsql stable security definer set search_path = ''
as $$
begin
  return p_territory_id = any (private.my_territory_ids());
end
$$;
