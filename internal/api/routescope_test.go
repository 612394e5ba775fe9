package api_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/api/apitest"
	"github.com/lianxin/lianxin/internal/checkin"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/activity"
	"github.com/lianxin/lianxin/internal/domain/filing"
	"github.com/lianxin/lianxin/internal/domain/partygroup"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/accounts"
	"github.com/lianxin/lianxin/internal/store/alerts"
	"github.com/lianxin/lianxin/internal/store/importjobs"
	"github.com/lianxin/lianxin/internal/store/members"
	"github.com/lianxin/lianxin/internal/store/registry"
	"github.com/lianxin/lianxin/internal/store/storetest"
)

// TestRouteScope walks every registered API route as users of 青羊区 (a
// district staff member, and a 系统管理员 and a 安全管理员 whose scope is
// 青羊区) aimed at records of 锦江区. Each answer must be 403, 404, or free of
// 锦江区 data, and nothing of 锦江区 may change. A new route is covered
// without anyone remembering: routes with an id or a body the test cannot
// build fail it until they are added below.
func TestRouteScope(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		ctx := context.Background()
		qy := e.OrgID(apitest.QingyangName)
		jj := e.OrgID(apitest.JinjiangName)
		sys := store.System(apitest.Start, "test")
		for _, u := range []accounts.NewUser{
			{Username: "qy-admin", DisplayName: "青羊系统管理员", PartyOrgID: qy, Roles: []domain.Role{domain.RoleSysAdmin}},
			{Username: "qy-sec", DisplayName: "青羊安全管理员", PartyOrgID: qy, Roles: []domain.Role{domain.RoleSecAdmin}},
			{Username: "qy-audit", DisplayName: "青羊审计管理员", PartyOrgID: qy, Roles: []domain.Role{domain.RoleAuditor}},
			{Username: "qy-pii", DisplayName: "青羊敏感信息查看", PartyOrgID: qy, Roles: []domain.Role{domain.RoleDistrictStaff, domain.RolePIIViewer}},
		} {
			u.PasswordHash = e.Data.Users[0].PasswordHash
			if _, err := e.Store.Accounts.CreateUser(ctx, sys, u); err != nil {
				t.Fatal(err)
			}
		}
		// Records of 锦江区 to aim at, by the resource named in the path.
		jjChild := firstChild(t, e, jj)
		jjUser, err := e.Store.Accounts.UserByUsername(ctx, "jinjiang")
		if err != nil {
			t.Fatal(err)
		}
		zones, _, err := e.Store.Registry.ListZones(ctx, scopeOf(t, e, jj), "", store.Page{Size: 1})
		if err != nil || len(zones) == 0 {
			t.Fatalf("no 锦江区 zone: %v", err)
		}
		jjOrg := createOrganization(t, e, "91510104MA6C00000F", jjChild)
		jjMember := createMember(t, e, "510104199003070015", jjChild)
		jjAssignment, err := e.Store.Registry.CreateAssignment(ctx, sys, jjOrg, assignment("锦江指导员", "instructor", "2026-01-01"))
		if err != nil {
			t.Fatal(err)
		}
		jjManager := firstChildName(t, e, jj)
		jjImport := startAndWait(t, e, e.Login("jinjiang"), upload("organizations", orgWorkbook(t, [3]string{testUSCC(900), "锦江范围测试有限公司", jjManager}), false))
		outside := map[string]int64{"party-orgs": jjChild, "users": jjUser.ID, "zones": zones[0].ID, "organizations": jjOrg, "members": jjMember, "imports": jjImport.ID}
		outside["assignments"] = jjAssignment.ID
		qyChild := firstChild(t, e, qy)
		// Bodies that would succeed inside the scope, so that only the scope
		// can stop them.
		bodies := map[string]any{
			"POST /api/v1/session":                   map[string]string{"username": "qingyang", "password": apitest.Password},
			"PUT /api/v1/me/password":                map[string]string{"old_password": "wrong-Password1", "new_password": "New@Pass2026x"},
			"POST /api/v1/zones":                     map[string]any{"name": "越权园区", "kind": "park", "region": "510104", "party_org_id": jj},
			"PATCH /api/v1/zones/{id}":               map[string]any{"name": "越权修改"},
			"POST /api/v1/party-orgs":                map[string]any{"parent_id": jj, "name": "越权党支部", "type": "branch", "region": "510104"},
			"PATCH /api/v1/party-orgs/{id}":          map[string]any{"name": "越权修改"},
			"POST /api/v1/party-orgs/{id}/move":      map[string]any{"parent_id": qyChild},
			"POST /api/v1/party-orgs/{id}/dissolve":  map[string]any{"dissolved_on": "2026-11-01", "reason": "越权撤销"},
			"POST /api/v1/organizations":             map[string]any{"uscc": "91510104MA6C00001J", "name": "越权登记有限公司", "region": "510104", "industry": "I", "area_manager_id": jjChild},
			"PATCH /api/v1/organizations/{id}":       map[string]any{"name": "越权修改"},
			"POST /api/v1/members":                   map[string]any{"name": "越权", "id_number": "510107194910010012", "joined_on": "1980-01-01", "full_member_on": "1981-01-01", "status": "full", "party_org_id": jjChild},
			"PATCH /api/v1/members/{id}":             map[string]any{"name": "越权修改"},
			"POST /api/v1/users":                     map[string]any{"username": "intruder", "display_name": "越权", "party_org_id": jj, "roles": []string{"district_staff"}, "password": "Intr@der2026x"},
			"PATCH /api/v1/users/{id}":               map[string]any{"display_name": "越权修改", "roles": []string{"city_staff"}},
			"POST /api/v1/users/{id}/reset-password": map[string]any{"password": "Reset@2026xyz"},
			"PUT /api/v1/settings/security":          domain.DefaultSecuritySettings,
			"POST /api/v1/imports":                   upload("organizations", orgWorkbook(t, [3]string{testUSCC(901), "越权导入有限公司", jjManager}), false),
		}
		// 两个覆盖 (kept apart so that other branches' entries merge cleanly).
		bodies["PUT /api/v1/settings/coverage"] = domain.DefaultCoverageSettings()
		bodies["POST /api/v1/organizations/{id}/covers"] = map[string]any{"party_org_id": qyChild}
		bodies["POST /api/v1/organizations/{id}/assignments"] = map[string]any{"person": "越权", "role": "instructor", "from": "2026-01-01"}
		bodies["PATCH /api/v1/assignments/{id}"] = map[string]any{"to": "2026-11-01"}
		// Organizational life: an activity of 锦江区 running now, its codes.
		jjActivity, err := e.Store.Life.CreateActivity(ctx, sys, activity.ActivityInput{PartyOrgID: jjChild, Type: activity.ThemeDay, Title: "锦江主题党日",
			StartsAt: apitest.Start.Add(-time.Hour), EndsAt: apitest.Start.Add(time.Hour), Address: "锦江区某处"})
		if err != nil {
			t.Fatal(err)
		}
		outside["activities"] = jjActivity.ID
		activityCode, err := checkin.ActivityCodes{Keys: e.Server.Codes}.Issue(jjActivity.ID, jjActivity.StartsAt, jjActivity.EndsAt)
		if err != nil {
			t.Fatal(err)
		}
		memberCode, err := checkin.MemberCodes{Keys: e.Server.Codes}.Issue(jjMember, apitest.Start)
		if err != nil {
			t.Fatal(err)
		}
		activityBody := map[string]any{"party_org_id": jjChild, "type": "theme_day", "title": "越权活动", "address": "越权地点",
			"starts_at": "2026-11-28T01:00:00Z", "ends_at": "2026-11-28T03:00:00Z"}
		bodies["POST /api/v1/activities"] = activityBody
		bodies["PATCH /api/v1/activities/{id}"] = activityBody
		bodies["POST /api/v1/activities/{id}/cancel"] = map[string]any{"reason": "越权取消"}
		bodies["PUT /api/v1/activities/{id}/attendance"] = map[string]any{"member_id": jjMember, "kind": "leave", "reason": "越权请假"}
		bodies["POST /api/v1/activities/{id}/scan"] = map[string]any{"code": memberCode.Code}
		bodies["POST /api/v1/activities/{id}/attachments"] = apitest.Multipart{FileName: "越权.png", File: tinyPNG(t)}
		bodies["PUT /api/v1/monthly-themes/{month}"] = map[string]any{"title": "越权主题"}
		bodies["PUT /api/v1/settings/activities"] = activity.DefaultActivitySettings()
		bodies["POST /api/v1/checkins"] = map[string]any{"code": activityCode.Code}
		// 书记备案 and 换届 (issue 5): a pending filing and a pending postponement of 锦江区.
		jjFiling, err := e.Store.Filings.CreateSecretaryFiling(ctx, sys, filing.SecretaryFilingInput{PartyOrgID: jjChild, Kind: filing.FilingAppointment,
			MemberID: &jjMember, EffectiveOn: "2026-11-27", Method: "appointed"})
		if err != nil {
			t.Fatal(err)
		}
		outside["secretary-filings"] = jjFiling.ID
		jjTerms, err := e.Store.Filings.RecordTerm(ctx, sys, jjChild, domain.TermInput{StartOn: "2026-11-27"})
		if err != nil {
			t.Fatal(err)
		}
		jjEnd, _ := domain.ParseDate(string(jjTerms.Current.EndOn))
		postponeTo := jjEnd.AddDate(0, 6, 0).Format(domain.DateLayout)
		jjChange, err := e.Store.Filings.CreateTermChange(ctx, sys, domain.TermChangeInput{PartyOrgID: jjChild, Kind: domain.TermPostpone, NewDate: postponeTo, Reason: "测试延期"})
		if err != nil {
			t.Fatal(err)
		}
		outside["term-changes"] = jjChange.ID
		filingBody := map[string]any{"party_org_id": jjChild, "kind": "appointment", "member_id": jjMember, "effective_on": "2026-11-27", "method": "appointed"}
		bodies["POST /api/v1/secretary-filings"] = filingBody
		bodies["PATCH /api/v1/secretary-filings/{id}"] = filingBody
		bodies["POST /api/v1/secretary-filings/{id}/approve"] = map[string]any{"note": "越权批准"}
		bodies["POST /api/v1/secretary-filings/{id}/return"] = map[string]any{"reason": "越权退回"}
		bodies["POST /api/v1/party-orgs/{id}/terms"] = map[string]any{"start_on": "2026-11-27", "years": 3}
		bodies["POST /api/v1/party-orgs/{id}/elections"] = map[string]any{"held_on": "2026-11-27", "method": "member_meeting", "expected_voters": 1,
			"present_voters": 1, "secretary_member_id": jjMember}
		bodies["POST /api/v1/term-changes"] = map[string]any{"party_org_id": jjChild, "kind": "postpone", "new_date": postponeTo, "reason": "越权延期"}
		bodies["POST /api/v1/term-changes/{id}/approve"] = map[string]any{"note": "越权批准"}
		bodies["POST /api/v1/term-changes/{id}/return"] = map[string]any{"reason": "越权退回"}
		// 防瘫预警: an evaluation raises 锦江区 alerts to aim at.
		if _, err := e.Store.Alerts.RunAlerts(ctx, sys, domain.DateOf(apitest.Start), alerts.RunManual); err != nil {
			t.Fatal(err)
		}
		jjAlerts, _, err := e.Store.Alerts.ListAlerts(ctx, scopeOf(t, e, jj), alerts.AlertFilter{Page: store.Page{Size: 1}})
		if err != nil || len(jjAlerts) == 0 {
			t.Fatalf("no 锦江区 alert: %v", err)
		}
		outside["alerts"] = jjAlerts[0].ID
		bodies["POST /api/v1/alerts/run"] = map[string]any{}
		bodies["PATCH /api/v1/rules/{code}"] = map[string]any{"enabled": false}
		for _, a := range []string{"assign", "acknowledge", "resolve", "reopen"} {
			bodies["POST /api/v1/alerts/{id}/"+a] = map[string]any{"note": "越权处理", "assignee_id": jjUser.ID}
		}
		// 重点产业链 (city-wide reference data, city staff maintain it): a
		// 锦江区 enterprise as a chain's 链主, which 青羊区 must neither see on
		// the chain nor change.
		jjChains, err := e.Store.Registry.ListChains(ctx, store.ScopeAll, false)
		if err != nil {
			t.Fatal(err)
		}
		jjChain := jjChains[0]
		if _, err := e.Store.Registry.SetChainMaster(ctx, sys, jjOrg, &jjChain.ID); err != nil {
			t.Fatal(err)
		}
		outside["industry-chains"] = jjChain.ID
		bodies["POST /api/v1/industry-chains"] = map[string]any{"name": "越权产业链"}
		bodies["PATCH /api/v1/industry-chains/{id}"] = map[string]any{"party_org_id": jjChild}
		bodies["PUT /api/v1/organizations/{id}/chain-master"] = map[string]any{"chain_id": jjChain.ID}
		// The second login factor: the caller's own authenticator involves no
		// Party-org record (a wrong code is refused, or there is none to change);
		// the roles that require it are a deployment-wide setting.
		own := map[string]bool{"POST /api/v1/me/totp": true, "POST /api/v1/me/totp/confirm": true, "POST /api/v1/me/totp/recovery-codes": true, "DELETE /api/v1/me/totp": true}
		for k := range own {
			if k != "POST /api/v1/me/totp" {
				bodies[k] = map[string]any{"code": "000000"}
			}
		}
		bodies["PUT /api/v1/settings/second-factor"] = map[string]any{"required_roles": []string{}}
		// Day one (issue 13): a 锦江区 street, and a 党小组 of a 锦江区 branch.
		jjBranch := firstOfType(t, e, jj, "branch")
		jjGroup, err := e.Store.Groups.CreateGroup(ctx, sys, jjBranch, partygroup.PartyGroupInput{Name: storetest.Ptr("锦江第一党小组")})
		if err != nil {
			t.Fatal(err)
		}
		outside["party-groups"] = jjGroup.ID
		codes := map[string]string{"regions": jjStreet(t, e)}
		bodies["POST /api/v1/regions"] = map[string]any{"code": "510104998", "name": "越权街道"}
		bodies["PATCH /api/v1/regions/{code}"] = map[string]any{"name": "越权修改"}
		bodies["POST /api/v1/party-orgs/{id}/groups"] = map[string]any{"name": "越权党小组"}
		bodies["PATCH /api/v1/party-groups/{id}"] = map[string]any{"name": "越权修改"}
		bodies["POST /api/v1/party-groups/{id}/dissolve"] = map[string]any{"dissolved_on": "2026-11-27"}
		bodies["PUT /api/v1/party-groups/{id}/members"] = map[string]any{"member_ids": []int64{jjMember}}
		// Uploads start a job (202); the job must then refuse the 锦江区 reference.
		async := map[string]bool{"POST /api/v1/imports": true}
		// Reference data that every user may read in full.
		unscoped := map[string]bool{"GET /api/v1/regions": true, "GET /api/v1/regions/{code}": true, "GET /api/v1/meta": true}
		// The audit trail is read whole by the 审计管理员 (a separate duty, not a Party-org scope).
		trail := map[string]bool{"GET /api/v1/audit-events": true, "GET /api/v1/audit-events/verify": true}

		// Routes with required query parameters: given on every call.
		required := map[string]string{"GET /api/v1/activities/calendar": "from=2026-11-01&to=2026-11-30"}

		before := snapshot(t, e, jj)
		callers := []string{"qingyang", "qy-admin", "qy-sec", "qy-audit", "qy-pii"}
		routes := e.Server.Routes()
		if len(routes) < 25 {
			t.Fatalf("only %d routes registered", len(routes))
		}
		for _, rt := range routes {
			key := rt.Method + " " + rt.Pattern
			if rt.Public || rt.Pattern == "/api/v1/session" && rt.Method == "DELETE" {
				continue // login and logout touch no Party-org records
			}
			path := rt.Pattern
			if strings.Contains(path, "{id}") {
				res := strings.Split(strings.TrimPrefix(path, "/api/v1/"), "/")[0]
				id, ok := outside[res]
				if !ok {
					t.Fatalf("route-scope test: no record outside the scope for resource %q of %s: add one", res, key)
				}
				path = strings.Replace(path, "{id}", fmt.Sprint(id), 1)
			}
			if strings.Contains(path, "{code}") {
				if code, ok := codes[strings.Split(strings.TrimPrefix(path, "/api/v1/"), "/")[0]]; ok {
					path = strings.Replace(path, "{code}", code, 1)
				}
			}
			var body any
			if rt.HasBody {
				b, ok := bodies[key]
				if !ok {
					t.Fatalf("route-scope test: no body for %s: add one", key)
				}
				body = b
			}
			sep := "?"
			if req, ok := required[key]; ok {
				path, sep = path+"?"+req, "&"
			}
			for _, who := range callers {
				c := e.Login(who)
				paths := []string{path}
				for _, q := range rt.IDParams {
					paths = append(paths, path+sep+q+"="+fmt.Sprint(jj))
				}
				for _, p := range paths {
					r := c.Do(rt.Method, p, body)
					switch {
					case r.Status >= 500:
						t.Errorf("%s as %s: %d %s", p, who, r.Status, r.Body)
					case r.Status == 403 || r.Status == 404:
					case own[key] && r.Status < 500:
						if strings.Contains(textOf(t, r), "锦江") {
							t.Errorf("%s %s as %s leaks 锦江区 data: %.300s", rt.Method, p, who, r.Body)
						}
					case r.Status == 400 && rt.Method == "GET" && !strings.Contains(p, "?"):
						// A required parameter missing: the test also calls with it.
					case r.Status == 400 && rt.Method != "GET":
						// Refused by validation naming the out-of-scope reference.
						if !strings.Contains(r.Body, "管理范围") && !strings.Contains(r.Body, "原密码") {
							t.Errorf("%s %s as %s: 400 without a scope reason: %s", rt.Method, p, who, r.Body)
						}
					case r.Status < 300:
						if unscoped[key] || trail[key] && who == "qy-audit" {
							continue
						}
						if strings.Contains(textOf(t, r), "锦江") {
							t.Errorf("%s %s as %s leaks 锦江区 data: %.300s", rt.Method, p, who, r.Body)
						}
						if async[key] {
							checkJobRefused(t, e, c, r)
							continue
						}
						if rt.Method != "GET" && key != "PUT /api/v1/settings/security" && key != "PUT /api/v1/settings/second-factor" {
							t.Errorf("%s %s as %s succeeded (%d) outside the scope", rt.Method, p, who, r.Status)
						}
					default:
						t.Errorf("%s %s as %s: unexpected %d %s", rt.Method, p, who, r.Status, r.Body)
					}
				}
			}
		}
		if after := snapshot(t, e, jj); after != before {
			t.Errorf("锦江区 records changed through out-of-scope calls")
		}
		if f, err := e.Store.Filings.GetSecretaryFiling(ctx, store.ScopeAll, jjFiling.ID); err != nil || f.Status != filing.RequestPending || f.Version != jjFiling.Version {
			t.Errorf("锦江区's filing changed through out-of-scope calls: %+v %v", f, err)
		}
		if c, err := e.Store.Filings.GetTermChange(ctx, store.ScopeAll, jjChange.ID); err != nil || c.Status != filing.RequestPending || c.Version != jjChange.Version {
			t.Errorf("锦江区's term change changed through out-of-scope calls: %+v %v", c, err)
		}
	})
}

