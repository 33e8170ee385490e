-- Facilitator cockpit settings: the timeliness day of monthly reports (per cohort) and the
-- archiving of territories (never a deletion: an archived territory keeps all its data).

-- ============ columns ============
-- A month's indicators are "on time" when all were entered by this day of the following month.
alter table public.cohorts
  add column timeliness_day smallint not null default 10 check (timeliness_day between 1 and 28);

-- Archived territories leave the cockpit's lists; their rows stay. Null: not archived.
alter table public.territories
  add column archived_at timestamptz;
