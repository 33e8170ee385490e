-- Milestones: program-wide templates, and each territory's milestones (from templates or its own).
-- Lateness is derived (due date passed, not done), never stored.

-- ============ enums ============
create type public.milestone_status as enum ('planned', 'in_progress', 'done', 'blocked');

-- ============ tables ============
create table public.milestone_templates (
  id uuid primary key default gen_random_uuid(),
  cohort_id uuid not null references public.cohorts (id) on delete cascade,
  code text not null check (code ~ '^[a-z0-9_]{1,40}$'),
  title text not null check (length(trim(title)) between 1 and 200),
  description text not null default '' check (length(description) <= 4000),
  month_offset smallint not null check (month_offset between 1 and 60),
  laws smallint[] not null default '{}' check (laws <@ array[1, 2, 3, 4, 5]::smallint[]),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  unique (cohort_id, code)
);

create table public.milestones (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid not null references public.territories (id) on delete cascade,
  template_id uuid references public.milestone_templates (id) on delete set null,
  title text not null check (length(trim(title)) between 1 and 200),
  description text not null default '' check (length(description) <= 4000),
  due_date date not null,
  status public.milestone_status not null default 'planned',
  completed_at date,
  evidence_note text not null default '' check (length(evidence_note) <= 4000),
  evidence_url text check (evidence_url ~* '^https?://' and length(evidence_url) <= 2000),
  blocked_reason text not null default '' check (length(blocked_reason) <= 2000),
  laws smallint[] not null default '{}' check (laws <@ array[1, 2, 3, 4, 5]::smallint[]),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1,
  unique (territory_id, template_id),
  constraint milestones_done_has_date check ((status = 'done') = (completed_at is not null)),
  constraint milestones_blocked_has_reason check (status <> 'blocked' or length(trim(blocked_reason)) > 0)
);
create index milestones_territory_due_idx on public.milestones (territory_id, due_date);
create index milestones_template_id_idx on public.milestones (template_id);

-- ============ triggers ============
create trigger milestone_templates_version before update on public.milestone_templates
  for each row execute function private.bump_version();
create trigger milestones_version before update on public.milestones
  for each row execute function private.bump_version();
create trigger milestone_templates_audit after insert or update or delete on public.milestone_templates
  for each row execute function private.audit();
create trigger milestones_audit after insert or update or delete on public.milestones
  for each row execute function private.audit();

-- ============ grants ============
revoke all on public.milestone_templates, public.milestones from anon, authenticated;
grant select, insert, update, delete on public.milestone_templates, public.milestones to authenticated;

-- ============ policies ============
alter table public.milestone_templates enable row level security;
alter table public.milestones enable row level security;

create policy milestone_templates_select on public.milestone_templates for select to authenticated
  using (true);
create policy milestone_templates_insert on public.milestone_templates for insert to authenticated
  with check ((select private.is_staff()));
create policy milestone_templates_update on public.milestone_templates for update to authenticated
  using ((select private.is_staff())) with check ((select private.is_staff()));
create policy milestone_templates_delete on public.milestone_templates for delete to authenticated
  using ((select private.is_staff()));

create policy milestones_select on public.milestones for select to authenticated
  using (territory_id = any ((select private.my_territory_ids())::uuid[]));
create policy milestones_insert on public.milestones for insert to authenticated
  with check (territory_id = any ((select private.my_territory_ids())::uuid[]));
create policy milestones_update on public.milestones for update to authenticated
  using (territory_id = any ((select private.my_territory_ids())::uuid[]))
  with check (territory_id = any ((select private.my_territory_ids())::uuid[]));
-- a territory may remove the milestones it added itself; template milestones stay
create policy milestones_delete on public.milestones for delete to authenticated
  using (territory_id = any ((select private.my_territory_ids())::uuid[])
         and (template_id is null or (select private.is_staff())));
