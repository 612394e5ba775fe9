package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestCoverageCommand(t *testing.T) {
	t.Setenv("LIANXIN_DEMO_PASSWORD", "Demo@2026pass")
	dir := t.TempDir()
	if code, _, errs := runCmd(t, "gen", "--data", dir, "--scale", "small", "--seed", "3", "--now", "2026-11-27"); code != 0 {
		t.Fatalf("gen: %s", errs)
	}
	code, out, errs := runCmd(t, "coverage", "--json", "--data", dir, "--now", "2026-11-27")
	if code != 0 {
		t.Fatalf("coverage --json: %d %s", code, errs)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("not JSON: %q", out)
	}
	for _, k := range []string{"organizations", "in_scope", "org_covered", "work_covered", "uncovered", "members", "members_unmanaged"} {
		if _, ok := m[k].(float64); !ok {
			t.Errorf("no number %q in %s", k, out)
		}
	}
	if m["org_covered"].(float64)+m["work_covered"].(float64)+m["uncovered"].(float64) != m["in_scope"].(float64) {
		t.Errorf("counts do not add up: %s", out)
	}
	_, region, _ := runCmd(t, "coverage", "--json", "--region", "510104", "--data", dir, "--now", "2026-11-27")
	var r map[string]any
	if err := json.Unmarshal([]byte(region), &r); err != nil || r["organizations"].(float64) >= m["organizations"].(float64) || r["organizations"].(float64) == 0 {
		t.Errorf("锦江区 %s vs city %s", region, out)
	}
	if code, out, _ := runCmd(t, "coverage", "--data", dir, "--now", "2026-11-27"); code != 0 || !strings.Contains(out, "未覆盖") || !strings.Contains(out, "全市") {
		t.Errorf("table: %d %s", code, out)
	}
	// A snapshot twice on one day keeps one row per unit.
	for i := 0; i < 2; i++ {
		if code, out, errs := runCmd(t, "coverage", "snapshot", "--data", dir, "--now", "2026-11-28"); code != 0 || !strings.Contains(out, "2026-11-28") {
			t.Fatalf("snapshot: %d %s %s", code, out, errs)
		}
	}
	var days, units int
	if err := rawDB(t, dir).QueryRow(`SELECT COUNT(*), COUNT(DISTINCT party_org_id) FROM coverage_snapshots WHERE day = '2026-11-28'`).Scan(&days, &units); err != nil || days != units || units < 20 {
		t.Errorf("snapshot rows %d for %d units: %v", days, units, err)
	}
	// gen backfilled half a year.
	var n int
	rawDB(t, dir).QueryRow(`SELECT COUNT(DISTINCT day) FROM coverage_snapshots`).Scan(&n)
	if n != 181 {
		t.Errorf("%d days of snapshots, want 180 backfilled and one more", n)
	}
	if code, _, errs := runCmd(t, "coverage", "--now", "yesterday", "--data", dir); code == 0 || !strings.Contains(errs, "--now") {
		t.Errorf("bad --now: %d %s", code, errs)
	}
}
