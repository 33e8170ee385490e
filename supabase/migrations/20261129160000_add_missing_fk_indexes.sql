-- Benchmark (#10): every foreign key and every column a policy filters on leads an index, so that
-- no check or cascade scans a table as it grows (tests/db/performance.test.ts keeps it so).
-- All policies already wrap their calls as `(select auth.uid())` / `(select private.x())`: checked
-- by the same test, nothing to change here.

-- ============ indexes ============

-- indicators.law references public.laws: the only foreign key without an index of its own
-- (indicators_law_idx starts with cohort_id).
create index if not exists indicators_law_fk_idx on public.indicators (law);
