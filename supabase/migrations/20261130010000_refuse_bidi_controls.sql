-- The text checks « no control character » (20261129110100_add_text_and_date_rules.sql) also refuse
-- the bidirectional embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069: stored in a
-- note or a name, they make it display in another order than it was written (« Trojan Source »,
-- CVE-2021-42574). The narrow no-break space U+202F of French typography stays allowed. Same set
-- as CONTROL_CHARACTERS in src/lib/domain/fields.ts.
-- NOT VALID: a text stored before keeps working until it is edited; every new write is checked.
do $$
declare
  r record;
begin
  for r in
    select con.conname, cls.relname,
           (select a.attname from pg_attribute a where a.attrelid = con.conrelid and a.attnum = con.conkey[1]) as column_name
    from pg_constraint con
    join pg_class cls on cls.oid = con.conrelid
    join pg_namespace n on n.oid = cls.relnamespace
    where n.nspname = 'public' and con.contype = 'c' and con.conname like '%\_no\_control'
  loop
    execute format('alter table public.%I drop constraint %I', r.relname, r.conname);
    execute format(
      'alter table public.%I add constraint %I check (%I !~ %L) not valid',
      r.relname, r.conname, r.column_name,
      '[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]');
  end loop;
end
$$;
