-- Milestone templates: an explicit order, and applying a template to territories without
-- overwriting what a territory edited. Each milestone made from a template keeps a snapshot of
-- the template fields it last received (title, description, laws, due date); a territory's edit
-- makes the row differ from its snapshot, and applying the template then leaves it alone.

-- ============ columns ============
alter table public.milestone_templates
  add column sort_order smallint not null default 0 check (sort_order between 0 and 32000);

alter table public.milestones
  add column template_synced jsonb;

-- ============ helpers ============
-- The snapshot of a milestone's template-given fields, in one shape everywhere.
create function private.milestone_template_fields(p_title text, p_description text, p_laws smallint[], p_due_date date)
returns jsonb
language sql immutable set search_path = ''
as $$
  select jsonb_build_object('title', p_title, 'description', p_description, 'laws', to_jsonb(p_laws), 'due_date', p_due_date)
$$;
revoke execute on function private.milestone_template_fields(text, text, smallint[], date) from public;
grant execute on function private.milestone_template_fields(text, text, smallint[], date) to authenticated;

-- ============ triggers ============
-- A milestone created from a template starts in sync with it.
create function private.milestone_template_snapshot() returns trigger
language plpgsql set search_path = ''
as $$
begin
  if new.template_id is not null and new.template_synced is null then
    new.template_synced := private.milestone_template_fields(new.title, new.description, new.laws, new.due_date);
  end if;
  return new;
end
$$;
revoke execute on function private.milestone_template_snapshot() from public;
create trigger milestones_template_snapshot before insert on public.milestones
  for each row execute function private.milestone_template_snapshot();

-- ============ data ============
-- Existing templates: ordered by month, then code. Existing template milestones: in sync when
-- they still carry exactly their template's fields; otherwise (edited before) no snapshot: left alone.
select set_config('marathon.seeding', 'on', true);
update public.milestone_templates mt set sort_order = o.n
from (select id, row_number() over (partition by cohort_id order by month_offset, code)::smallint as n
      from public.milestone_templates) o
where o.id = mt.id;
update public.milestones m
   set template_synced = private.milestone_template_fields(m.title, m.description, m.laws, m.due_date)
  from public.milestone_templates mt, public.territories t, public.cohorts c
 where mt.id = m.template_id and t.id = m.territory_id and c.id = t.cohort_id
   and m.title = mt.title and m.description = mt.description and m.laws = mt.laws
   and m.due_date = (coalesce(t.start_date, c.start_date) + make_interval(months => mt.month_offset))::date - 1;
select set_config('marathon.seeding', '', true);
