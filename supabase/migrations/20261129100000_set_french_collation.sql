-- French order for every list, table and export: « Abbaye, école, Écomusée, Ferme, Zèbre »,
-- « Pays des Étangs Clairs » before « Pays des Trois Rivières », œ with oe, case only breaking ties,
-- « Atelier 2 » before « Atelier 10 ». An ICU collation (Unicode Collation Algorithm, CLDR French
-- tailoring, numeric ordering), available on plain Postgres 17 and on Supabase alike.
-- Set on the columns people read sorted, so that every `order by name` (and `lower(name)`) is
-- French without anyone having to remember it. Equality stays byte-wise (deterministic).

-- ============ collations ============
create collation if not exists public.french (provider = icu, locale = 'fr-u-kn-true');

-- ============ columns ============
alter table public.cohorts alter column name type text collate public.french;
alter table public.territories alter column name type text collate public.french;
alter table public.citizens alter column display_name type text collate public.french,
  alter column commune type text collate public.french;
alter table public.lieux alter column name type text collate public.french,
  alter column commune type text collate public.french;
alter table public.workshops alter column title type text collate public.french;
alter table public.milestone_templates alter column title type text collate public.french;
alter table public.milestones alter column title type text collate public.french;
alter table public.indicators alter column name_fr type text collate public.french;
