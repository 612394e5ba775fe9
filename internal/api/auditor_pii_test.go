package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/lianxin/lianxin/internal/api/apitest"
	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/pii"
)

// Issue 11, finding 5: the 审计管理员 reads audit records with personal data
// masked by the rule of the member object — name masked, no birth date, no
// ethnicity, ID number and phone masked — records written before the rule
// too, and the chain still verifies over the stored bytes.
func TestAuditorReadsPersonalDataMasked(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		jj := e.OrgID(apitest.JinjiangName)
		branch := orgOf(t, e, jj, "快递物流行业党委")
		const name, idNumber, phone = "欧阳审计", "510104199003070015", "13800138000"
		c := e.Login("jinjiang")
		r := c.Do("POST", "/api/v1/members", map[string]any{"name": name, "id_number": idNumber, "phone": phone, "ethnicity": "05",
			"joined_on": "2015-07-01", "full_member_on": "2016-07-01", "status": "full", "party_org_id": branch})
		if r.Status != 201 {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		id := int64(r.Map(t)["id"].(float64))
		if r := c.Do("PATCH", fmt.Sprintf("/api/v1/members/%d", id), map[string]any{"job": "骑手", "version": 1}); r.Status != 200 {
			t.Fatalf("edit: %d %s", r.Status, r.Body)
		}
		// Records as the trail held them before: a member's state with its
		// birth date, ethnicity and name, an early joined_on, a committee
		// seat's name beside its member_id, a filing's person_name.
		legacy := map[string]any{"id": id, "name": name, "gender": "male", "ethnicity": "05", "birth_date": "1990-03-07",
			"id_number": idNumber, "phone": phone, "joined_on": "1950-06-01", "job": "骑手"}
		ev := audit.New(e.Now(), audit.Actor{Username: "jinjiang", Roles: "district_staff"}, audit.ActionUpdate, "member", fmt.Sprint(id), audit.ResultSuccess).
			WithStates(legacy, legacy)
		if err := e.Store.Audit(context.Background(), ev); err != nil {
			t.Fatal(err)
		}
		election := audit.New(e.Now(), audit.Actor{Username: "jinjiang"}, audit.ActionCreate, "election", "1", audit.ResultSuccess).
			WithStates(nil, map[string]any{"committee": []map[string]any{{"member_id": id, "name": name, "post": "secretary"}}, "notes": "换届"})
		filing := audit.New(e.Now(), audit.Actor{Username: "jinjiang"}, audit.ActionSubmit, "secretary_filing", "1", audit.ResultSuccess).
			WithStates(nil, map[string]any{"member_id": id, "person_name": name})
		for _, x := range []audit.Event{election, filing} {
			if err := e.Store.Audit(context.Background(), x); err != nil {
				t.Fatal(err)
			}
		}

		a := e.Login("auditor")
		var l struct {
			Items []struct {
				ObjectType    string `json:"object_type"`
				Before, After string
			}
			Total int
		}
		a.Do("GET", "/api/v1/audit-events?page_size=200&from=2026-01-01", nil).JSON(t, &l)
		states := 0
		for _, it := range l.Items {
			for _, s := range []string{it.Before, it.After} {
				if !strings.Contains(s, "审计") && !strings.Contains(s, pii.MaskName(name)) {
					continue // not about this member
				}
				states++
				for _, leak := range []string{name, idNumber, phone, "1990-03-07", "19900307", "1950-06-01", `"ethnicity"`, `"birth_date"`, `"age"`} {
					if strings.Contains(s, leak) {
						t.Errorf("the auditor reads %q in a %s record: %s", leak, it.ObjectType, s)
					}
				}
				var m map[string]any
				if err := json.Unmarshal([]byte(s), &m); err != nil {
					t.Fatalf("state %q: %v", s, err)
				}
				if it.ObjectType == "member" && (m["name"] != pii.MaskName(name) || m["id_number"] != pii.MaskIDNumber(idNumber) ||
					m["phone"] != pii.MaskPhone(phone) || m["job"] != "骑手" && m["job"] != "") {
					t.Errorf("member state: %v", m)
				}
			}
		}
		if states < 5 { // create, edit (before, after), the legacy record (before, after), the seat, the filing
			t.Fatalf("only %d states about the member were read", states)
		}
		var v struct{ OK bool }
		a.Do("GET", "/api/v1/audit-events/verify", nil).JSON(t, &v)
		if !v.OK {
			t.Fatal("the chain no longer verifies")
		}
	})
}
