-- Published transparency snapshots (the cooperative's fifth law). Facilitators publish a dated
-- copy of the aggregates the funder dashboard shows for a period (already suppressed: no count of
-- people under the threshold); the public page shows the latest one still published, and nothing
-- on it moves until the next publication. A publication is withdrawn, never edited or deleted.

-- ============ tables ============
create table public.transparency_snapshots (
  id uuid primary key default gen_random_uuid(),
  cohort_id uuid not null references public.cohorts (id) on delete cascade,
  -- the period the figures cover: first days of months, both included
  period_from date not null check (extract(day from period_from) = 1),
  period_to date not null check (extract(day from period_to) = 1 and period_to >= period_from),
  -- the day the figures were read (Paris)
  data_date date not null,
  -- the aggregates as shown (src/lib/domain/impact.ts, ImpactData), at most 2 MB
  figures jsonb not null check (jsonb_typeof(figures) = 'object' and pg_column_size(figures) < 2000000),
  published_at timestamptz not null default now(),
  published_by uuid default auth.uid(),
  withdrawn_at timestamptz,
  withdrawn_by uuid
);
create index transparency_snapshots_cohort_idx on public.transparency_snapshots (cohort_id, published_at desc);
create index transparency_snapshots_withdrawn_idx on public.transparency_snapshots (withdrawn_at);

-- ============ triggers ============
create trigger transparency_snapshots_audit after insert or update or delete on public.transparency_snapshots
  for each row execute function private.audit('figures');

-- ============ helpers ============
-- The public page: the latest snapshot still published of the current cohort, or no row.
create function public.published_snapshot()
returns table (id uuid, period_from date, period_to date, data_date date, published_at timestamptz, figures jsonb)
language sql stable security definer set search_path = ''
as $$
  select s.id, s.period_from, s.period_to, s.data_date, s.published_at, s.figures
  from public.transparency_snapshots s
  where s.cohort_id = (select (private.current_cohort()).id) and s.withdrawn_at is null
  order by s.published_at desc, s.id
  limit 1
$$;

-- ============ grants ============
revoke all on public.transparency_snapshots from anon, authenticated;
grant select, insert on public.transparency_snapshots to authenticated;
-- only the withdrawal can change: the figures of a publication never do
grant update (withdrawn_at, withdrawn_by) on public.transparency_snapshots to authenticated;
revoke execute on function public.published_snapshot() from public;
grant execute on function public.published_snapshot() to anon, authenticated;

-- ============ policies ============
alter table public.transparency_snapshots enable row level security;

-- published ones are public anyway; staff also see the withdrawn ones
create policy transparency_snapshots_select on public.transparency_snapshots for select to authenticated
  using (withdrawn_at is null or (select private.is_staff()));
create policy transparency_snapshots_insert on public.transparency_snapshots for insert to authenticated
  with check ((select private.is_staff()) and withdrawn_at is null);
create policy transparency_snapshots_update on public.transparency_snapshots for update to authenticated
  using ((select private.is_staff())) with check ((select private.is_staff()));
-- no delete: a publication is withdrawn, and its history stays
