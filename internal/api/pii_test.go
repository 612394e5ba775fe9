package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/api/apitest"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/importer"
	"github.com/lianxin/lianxin/internal/pii"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/members"
)

// Issue 11, finding 1: from everything a user without pii_viewer can read of
// a member, the ID number must stay one of at least 1,000 candidates and the
// phone one of at least 10,000. These tests gather what 锦江区 staff really
// receive, member by member, and count the candidates by enumeration.

// evidence is what one user has seen of one member, from every answer.
type evidence struct {
	idMasks, phones, genders   map[string]bool
	births                     map[string]bool // birth dates seen anywhere
	joined, full, standing     map[string]bool // dates that bound the birth date
	sources                    map[string]bool
	xlsxRows, details, history int
}

func newEvidence() *evidence {
	return &evidence{idMasks: map[string]bool{}, phones: map[string]bool{}, genders: map[string]bool{}, births: map[string]bool{},
		joined: map[string]bool{}, full: map[string]bool{}, standing: map[string]bool{}, sources: map[string]bool{}}
}

// add records a member object (JSON), or the same fields of another answer.
func (ev *evidence) add(t *testing.T, source string, m map[string]any) {
	t.Helper()
	ev.sources[source] = true
	for _, k := range []string{"birth_date", "age", "birthday", "birth"} {
		if v, ok := m[k]; ok {
			t.Errorf("%s: the member object carries %s = %v", source, k, v)
			if s, ok := v.(string); ok {
				ev.births[s] = true
			}
		}
	}
	str := func(k string) string { s, _ := m[k].(string); return s }
	put := func(set map[string]bool, v string) {
		if v != "" {
			set[v] = true
		}
	}
	put(ev.idMasks, str("id_number"))
	put(ev.phones, str("phone"))
	put(ev.genders, str("gender"))
	put(ev.joined, str("joined_on"))
	put(ev.full, str("full_member_on"))
	put(ev.standing, str("standing_on"))
}

// addChanges records the values of a history entry's changes.
func (ev *evidence) addChanges(t *testing.T, changes map[string]struct{ From, To any }) {
	t.Helper()
	for field, ch := range changes {
		for _, v := range []any{ch.From, ch.To} {
			if s, ok := v.(string); ok {
				ev.add(t, "history", map[string]any{field: s})
			}
		}
	}
}

