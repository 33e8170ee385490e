-- Invitations: one live invitation per e-mail, and none for an e-mail that already has an account.
-- Inviting an address again replaces its pending invitation (the old link stops working): the
-- link is shown once to the facilitator, so one who lost it invites again. An address that
-- already has an account is refused (its role is changed on /personnes/<id>, not by invitation).

-- ============ data ============
-- Before the unique index: of several pending invitations for one address, keep the newest.
update public.invitations i set revoked_at = now()
where i.accepted_at is null and i.revoked_at is null
  and exists (select 1 from public.invitations n
              where n.email = i.email and n.accepted_at is null and n.revoked_at is null
                and (n.created_at, n.id) > (i.created_at, i.id));

-- ============ indexes ============
-- At most one pending (neither accepted nor revoked) invitation per address, whoever writes.
create unique index invitations_pending_email_key on public.invitations (email)
  where accepted_at is null and revoked_at is null;

-- ============ triggers ============
-- Before an invitation is recorded: refuse anyone but staff (42501); refuse an address that has an account (23505, constraint
-- invitations_email_has_account); revoke the address's pending invitation, which the new one
-- replaces (only admins replace an invitation to the admin role: 42501 otherwise).
create function private.replace_pending_invitation()
returns trigger
language plpgsql security definer set search_path = ''
as $$
begin
  -- before anything else: a user who may not invite learns nothing (not even whether an address
  -- has an account); the insert policy would refuse them anyway
  if (select auth.uid()) is not null and not (select private.is_staff()) then
    raise exception 'not allowed' using errcode = '42501';
  end if;
  if exists (select 1 from auth.users u where lower(u.email) = new.email) then
    raise exception using errcode = '23505', constraint = 'invitations_email_has_account',
      message = 'Cette adresse a déjà un compte : changez son rôle depuis sa fiche dans « Personnes ».';
  end if;
  if (select auth.uid()) is not null and not (select private.is_admin()) and exists (
    select 1 from public.invitations i
    where i.email = new.email and i.accepted_at is null and i.revoked_at is null and i.app_role = 'admin'
  ) then
    raise exception 'not allowed' using errcode = '42501';
  end if;
  update public.invitations i set revoked_at = now()
  where i.email = new.email and i.accepted_at is null and i.revoked_at is null;
  return new;
end
$$;

create trigger invitations_replace_pending before insert on public.invitations
  for each row execute function private.replace_pending_invitation();

-- ============ grants ============
revoke execute on function private.replace_pending_invitation() from public;
