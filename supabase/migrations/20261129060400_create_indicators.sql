-- Impact indicators under the five laws, per-territory targets, and monthly values.

-- ============ enums ============
create type public.indicator_kind as enum ('flow', 'stock');

-- ============ tables ============
-- The five laws of the cooperative: fixed reference data.
create table public.laws (
  id smallint primary key check (id between 1 and 5),
  name_fr text not null,
  name_en text not null,
  summary_fr text not null
);

create table public.indicators (
  id uuid primary key default gen_random_uuid(),
  cohort_id uuid not null references public.cohorts (id) on delete cascade,
  law smallint not null references public.laws (id),
  code text not null check (code ~ '^[a-z0-9_]{1,40}$'),
  name_fr text not null check (length(trim(name_fr)) between 1 and 200),
  name_en text not null check (length(trim(name_en)) between 1 and 200),
  unit text not null check (length(trim(unit)) between 1 and 40),
  kind public.indicator_kind not null,
  higher_is_better boolean not null default true,
  active boolean not null default true,
  sort_order smallint not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  unique (cohort_id, code)
);
create index indicators_law_idx on public.indicators (cohort_id, law, sort_order);

create table public.indicator_targets (
  indicator_id uuid not null references public.indicators (id) on delete cascade,
  territory_id uuid not null references public.territories (id) on delete cascade,
  target numeric not null check (target >= 0),
  primary key (indicator_id, territory_id)
);
create index indicator_targets_territory_idx on public.indicator_targets (territory_id);

create table public.indicator_values (
  id uuid primary key default gen_random_uuid(),
  indicator_id uuid not null references public.indicators (id) on delete cascade,
  territory_id uuid not null references public.territories (id) on delete cascade,
  -- the first day of the month the value is for
  month date not null check (extract(day from month) = 1),
  value numeric not null check (value >= 0 and value < 1e12),
  note text not null default '' check (length(note) <= 2000),
  evidence_url text check (evidence_url ~* '^https?://' and length(evidence_url) <= 2000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  unique (indicator_id, territory_id, month)
);
create index indicator_values_territory_month_idx on public.indicator_values (territory_id, month);

-- ============ triggers ============
create trigger indicators_version before update on public.indicators
  for each row execute function private.bump_version();
create trigger indicator_values_version before update on public.indicator_values
  for each row execute function private.bump_version();
create trigger indicators_audit after insert or update or delete on public.indicators
  for each row execute function private.audit();
create trigger indicator_targets_audit after insert or update or delete on public.indicator_targets
  for each row execute function private.audit();
create trigger indicator_values_audit after insert or update or delete on public.indicator_values
  for each row execute function private.audit();

-- ============ data ============
insert into public.laws (id, name_fr, name_en, summary_fr) values
  (1, 'Visée régénérative', 'Regenerative purpose',
   'Le numérique au service de la régénération des écosystèmes humains et naturels.'),
  (2, 'Ancrage', 'Anchoring',
   'Ancré dans un territoire, il favorise les interactions physiques et la vie réelle.'),
  (3, 'Encapacitation', 'Empowerment',
   'Les personnes et les collectifs comprennent leur environnement et agissent dessus.'),
  (4, 'Sobriété', 'Sobriety',
   'Un minimum de ressources, et des usages au service d''une économie soutenable.'),
  (5, 'Intégrité', 'Integrity',
   'Gouvernance collective, algorithmes transparents, sécurité et souveraineté des données, équité.');

-- ============ grants ============
revoke all on public.laws, public.indicators, public.indicator_targets, public.indicator_values
  from anon, authenticated;
grant select on public.laws to anon, authenticated;
grant select, insert, update, delete on public.indicators, public.indicator_targets,
  public.indicator_values to authenticated;

-- ============ policies ============
alter table public.laws enable row level security;
alter table public.indicators enable row level security;
alter table public.indicator_targets enable row level security;
alter table public.indicator_values enable row level security;

create policy laws_select on public.laws for select to anon, authenticated using (true);

create policy indicators_select on public.indicators for select to authenticated using (true);
create policy indicators_insert on public.indicators for insert to authenticated
  with check ((select private.is_staff()));
create policy indicators_update on public.indicators for update to authenticated
  using ((select private.is_staff())) with check ((select private.is_staff()));
create policy indicators_delete on public.indicators for delete to authenticated
  using ((select private.is_staff()));

create policy indicator_targets_select on public.indicator_targets for select to authenticated
  using (true);
create policy indicator_targets_insert on public.indicator_targets for insert to authenticated
  with check ((select private.is_staff()));
create policy indicator_targets_update on public.indicator_targets for update to authenticated
  using ((select private.is_staff())) with check ((select private.is_staff()));
create policy indicator_targets_delete on public.indicator_targets for delete to authenticated
  using ((select private.is_staff()));

-- values (with notes that may mention people): the territory's team; funders use aggregates
create policy indicator_values_select on public.indicator_values for select to authenticated
  using (territory_id = any ((select private.my_territory_ids())::uuid[]));
create policy indicator_values_insert on public.indicator_values for insert to authenticated
  with check (territory_id = any ((select private.my_territory_ids())::uuid[]));
create policy indicator_values_update on public.indicator_values for update to authenticated
  using (territory_id = any ((select private.my_territory_ids())::uuid[]))
  with check (territory_id = any ((select private.my_territory_ids())::uuid[]));
create policy indicator_values_delete on public.indicator_values for delete to authenticated
  using ((select private.is_staff()));
