-- Login throttling that holds under parallel attempts: an attempt is recorded *before* the
-- password is checked (succeeded is null while bcrypt runs, and counts as a failure until it
-- succeeds), under per-account and per-address advisory locks, so that 40 parallel wrong
-- passwords cannot get more tries than the limit. `trusted`: the browser showed a device cookie
-- of this account (it signed in successfully before); a stranger's failures from elsewhere never
-- slow such a browser down (OWASP "device cookies"; see docs/decisions.md).

-- ============ tables ============
alter table private.login_attempts alter column succeeded drop not null;
alter table private.login_attempts add column trusted boolean not null default false;

-- ============ indexes ============
-- The per account × address backoff reads the pair's failures since its last success.
create index login_attempts_email_ip_at_idx on private.login_attempts (email, ip, at);

-- ============ grants ============
-- Unchanged: private.login_attempts stays out of reach of every user role (no grant, RLS on,
-- no policy); only the server's own connection reads and writes it.
