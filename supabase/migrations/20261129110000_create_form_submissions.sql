-- Forms that never write twice. Every create form (citizen enrolment, quick-add at a workshop,
-- lieu, workshop, milestone, CSV import) carries a submission token: a UUID drawn when the form is
-- shown. The server claims the token in the same transaction as the write and stores what the
-- write produced; the same submission sent again (double-click, retry after a timeout, two
-- parallel posts) finds the claim and answers with the record already written, writing nothing.

-- ============ tables ============
-- Not in `public`: nobody reads or writes it but the functions below (security definer).
create table private.form_submissions (
  user_id uuid not null,
  token uuid not null,
  form text not null check (form ~ '^[a-z_]{1,40}$'),
  -- what the first submission produced, e.g. {"id": "…"} or {"n": 12}; null until it wrote
  result jsonb,
  created_at timestamptz not null default now(),
  primary key (user_id, token)
);
create index form_submissions_created_idx on private.form_submissions (created_at);

-- ============ helpers ============
-- Claims `p_token` for the current user and form. Returns null when the caller may write (the
-- token is new), else the stored result of the submission that already wrote (an empty object if
-- it is still unknown). A parallel claim of the same token waits on the primary key until the
-- first transaction ends: committed, it reads its result; rolled back, it claims the token itself.
create function private.claim_submission(p_token uuid, p_form text) returns jsonb
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_result jsonb;
  v_form text;
begin
  if v_uid is null then
    raise exception 'Connexion requise.' using errcode = '42501';
  end if;
  insert into private.form_submissions (user_id, token, form) values (v_uid, p_token, p_form)
  on conflict (user_id, token) do nothing;
  if found then
    -- tokens live a week: a submission replayed later than that is a new one
    delete from private.form_submissions s
    where s.user_id = v_uid and s.created_at < now() - interval '7 days';
    return null;
  end if;
  select s.result, s.form into v_result, v_form
  from private.form_submissions s where s.user_id = v_uid and s.token = p_token;
  if v_form is distinct from p_form then
    raise exception 'Ce jeton de formulaire appartient à un autre formulaire.' using errcode = '23514';
  end if;
  return coalesce(v_result, '{}'::jsonb);
end
$$;

-- Records what the claimed submission produced (same transaction as the write).
create function private.complete_submission(p_token uuid, p_result jsonb) returns void
language sql volatile security definer set search_path = ''
as $$
  update private.form_submissions s set result = p_result
  where s.user_id = (select auth.uid()) and s.token = p_token
$$;

-- Gives the token back when the submission was refused (fields to fix, a lookalike to confirm):
-- the corrected form is sent again with the same token.
create function private.release_submission(p_token uuid) returns void
language sql volatile security definer set search_path = ''
as $$
  delete from private.form_submissions s
  where s.user_id = (select auth.uid()) and s.token = p_token and s.result is null
$$;

-- ============ grants ============
revoke all on private.form_submissions from public, anon, authenticated;
revoke execute on function private.claim_submission(uuid, text) from public;
revoke execute on function private.complete_submission(uuid, jsonb) from public;
revoke execute on function private.release_submission(uuid) from public;
grant execute on function private.claim_submission(uuid, text), private.complete_submission(uuid, jsonb),
  private.release_submission(uuid) to authenticated;
