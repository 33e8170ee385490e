-- Who did it: the name shown beside an audit event.
-- profiles_select lets a coordinator read only their own profile, so a plain join on
-- public.profiles shows no name for a colleague's or a facilitator's change. This helper returns
-- a display name only to someone entitled to see it: staff (everyone), anyone (themselves),
-- a user with an app role (staff members' names: the program team is known to all), and a
-- coordinator (the other coordinators of their own territories). Nothing else of the profile.

-- ============ helpers ============
create function private.visible_display_name(p_user_id uuid) returns text
language sql stable security definer set search_path = ''
as $$
  select p.display_name
  from public.profiles p
  where p.user_id = p_user_id
    and (
      p.user_id = (select auth.uid())
      or (select private.is_staff())
      or (p.app_role in ('admin', 'facilitator') and (select private.app_role()) is not null)
      or exists (
        select 1 from public.territory_members m
        where m.user_id = p.user_id
          and m.territory_id = any ((select private.my_territory_ids())::uuid[]))
    )
$$;

-- ============ grants ============
grant execute on function private.visible_display_name(uuid) to authenticated;
