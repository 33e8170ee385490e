-- A signed-in page confirms its session inside its own transaction instead of in a statement of
-- its own before it (one round trip and one wake-up of Postgres less per page; see
-- src/lib/server/auth/local.ts, identify). Called right after the transaction became the user,
-- before any of its reads: the session named in the claims must still be alive — not revoked,
-- not past its 12 hours, not idle for more than `p_idle_minutes` — and the claims the page
-- trusted (email, role) must still be true. Otherwise the transaction fails with MS401
-- (the app answers with the login page). Reads the caller's own claims only: nothing to probe.
create function private.confirm_session(p_idle_minutes integer) returns boolean
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
    left join public.profiles p on p.user_id = s.user_id
    where s.id = (c->>'session_id')::uuid and s.user_id = (c->>'sub')::uuid
      and s.revoked_at is null and s.expires_at > now()
      and s.last_seen_at > now() - make_interval(mins => p_idle_minutes)
      and u.email = c->>'email'
      and p.app_role::text is not distinct from c->>'app_role'
  ) then
    return true;
  end if;
  raise exception 'session ended' using errcode = 'MS401';
end
$$;

revoke execute on function private.confirm_session(integer) from public, anon;
grant execute on function private.confirm_session(integer) to authenticated;
