-- Local accounts (the default provider when Supabase Auth is not configured): server-side
-- sessions, so that logout really ends a session, and login throttling shared by every server.
-- All in the non-exposed `private` schema: no user role can read or write them.

-- ============ tables ============
create table private.sessions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz
);
create index sessions_user_id_idx on private.sessions (user_id);

create table private.login_attempts (
  id bigint generated always as identity primary key,
  email text not null,
  ip text not null,
  at timestamptz not null default now(),
  succeeded boolean not null
);
create index login_attempts_email_at_idx on private.login_attempts (email, at);
create index login_attempts_ip_at_idx on private.login_attempts (ip, at);

-- The key that signs local session tokens, shared by every server of one database.
-- (An AUTH_SECRET environment variable overrides it.)
create table private.app_secrets (
  name text primary key,
  value text not null
);
insert into private.app_secrets (name, value)
values ('session_signing_key',
        replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', ''));

-- ============ grants ============
revoke all on private.sessions, private.login_attempts, private.app_secrets
  from public, anon, authenticated;

-- Defence in depth: RLS on, and no policy — no user role could read a row even if granted.
alter table private.sessions enable row level security;
alter table private.login_attempts enable row level security;
alter table private.app_secrets enable row level security;
