-- The chain's head carries a MAC under the audit key (audit.Chain.SignHead),
-- so that pointing it at an earlier record after deleting the newest ones
-- needs the key. The migration's Go step (migrationSteps) signs the head
-- as it stands, in the same transaction.
ALTER TABLE audit_head ADD COLUMN mac TEXT NOT NULL DEFAULT '';
