package members_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/store/storetest"
)

// Issue 11: a member's history and audit states are written without the
// birth date, and entries written before lose it on reading, with the dates
// too early to show; the audit chain still verifies over the stored bytes.
func TestMemberHistoryShowsNoBirthDate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		ids := storetest.Tree(t, s)
		m, err := s.Members.SaveMember(ctx, storetest.Sys(), 0, domain.MemberInput{Name: storetest.Ptr("王史"), IDNumber: storetest.Ptr("510104199003070015"), JoinedOn: storetest.Ptr("2015-07-01"),
			FullMemberOn: storetest.Ptr("2016-07-01"), Status: storetest.Ptr("full"), PartyOrgID: storetest.Ptr(ids["a1x"])})
		if err != nil {
			t.Fatal(err)
		}
		// A new number rewrites the birth date: not in the new entry.
		if _, err := s.Members.SaveMember(ctx, storetest.Sys(), m.ID, domain.MemberInput{IDNumber: storetest.Ptr("510104199103070012")}); err != nil {
			t.Fatal(err)
		}
		// An entry as the history held it before: the birth date, an early date.
		old := `{"birth_date":{"from":"1990-03-07","to":"1991-03-07"},"joined_on":{"from":"1950-06-01","to":"2015-07-01"},"job":{"from":"","to":"骑手"}}`
		if err := storetest.RawExec(ctx, s.DB, fmt.Sprintf(`INSERT INTO history (object_type, object_id, at, username, action, changes)
			VALUES ('member', %d, '2026-01-01T00:00:00.000000Z', 'old', 'update', '%s')`, m.ID, old)); err != nil {
			t.Fatal(err)
		}
		hist, err := s.Members.MemberHistory(ctx, store.ScopeAll, m.ID)
		if err != nil || len(hist) != 3 {
			t.Fatalf("history %+v %v", hist, err)
		}
		for _, h := range hist {
			if _, ok := h.Changes["birth_date"]; ok {
				t.Errorf("history entry %d shows a birth date: %v", h.ID, h.Changes)
			}
		}
		// Newest first: the inserted entry, the change of number, the creation.
		if _, ok := hist[0].Changes["joined_on"]; ok || hist[0].Username != "old" || hist[0].Changes["job"].To != "骑手" {
			t.Errorf("the old entry: %+v", hist[0])
		}
		if _, ok := hist[1].Changes["id_number"]; !ok {
			t.Errorf("the change of number is not recorded: %v", hist[1].Changes)
		}
		evs, _, err := s.ListAudit(ctx, store.AuditFilter{ObjectType: "member"})
		if err != nil || len(evs) != 2 {
			t.Fatalf("audit %v %v", evs, err)
		}
		for _, ev := range evs {
			if strings.Contains(ev.Before+ev.After, "birth_date") || strings.Contains(ev.Before+ev.After, "1990") {
				t.Errorf("audit state with the birth date: %s", ev.After)
			}
		}
		if res, err := s.VerifyAudit(ctx); err != nil || !res.OK {
			t.Fatalf("verify %+v %v", res, err)
		}
	})
}
