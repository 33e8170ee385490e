-- Row-Level Security on the private tables the rollups and the one-write-per-submission mechanism
-- added, like the other private tables (sessions, login attempts): deny by default, no policy.
-- Only their owner reaches them — the security definer functions that maintain and read them
-- (an owner is not subject to RLS) — so nothing changes for the app; a grant given by mistake
-- later would still expose no row.

-- ============ policies ============
alter table private.form_submissions enable row level security;
alter table private.territory_months enable row level security;
alter table private.territory_month_citizens enable row level security;
alter table private.territory_days enable row level security;
alter table private.participant_months enable row level security;
