-- Indexes for the alert engine's reads at city scale (issue 5): the held
-- activities of a date window by type, read from the index alone; a
-- member's organizational life by time, with its kind, read from the index
-- alone; and the few attendances that are not a host member's presence
-- (leave, absence, guests), so that a window's presences are counted from
-- the unique index without visiting each row.
CREATE INDEX activities_held ON activities (status, start_date, type);
DROP INDEX attendances_member;
CREATE INDEX attendances_member ON attendances (member_id, at, kind);
CREATE INDEX attendances_exceptions ON attendances (activity_id) WHERE kind <> 'present' OR recognized = 1;
