-- Member search by name (issue 3: p99 ≤ 50 ms at 300,000 members). A name
-- is searched from its start, as a range on this index; it also carries the
-- two columns the row-by-row scope check reads (the holding Party org, the
-- employer), so that counting the matches never visits the member rows.
-- Byte-wise on PostgreSQL (COLLATE "C"), as the queries compare, whatever
-- the database's collation.
DROP INDEX members_name;
CREATE INDEX members_name ON members (name{{if .Postgres}} COLLATE "C"{{end}}, party_org_id, employer_id);
