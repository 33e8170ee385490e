-- Data versions: a counter per territory (and one for the program), increased by every statement
-- that writes a table of `public`, in the writing transaction. Aggregates across territories (the
-- cockpit, the funders' dashboards) are kept by the server for as long as the sum of these
-- counters has not moved (src/lib/server/db/memo.ts): a read after no change costs one small
-- statement instead of a pass over every territory's rows.
--
-- Why a counter per territory: writers of different territories never wait for each other (a
-- single row would queue every write of the program behind one row lock until commit). Why the
-- SUM and not the max of a sequence: every commit increases the sum, so a reader can never see a
-- version that hides a committed write (a sequence value drawn by a transaction that commits late
-- could be lower than one already seen).

-- ============ tables ============
create table private.data_versions (
  -- a territory's id, or the nil uuid for what belongs to the whole program (cohort, catalog, people)
  scope uuid primary key,
  v bigint not null default 0
);
alter table private.data_versions enable row level security; -- deny by default, like every private table
revoke all on private.data_versions from public, anon, authenticated;

-- ============ helpers ============
-- Statement trigger: +1 on the version of every territory the statement touched (TG_ARGV[0]: the
-- column that holds it, or 'program' for tables that belong to no territory).
create function private.bump_data_version() returns trigger
language plpgsql security definer set search_path = ''
as $$
declare
  scopes uuid[];
begin
  if TG_ARGV[0] = 'program' then
    scopes := array['00000000-0000-0000-0000-000000000000'::uuid];
  else
    execute format('select array_agg(distinct s) from (%s) x(s) where s is not null',
      case TG_OP
        when 'INSERT' then format('select %I from new_rows', TG_ARGV[0])
        when 'DELETE' then format('select %I from old_rows', TG_ARGV[0])
        else format('select %1$I from old_rows union all select %1$I from new_rows', TG_ARGV[0]) end)
    into scopes;
  end if;
  if scopes is null then return null; end if;
  -- in a fixed order, so that two statements touching the same territories cannot deadlock
  insert into private.data_versions as d (scope, v)
  select s, 1 from unnest(scopes) s order by s
  on conflict (scope) do update set v = d.v + 1;
  return null;
end
$$;
revoke execute on function private.bump_data_version() from public;

-- The program's data version: changes whenever any committed write changed a table of `public`.
-- Prefixed by the database's oid: one server process never mistakes two databases' versions.
create function private.data_version() returns text
language plpgsql stable security definer set search_path = ''
as $$
begin
  return (select db.oid::text from pg_catalog.pg_database db where db.datname = pg_catalog.current_database())
    || ':' || (select coalesce(sum(d.v), 0)::text from private.data_versions d);
end
$$;
revoke execute on function private.data_version() from public;
grant execute on function private.data_version() to authenticated;

-- ============ triggers: on every table of public ============
do $$
declare
  t record;
  scope text;
begin
  for t in
    select c.relname,
           exists (select from pg_attribute a where a.attrelid = c.oid and a.attname = 'territory_id' and not a.attisdropped) as has_territory
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r'
  loop
    scope := case when t.relname = 'territories' then 'id' when t.has_territory then 'territory_id' else 'program' end;
    execute format('create trigger %I after insert on public.%I referencing new table as new_rows
      for each statement execute function private.bump_data_version(%L)', t.relname || '_version_insert', t.relname, scope);
    execute format('create trigger %I after update on public.%I referencing old table as old_rows new table as new_rows
      for each statement execute function private.bump_data_version(%L)', t.relname || '_version_update', t.relname, scope);
    execute format('create trigger %I after delete on public.%I referencing old table as old_rows
      for each statement execute function private.bump_data_version(%L)', t.relname || '_version_delete', t.relname, scope);
  end loop;
end
$$;