// idCandidates counts the 18-character ID numbers consistent with ev: the
// region digits of the real number counted as known, the visible characters
// of every mask, a birth date from 1900-01-01 to today bounded by every
// visible date (a member joins at 18 or later, is a full member a year after
// joining, changes standing after joining) or equal to a birth date seen,
// the 17th digit's parity fixed by a visible gender, and a visible check
// character. It stops counting at stop. It also reports whether the real
// number is among them, so that a broken count cannot pass.
func idCandidates(t *testing.T, real string, ev *evidence, today time.Time, stop int) (int, bool) {
	t.Helper()
	last := today
	bound := func(dates map[string]bool, years int) {
		for d := range dates {
			day, ok := domain.ParseDate(d)
			if !ok {
				t.Fatalf("unparsable date %q", d)
			}
			if b := domain.AddYears(day, -years); b.Before(last) {
				last = b
			}
		}
	}
	bound(ev.joined, domain.AdultAge)
	bound(ev.standing, domain.AdultAge)
	bound(ev.full, domain.AdultAge+1)
	// The character some mask shows at each position (0: hidden by all).
	var shown [18]byte
	for m := range ev.idMasks {
		r := []rune(m)
		if len(r) != 18 {
			t.Fatalf("mask %q is not 18 characters", m)
		}
		for i, c := range r {
			if c != '*' {
				shown[i] = byte(c)
			}
		}
	}
	parity := -1
	if len(ev.genders) == 1 {
		for g := range ev.genders {
			parity = map[string]int{"male": 1, "female": 0}[g]
		}
	}
	// The sequences (positions 15–17) the masks and the gender allow.
	var seqs []string
	for seq := range 1000 {
		s := fmt.Sprintf("%03d", seq)
		if parity >= 0 && int(s[2]-'0')%2 != parity {
			continue
		}
		if (shown[14] == 0 || shown[14] == s[0]) && (shown[15] == 0 || shown[15] == s[1]) && (shown[16] == 0 || shown[16] == s[2]) {
			seqs = append(seqs, s)
		}
	}
	count, found := 0, false
	var buf [18]byte
	copy(buf[:6], real[:6])
	for day := time.Date(domain.MinBirthYear, 1, 1, 0, 0, 0, 0, time.UTC); !day.After(last) && count < stop; day = day.AddDate(0, 0, 1) {
		ds := day.Format("20060102")
		if len(ev.births) > 0 && !ev.births[day.Format(domain.DateLayout)] {
			continue
		}
		ok := true
		for i := range 8 {
			if shown[6+i] != 0 && shown[6+i] != ds[i] {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		copy(buf[6:14], ds)
		for _, s := range seqs {
			copy(buf[14:17], s)
			buf[17] = domain.IDCheckChar(string(buf[:17]))
			if shown[17] != 0 && shown[17] != buf[17] {
				continue
			}
			count++
			found = found || string(buf[:]) == real
			if count >= stop {
				break
			}
		}
	}
	return count, found
}

// phoneCandidates counts the phones consistent with every mask seen.
func phoneCandidates(t *testing.T, real string, ev *evidence) int {
	t.Helper()
	hidden := map[int]bool{}
	for m := range ev.phones {
		r := []rune(m)
		if len(r) != len(real) {
			t.Fatalf("phone mask %q does not fit the phone's length", m)
		}
		for i, c := range r {
			if c == '*' {
				hidden[i] = true
			} else if byte(c) != real[i] {
				t.Fatalf("phone mask %q shows a character the phone does not have", m)
			}
		}
	}
	n := 1
	for i := range len(real) {
		if !hidden[i] {
			continue
		}
		// a character hidden by one mask but shown by another is known
		known := false
		for m := range ev.phones {
			known = known || []rune(m)[i] != '*'
		}
		if !known {
			n *= 10
		}
	}
	return n
}

func TestMaskedMemberCannotBeRebuilt(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		ctx := context.Background()
		jj := e.OrgID(apitest.JinjiangName)
		branch := orgOf(t, e, jj, "快递物流行业党委")
		c := e.Login("jinjiang") // 锦江区 staff, no pii_viewer
		seen := map[int64]*evidence{}
		of := func(id int64) *evidence {
			if seen[id] == nil {
				seen[id] = newEvidence()
			}
			return seen[id]
		}
		member := func(source string, r apitest.Response, want int) map[string]any {
			t.Helper()
			if r.Status != want {
				t.Fatalf("%s: %d %s", source, r.Status, r.Body)
			}
			m := r.Map(t)
			of(int64(m["id"].(float64))).add(t, source, m)
			return m
		}

		// Members this user registers and edits, beside the generated ones:
		// the issue's own example, one who joined early (before 1952: their
		// dates are withheld) and one who joined on the first day shown.
		created := member("POST /members", c.Do("POST", "/api/v1/members", map[string]any{"name": "曾例", "id_number": "510104198211261145",
			"phone": "13900001145", "joined_on": "2005-07-01", "full_member_on": "2006-07-01", "status": "full", "party_org_id": branch}), 201)
		id := int64(created["id"].(float64))
		member("PATCH /members/{id}", c.Do("PATCH", fmt.Sprintf("/api/v1/members/%d", id), map[string]any{"job": "快递员"}), 200)
		member("PATCH /members/{id}", c.Do("PATCH", fmt.Sprintf("/api/v1/members/%d", id), map[string]any{"id_number": "510104198211261145",
			"joined_on": "2004-07-01", "full_member_on": "2005-07-01"}), 200)
		old := member("POST /members", c.Do("POST", "/api/v1/members", map[string]any{"name": "钱老", "id_number": "510104193005010019",
			"joined_on": "1950-06-01", "full_member_on": "1951-06-01", "status": "full", "party_org_id": branch}), 201)
		if old["joined_on"] != nil || old["full_member_on"] != nil || fmt.Sprint(old["withheld"]) != "[joined_on full_member_on]" {
			t.Fatalf("an early member's dates are shown: %v", old)
		}
		member("POST /members", c.Do("POST", "/api/v1/members", map[string]any{"name": "孙界", "id_number": "510104193401010010",
			"joined_on": "1952-01-01", "full_member_on": "1953-01-01", "status": "full", "party_org_id": branch}), 201)

		// Every page of the list, every detail and every history.
		for page := 1; ; page++ {
			var l struct {
				Items []map[string]any
				Total int
			}
			r := c.Do("GET", fmt.Sprintf("/api/v1/members?page_size=200&page=%d", page), nil)
			if r.Status != 200 {
				t.Fatalf("list: %d %s", r.Status, r.Body)
			}
			r.JSON(t, &l)
			for _, m := range l.Items {
				of(int64(m["id"].(float64))).add(t, "GET /members", m)
			}
			if page*200 >= l.Total {
				break
			}
		}
		for id, ev := range seen {
			member("GET /members/{id}", c.Do("GET", fmt.Sprintf("/api/v1/members/%d", id), nil), 200)
			ev.details++
			var hist []struct {
				Changes map[string]struct{ From, To any }
			}
			r := c.Do("GET", fmt.Sprintf("/api/v1/members/%d/history", id), nil)
			if r.Status != 200 {
				t.Fatalf("history: %d %s", r.Status, r.Body)
			}
			r.JSON(t, &hist)
			for _, h := range hist {
				ev.addChanges(t, h.Changes)
			}
			ev.history++
		}

		// The plain truth, read from the store, to match the export's rows
		// (which carry no id) and to check the counts against.
		plain := map[int64]members.RevealedMember{}
		byMask := map[string][]int64{}
		if err := e.Store.Members.EachRevealedMember(ctx, store.ScopeAll, members.MemberFilter{}, func(v members.RevealedMember) error {
			if seen[v.ID] != nil {
				plain[v.ID] = v
				k := v.Name + "|" + pii.MaskIDNumber(v.IDNumber)
				byMask[k] = append(byMask[k], v.ID)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		rows := rowsOf(t, c.Do("GET", "/api/v1/members.xlsx", nil), importer.MemberTemplate)
		if len(rows) != len(seen) {
			t.Fatalf("the export has %d rows, the list %d members", len(rows), len(seen))
		}
		gender := map[string]string{"男": "male", "女": "female"}
		for _, row := range rows {
			ids := byMask[row.Get("name")+"|"+row.Get("id_number")]
			if len(ids) == 0 {
				t.Fatalf("export row %s %s matches no member", row.Get("name"), row.Get("id_number"))
			}
			for _, id := range ids { // an ambiguous row counts for each member it may be
				ev := of(id)
				ev.add(t, "GET /members.xlsx", map[string]any{"id_number": row.Get("id_number"), "phone": row.Get("phone"),
					"gender": gender[row.Get("gender")], "joined_on": row.Get("joined_on"), "full_member_on": row.Get("full_member_on"),
					"standing_on": row.Get("standing_on")})
				if b := row.Get("birth_date"); b != "" {
					t.Errorf("the masked export shows a birth date: %s", b)
					ev.births[b] = true
				}
				ev.xlsxRows++
			}
		}

		today := e.Now().In(domain.Shanghai)
		today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
		least, phones := 1<<30, 0
		for id, ev := range seen {
			p, ok := plain[id]
			if !ok || ev.details != 1 || ev.history != 1 || ev.xlsxRows == 0 || !ev.sources["GET /members"] {
				t.Fatalf("member %d was not read from every route: %+v", id, ev)
			}
			n, found := idCandidates(t, p.IDNumber, ev, today, 100000)
			if !found {
				t.Fatalf("member %d: the real ID number is not among the %d candidates: the count is broken", id, n)
			}
			if n < domain.MinIDCandidates {
				t.Errorf("member %d (%s, %v, joined %v, births %v): %d candidates for the ID number, want ≥ %d",
					id, p.Name, setKeys(ev.idMasks), setKeys(ev.joined), setKeys(ev.births), n, domain.MinIDCandidates)
			}
			least = min(least, n)
			if p.Phone != "" {
				phones++
				if n := phoneCandidates(t, p.Phone, ev); n < 10000 {
					t.Errorf("member %d: %d candidates for the phone %v, want ≥ 10,000", id, n, setKeys(ev.phones))
				}
			}
		}
		if len(seen) < 50 || phones == 0 {
			t.Fatalf("too little read to prove anything: %d members, %d phones", len(seen), phones)
		}
		t.Logf("%d members (%d with phones): the fewest ID candidates is %d", len(seen), phones, least)

		// The other answers naming members carry no birth date either.
		for _, p := range []string{"/api/v1/secretary-filings?page_size=200", "/api/v1/term-changes?page_size=200", "/api/v1/alerts?page_size=200",
			"/api/v1/todo", fmt.Sprintf("/api/v1/party-orgs/%d/terms", branch), "/api/v1/activities?page_size=5"} {
			r := c.Do("GET", p, nil)
			if r.Status != 200 {
				t.Fatalf("%s: %d %s", p, r.Status, r.Body)
			}
			noBirthKeys(t, p, r.Body)
			if p == "/api/v1/activities?page_size=5" {
				var l struct{ Items []struct{ ID int64 } }
				r.JSON(t, &l)
				for _, a := range l.Items {
					q := fmt.Sprintf("/api/v1/activities/%d/attendance", a.ID)
					noBirthKeys(t, q, c.Do("GET", q, nil).Body)
				}
			}
		}
	})
}

func setKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// noBirthKeys fails when a JSON answer holds a birth date or an age at any depth.
func noBirthKeys(t *testing.T, source, body string) {
	t.Helper()
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, v := range x {
				if k == "birth_date" || k == "age" {
					t.Errorf("%s carries %s", source, k)
				}
				walk(v)
			}
		case []any:
			for _, v := range x {
				walk(v)
			}
		}
	}
	var v any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("%s: %v", source, err)
	}
	walk(v)
}

