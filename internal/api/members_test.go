package api_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lianxin/lianxin/internal/api/apitest"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/accounts"
)

func TestMemberRegistryProtectsPersonalData(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		jj := e.OrgID(apitest.JinjiangName)
		branch := orgOf(t, e, jj, "快递物流行业党委")
		c := e.Login("jinjiang")
		const idNumber, phone = "510104199003070015", "13800138000"

		r := c.Do("POST", "/api/v1/members", map[string]any{"name": "欧阳测试", "id_number": "５１０１０４１９９００３０７００１５", "phone": "138-0013-8000",
			"joined_on": "2015-07-01", "full_member_on": "2016-07-01", "status": "full", "party_org_id": branch, "gig_type": "courier"})
		if r.Status != 201 {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		m := r.Map(t)
		id := int64(m["id"].(float64))
		// Gender comes from the ID number; the birth date too, but it is not
		// shown (it would give back what the mask hides); the numbers are masked.
		if _, ok := m["birth_date"]; ok || m["gender"] != "male" || m["id_number"] != "510104********0015" || m["phone"] != "138****8000" {
			t.Fatalf("created %v", m)
		}
		if strings.Contains(r.Body, idNumber) || strings.Contains(r.Body, phone) {
			t.Fatalf("plain personal data in the answer: %s", r.Body)
		}
		// A contradicting birth date or gender is refused, naming the field.
		r = c.Do("POST", "/api/v1/members", map[string]any{"name": "李", "id_number": "51010719951001018X", "birth_date": "1995-10-02", "gender": "male",
			"joined_on": "2015-07-01", "status": "probationary", "party_org_id": branch})
		if r.Status != 400 || r.ErrorField(t, "birth_date") == "" || r.ErrorField(t, "gender") == "" {
			t.Fatalf("contradiction: %d %s", r.Status, r.Body)
		}
		// The same person twice is a conflict, found through the blind index.
		r = c.Do("POST", "/api/v1/members", map[string]any{"name": "王芳", "id_number": idNumber, "joined_on": "2015-07-01", "full_member_on": "2016-07-01", "status": "full", "party_org_id": branch})
		if r.Status != 409 || r.ErrorField(t, "id_number") == "" {
			t.Fatalf("duplicate: %d %s", r.Status, r.Body)
		}

		// Search by the last four characters, the whole number or the phone.
		for _, q := range []string{idNumber, "13800138000", "欧阳测试"} {
			var l struct{ Total int }
			c.Do("GET", "/api/v1/members?q="+q, nil).JSON(t, &l)
			if l.Total != 1 {
				t.Errorf("search %q found %d", q, l.Total)
			}
		}

		// A name is searched from its start (the surname): a prefix range on
		// the name index, so that a search stays fast at city scale; the
		// scope still applies to the rows found that way.
		for q, want := range map[string]int{"欧阳测": 1, "测试": 0} {
			var l struct{ Total int }
			c.Do("GET", "/api/v1/members?q="+q, nil).JSON(t, &l)
			if l.Total != want {
				t.Errorf("search %q found %d, want %d", q, l.Total, want)
			}
		}
		var outside struct{ Total int }
		e.Login("qingyang").Do("GET", "/api/v1/members?q=欧阳测", nil).JSON(t, &outside)
		if outside.Total != 0 {
			t.Errorf("青羊区 finds 锦江区's member by name: %d", outside.Total)
		}

		// Revealing needs the separate role and is audited.
		if r := c.Do("POST", fmt.Sprintf("/api/v1/members/%d/reveal", id), nil); r.Status != 403 {
			t.Fatalf("reveal without the role: %d", r.Status)
		}
		viewer := accounts.NewUser{Username: "jj-pii", DisplayName: "查看人", PartyOrgID: jj, Roles: []domain.Role{domain.RoleDistrictStaff, domain.RolePIIViewer},
			PasswordHash: e.Data.Users[0].PasswordHash}
		if _, err := e.Store.Accounts.CreateUser(context.Background(), store.System(apitest.Start, "test"), viewer); err != nil {
			t.Fatal(err)
		}
		r = e.Login("jj-pii").Do("POST", fmt.Sprintf("/api/v1/members/%d/reveal", id), nil)
		if r.Status != 200 || r.Map(t)["id_number"] != idNumber || r.Map(t)["phone"] != phone || r.Map(t)["birth_date"] != "1990-03-07" {
			t.Fatalf("reveal: %d %s", r.Status, r.Body)
		}
		evs, _, err := e.Store.ListAudit(context.Background(), store.AuditFilter{Action: "reveal", Username: "jj-pii"})
		if err != nil || len(evs) != 1 || evs[0].ObjectID != fmt.Sprint(id) {
			t.Fatalf("reveal audit %+v %v", evs, err)
		}
		// Neither the history nor the audit trail holds the plain values.
		hist := c.Do("GET", fmt.Sprintf("/api/v1/members/%d/history", id), nil)
		all, _, _ := e.Store.ListAudit(context.Background(), store.AuditFilter{ObjectType: "member"})
		for _, ev := range all {
			if strings.Contains(ev.After+ev.Before, idNumber) || strings.Contains(ev.After+ev.Before, phone) {
				t.Fatalf("audit record holds plain personal data: %s", ev.After)
			}
		}
		if hist.Status != 200 || strings.Contains(hist.Body, idNumber) || strings.Contains(hist.Body, phone) {
			t.Fatalf("history: %d %s", hist.Status, hist.Body)
		}
		// 青羊区 sees nothing of it.
		if r := e.Login("qingyang").Do("GET", fmt.Sprintf("/api/v1/members/%d", id), nil); r.Status != 404 {
			t.Fatalf("青羊 reads a 锦江 member: %d", r.Status)
		}
	})
}

// TestPersonalDataNotInDatabaseFiles: on SQLite, neither the database file
// nor its WAL contains an ID number or phone in plain text (nor in UTF-16).
func TestPersonalDataNotInDatabaseFiles(t *testing.T) {
	e := apitest.New(t, "sqlite")
	jj := e.OrgID(apitest.JinjiangName)
	branch := orgOf(t, e, jj, "快递物流行业党委")
	const idNumber, phone = "510107199510010040", "13912345678"
	r := e.Login("jinjiang").Do("POST", "/api/v1/members", map[string]any{"name": "赵静", "id_number": idNumber, "phone": phone,
		"joined_on": "2018-07-01", "full_member_on": "2019-07-01", "status": "full", "party_org_id": branch})
	if r.Status != 201 {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	files, _ := filepath.Glob(filepath.Join(e.DataDir, "lianxin.db*"))
	if len(files) < 2 {
		t.Fatalf("expected the database and its WAL, found %v", files)
	}
	seen := false
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		// A positive control: the name, stored in plain text, is found.
		seen = seen || strings.Contains(string(b), "赵静")
		for _, secret := range []string{idNumber, phone, idNumber[6:14]} {
			if strings.Contains(string(b), secret) {
				t.Errorf("%s contains %s in plain text", filepath.Base(f), secret)
			}
		}
	}
	if !seen {
		t.Fatal("the member's name is in neither file: the scan reads nothing")
	}
}