// textOf is what an answer says: its body, or for a workbook download the
// text of every part inside the zip (a compressed body would hide a leak).
func textOf(t *testing.T, r apitest.Response) string {
	t.Helper()
	if !strings.Contains(r.Header.Get("Content-Type"), "spreadsheetml") {
		return r.Body
	}
	z, err := zip.NewReader(strings.NewReader(r.Body), int64(len(r.Body)))
	if err != nil {
		t.Fatalf("workbook answer is not a zip: %v", err)
	}
	var sb strings.Builder
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		sb.Write(b)
	}
	return sb.String()
}

// checkJobRefused waits for the job an upload started and requires it to end
// rejected for the scope.
func checkJobRefused(t *testing.T, e *apitest.Env, c *apitest.Client, r apitest.Response) {
	t.Helper()
	var started struct {
		ID int64 `json:"id"`
	}
	r.JSON(t, &started)
	e.Server.Imports.Wait()
	var j importjobs.ImportJob
	c.Do("GET", fmt.Sprintf("/api/v1/imports/%d", started.ID), nil).JSON(t, &j)
	if j.Status != "rejected" || j.Imported != 0 || len(j.Errors) == 0 || !strings.Contains(j.Errors[0].Reason, "管理范围") {
		t.Errorf("an upload naming 锦江区's Party org as %s ended %+v", c.Who, j)
	}
}

