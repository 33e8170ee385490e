-- One identity rule for people and lieux: a matching key computed by Postgres, stored and indexed.
-- « Hélène  Zéphyr », « Helene Zephyr », « HÉLÈNE ZÉPHYR » (NFC or NFD), « O'Neil » / « O’Neil »
-- all get the same key, so that the enrol form, the quick-add at a workshop, the CSV import (against
-- the registry and inside the file), the lieux and the search all agree on who is who.
--
-- The rule, in order:
--   1. Unicode compatibility normalisation (NFKC): ligatures « ﬁ », full-width letters, non-breaking
--      and narrow non-breaking spaces become their plain form;
--   2. accents and special letters removed with the `unaccent` dictionary (é → e, œ → oe, ß → ss,
--      ’ → ', « → <<, – → -), then any combining mark left over (NFKD, U+0300–U+036F) dropped;
--   3. case folded (ICU, whatever the database's locale);
--   4. every run of characters that are not letters or digits (spaces, apostrophes, quotes, dashes,
--      dots, commas…) collapsed to one space, and the ends trimmed.
-- So « Jean-Pierre » and « Jean Pierre » match; « Lœuvre » and « Loeuvre » match.
--
-- Extensions: Supabase keeps them in the schema `extensions`; on plain Postgres 17 we create that
-- schema. `unaccent` and `pg_trgm` are trusted extensions: the migration's owner role needs CREATE
-- on the database, not superuser.

-- ============ extensions ============
create schema if not exists extensions;
do $$
declare
  v_where text;
begin
  select n.nspname into v_where from pg_extension e join pg_namespace n on n.oid = e.extnamespace
  where e.extname in ('unaccent', 'pg_trgm') and n.nspname <> 'extensions' limit 1;
  if v_where is not null then
    raise exception 'unaccent / pg_trgm sont installées dans le schéma %, attendu : extensions (alter extension … set schema extensions)', v_where;
  end if;
end
$$;
create extension if not exists unaccent with schema extensions;
create extension if not exists pg_trgm with schema extensions;

-- ============ helpers ============
-- Immutable on purpose: `unaccent(text)` is only stable because it looks its dictionary up by
-- name through search_path; here the dictionary is named explicitly, so the result only depends on
-- the argument (and on the unaccent rules file, which changes with a Postgres upgrade at most —
-- then `update … set display_name = display_name` recomputes the keys).
create function private.identity_key(p_value text) returns text
language sql immutable strict parallel safe security definer set search_path = ''
as $$
  select btrim(regexp_replace(
    lower(regexp_replace(
      normalize(extensions.unaccent('extensions.unaccent'::regdictionary, normalize(p_value, NFKC)), NFKD),
      '[\u0300-\u036f]+', '', 'g') collate "und-x-icu"),
    '[^[:alnum:]]+', ' ', 'g'))
$$;
comment on function private.identity_key(text) is
  'Matching key of a name or commune: NFKC, unaccent, case folded, runs of non-alphanumerics → one space.';

-- ============ columns ============
-- Stored generated columns: always in step with the text, whoever writes it (forms, import, SQL).
alter table public.citizens
  add column name_key text generated always as (private.identity_key(display_name)) stored,
  add column commune_key text generated always as (private.identity_key(commune)) stored;
alter table public.lieux
  add column name_key text generated always as (private.identity_key(name)) stored,
  add column commune_key text generated always as (private.identity_key(commune)) stored;

-- ============ indexes ============
-- Lookalikes: equality on the territory and the keys.
create index citizens_identity_idx on public.citizens (territory_id, name_key, commune_key);
create index lieux_identity_idx on public.lieux (territory_id, name_key, commune_key);
-- Search as typed (« zephyr », « besancon », « lea c »): substring match on the keys, trigram GIN.
create index citizens_name_key_trgm_idx on public.citizens using gin (name_key extensions.gin_trgm_ops);
create index citizens_commune_key_trgm_idx on public.citizens using gin (commune_key extensions.gin_trgm_ops);
-- …and part of an e-mail address (the citizens search box looks there too).
create index citizens_email_trgm_idx on public.citizens using gin (lower(email) extensions.gin_trgm_ops);
create index lieux_name_key_trgm_idx on public.lieux using gin (name_key extensions.gin_trgm_ops);
create index lieux_commune_key_trgm_idx on public.lieux using gin (commune_key extensions.gin_trgm_ops);
-- Replaced by the key indexes above.
drop index if exists public.citizens_territory_name_idx;
drop index if exists public.lieux_territory_name_idx;

-- ============ triggers ============
-- The name key is personal data like the name: the audit trail masks it too.
drop trigger citizens_audit on public.citizens;
create trigger citizens_audit after insert or update or delete on public.citizens
  for each row execute function private.audit('display_name', 'email', 'phone', 'commune', 'postal_code',
    'name_key', 'commune_key');

-- ============ grants ============
-- Writers of citizens and lieux evaluate the generated columns; readers search with the same key.
revoke execute on function private.identity_key(text) from public;
grant execute on function private.identity_key(text) to authenticated, service_role;
