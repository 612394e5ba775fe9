package api_test

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/api/apitest"
	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/pii"
	"github.com/lianxin/lianxin/internal/store"
)

// lookups returns the account's pii_lookup records, newest first.
func lookups(t *testing.T, e *apitest.Env, username string) []audit.Event {
	t.Helper()
	evs, _, err := e.Store.ListAudit(context.Background(), store.AuditFilter{Username: username, Action: audit.ActionPIILookup, Page: store.Page{Size: 200}})
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

// Issue 11, finding 2: a search by a whole phone or ID number is a lookup
// of personal data, audited with the value masked and limited per account;
// a name or last-four search is neither.
func TestExactLookupsAreAuditedAndLimited(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		jj := e.OrgID(apitest.JinjiangName)
		const idNumber, phone = "510104199003070015", "13800138000"
		branch := orgOf(t, e, jj, "快递物流行业党委")
		c := e.Login("jinjiang")
		if r := c.Do("POST", "/api/v1/members", map[string]any{"name": "欧阳查询", "id_number": idNumber, "phone": phone,
			"joined_on": "2015-07-01", "full_member_on": "2016-07-01", "status": "full", "party_org_id": branch}); r.Status != 201 {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		found := func(r apitest.Response) int {
			t.Helper()
			if r.Status != 200 {
				t.Fatalf("search: %d %s", r.Status, r.Body)
			}
			var l struct{ Total int }
			r.JSON(t, &l)
			return l.Total
		}

		// Name and last-four searches: unlimited and unaudited.
		for range 40 {
			if found(c.Do("GET", "/api/v1/members?q="+url.QueryEscape("欧阳查"), nil)) != 1 || found(c.Do("GET", "/api/v1/members?q=0015", nil)) == 0 {
				t.Fatal("a name or last-four search does not find the member")
			}
		}
		// The registration itself checked its ID number: one lookup, and
		// the name searches none.
		if n := len(lookups(t, e, "jinjiang")); n != 1 {
			t.Fatalf("name searches audited as lookups: %d besides the registration", n-1)
		}
		e.Advance(time.Minute) // the registration's lookup leaves the window

		// 30 exact lookups a minute: the ID number (as typed: spaced,
		// full-width) or the phone, in the list or its export.
		for i := range domain.LookupsPerMinute {
			switch i % 3 {
			case 0:
				if found(c.Do("GET", "/api/v1/members?q="+url.QueryEscape("5101 0419 9003 0700 15"), nil)) != 1 {
					t.Fatal("the ID number does not find the member")
				}
			case 1:
				if found(c.Do("GET", "/api/v1/members?q="+url.QueryEscape("138-0013-8000"), nil)) != 1 {
					t.Fatal("the phone does not find the member")
				}
			default:
				if r := c.Do("GET", "/api/v1/members.xlsx?q="+phone, nil); r.Status != 200 {
					t.Fatalf("export by phone: %d %s", r.Status, r.Body)
				}
			}
			e.Advance(time.Second)
		}
		// The 31st, in the list or the export, is refused with 429.
		for _, p := range []string{"/api/v1/members?q=" + idNumber, "/api/v1/members.xlsx?q=" + phone, "/api/v1/members?q=13900000000"} {
			r := c.Do("GET", p, nil)
			var body struct {
				Error struct{ Code, Message string }
			}
			r.JSON(t, &body)
			retry, err := strconv.Atoi(r.Header.Get("Retry-After"))
			if r.Status != 429 || body.Error.Code != "too_many_requests" || !strings.Contains(body.Error.Message, "每分钟最多 30 次") || err != nil || retry < 1 || retry > 60 {
				t.Fatalf("%s: %d %v %s", p, r.Status, r.Header, r.Body)
			}
		}
		// A name search still works, unaudited.
		if found(c.Do("GET", "/api/v1/members?q="+url.QueryEscape("欧阳查"), nil)) != 1 {
			t.Fatal("the limit stopped a name search")
		}
		// Registering with an ID number is held back the same way, whether or
		// not the number is registered: the refusal tells nothing.
		for _, n := range []string{idNumber, "510104199103070012"} {
			r := c.Do("POST", "/api/v1/members", map[string]any{"name": "李试", "id_number": n, "joined_on": "2015-07-01", "status": "probationary", "party_org_id": branch})
			if r.Status != 429 {
				t.Fatalf("register %s over the limit: %d %s", n, r.Status, r.Body)
			}
		}
		// Another account is not held back.
		if found(e.Login("jinjiang.pii").Do("GET", "/api/v1/members?q="+idNumber, nil)) != 1 {
			t.Fatal("another account is limited too")
		}

		// Every lookup is in the trail, the value masked; the refusals once.
		evs := lookups(t, e, "jinjiang")
		var ok, refused int
		for _, ev := range evs {
			if strings.Contains(ev.Reason, idNumber) || strings.Contains(ev.Reason, phone) || strings.Contains(ev.Before+ev.After, idNumber) {
				t.Fatalf("a lookup record holds the plain value: %+v", ev)
			}
			switch ev.Result {
			case audit.ResultSuccess:
				ok++
				if !strings.Contains(ev.Reason, pii.MaskIDNumber(idNumber)) && !strings.Contains(ev.Reason, pii.MaskPhone(phone)) {
					t.Errorf("a lookup record without the masked value: %q", ev.Reason)
				}
			default:
				refused++
			}
		}
		if ok != domain.LookupsPerMinute+1 || refused != 1 { // and the registration's own
			t.Fatalf("lookup records: %d successes, %d refusals; want %d and 1", ok, refused, domain.LookupsPerMinute+1)
		}
		if !strings.Contains(evs[len(evs)-1].Reason, "登记") || !strings.Contains(evs[len(evs)-2].Reason, "党员列表") {
			t.Errorf("the record does not say where: %q", evs[len(evs)-1].Reason)
		}

		// A minute after the first lookup, one more is allowed; a minute after
		// the last, all of them again.
		e.Advance(time.Minute - time.Duration(domain.LookupsPerMinute-1)*time.Second)
		if found(c.Do("GET", "/api/v1/members?q="+idNumber, nil)) != 1 {
			t.Fatal("not allowed again after a minute")
		}
		if r := c.Do("GET", "/api/v1/members?q="+idNumber, nil); r.Status != 200 {
			t.Fatalf("the second lookup freed: %d", r.Status)
		}
		if r := c.Do("GET", "/api/v1/members?q="+phone, nil); r.Status != 429 {
			t.Fatalf("a third within the window: %d", r.Status)
		}
	})
}

