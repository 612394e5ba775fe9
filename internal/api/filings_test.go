package api_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/api/apitest"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/filing"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/accounts"
)

type filingAnswer struct {
	ID           int64  `json:"id"`
	PartyOrgID   int64  `json:"party_org_id"`
	PartyOrgName string `json:"party_org_name"`
	ParentName   string `json:"parent_name"`
	Kind         string `json:"kind"`
	PersonName   string `json:"person_name"`
	Status       string `json:"status"`
	DecisionNote string `json:"decision_note"`
	CanDecide    bool   `json:"can_decide"`
	Version      int    `json:"version"`
}

type termChange struct {
	ID        int64  `json:"id"`
	Status    string `json:"status"`
	OverLimit bool   `json:"over_limit"`
	CanDecide bool   `json:"can_decide"`
}

type orgTerms struct {
	Current struct {
		StartOn  string `json:"start_on"`
		EndOn    string `json:"end_on"`
		Deadline string `json:"deadline"`
		State    string `json:"state"`
		DaysLeft *int   `json:"days_left"`
	} `json:"current"`
	Terms     []map[string]any `json:"terms"`
	Elections []map[string]any `json:"elections"`
	Changes   []termChange     `json:"changes"`
}

// fullMember registers a full member of the org with a fresh ID number.
func fullMember(t *testing.T, e *env, org int64, seq int) int64 {
	t.Helper()
	return createMember(t, e.Env, domain.MakeIDNumber("510104", time.Date(1988, 5, 1, 0, 0, 0, 0, time.UTC), 300+seq, true), org)
}

