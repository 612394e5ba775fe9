package bulk_test

import (
	"context"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/gen"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/store/storetest"
)

// TestLoadDatasetWritesLife: the generated organizational life lands in the
// tables whole, with the indexes rebuilt and the member accounts linked.
func TestLoadDatasetWritesLife(t *testing.T) {
	now := time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)
	res := gen.Generate(gen.Options{Scale: gen.Small, Seed: 2, Today: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), PasswordHash: "x"})
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		if err := s.Bulk.LoadDataset(ctx, store.System(now, "test"), res.Dataset, "test"); err != nil {
			t.Fatal(err)
		}
		hosts := len(res.Activities) + len(res.ActivityCoHosts)
		got, err := storetest.QueryInts(ctx, s.DB, `SELECT (SELECT COUNT(*) FROM monthly_themes), (SELECT COUNT(*) FROM activities),
			(SELECT COUNT(*) FROM activity_hosts), (SELECT COUNT(*) FROM attendances), (SELECT COUNT(*) FROM users WHERE member_id IS NOT NULL),
			(SELECT COUNT(*) FROM attendances WHERE recognized = 1), (SELECT COUNT(*) FROM activities WHERE monthly_theme_id IS NOT NULL)`, 7)
		if err != nil {
			t.Fatal(err)
		}
		guests, linked := 0, 0
		for _, a := range res.Attendances {
			if a.Recognized {
				guests++
			}
		}
		for _, a := range res.Activities {
			if a.MonthlyThemeID > 0 {
				linked++
			}
		}
		want := []int64{int64(len(res.MonthlyThemes)), int64(len(res.Activities)), int64(hosts), int64(len(res.Attendances)), 2, int64(guests), int64(linked)}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("counts %v, want %v", got, want)
			}
		}
		// The member accounts: role member, linked to a member of their org.
		n, err := storetest.QueryInts(ctx, s.DB, `SELECT COUNT(*) FROM users u JOIN members m ON m.id = u.member_id
			JOIN user_roles r ON r.user_id = u.id AND r.role = 'member'
			WHERE u.username IN ('member', 'member2') AND m.party_org_id = u.party_org_id`, 1)
		if err != nil || n[0] != 2 {
			t.Fatalf("member accounts: %v %v", n, err)
		}
		// Times in the format of every other timestamp; start_date in Shanghai.
		v, err := storetest.QueryString(ctx, s.DB, `SELECT starts_at || ' ' || start_date FROM activities WHERE id = 1`)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Unix(res.Activities[0].StartsAt, 0)
		if want := start.UTC().Format("2006-01-02T15:04:05.000000Z") + " " + start.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02"); v != want {
			t.Fatalf("activity 1: %q, want %q", v, want)
		}
		// The indexes dropped for the load are back.
		q := `SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN ('activities_org_start', 'activities_start', 'activities_open', 'activity_hosts_org', 'attendances_member')`
		if s.DB.D.Postgres() {
			q = `SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname IN ('activities_org_start', 'activities_start', 'activities_open', 'activity_hosts_org', 'attendances_member')`
		}
		if n, err := storetest.QueryInts(ctx, s.DB, q, 1); err != nil || n[0] != 5 {
			t.Fatalf("indexes: %v %v", n, err)
		}
	})
}