// The limit holds under concurrent lookups of one account: the count and
// the record are one transaction serialized per account in the database
// (on PostgreSQL across connections, as across instances).
func TestExactLookupLimitHoldsConcurrently(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		c := e.Login("jinjiang")
		const n = 45
		statuses := make([]int, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				statuses[i] = c.Do("GET", fmt.Sprintf("/api/v1/members?q=1390000%04d", i), nil).Status
			})
		}
		wg.Wait()
		count := map[int]int{}
		for _, s := range statuses {
			count[s]++
		}
		if count[200] != domain.LookupsPerMinute || count[429] != n-domain.LookupsPerMinute {
			t.Fatalf("statuses %v, want %d × 200 and the rest 429", count, domain.LookupsPerMinute)
		}
		if got := len(lookups(t, e, "jinjiang")); got != domain.LookupsPerMinute+1 {
			t.Fatalf("%d lookup records, want %d and one refusal", got, domain.LookupsPerMinute)
		}
	})
}

// Issue 11, finding 12: an ID number registered in another district answers
// that it cannot be registered here, and no more.
func TestDuplicateIDNumberElsewhere(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		jj, qy := e.OrgID(apitest.JinjiangName), e.OrgID(apitest.QingyangName)
		jjBranch := orgOf(t, e, jj, "快递物流行业党委")
		const idNumber = "510104199003070015"
		createMember(t, e, idNumber, jjBranch)
		qyOrg := orgOf(t, e, qy, "街道综合党委")
		body := map[string]any{"name": "王重复", "id_number": idNumber, "joined_on": "2015-07-01", "full_member_on": "2016-07-01", "status": "full", "party_org_id": qyOrg}

		r := e.Login("qingyang").Do("POST", "/api/v1/members", body)
		msg := r.ErrorField(t, "id_number")
		if r.Status != 409 || !strings.Contains(msg, "已在其他党组织登记") || !strings.Contains(msg, "不能在此登记") || !strings.Contains(msg, "组织关系转接") {
			t.Fatalf("青羊区 registering a 锦江区 number: %d %s", r.Status, r.Body)
		}
		// Nothing beyond what the caller typed: not the org, the district, the
		// member, not even the number.
		for _, leak := range []string{"锦江", "快递物流", "测试党员", "510104", "0015", fmt.Sprint(jjBranch)} {
			if strings.Contains(r.Body, leak) {
				t.Errorf("the answer tells %q: %s", leak, r.Body)
			}
		}
		// It is a lookup: in the trail, masked.
		evs := lookups(t, e, "qingyang")
		if len(evs) != 1 || evs[0].Result != audit.ResultSuccess || !strings.Contains(evs[0].Reason, pii.MaskIDNumber(idNumber)) || strings.Contains(evs[0].Reason, idNumber) {
			t.Fatalf("lookup records: %+v", evs)
		}
		// The same by a change of a 青羊区 member's number.
		var l struct{ Items []struct{ ID int64 } }
		e.Login("qingyang").Do("GET", "/api/v1/members?page_size=1", nil).JSON(t, &l)
		if len(l.Items) == 0 {
			t.Fatal("青羊区 has no member")
		}
		r = e.Login("qingyang").Do("PATCH", fmt.Sprintf("/api/v1/members/%d", l.Items[0].ID), map[string]any{"id_number": idNumber})
		if r.Status != 409 || r.ErrorField(t, "id_number") != msg {
			t.Fatalf("PATCH to a number elsewhere: %d %s", r.Status, r.Body)
		}
		// Within the caller's own scope the answer says where to look.
		body["party_org_id"] = jjBranch
		r = e.Login("jinjiang").Do("POST", "/api/v1/members", body)
		if r.Status != 409 || !strings.Contains(r.ErrorField(t, "id_number"), "已在您管理的党组织中登记") {
			t.Fatalf("a duplicate in scope: %d %s", r.Status, r.Body)
		}
	})
}