func TestSecretaryFilingAPI(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		u, err := e.Store.Accounts.UserByUsername(ctx, "branch")
		if err != nil {
			t.Fatal(err)
		}
		org := u.PartyOrgID
		member := fullMember(t, e, org, 1)
		outsider := fullMember(t, e, e.OrgID(apitest.QingyangName), 2)
		branch, jinjiang, qingyang := e.login("branch"), e.login("jinjiang"), e.login("qingyang")
		body := func(m int64) map[string]any {
			return map[string]any{"party_org_id": org, "kind": "appointment", "member_id": m, "effective_on": "2026-11-20",
				"method": "elected", "meeting_on": "2026-11-18", "meeting_record": "支部党员大会选举"}
		}
		for _, m := range []int64{outsider, 99999999} {
			r := branch.do("POST", "/api/v1/secretary-filings", body(m))
			if er := wantErr(t, r, 400, "invalid", "member_id"); er.Fields["member_id"] != filing.NotFullMemberMessage {
				t.Errorf("non-member %d: %s", m, r.Body)
			}
		}
		f := decodeAs[filingAnswer](t, branch.expect(201, "POST", "/api/v1/secretary-filings", body(member)))
		if f.Status != "pending" || f.PersonName == "" || f.CanDecide {
			t.Fatalf("filed %+v", f)
		}
		// The filing org's own staff may not approve it; another district does not see it.
		r := branch.do("POST", "/api/v1/secretary-filings/"+id(f.ID)+"/approve", nil)
		if er := wantErr(t, r, 403, "forbidden", ""); er.Message != "只有上级党组织（"+f.ParentName+"）或更上级可以审批该备案" {
			t.Errorf("self-approval: %s", r.Body)
		}
		wantErr(t, qingyang.do("POST", "/api/v1/secretary-filings/"+id(f.ID)+"/approve", nil), 404, "not_found", "")
		todo := decodeAs[page[filingAnswer]](t, jinjiang.expect(200, "GET", "/api/v1/secretary-filings?to_approve=true", nil))
		if todo.Total != 1 || todo.Items[0].ID != f.ID || !todo.Items[0].CanDecide {
			t.Fatalf("jinjiang's filings to approve: %+v", todo)
		}
		wantErr(t, jinjiang.do("POST", "/api/v1/secretary-filings/"+id(f.ID)+"/return", map[string]any{"reason": " "}), 400, "invalid", "reason")
		f = decodeAs[filingAnswer](t, jinjiang.expect(200, "POST", "/api/v1/secretary-filings/"+id(f.ID)+"/return", map[string]any{"reason": "请附会议记录"}))
		if f.Status != "returned" || f.DecisionNote != "请附会议记录" {
			t.Fatalf("returned %+v", f)
		}
		// The to-do: the branch sees its returned filing with the reason.
		var td todoAnswer
		branch.expect(200, "GET", "/api/v1/todo", nil).JSON(t, &td)
		if g := td.group("returned"); td.Counts["returned"] != 1 || g.Count != 1 || len(g.Items) != 1 || g.Items[0].ID != f.ID ||
			g.Items[0].Detail != "请附会议记录" || g.Items[0].Title != "书记备案：就任备案" {
			t.Errorf("branch's to-do after the return: %+v", td)
		}
		resubmit := body(member)
		delete(resubmit, "party_org_id")
		delete(resubmit, "kind")
		resubmit["version"] = f.Version - 1
		wantErr(t, branch.do("PATCH", "/api/v1/secretary-filings/"+id(f.ID), resubmit), 409, "conflict", "version")
		resubmit["version"] = f.Version
		f = decodeAs[filingAnswer](t, branch.expect(200, "PATCH", "/api/v1/secretary-filings/"+id(f.ID), resubmit))
		if f.Status != "pending" {
			t.Fatalf("resubmitted %+v", f)
		}
		// It waits on the staff of the branch's superior, not on those above.
		parent := superiorStaff(t, e.Env, org)
		var counts map[string]int
		parent.Do("GET", "/api/v1/todo/counts", nil).JSON(t, &counts)
		if counts["filings_to_approve"] != 1 || counts["total"] < 1 {
			t.Errorf("the superior's to-do counts with a filing to approve: %v", counts)
		}
		var superiorTodo todoAnswer
		parent.Do("GET", "/api/v1/todo", nil).JSON(t, &superiorTodo)
		if g := superiorTodo.group("filing"); g.Count != 1 || len(g.Items) != 1 || g.Items[0].ID != f.ID || g.Items[0].Level != "" {
			t.Errorf("the superior's to-do lists %+v", g)
		}
		waiting := decodeAs[page[filingAnswer]](t, parent.Do("GET", "/api/v1/secretary-filings?waiting=true", nil))
		if waiting.Total != 1 || waiting.Items[0].ID != f.ID {
			t.Errorf("the superior's filings waiting: %+v", waiting)
		}
		var cityTodo todoAnswer
		e.login("city").expect(200, "GET", "/api/v1/todo", nil).JSON(t, &cityTodo)
		if slices.Contains(cityTodo.group("filing").ids(), f.ID) {
			t.Errorf("the city's to-do lists a branch's filing")
		}
		f = decodeAs[filingAnswer](t, jinjiang.expect(200, "POST", "/api/v1/secretary-filings/"+id(f.ID)+"/approve", map[string]any{"note": "同意"}))
		if f.Status != "approved" {
			t.Fatalf("approved %+v", f)
		}
		o := branch.get(org)
		if o.SecretaryName != f.PersonName {
			t.Errorf("secretary after approval: %q, want %q", o.SecretaryName, f.PersonName)
		}
		hs := decodeAs[[]history](t, branch.expect(200, "GET", "/api/v1/party-orgs/"+id(org)+"/history", nil))
		if len(hs) == 0 || hs[0].Action != "secretary_filing" || hs[0].Username != "jinjiang" {
			t.Errorf("history %+v", hs)
		}
		// An approved filing takes no step: each refusal is the domain's
		// (SecretaryFilings.Transition), word for word.
		resubmit["version"] = f.Version
		for _, step := range []struct {
			act          filing.RequestAction
			who          *client
			method, path string
			body         any
		}{
			{filing.RequestApprove, jinjiang, "POST", "/approve", nil},
			{filing.RequestReturn, jinjiang, "POST", "/return", map[string]any{"reason": "再退一次"}},
			{filing.RequestWithdraw, branch, "POST", "/withdraw", nil},
			{filing.RequestResubmit, branch, "PATCH", "", resubmit},
		} {
			_, want := filing.SecretaryFilings.Transition(f.Status, step.act)
			r := step.who.do(step.method, "/api/v1/secretary-filings/"+id(f.ID)+step.path, step.body)
			if want == nil || wantErr(t, r, 409, "conflict", "status").Message != want.Error() {
				t.Errorf("%s an approved filing: %s, want %v", step.act, r.Body, want)
			}
		}
		wantErr(t, branch.do("GET", "/api/v1/secretary-filings?status=done", nil), 400, "invalid", "status")
	})
}

