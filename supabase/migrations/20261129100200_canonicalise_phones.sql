-- Phones stored before the canonical form (E.164, src/lib/domain/contact.ts `canonicalPhone`):
-- « 06 12 34 56 78 », « 06.12.34.56.78 », « +33 6 … » become « +33612345678 », so that lookalikes
-- compare them with what the forms and imports now store. Only unambiguous French national numbers
-- (10 digits starting with 0, written with spaces, dots or dashes) and « +33 … » are rewritten;
-- anything else is left as it is (still shown as typed). Overseas departments get their own code,
-- as in canonicalPhone (ARCEP numbering plan).

-- ============ helpers ============
create function private.canonical_french_phone(p_phone text) returns text
language sql immutable strict parallel safe security definer set search_path = ''
as $$
  with d as (
    select case
      when p_phone ~ '^\s*0[1-9]([\s.-]?[0-9]{2}){4}\s*$' then regexp_replace(p_phone, '[^0-9]', '', 'g')
      when p_phone ~ '^\s*\+33\s*(\(0\))?\s*[1-9]([\s.-]?[0-9]{2}){4}\s*$'
        then '0' || right(regexp_replace(replace(p_phone, '(0)', ''), '[^0-9]', '', 'g'), 9)
    end as national
  )
  select case
    when national is null then p_phone
    when left(national, 4) in ('0590', '0690', '0691') then '+590' || substr(national, 2)
    when left(national, 4) in ('0594', '0694') then '+594' || substr(national, 2)
    when left(national, 4) in ('0596', '0696', '0697') then '+596' || substr(national, 2)
    when left(national, 4) in ('0262', '0263', '0692', '0693', '0269', '0639') then '+262' || substr(national, 2)
    else '+33' || substr(national, 2)
  end
  from d
$$;
revoke execute on function private.canonical_french_phone(text) from public;

-- ============ data ============
update public.citizens set phone = private.canonical_french_phone(phone)
where phone is not null and phone is distinct from private.canonical_french_phone(phone);
update public.lieux set contact_phone = private.canonical_french_phone(contact_phone)
where contact_phone is not null and contact_phone is distinct from private.canonical_french_phone(contact_phone);