// The audited reveal is where the birth date may be read, with every date.
func TestRevealAnswersTheBirthDate(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		jj := e.OrgID(apitest.JinjiangName)
		id := createMember(t, e, "510104193005010019", orgOf(t, e, jj, "快递物流行业党委"))
		idNumber, joined, full := "510104193005010019", "1950-06-01", "1951-06-01"
		if _, err := e.Store.Members.SaveMember(context.Background(), store.System(apitest.Start, "test"), id, domain.MemberInput{
			IDNumber: &idNumber, JoinedOn: &joined, FullMemberOn: &full}); err != nil {
			t.Fatal(err)
		}
		r := e.Login("jinjiang.pii").Do("POST", fmt.Sprintf("/api/v1/members/%d/reveal", id), nil)
		m := r.Map(t)
		if r.Status != 200 || m["birth_date"] != "1930-05-01" || m["joined_on"] != "1950-06-01" || m["full_member_on"] != "1951-06-01" || m["withheld"] != nil {
			t.Fatalf("reveal: %d %s", r.Status, r.Body)
		}
		// The same user's plain reads elsewhere stay as shown.
		if m := e.Login("jinjiang.pii").Do("GET", fmt.Sprintf("/api/v1/members/%d", id), nil).Map(t); m["birth_date"] != nil || m["joined_on"] != nil {
			t.Fatalf("detail: %v", m)
		}
	})
}

