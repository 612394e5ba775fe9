-- 党建情况统计 (issue 13): the organizations' Party-building facts and flags
-- counted by district. The counts group by the region, the coverage state,
-- the flags and the six facts, with the status filtered; with these columns
-- in one index, in that order, the city's counts are a scan of the index in
-- group order (no row of the table read, nothing sorted): 199,237
-- organizations collapse into a few thousand groups that Go adds up.
CREATE INDEX organizations_marks ON organizations (region_code, cov_state, flags, charter_includes_party, cross_appointment,
    secretary_is_head, union_established, youth_league_established, women_federation_established, status);
