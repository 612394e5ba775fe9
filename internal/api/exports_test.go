package api_test

import (
	"context"
	"strings"
	"testing"

	"github.com/lianxin/lianxin/internal/api/apitest"
	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/importer"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/accounts"
	"github.com/lianxin/lianxin/internal/xlsx"
)

// rowsOf reads a downloaded workbook laid out as tpl.
func rowsOf(t *testing.T, r apitest.Response, tpl xlsx.Template) []xlsx.Record {
	t.Helper()
	if r.Status != 200 || !strings.Contains(r.Header.Get("Content-Type"), "spreadsheetml") ||
		!strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment; filename*=UTF-8''") {
		t.Fatalf("download: %d %v %.200s", r.Status, r.Header, r.Body)
	}
	wb, err := xlsx.Open(strings.NewReader(r.Body), int64(len(r.Body)), xlsx.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	sh, err := wb.Sheet(wb.SheetNames()[0])
	if err != nil {
		t.Fatal(err)
	}
	var out []xlsx.Record
	if err := sh.ReadRows(tpl, func(_ int, rec xlsx.Record) error { out = append(out, rec); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestExportsFollowTheListFilters(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		c := e.Login("jinjiang")
		var l struct{ Total int }
		c.Do("GET", "/api/v1/organizations?industry=I", nil).JSON(t, &l)
		rows := rowsOf(t, c.Do("GET", "/api/v1/organizations.xlsx?industry=I", nil), importer.OrganizationTemplate)
		if len(rows) != l.Total || l.Total == 0 {
			t.Fatalf("export has %d rows, the list %d", len(rows), l.Total)
		}
		for _, r := range rows {
			if r.Get("industry") != domain.Industries.Name("I") {
				t.Fatalf("row outside the filter: %v", r.Get("industry"))
			}
		}
		if r := c.Do("GET", "/api/v1/organizations.xlsx?status=nope", nil); r.Status != 400 || r.ErrorField(t, "status") == "" {
			t.Fatalf("bad filter: %d %s", r.Status, r.Body)
		}
	})
}

func TestMemberExportMasksUnlessTheExportRoleAsks(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		ctx := context.Background()
		jj := e.OrgID(apitest.JinjiangName)
		const idNumber = "510104199003070015"
		createMember(t, e, idNumber, orgOf(t, e, jj, "快递物流行业党委"))
		find := func(rows []xlsx.Record) string {
			for _, r := range rows {
				if strings.HasSuffix(r.Get("id_number"), "0015") && strings.HasPrefix(r.Get("id_number"), "510104") {
					return r.Get("id_number")
				}
			}
			t.Fatalf("the member is not in the export")
			return ""
		}

		c := e.Login("jinjiang")
		if got := find(rowsOf(t, c.Do("GET", "/api/v1/members.xlsx?q=测试", nil), importer.MemberTemplate)); got != "510104********0015" {
			t.Fatalf("masked export shows %q", got)
		}
		// The region is the holding Party org's: 锦江区 has the member, 青羊区 not.
		var in, out struct{ Total int }
		c.Do("GET", "/api/v1/members?q=测试&region=510104", nil).JSON(t, &in)
		c.Do("GET", "/api/v1/members?q=测试&region=510105", nil).JSON(t, &out)
		if in.Total == 0 || out.Total != 0 {
			t.Fatalf("region filter: 锦江区 %d, 青羊区 %d", in.Total, out.Total)
		}
		r := c.Do("GET", "/api/v1/members.xlsx?reveal=true", nil)
		if r.Status != 403 || !strings.Contains(r.Body, "个人信息明文导出") {
			t.Fatalf("reveal without the role: %d %s", r.Status, r.Body)
		}
		// The viewing role alone does not export: a separate duty.
		for _, u := range []struct {
			name  string
			roles []domain.Role
		}{{"jj-view", []domain.Role{domain.RoleDistrictStaff, domain.RolePIIViewer}}, {"jj-export", []domain.Role{domain.RoleDistrictStaff, domain.RolePIIExporter}}} {
			if _, err := e.Store.Accounts.CreateUser(ctx, store.System(apitest.Start, "test"), accounts.NewUser{Username: u.name, DisplayName: "导出人", PartyOrgID: jj,
				Roles: u.roles, PasswordHash: e.Data.Users[0].PasswordHash}); err != nil {
				t.Fatal(err)
			}
		}
		if r := e.Login("jj-view").Do("GET", "/api/v1/members.xlsx?reveal=1", nil); r.Status != 403 {
			t.Fatalf("viewer exported in plain text: %d", r.Status)
		}
		if got := find(rowsOf(t, e.Login("jj-export").Do("GET", "/api/v1/members.xlsx?q=测试&reveal=true", nil), importer.MemberTemplate)); got != idNumber {
			t.Fatalf("plain export shows %q", got)
		}
		if r := c.Do("GET", "/api/v1/members.xlsx?reveal=maybe", nil); r.Status != 400 || r.ErrorField(t, "reveal") == "" {
			t.Fatalf("bad reveal: %d %s", r.Status, r.Body)
		}

		// Every export is in the trail, the plain one said as such, and the
		// refused one as a denial.
		events, _, err := e.Store.ListAudit(ctx, store.AuditFilter{Action: audit.ActionExport, Page: store.Page{Size: 50}})
		if err != nil {
			t.Fatal(err)
		}
		var plain, masked int
		for _, ev := range events {
			switch {
			case ev.Username == "jj-export" && strings.Contains(ev.Reason, "明文"):
				plain++
			case ev.Username == "jinjiang" && !strings.Contains(ev.Reason, "明文"):
				masked++
			}
		}
		if plain != 1 || masked != 1 {
			t.Fatalf("export events: plain %d, masked %d of %d", plain, masked, len(events))
		}
		denied, _, err := e.Store.ListAudit(ctx, store.AuditFilter{Username: "jj-view", Action: audit.ActionPermissionDenied, Page: store.Page{Size: 5}})
		if err != nil || len(denied) != 1 {
			t.Fatalf("denial not audited: %v %v", denied, err)
		}
	})
}
