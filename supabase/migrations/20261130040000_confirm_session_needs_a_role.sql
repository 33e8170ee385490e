-- A session whose account lost its role (profile deleted, role removed outside the app, which
-- revokes sessions itself) ends, as the login refuses such an account: private.confirm_session
-- now requires a role, equal to the one the page trusted (same rule as auth/local.ts identify).
create or replace function private.confirm_session(p_idle_minutes integer) returns boolean
language plpgsql stable security definer set search_path = ''
as $$
declare
  c jsonb := nullif(current_setting('request.jwt.claims', true), '')::jsonb;
  id_pattern constant text := '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
begin
  if c is not null and c->>'session_id' ~ id_pattern and c->>'sub' ~ id_pattern and exists (
    select
    from private.sessions s
    join auth.users u on u.id = s.user_id
    join public.profiles p on p.user_id = s.user_id
    where s.id = (c->>'session_id')::uuid and s.user_id = (c->>'sub')::uuid
      and s.revoked_at is null and s.expires_at > now()
      and s.last_seen_at > now() - make_interval(mins => p_idle_minutes)
      and u.email = c->>'email'
      and p.app_role is not null and p.app_role::text = c->>'app_role'
  ) then
    return true;
  end if;
  raise exception 'session ended' using errcode = 'MS401';
end
$$;
