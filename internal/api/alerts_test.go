package api_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/lianxin/lianxin/internal/api/apitest"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/alert"
	"github.com/lianxin/lianxin/internal/store/alerts"
)

// contractAlertKeys are the fields issue 5's contract fixes for an alert.
var contractAlertKeys = []string{"rule", "party_org_id", "level", "reason", "since", "status"}

func TestAlertsAPI(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		city, jinjiang, qingyang := e.Login("city"), e.Login("jinjiang"), e.Login("qingyang")
		// Only city staff run the engine on demand.
		if r := jinjiang.Do("POST", "/api/v1/alerts/run", map[string]any{}); r.Status != 403 {
			t.Fatalf("district staff running the engine: %d", r.Status)
		}
		if r := city.Do("POST", "/api/v1/alerts/run", map[string]any{"now": "2026-13-01"}); r.Status != 400 || !strings.Contains(r.ErrorField(t, "now"), "YYYY-MM-DD") {
			t.Errorf("a bad date: %d %s", r.Status, r.Body)
		}
		r := city.Do("POST", "/api/v1/alerts/run", map[string]any{})
		if r.Status != 200 {
			t.Fatalf("run: %d %s", r.Status, r.Body)
		}
		var sum alerts.RunSummary
		r.JSON(t, &sum)
		if sum.Raised == 0 || sum.OpenTotal != sum.Raised || sum.AsOf != domain.DateOf(e.Now()) || len(sum.PerRule) != len(alert.Rules) {
			t.Fatalf("run summary %+v", sum)
		}

		// The list: the contract's fields, scoped, filtered.
		var all struct {
			Items []map[string]any `json:"items"`
			Total int              `json:"total"`
		}
		city.Do("GET", "/api/v1/alerts?page_size=200", nil).JSON(t, &all)
		if all.Total != sum.Raised || len(all.Items) == 0 {
			t.Fatalf("city sees %d alerts, the run raised %d", all.Total, sum.Raised)
		}
		for _, k := range contractAlertKeys {
			if _, ok := all.Items[0][k]; !ok {
				t.Errorf("an alert lacks %q: %v", k, all.Items[0])
			}
		}
		if all.Items[0]["level"] != "red" {
			t.Errorf("the list does not start with red: %v", all.Items[0]["level"])
		}
		var jj struct {
			Items []alerts.AlertView `json:"items"`
			Total int                `json:"total"`
		}
		jinjiang.Do("GET", "/api/v1/alerts?page_size=200", nil).JSON(t, &jj)
		if jj.Total == 0 || jj.Total >= all.Total {
			t.Fatalf("锦江区 sees %d of %d", jj.Total, all.Total)
		}
		var byRegion struct{ Total int }
		city.Do("GET", "/api/v1/alerts?region=510104", nil).JSON(t, &byRegion)
		if byRegion.Total != jj.Total {
			t.Errorf("region=510104 gives %d, 锦江区's own list %d", byRegion.Total, jj.Total)
		}
		rule := jj.Items[0].Rule
		var byRule struct {
			Items []alerts.AlertView `json:"items"`
		}
		jinjiang.Do("GET", "/api/v1/alerts?status=open&level="+string(jj.Items[0].Level)+"&rule="+string(rule), nil).JSON(t, &byRule)
		for _, a := range byRule.Items {
			if a.Rule != rule || a.Level != jj.Items[0].Level || a.Status != "open" {
				t.Errorf("filtered list has %s %s %s", a.Rule, a.Level, a.Status)
			}
		}
		for _, bad := range []struct{ q, field string }{{"level=purple", "level"}, {"rule=nope", "rule"}, {"status=gone", "status"}, {"sort=weird", "sort"}, {"under=x", "under"}} {
			if r := jinjiang.Do("GET", "/api/v1/alerts?"+bad.q, nil); r.Status != 400 || r.ErrorField(t, bad.field) == "" {
				t.Errorf("%s: %d %s", bad.q, r.Status, r.Body)
			}
		}
		// Another district cannot read it.
		a := jj.Items[0]
		if r := qingyang.Do("GET", fmt.Sprintf("/api/v1/alerts/%d", a.ID), nil); r.Status != 404 {
			t.Errorf("青羊区 reading a 锦江区 alert: %d", r.Status)
		}

		// The workflow through the API, with the history.
		var users []alerts.Assignee
		jinjiang.Do("GET", fmt.Sprintf("/api/v1/alerts/assignees?party_org_id=%d", a.PartyOrgID), nil).JSON(t, &users)
		if len(users) == 0 {
			t.Fatalf("no assignee for org %d", a.PartyOrgID)
		}
		base := fmt.Sprintf("/api/v1/alerts/%d", a.ID)
		if r := jinjiang.Do("POST", base+"/assign", map[string]any{"assignee_id": 999999}); r.Status != 400 || r.ErrorField(t, "assignee_id") == "" {
			t.Errorf("assigning to nobody: %d %s", r.Status, r.Body)
		}
		if r := jinjiang.Do("POST", base+"/assign", map[string]any{"assignee_id": users[0].ID, "version": a.Version}); r.Status != 200 {
			t.Fatalf("assign: %d %s", r.Status, r.Body)
		}
		if r := jinjiang.Do("POST", base+"/resolve", map[string]any{"note": " "}); r.Status != 400 || !strings.Contains(r.ErrorField(t, "note"), "处置情况") {
			t.Errorf("resolve without a note: %d %s", r.Status, r.Body)
		}
		if r := jinjiang.Do("POST", base+"/reopen", map[string]any{}); r.Status != 409 {
			t.Errorf("reopening an open alert: %d %s", r.Status, r.Body)
		}
		var done alerts.AlertView
		r = jinjiang.Do("POST", base+"/resolve", map[string]any{"note": "已约谈支部书记，限期整改"})
		r.JSON(t, &done)
		if r.Status != 200 || done.Status != "resolved" || done.Note != "已约谈支部书记，限期整改" || done.AssigneeID == nil {
			t.Fatalf("resolve: %d %s", r.Status, r.Body)
		}
		var acts []string
		for _, ev := range done.Events {
			acts = append(acts, ev.Action+":"+ev.Username)
		}
		if strings.Join(acts, " ") != "raised:city assigned:jinjiang resolved:jinjiang" {
			t.Errorf("events %v", acts)
		}
		var mine struct{ Total int }
		jinjiang.Do("GET", "/api/v1/alerts?status=all&assignee=me", nil).JSON(t, &mine)
		if users[0].DisplayName != "" && mine.Total > 1 {
			t.Errorf("assignee=me gives %d", mine.Total)
		}

		// Rules: everyone reads them, only city staff tune them.
		var rules []alerts.RuleView
		jinjiang.Do("GET", "/api/v1/rules", nil).JSON(t, &rules)
		if len(rules) != len(alert.Rules) || rules[0].Basis == "" || len(rules[0].Values) == 0 {
			t.Fatalf("rules: %+v", rules)
		}
		if r := jinjiang.Do("PATCH", "/api/v1/rules/no_activity", map[string]any{"enabled": false}); r.Status != 403 {
			t.Errorf("district staff tuning a rule: %d", r.Status)
		}
		if r := city.Do("PATCH", "/api/v1/rules/no_activity", map[string]any{"params": map[string]int{"red_months": 99}}); r.Status != 400 ||
			!strings.Contains(r.ErrorField(t, "params.red_months"), "1到24") {
			t.Errorf("red_months 99: %d %s", r.Status, r.Body)
		}
		if r := city.Do("PATCH", "/api/v1/rules/no_activity", map[string]any{"params": map[string]int{"bogus": 1}}); r.Status != 400 || r.ErrorField(t, "params.bogus") == "" {
			t.Errorf("an unknown parameter: %d %s", r.Status, r.Body)
		}
		if r := city.Do("PATCH", "/api/v1/rules/nope", map[string]any{"enabled": false}); r.Status != 404 {
			t.Errorf("an unknown rule: %d", r.Status)
		}
		var tuned alerts.RuleView
		r = city.Do("PATCH", "/api/v1/rules/low_attendance", map[string]any{"params": map[string]int{"yellow_percent": 90}})
		r.JSON(t, &tuned)
		if r.Status != 200 || tuned.Values["yellow_percent"] != 90 || tuned.Values["orange_percent"] != 50 || tuned.Version != 1 {
			t.Errorf("tune low_attendance: %d %s", r.Status, r.Body)
		}

		// The dashboard, the preview at another date, the export, the to-do.
		var st alerts.AlertStats
		jinjiang.Do("GET", "/api/v1/alerts/stats", nil).JSON(t, &st)
		if st.Totals.Total != jj.Total || len(st.ByRule) == 0 || len(st.Trend) != alerts.TrendDays || st.LastRun == nil {
			t.Errorf("stats %+v vs %d alerts", st.Totals, jj.Total)
		}
		for _, d := range st.ByDistrict {
			if d.Code != "510104" {
				t.Errorf("锦江区's stats have district %s", d.Code)
			}
		}
		var ev struct {
			AsOf  string             `json:"as_of"`
			Items []alerts.AlertView `json:"items"`
		}
		r = jinjiang.Do("GET", "/api/v1/alerts/evaluate?now=2027-06-01", nil)
		r.JSON(t, &ev)
		if r.Status != 200 || ev.AsOf != "2027-06-01" || len(ev.Items) == 0 {
			t.Errorf("evaluate in the future: %d %.300s", r.Status, r.Body)
		}
		for _, it := range ev.Items {
			if strings.Contains(it.PartyOrgName, "青羊") {
				t.Errorf("锦江区's preview shows %s", it.PartyOrgName)
			}
		}
		r = jinjiang.Do("GET", "/api/v1/alerts.xlsx?level=red", nil)
		if r.Status != 200 || !strings.HasPrefix(r.Body, "PK") {
			t.Fatalf("export: %d", r.Status)
		}
		zr, err := zip.NewReader(bytes.NewReader([]byte(r.Body)), int64(len(r.Body)))
		if err != nil || len(zr.File) == 0 {
			t.Errorf("export is not a workbook: %v", err)
		}
		var counts map[string]int
		jinjiang.Do("GET", "/api/v1/todo/counts", nil).JSON(t, &counts)
		if counts["alerts"] == 0 || counts["total"] < counts["alerts"] {
			t.Errorf("to-do counts %v", counts)
		}
		var todo todoAnswer
		jinjiang.Do("GET", "/api/v1/todo", nil).JSON(t, &todo)
		if g := todo.group("alert"); len(g.Items) == 0 || g.Count != counts["alerts"] || todo.Counts["alerts"] != counts["alerts"] {
			t.Errorf("to-do %+v", todo.Counts)
		}

		// Every step on another alert answers what alert.AlertStatus.Apply
		// decides: the status it moves to, or its refusal word for word.
		b := jj.Items[1]
		status := alert.AlertStatus(b.Status)
		for _, step := range []struct {
			act  alert.AlertAction
			body map[string]any
		}{
			{alert.AlertReopen, map[string]any{}},
			{alert.AlertAcknowledge, map[string]any{}},
			{alert.AlertAcknowledge, map[string]any{}},
			{alert.AlertReopen, map[string]any{}},
			{alert.AlertResolve, map[string]any{"note": "  "}},
			{alert.AlertAssign, map[string]any{}},
			{alert.AlertResolve, map[string]any{"note": "已督促整改"}},
			{alert.AlertResolve, map[string]any{"note": "再次处置"}},
			{alert.AlertAcknowledge, map[string]any{}},
			{alert.AlertAssign, map[string]any{"assignee_id": users[0].ID}},
			{alert.AlertReopen, map[string]any{"note": "情况反复"}},
		} {
			note, _ := step.body["note"].(string)
			note, _ = alert.AlertNote(note)
			_, hasAssignee := step.body["assignee_id"]
			want, refusal := status.Apply(step.act, alert.AlertStep{HasAssignee: hasAssignee, Note: note})
			r := jinjiang.Do("POST", fmt.Sprintf("/api/v1/alerts/%d/%s", b.ID, step.act), step.body)
			var ve *domain.ValidationError
			var ce *domain.ConflictError
			switch {
			case refusal == nil:
				var got alerts.AlertView
				r.JSON(t, &got)
				if r.Status != 200 || alert.AlertStatus(got.Status) != want {
					t.Errorf("%s from %s: %d %s, want %s", step.act, status, r.Status, r.Body, want)
				}
				status = alert.AlertStatus(got.Status)
			case errors.As(refusal, &ve):
				for f, m := range ve.Fields {
					if r.Status != 400 || r.ErrorField(t, f) != m {
						t.Errorf("%s from %s: %d %s, want 400 %s: %s", step.act, status, r.Status, r.Body, f, m)
					}
				}
			case errors.As(refusal, &ce):
				if r.Status != 409 || r.ErrorField(t, ce.Field) != ce.Message {
					t.Errorf("%s from %s: %d %s, want 409 %s", step.act, status, r.Status, r.Body, ce.Message)
				}
			default:
				t.Fatalf("%s from %s: domain answers %v", step.act, status, refusal)
			}
		}
		if status != alert.AlertOpen {
			t.Errorf("the walk ends %s, want open", status)
		}
	})
}
