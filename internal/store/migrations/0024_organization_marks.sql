-- 党建情况统计 and 重点产业链 (issue 13): the organizations' Party-building
-- facts and flags counted by district, chain, zone and industry. The counts group by the
-- key, the coverage state, the flags and the six facts, with the status
-- filtered; with these columns in one index, in that order, the city's
-- counts are a scan of the index in group order (no row of the table read,
-- nothing sorted): 199,609 organizations collapse into a few thousand
-- groups that Go adds up. One such index per key (district, chain, zone,
-- industry) is the price each organization's write pays. Measured on the
-- city (199,609 organizations, SQLite, CPU of the statement, a loaded
-- machine): 58–87 ms by district, 35–54 ms by chain, 32–64 ms by zone,
-- 38–47 ms by industry; 440–600 ms by zone or industry without their index.
-- The chain's index also serves the chains' page: its organizations
-- counted and its 链主 found from the index alone.
CREATE INDEX organizations_marks ON organizations (region_code, cov_state, flags, charter_includes_party, cross_appointment,
    secretary_is_head, union_established, youth_league_established, women_federation_established, status);
CREATE INDEX organizations_chain_marks ON organizations (chain, cov_state, flags, charter_includes_party, cross_appointment,
    secretary_is_head, union_established, youth_league_established, women_federation_established, status);
CREATE INDEX organizations_zone_marks ON organizations (zone_id, cov_state, flags, charter_includes_party, cross_appointment,
    secretary_is_head, union_established, youth_league_established, women_federation_established, status);
CREATE INDEX organizations_industry_marks ON organizations (industry, cov_state, flags, charter_includes_party, cross_appointment,
    secretary_is_head, union_established, youth_league_established, women_federation_established, status);
