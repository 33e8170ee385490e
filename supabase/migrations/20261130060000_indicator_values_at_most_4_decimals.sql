-- An indicator value has at most 4 digits after the decimal comma: what every page shows
-- (formatValueFr). The monthly form accepted « 0,0000001 », stored it, showed it as « 0 » on the
-- history and as « 1e-7 » in the form, whose next save was then refused. The form now refuses
-- more than 4 decimals at the field (parseIndicatorValue); the table refuses them from any path.
-- NOT VALID: rows written before are not checked (none have more: every value is checked on its
-- next write).
alter table public.indicator_values
  add constraint indicator_values_at_most_4_decimals check (value = round(value, 4)) not valid;
