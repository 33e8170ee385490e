-- Foreign keys of tables added by the cockpit and the rollups, each led by an index: deleting a
-- territory or a profile must not scan these tables (tests/db/performance.test.ts checks them all).

-- ============ indexes ============
create index invitations_invited_by_idx on public.invitations (invited_by);
create index participant_months_territory_idx on private.participant_months (territory_id, month);
