package bulk_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/gen"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/bulk"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/store/storetest"
)

// TestLoadDatasetWritesAlertFacts: the generated secretaries, filings,
// terms, elections and term changes land whole on both engines, the new
// columns of party_orgs with them, and the id sequences continue after
// the generated rows.
func TestLoadDatasetWritesAlertFacts(t *testing.T) {
	now := time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)
	res := gen.Generate(gen.Options{Scale: gen.Small, Seed: 2, Today: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), PasswordHash: "x"})
	var want struct{ secretaries, vacant, unfiled, postponed, dissolved, committee, pending, approvedChanges, dead int64 }
	for _, o := range res.PartyOrgs {
		if o.SecretaryMemberID != nil {
			want.secretaries++
		}
		if o.SecretaryVacantSince != "" {
			want.vacant++
		}
		if o.SecretaryUnfiledSince != "" {
			want.unfiled++
		}
		if o.PostponedTo != "" {
			want.postponed++
		}
		if o.Status == "dissolved" {
			want.dissolved++
		}
		want.committee += int64(o.CommitteeSize)
	}
	for _, f := range res.SecretaryFilings {
		if f.Status == "pending" {
			want.pending++
		}
	}
	for _, c := range res.TermChanges {
		if c.Status == "approved" {
			want.approvedChanges++
		}
	}
	for _, o := range res.Organizations {
		if o.Status == "deregistered" || o.Status == "revoked" || o.Status == "moved_out" {
			want.dead++
		}
	}
	if want.secretaries == 0 || want.vacant == 0 || want.postponed == 0 || want.dissolved == 0 || want.pending == 0 {
		t.Fatalf("the small dataset lacks situations: %+v", want)
	}
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		if err := s.Bulk.LoadDataset(ctx, store.System(now, "test"), res.Dataset, "test"); err != nil {
			t.Fatal(err)
		}
		got, err := storetest.QueryInts(ctx, s.DB, `SELECT (SELECT COUNT(*) FROM secretary_filings), (SELECT COUNT(*) FROM elections),
			(SELECT COUNT(*) FROM party_org_terms), (SELECT COUNT(*) FROM term_changes),
			(SELECT COUNT(*) FROM party_orgs p JOIN members m ON m.id = p.secretary_member_id AND m.party_org_id = p.id AND m.name = p.secretary_name),
			(SELECT COUNT(*) FROM party_orgs WHERE secretary_vacant_since IS NOT NULL AND secretary_name = ''),
			(SELECT COUNT(*) FROM party_orgs WHERE secretary_unfiled_since IS NOT NULL),
			(SELECT COUNT(*) FROM party_orgs WHERE postponed_to > term_end),
			(SELECT COUNT(*) FROM party_orgs WHERE status = 'dissolved' AND dissolved_on IS NOT NULL AND dissolve_reason <> ''),
			(SELECT SUM(committee_size) FROM party_orgs),
			(SELECT COUNT(*) FROM secretary_filings WHERE status = 'pending' AND decided_at IS NULL),
			(SELECT COUNT(*) FROM term_changes c JOIN party_org_terms t ON t.id = c.term_id AND t.party_org_id = c.party_org_id WHERE c.status = 'approved'),
			(SELECT COUNT(*) FROM organizations WHERE status IN ('deregistered', 'revoked', 'moved_out'))`, 13)
		if err != nil {
			t.Fatal(err)
		}
		exp := []int64{int64(len(res.SecretaryFilings)), int64(len(res.Elections)), int64(len(res.Terms)), int64(len(res.TermChanges)),
			want.secretaries, want.vacant, want.unfiled, want.postponed, want.dissolved, want.committee, want.pending, want.approvedChanges, want.dead}
		for i := range exp {
			if got[i] != exp[i] {
				t.Fatalf("counts %v, want %v", got, exp)
			}
		}
		// Terms name their elections; the current term is the party_orgs row's.
		n, err := storetest.QueryInts(ctx, s.DB, `SELECT COUNT(*) FROM party_orgs p JOIN party_org_terms t ON t.party_org_id = p.id
			AND t.start_on = p.term_start AND t.end_on = p.term_end JOIN elections e ON e.id = t.election_id AND e.held_on = t.start_on
			WHERE t.ended_on IS NULL`, 1)
		if err != nil || n[0] == 0 {
			t.Fatalf("current terms: %v %v", n, err)
		}
		// A committee is JSON the API can read back.
		js, err := storetest.QueryString(ctx, s.DB, `SELECT committee FROM elections WHERE committee <> '[]' ORDER BY id LIMIT 1`)
		var seats []bulk.ElectedSeat
		if err != nil || json.Unmarshal([]byte(js), &seats) != nil || len(seats) < 3 || seats[0].Post != "secretary" || seats[0].Name == "" {
			t.Fatalf("committee %q: %v", js, err)
		}
		// New rows get ids after the generated ones.
		for _, q := range []string{
			`INSERT INTO party_org_terms (party_org_id, start_on, years, end_on, created_at) VALUES (2, '2026-01-01', 3, '2029-01-01', 'x')`,
			`INSERT INTO elections (party_org_id, held_on, method, expected_voters, present_voters, created_at) VALUES (2, '2026-01-01', 'member_meeting', 0, 0, 'x')`,
			`INSERT INTO secretary_filings (party_org_id, kind, person_name, effective_on, status, submitted_at, created_at, updated_at) VALUES (2, 'departure', '某', '2026-01-01', 'pending', 'x', 'x', 'x')`,
			`INSERT INTO term_changes (party_org_id, kind, new_date, reason, status, submitted_at, created_at, updated_at) VALUES (2, 'postpone', '2027-01-01', 'r', 'pending', 'x', 'x', 'x')`,
		} {
			if err := storetest.RawExec(ctx, s.DB, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	})
}
