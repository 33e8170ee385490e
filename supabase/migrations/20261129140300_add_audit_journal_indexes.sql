-- The audit journal (/journal) reads events newest first, filtered by date and by person.

-- ============ indexes ============
create index audit_events_at_idx on public.audit_events (at desc);
create index audit_events_actor_at_idx on public.audit_events (actor_id, at desc);