func TestTermsAPI(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		jinjiang := e.login("jinjiang")
		jj := e.OrgID(apitest.JinjiangName)
		n := jinjiang.create(orgBody(firstChild(t, e.Env, jj), "换届测试党支部", "branch", "founded_on", "2018-01-01"))
		if _, err := e.Store.Accounts.CreateUser(ctx, store.System(apitest.Start, "test"), accounts.NewUser{Username: "nbranch", DisplayName: "支部干事",
			PartyOrgID: n.ID, Roles: []domain.Role{domain.RoleOrgStaff}, PasswordHash: e.Data.Users[0].PasswordHash}); err != nil {
			t.Fatal(err)
		}
		nb := e.login("nbranch")
		path := "/api/v1/party-orgs/" + id(n.ID)
		// The org's own staff record no term directly; its superior does.
		wantErr(t, nb.do("POST", path+"/terms", map[string]any{"start_on": "2023-06-30", "years": 3}), 403, "forbidden", "")
		wantErr(t, jinjiang.do("POST", path+"/terms", map[string]any{"start_on": "2023-06-30", "end_on": "2023-06-01"}), 400, "invalid", "end_on")
		terms := decodeAs[orgTerms](t, jinjiang.expect(200, "POST", path+"/terms", map[string]any{"start_on": "2023-06-30", "years": 3}))
		if terms.Current.EndOn != "2026-06-30" || terms.Current.State != "overdue" || len(terms.Terms) != 1 {
			t.Fatalf("term %+v", terms)
		}
		change := map[string]any{"party_org_id": n.ID, "kind": "postpone", "new_date": "2027-07-01", "reason": "企业搬迁"}
		r := nb.do("POST", "/api/v1/term-changes", change)
		if er := wantErr(t, r, 400, "invalid", "new_date"); !strings.Contains(er.Fields["new_date"], "最晚 2027-06-30") {
			t.Errorf("over the limit: %s", r.Body)
		}
		change["confirm_over_limit"] = true
		ch := decodeAs[termChange](t, nb.expect(201, "POST", "/api/v1/term-changes", change))
		if !ch.OverLimit || ch.Status != "pending" {
			t.Fatalf("change %+v", ch)
		}
		r = nb.do("POST", "/api/v1/term-changes/"+id(ch.ID)+"/approve", map[string]any{})
		if er := wantErr(t, r, 403, "forbidden", ""); !strings.Contains(er.Message, "只有上级党组织") {
			t.Errorf("self-approval: %s", r.Body)
		}
		// The generated data has requests of its own pending in 锦江区.
		list := decodeAs[page[termChange]](t, jinjiang.expect(200, "GET", "/api/v1/term-changes?to_approve=true", nil))
		listed := false
		for _, it := range list.Items {
			listed = listed || it.ID == ch.ID && it.CanDecide
		}
		if !listed {
			t.Fatalf("to approve %+v", list)
		}
		jinjiang.expect(200, "POST", "/api/v1/term-changes/"+id(ch.ID)+"/approve", nil)
		if o := nb.get(n.ID); o.TermState != "ok" {
			t.Errorf("term state after the postponement: %s", o.TermState)
		}
		// An approved request takes no step: each refusal is the domain's
		// (TermChanges.Transition), word for word.
		for _, step := range []struct {
			act  filing.RequestAction
			who  *client
			path string
			body any
		}{
			{filing.RequestApprove, jinjiang, "/approve", nil},
			{filing.RequestReturn, jinjiang, "/return", map[string]any{"reason": "再退一次"}},
			{filing.RequestWithdraw, nb, "/withdraw", nil},
		} {
			_, want := filing.TermChanges.Transition(filing.RequestApproved, step.act)
			r := step.who.do("POST", "/api/v1/term-changes/"+id(ch.ID)+step.path, step.body)
			if want == nil || wantErr(t, r, 409, "conflict", "status").Message != want.Error() {
				t.Errorf("%s an approved term change: %s, want %v", step.act, r.Body, want)
			}
		}

		var members []int64
		for i := range 4 {
			members = append(members, fullMember(t, e, n.ID, 10+i))
		}
		outsider := fullMember(t, e, jj, 20)
		election := map[string]any{"held_on": "2026-11-20", "method": "member_meeting", "expected_voters": 5, "present_voters": 4,
			"committee": []map[string]any{{"member_id": members[0], "post": "secretary"}, {"member_id": members[1], "post": "organization"}, {"member_id": members[2], "post": "propaganda"}}}
		r = nb.do("POST", path+"/elections", election)
		if er := wantErr(t, r, 400, "invalid", "present_voters"); er.Fields["present_voters"] != domain.QuorumMessage {
			t.Errorf("quorum: %s", r.Body)
		}
		election["present_voters"] = 5
		election["committee"].([]map[string]any)[2]["member_id"] = outsider
		wantErr(t, nb.do("POST", path+"/elections", election), 400, "invalid", "committee[2].member_id")
		election["committee"].([]map[string]any)[2]["member_id"] = members[2]
		el := decodeAs[map[string]any](t, nb.expect(201, "POST", path+"/elections", election))
		if el["filing_id"] == nil {
			t.Errorf("the election started no filing: %v", el)
		}
		terms = decodeAs[orgTerms](t, nb.expect(200, "GET", path+"/terms", nil))
		if terms.Current.StartOn != "2026-11-20" || terms.Current.EndOn != "2029-11-20" || terms.Current.Deadline != "2029-11-20" ||
			len(terms.Terms) != 2 || len(terms.Elections) != 1 || len(terms.Changes) != 1 {
			t.Fatalf("terms after the election %+v", terms)
		}
		filings := decodeAs[page[filingAnswer]](t, jinjiang.expect(200, "GET", "/api/v1/secretary-filings?to_approve=true&party_org_id="+id(n.ID), nil))
		if filings.Total != 1 || filings.Items[0].Kind != "appointment" {
			t.Errorf("the election's filing: %+v", filings)
		}
		wantErr(t, e.login("qingyang").do("GET", path+"/terms", nil), 404, "not_found", "")
	})
}