// An edit without the ID number cannot probe the birth date hidden in it.
func TestMemberEditCannotProbeTheBirthDate(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		jj := e.OrgID(apitest.JinjiangName)
		id := createMember(t, e, "510104199003070015", orgOf(t, e, jj, "快递物流行业党委"))
		c := e.Login("jinjiang")
		path := fmt.Sprintf("/api/v1/members/%d", id)
		// Moving joined_on to before and to after the 18th birthday answers the
		// same refusal: nothing is learnt about where the birthday lies.
		var msgs []string
		for _, d := range []string{"2008-03-06", "2008-03-07", "2015-06-01"} {
			r := c.Do("PATCH", path, map[string]any{"joined_on": d})
			if r.Status != 400 || r.ErrorField(t, "joined_on") == "" {
				t.Fatalf("joined_on %s: %d %s", d, r.Status, r.Body)
			}
			msgs = append(msgs, r.ErrorField(t, "joined_on"))
		}
		if msgs[0] != msgs[1] || msgs[1] != msgs[2] || strings.Contains(msgs[0], "1990") || strings.Contains(msgs[0], "2008") {
			t.Fatalf("refusals differ or tell a date: %q", msgs)
		}
		for _, b := range []string{"1990-03-07", "1990-03-08"} {
			r := c.Do("PATCH", path, map[string]any{"birth_date": b})
			if r.Status != 400 || r.ErrorField(t, "birth_date") == "" || strings.Contains(r.Body, "1990") {
				t.Fatalf("birth_date %s: %d %s", b, r.Status, r.Body)
			}
		}
		// With the number typed again the edit goes through; the refusal of an
		// under-age date then says why without giving the date.
		r := c.Do("PATCH", path, map[string]any{"id_number": "510104199003070015", "joined_on": "2008-03-06", "full_member_on": "2009-03-06"})
		if r.Status != 400 || !strings.Contains(r.ErrorField(t, "joined_on"), "年满十八岁") || strings.Contains(r.Body, "2008-03-07") {
			t.Fatalf("under age: %d %s", r.Status, r.Body)
		}
		r = c.Do("PATCH", path, map[string]any{"id_number": "510104199003070015", "joined_on": "2014-07-01", "full_member_on": "2015-07-01"})
		if r.Status != 200 || r.Map(t)["joined_on"] != "2014-07-01" {
			t.Fatalf("with the ID number: %d %s", r.Status, r.Body)
		}
	})
}
