-- Least privilege on functions (issue #7, point 4). Postgres grants EXECUTE on every new function
-- to PUBLIC, and `alter default privileges in schema …` (20261129060000) cannot take that back:
-- per-schema defaults only add to the global ones. So the helpers of `private` and the public
-- functions stayed callable by any role, `anon` included. Here: revoke PUBLIC's EXECUTE one
-- function at a time, change the global default for the role that runs the migrations (so that
-- functions created by later migrations start with no PUBLIC grant), and take `private` away
-- from `anon`. Grants made to `authenticated`/`anon` by earlier migrations stay as they were.

-- ============ defaults ============
-- Global (no `in schema`): applies to every function the migration role creates from now on.
alter default privileges revoke execute on functions from public;
-- On Supabase, `postgres` also has per-schema defaults granting everything in public to anon and
-- authenticated (new tables, sequences, functions). Deny by default there too: each migration
-- grants what it means. (No-op on plain Postgres, which has no such defaults.)
alter default privileges in schema public revoke all on tables from anon, authenticated;
alter default privileges in schema public revoke all on sequences from anon, authenticated;
alter default privileges in schema public revoke execute on functions from anon, authenticated;

-- ============ private: helpers (authenticated keeps its explicit grants) ============
revoke execute on function private.app_role() from public;
revoke execute on function private.is_staff() from public;
revoke execute on function private.is_admin() from public;
revoke execute on function private.my_territory_ids() from public;
revoke execute on function private.can_access_territory(uuid) from public;
revoke execute on function private.visible_display_name(uuid) from public;
revoke execute on function private.program_totals() from public;

-- ============ private: trigger functions (a trigger fires without EXECUTE) ============
revoke execute on function private.bump_version() from public;
revoke execute on function private.audit() from public;
revoke execute on function private.consent_event_territory() from public;
revoke execute on function private.workshop_lieu_in_territory() from public;
revoke execute on function private.attendance_territory() from public;
revoke execute on function private.default_aggregation_over_time() from public;

-- ============ public: functions users call (explicit grants in their migrations stay) ============
revoke execute on function public.can_access_territory(uuid) from public;
revoke execute on function public.territory_figures(date, uuid) from public;
revoke execute on function public.program_totals() from public;
revoke execute on function public.public_program_totals() from public;
-- signed-in users only (on Supabase, anon had them through the defaults above)
revoke execute on function public.can_access_territory(uuid) from anon;
revoke execute on function public.territory_figures(date, uuid) from anon;
revoke execute on function public.program_totals() from anon;

-- ============ schema ============
-- anon calls no helper: the policies it meets (laws) and public_program_totals need none.
revoke usage on schema private from anon;
