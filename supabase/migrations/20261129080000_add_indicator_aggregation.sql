-- Indicator aggregation rules (DOMAIN.md « Aggregation »), shared by the facilitator cockpit
-- (which edits them) and the funder dashboards (which apply them), plus the IATI results shape:
-- baseline and a default target per indicator.

-- ============ enums ============
-- Over time: flows are summed, stocks take their last value, rates may be averaged.
create type public.aggregation_over_time as enum ('sum', 'last', 'average');
-- Across territories: counts are summed, rates averaged.
create type public.aggregation_across as enum ('sum', 'average');

-- ============ columns ============
alter table public.indicators
  add column aggregation_over_time public.aggregation_over_time,
  add column aggregation_across public.aggregation_across not null default 'sum',
  add column baseline numeric check (baseline is null or (baseline >= 0 and baseline < 1e12)),
  add column default_target numeric check (default_target is null or (default_target >= 0 and default_target < 1e12));

-- Existing indicators: the rule follows their kind (summing a stock over months double-counts).
update public.indicators
   set aggregation_over_time = case when kind = 'flow' then 'sum' else 'last' end::public.aggregation_over_time;
alter table public.indicators alter column aggregation_over_time set not null;
-- A stock is never summed over time.
alter table public.indicators add constraint indicators_stock_not_summed
  check (not (kind = 'stock' and aggregation_over_time = 'sum'));

-- ============ triggers ============
-- An indicator created without a rule over time gets its kind's: sum for a flow, last for a stock.
create function private.default_aggregation_over_time() returns trigger
language plpgsql set search_path = '' as $$
begin
  if new.aggregation_over_time is null then
    new.aggregation_over_time := case when new.kind = 'flow' then 'sum' else 'last' end;
  end if;
  return new;
end $$;
revoke execute on function private.default_aggregation_over_time() from public;
create trigger indicators_default_aggregation before insert on public.indicators
  for each row execute function private.default_aggregation_over_time();
