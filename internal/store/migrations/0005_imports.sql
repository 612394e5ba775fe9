-- Placeholder: the importer branch (import) owns migration 0005 (import jobs).
-- Migrations must have no gaps, so this branch carries an empty 0005 until the
-- two branches are merged, when the importer's file replaces this one.
SELECT 1;
