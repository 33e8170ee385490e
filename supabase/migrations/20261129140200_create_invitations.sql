-- People and access: invitations (a one-time, expiring link for local accounts), the staff's
-- directory of people, and removing someone's access at once (their sessions end).

-- ============ tables ============
-- Only a SHA-256 of the token is stored: the link is shown once to the inviting facilitator.
create table public.invitations (
  id uuid primary key default gen_random_uuid(),
  token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
  email text not null check (email = lower(trim(email)) and length(email) between 3 and 254 and email like '%@%'),
  display_name text not null check (length(trim(display_name)) between 1 and 120),
  app_role public.app_role not null,
  territory_id uuid references public.territories (id) on delete cascade,
  invited_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  accepted_at timestamptz,
  revoked_at timestamptz,
  -- a coordinator is invited to one territory; others to none
  constraint invitations_territory_for_coordinators check ((app_role = 'coordinator') = (territory_id is not null))
);
create index invitations_email_idx on public.invitations (email);
create index invitations_territory_id_idx on public.invitations (territory_id);

-- ============ triggers ============
create trigger invitations_audit after insert or update or delete on public.invitations
  for each row execute function private.audit('token_hash', 'email');

-- ============ helpers ============
-- The staff's directory: who has which role, their e-mail (from auth.users, which users cannot
-- read) and their territories. Empty for anyone but facilitators and admins.
create function public.people_directory()
returns table (user_id uuid, email text, display_name text, app_role public.app_role,
               territory_ids uuid[], last_sign_in_at timestamptz)
language sql stable security definer set search_path = ''
as $$
  select p.user_id, u.email::text, p.display_name, p.app_role,
         coalesce(array(select m.territory_id from public.territory_members m where m.user_id = p.user_id), '{}'),
         u.last_sign_in_at
  from public.profiles p join auth.users u on u.id = p.user_id
  where (select private.is_staff())
  order by p.app_role, p.display_name
$$;

-- Removes a person's access: their role and territories go, their local sessions end now.
-- Staff only; only admins remove an admin or a facilitator; nobody removes themselves. Raises 42501.
create function public.remove_access(p_user_id uuid)
returns void
language plpgsql security definer set search_path = ''
as $$
declare
  v_role public.app_role;
begin
  if not (select private.is_staff()) then
    raise exception 'not allowed' using errcode = '42501';
  end if;
  select p.app_role into v_role from public.profiles p where p.user_id = p_user_id;
  if v_role is null or p_user_id = auth.uid()
     or (v_role in ('admin', 'facilitator') and not (select private.is_admin())) then
    raise exception 'not allowed' using errcode = '42501';
  end if;
  delete from public.territory_members where user_id = p_user_id;
  delete from public.profiles where user_id = p_user_id;
  update private.sessions set revoked_at = now() where user_id = p_user_id and revoked_at is null;
end
$$;

-- Changes a person's role. Staff only; only admins give or take the admin or facilitator role
-- (facilitators manage coordinators and funders); nobody changes their own. A person who stops
-- being a coordinator leaves their territories. Raises 42501.
create function public.change_role(p_user_id uuid, p_role public.app_role)
returns void
language plpgsql security definer set search_path = ''
as $$
declare
  v_role public.app_role;
begin
  select p.app_role into v_role from public.profiles p where p.user_id = p_user_id;
  if not (select private.is_staff()) or v_role is null or p_user_id = auth.uid()
     or ((v_role in ('admin', 'facilitator') or p_role in ('admin', 'facilitator')) and not (select private.is_admin())) then
    raise exception 'not allowed' using errcode = '42501';
  end if;
  update public.profiles set app_role = p_role where user_id = p_user_id and app_role <> p_role;
  if p_role <> 'coordinator' then
    delete from public.territory_members where user_id = p_user_id;
  end if;
end
$$;

-- ============ grants ============
revoke all on public.invitations from anon, authenticated;
grant select, insert, update on public.invitations to authenticated;
revoke execute on function public.people_directory(), public.remove_access(uuid), public.change_role(uuid, public.app_role) from public;
grant execute on function public.people_directory(), public.remove_access(uuid), public.change_role(uuid, public.app_role) to authenticated;

-- ============ policies ============
alter table public.invitations enable row level security;

create policy invitations_select on public.invitations for select to authenticated
  using ((select private.is_staff()));
-- facilitators invite coordinators, funders and facilitators; only admins invite admins
create policy invitations_insert on public.invitations for insert to authenticated
  with check ((select private.is_admin()) or ((select private.is_staff()) and app_role <> 'admin'));
-- revoking a pending invitation
create policy invitations_update on public.invitations for update to authenticated
  using ((select private.is_admin()) or ((select private.is_staff()) and app_role <> 'admin'))
  with check ((select private.is_admin()) or ((select private.is_staff()) and app_role <> 'admin'));
create policy invitations_delete on public.invitations for delete to authenticated
  using (false);
