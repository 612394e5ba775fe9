package api_test

import (
	"testing"

	"github.com/lianxin/lianxin/internal/api/apitest"
)

// FuzzPartyOrgBody sends arbitrary bodies to the Party-org writes: every
// answer is a client error or a success, never a 5xx. The seeds run with
// every `go test`; `go test -fuzz FuzzPartyOrgBody ./internal/api` explores.
func FuzzPartyOrgBody(f *testing.F) {
	for _, s := range []string{
		`{"parent_id": 2, "name": "测试党支部", "type": "branch", "region": "510104"}`,
		`{"parent_id": 2, "name": "x", "type": "branch", "region": "510104", "term_start": "2024-02-29", "term_years": 3}`,
		`{"name": null}`, `{"term_years": 1e309}`, `{"term_start": "2024-13-40"}`, `[]`, `{"parent_id": -1}`,
		`{"parent_id": 9223372036854775807, "name": "a", "type": "branch", "region": "510104"}`,
		`{"version": "1"}`, "{\"name\": \"\u0000\"}", `{"region": "' OR 1=1 --"}`, `{`, ``,
	} {
		f.Add(s)
	}
	e := apitest.New(f, "sqlite")
	c := e.Login("jinjiang")
	child := firstChild2(e, e.OrgID(apitest.JinjiangName))
	f.Fuzz(func(t *testing.T, body string) {
		for _, r := range []struct{ method, path string }{
			{"POST", "/api/v1/party-orgs"},
			{"PATCH", "/api/v1/party-orgs/" + child},
			{"POST", "/api/v1/party-orgs/" + child + "/move"},
		} {
			resp := c.With(t).Do(r.method, r.path, body)
			if resp.Status >= 500 {
				t.Fatalf("%s %s %q: %d %s", r.method, r.path, body, resp.Status, resp.Body)
			}
		}
	})
}

func firstChild2(e *apitest.Env, parent int64) string {
	for _, o := range e.Data.PartyOrgs {
		if o.ParentID != nil && *o.ParentID == parent && o.Type == "industry_committee" {
			return id(o.ID)
		}
	}
	e.T.Fatal("no child")
	return ""
}