// Review of issue 11: once the limit is used up, an edit carrying an ID
// number must not tell the stored number from a wrong guess (a 200 for the
// right one and a 429 for the others would rebuild the masked number).
func TestEditCannotConfirmAMaskedIDNumber(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		jj := e.OrgID(apitest.JinjiangName)
		const idNumber = "510104199003070015"
		branch := orgOf(t, e, jj, "快递物流行业党委")
		c := e.Login("jinjiang")
		r := c.Do("POST", "/api/v1/members", map[string]any{"name": "欧阳猜测", "id_number": idNumber, "phone": "13800138000",
			"joined_on": "2015-07-01", "full_member_on": "2016-07-01", "status": "full", "party_org_id": branch})
		if r.Status != 201 {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		var m struct{ ID int64 }
		r.JSON(t, &m)
		e.Advance(time.Minute)
		for range domain.LookupsPerMinute {
			c.Do("GET", "/api/v1/members?q=13900000000", nil)
		}
		path := "/api/v1/members/" + strconv.FormatInt(m.ID, 10)
		for _, guess := range []string{idNumber, "510104199003070031"} {
			if r := c.Do("PATCH", path, map[string]any{"id_number": guess}); r.Status != 429 {
				t.Errorf("PATCH with %s over the limit: %d %s", guess, r.Status, r.Body)
			}
		}
	})
}
