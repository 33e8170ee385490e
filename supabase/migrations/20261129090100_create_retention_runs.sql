-- RGPD retention (issue #7, point 10): each run of `npm run db:retention` leaves its counts here,
-- so that the register can show what was purged and when (the rows purged stay, anonymised, so
-- that the program's counts stay true). Server-only: nothing is granted to user roles.

-- ============ tables ============
create table private.retention_runs (
  id bigint generated always as identity primary key,
  ran_at timestamptz not null default now(),
  -- the configured period, and the date before which withdrawals and erasures were purged
  months smallint not null check (months between 1 and 240),
  cutoff timestamptz not null,
  citizens integer not null default 0 check (citizens >= 0),
  login_attempts integer not null default 0 check (login_attempts >= 0),
  sessions integer not null default 0 check (sessions >= 0)
);

-- ============ grants ============
revoke all on private.retention_runs from public, anon, authenticated;

-- ============ policies ============
-- Defence in depth: RLS on, and no policy — no user role could read a row even if granted.
alter table private.retention_runs enable row level security;
