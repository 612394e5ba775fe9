-- Exact lookups of personal data (issue 11): each account's lookups of the
-- last minute are counted inside the transaction that records the next one.
CREATE INDEX audit_events_lookups ON audit_events (user_id, at) WHERE action = 'pii_lookup';