func firstChildName(t *testing.T, e *apitest.Env, parent int64) string {
	o, err := e.Store.Registry.GetPartyOrg(context.Background(), store.ScopeAll, firstChild(t, e, parent))
	if err != nil {
		t.Fatal(err)
	}
	return o.Name
}

func scopeOf(t *testing.T, e *apitest.Env, id int64) store.Scope {
	o, err := e.Store.Registry.GetPartyOrg(context.Background(), store.ScopeAll, id)
	if err != nil {
		t.Fatal(err)
	}
	return store.Scope{Path: o.Path}
}

func firstChild(t *testing.T, e *apitest.Env, parent int64) int64 {
	items, _, err := e.Store.Registry.ListPartyOrgs(context.Background(), store.ScopeAll, registry.PartyOrgFilter{ParentID: &parent, Sort: "id", Page: store.Page{Size: 1}})
	if err != nil || len(items) == 0 {
		t.Fatalf("no child of %d: %v", parent, err)
	}
	return items[0].ID
}

// snapshot serializes every Party org, account and zone of a subtree.
func snapshot(t *testing.T, e *apitest.Env, root int64) string {
	ctx := context.Background()
	sc := scopeOf(t, e, root)
	orgs, _, err := e.Store.Registry.ListPartyOrgs(ctx, sc, registry.PartyOrgFilter{Status: "all", Page: store.Page{Size: 200}})
	if err != nil {
		t.Fatal(err)
	}
	users, _, err := e.Store.Accounts.ListUsers(ctx, sc, accounts.UserFilter{Page: store.Page{Size: 200}})
	if err != nil {
		t.Fatal(err)
	}
	zones, _, err := e.Store.Registry.ListZones(ctx, sc, "", store.Page{Size: 200})
	if err != nil {
		t.Fatal(err)
	}
	for i := range users {
		users[i].LastLoginAt, users[i].FailedLogins = nil, 0 // logins by the test itself
	}
	regs, _, err := e.Store.Registry.ListOrganizations(ctx, sc, registry.OrganizationFilter{Page: store.Page{Size: 200}})
	if err != nil {
		t.Fatal(err)
	}
	members, _, err := e.Store.Members.ListMembers(ctx, sc, members.MemberFilter{Page: store.Page{Size: 200}})
	if err != nil {
		t.Fatal(err)
	}
	regions, err := e.Store.Registry.ListRegions(ctx, registry.RegionFilter{ParentCode: "510104"})
	if err != nil {
		t.Fatal(err)
	}
	var groups []any
	for _, o := range orgs {
		if o.Type == domain.Branch {
			g, err := e.Store.Groups.ListGroups(ctx, sc, o.ID)
			if err != nil {
				t.Fatal(err)
			}
			groups = append(groups, g)
		}
	}
	b, _ := json.Marshal([]any{orgs, users, zones, regs, members, regions, groups})
	return string(b)
}

