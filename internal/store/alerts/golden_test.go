package alerts_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/alert"
	"github.com/lianxin/lianxin/internal/gen"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/alerts"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/store/storetest"
)

var update = flag.Bool("update", false, "rewrite testdata/evaluation.golden from this code")

// goldenDays are the dates evaluated: before, at and after the generated
// city's today, so that every window (months without activity, the
// attendance window, members without life) moves.
var goldenDays = []string{"2026-06-30", "2026-11-27", "2027-01-15"}

// TestEvaluationGolden: the findings of every rule over a generated city at
// three dates, and the alerts on record after the daily run on each, are
// those recorded in testdata/evaluation.golden — written by the engine
// before issue 12 changed how it reads its facts and records its runs —
// on both engines.
func TestEvaluationGolden(t *testing.T) {
	res := gen.Generate(gen.Options{Scale: gen.Small, Seed: 5, Today: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), PasswordHash: "x"})
	path := filepath.Join("testdata", "evaluation.golden")
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		if err := s.Bulk.LoadDataset(ctx, store.System(time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC), "test"), res.Dataset, "test"); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, day := range goldenDays {
			ev, err := s.Alerts.Evaluate(ctx, store.ScopeAll, domain.Date(day))
			if err != nil {
				t.Fatal(err)
			}
			lines := make([]string, 0, len(ev.Findings))
			for _, f := range ev.Findings {
				lines = append(lines, fmt.Sprintf("finding %s %s %d %s %s %s | %s", day, f.Rule, f.PartyOrgID, f.Subject, f.Level, f.Since, f.Reason))
			}
			sort.Strings(lines)
			fmt.Fprintf(&b, "# %s: %d findings\n%s\n", day, len(lines), strings.Join(lines, "\n"))
			d, _ := domain.ParseDate(day)
			sum, err := s.Alerts.RunAlerts(ctx, store.System(d.Add(2*time.Hour), "test"), domain.Date(day), alerts.RunManual)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "# run %s: raised %d, updated %d, closed %d, open %d\n", day, sum.Raised, sum.Updated, sum.Closed, sum.OpenTotal)
			b.WriteString(recorded(t, s))
			// Staff resolve every fifth open alert, so that the next runs
			// reopen those that got worse.
			open, _, err := s.Alerts.ListAlerts(ctx, store.ScopeAll, alerts.AlertFilter{Status: "open", Page: store.Page{Size: 200}})
			if err != nil {
				t.Fatal(err)
			}
			for i, a := range open {
				if i%5 == 0 {
					if _, err := s.Alerts.ActOnAlert(ctx, store.System(d.Add(3*time.Hour), "test"), a.ID, alert.AlertResolve, alerts.AlertAction{Note: "已整改"}); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		got := b.String()
		if *update {
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if got != string(want) {
			g, w := strings.Split(got, "\n"), strings.Split(string(want), "\n")
			for i := 0; i < len(g) || i < len(w); i++ {
				var gl, wl string
				if i < len(g) {
					gl = g[i]
				}
				if i < len(w) {
					wl = w[i]
				}
				if gl != wl {
					t.Fatalf("line %d differs from %s:\n got  %s\n want %s", i+1, path, gl, wl)
				}
			}
		}
	})
}

// recorded lists every alert on record with its events, as the store keeps
// them (ids aside, which the engines assign in the same order anyway).
func recorded(t *testing.T, s *stores.Set) string {
	t.Helper()
	rows, err := s.QueryRows(context.Background(), `SELECT a.rule, a.party_org_id, a.subject, a.path, a.region_code, COALESCE(a.owner_org_id, 0), a.level, a.since,
		a.reason, a.status, a.opened_on, a.seen_on, COALESCE(a.closed_on, ''), a.version,
		(SELECT COUNT(*) FROM alert_events e WHERE e.alert_id = a.id),
		COALESCE((SELECT MAX(e.action || ':' || e.level) FROM alert_events e WHERE e.alert_id = a.id AND e.on_date = a.seen_on), '')
		FROM alerts a`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var rule, subject, path, region, level, since, reason, status, opened, seen, closed, last string
		var org, owner, version, events int64
		if err := rows.Scan(&rule, &org, &subject, &path, &region, &owner, &level, &since, &reason, &status, &opened, &seen, &closed, &version, &events, &last); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, fmt.Sprintf("alert %s %d %s %s %s owner %d %s %s %s opened %s seen %s closed %s v%d events %d %s | %s",
			rule, org, subject, path, region, owner, level, status, since, opened, seen, closed, version, events, last, reason))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n") + "\n"
}
