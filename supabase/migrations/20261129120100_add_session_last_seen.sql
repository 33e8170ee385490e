-- Idle timeout of local sessions (ASVS 5 V7.3.1, NIST SP 800-63B §7.2 for AAL2): a session not
-- used for 30 minutes ends, whatever its absolute lifetime (12 hours, `expires_at`). Updated
-- when the short-lived token is renewed (every 5 minutes of activity at most), not on every request.

-- ============ tables ============
alter table private.sessions add column last_seen_at timestamptz not null default now();

-- ============ indexes ============
-- Revoking every other session of a user at a password change: sessions_user_id_idx exists.

-- ============ grants ============
-- Unchanged: private.sessions stays out of reach of every user role.