// firstOfType is the first Party org of a type under parent.
func firstOfType(t *testing.T, e *apitest.Env, parent int64, typ string) int64 {
	t.Helper()
	items, _, err := e.Store.Registry.ListPartyOrgs(context.Background(), store.ScopeAll, registry.PartyOrgFilter{Under: &parent, Type: typ, Sort: "id", Page: store.Page{Size: 1}})
	if err != nil || len(items) == 0 {
		t.Fatalf("no %s under %d: %v", typ, parent, err)
	}
	return items[0].ID
}

// jjStreet is a street of 锦江区.
func jjStreet(t *testing.T, e *apitest.Env) string {
	t.Helper()
	rs, err := e.Store.Registry.ListRegions(context.Background(), registry.RegionFilter{ParentCode: "510104", Level: domain.LevelStreet})
	if err != nil || len(rs) == 0 {
		t.Fatalf("no street of 锦江区: %v", err)
	}
	return rs[0].Code
}

// createMember registers a full member held by the Party org holder.
func createMember(t *testing.T, e *apitest.Env, idNumber string, holder int64) int64 {
	t.Helper()
	name, joined, full, status := "测试党员", "2015-07-01", "2016-07-01", "full"
	m, err := e.Store.Members.SaveMember(context.Background(), store.System(apitest.Start, "test"), 0,
		domain.MemberInput{Name: &name, IDNumber: &idNumber, JoinedOn: &joined, FullMemberOn: &full, Status: &status, PartyOrgID: &holder})
	if err != nil {
		t.Fatal(err)
	}
	return m.ID
}

// createOrganization registers a 两新组织 managed by the Party org areaManager.
func createOrganization(t *testing.T, e *apitest.Env, uscc string, areaManager int64) int64 {
	t.Helper()
	name, region, industry := "成都测试"+uscc[10:]+"有限公司", "510104", "I"
	o, err := e.Store.Registry.SaveOrganization(context.Background(), store.System(apitest.Start, "test"), 0,
		domain.OrganizationInput{USCC: &uscc, Name: &name, Region: &region, Industry: &industry, AreaManagerID: &areaManager}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return o.ID
}

// assignment is the body of an instructor or liaison assignment.
func assignment(person, role, from string) registry.AssignmentInput {
	return registry.AssignmentInput{Person: &person, Role: &role, From: &from}
}

// tinyPNG is a valid one-pixel PNG, an attachment the server accepts.
func tinyPNG(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
