package api_test

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	zxingqr "github.com/makiuchi-d/gozxing/qrcode"

	"github.com/lianxin/lianxin/internal/api/apitest"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/activity"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/accounts"
	"github.com/lianxin/lianxin/internal/store/orglife"
)

// Organizational life end to end through the API: a secretary plans a
// 主题党日, members activate their accounts and check in with the code read
// back from its QR image, a guest from another district is recognized for
// their own org, and every bad code or request is refused with nothing
// recorded.

// lifeFixture is a branch with staff, two of its members with accounts,
// and a member of a 青羊区 Party org with an account.
type lifeFixture struct {
	branch      int64 // the `branch` account's Party org (锦江区)
	staff       *apitest.Client
	member      *apitest.Client
	memberID    int64
	colleague   int64 // a second member of the branch, without an account
	guest       *apitest.Client
	guestID     int64
	guestOrg    int64
	qingyangOrg int64
}

// withAccount registers a member holding a phone and activates their account
// through the API, as a member would on first login.
func withAccount(t *testing.T, e *apitest.Env, staff *apitest.Client, idNumber, phone string, org int64) (*apitest.Client, int64) {
	t.Helper()
	name, joined, full, status := "党员"+phone[7:], "2015-07-01", "2016-07-01", "full"
	m, err := e.Store.Members.SaveMember(context.Background(), store.System(apitest.Start, "test"), 0,
		domain.MemberInput{Name: &name, IDNumber: &idNumber, Phone: &phone, JoinedOn: &joined, FullMemberOn: &full, Status: &status, PartyOrgID: &org})
	if err != nil {
		t.Fatal(err)
	}
	r := staff.Do("POST", fmt.Sprintf("/api/v1/members/%d/activation", m.ID), nil)
	if r.Status != 200 {
		t.Fatalf("activation code: %d %s", r.Status, r.Body)
	}
	var act accounts.Activation
	r.JSON(t, &act)
	c := e.Anon()
	// A wrong code first: refused without saying why.
	if r := c.Do("POST", "/api/v1/session/activate", map[string]string{"username": phone, "code": "WRONG234", "password": "Member@2026x"}); r.Status != 400 {
		t.Fatalf("wrong activation code: %d %s", r.Status, r.Body)
	}
	r = c.Do("POST", "/api/v1/session/activate", map[string]string{"username": phone, "code": strings.ToLower(act.Code), "password": "Member@2026x"})
	if r.Status != 200 {
		t.Fatalf("activate: %d %s", r.Status, r.Body)
	}
	var me struct {
		Roles  []string `json:"roles"`
		Member *struct {
			ID int64 `json:"id"`
		} `json:"member"`
	}
	r.JSON(t, &me)
	if me.Member == nil || me.Member.ID != m.ID || len(me.Roles) != 1 || me.Roles[0] != "member" {
		t.Fatalf("activated account is not the member's: %s", r.Body)
	}
	// The code is used up; the member logs in by phone and by ID number.
	if r := e.Anon().Do("POST", "/api/v1/session/activate", map[string]string{"username": phone, "code": act.Code, "password": "Member@2026y"}); r.Status != 400 {
		t.Fatalf("activation code reused: %d %s", r.Status, r.Body)
	}
	if r := e.Anon().Do("POST", "/api/v1/session", map[string]string{"username": idNumber, "password": "Member@2026x"}); r.Status != 200 || !strings.Contains(r.Body, `"roles":["member"]`) {
		t.Fatalf("login by ID number: %d %s", r.Status, r.Body)
	}
	c = e.Anon()
	if r := c.Do("POST", "/api/v1/session", map[string]string{"username": phone, "password": "Member@2026x"}); r.Status != 200 {
		t.Fatalf("login by phone: %d %s", r.Status, r.Body)
	}
	return c, m.ID
}

func newLifeFixture(t *testing.T, e *apitest.Env) *lifeFixture {
	t.Helper()
	f := &lifeFixture{staff: e.Login("branch")}
	u, err := e.Store.Accounts.UserByUsername(context.Background(), "branch")
	if err != nil {
		t.Fatal(err)
	}
	f.branch = u.PartyOrgID
	f.member, f.memberID = withAccount(t, e, f.staff, "510104198801010012", "13800000001", f.branch)
	f.colleague = createMember(t, e, "510104198503030031", f.branch)
	f.qingyangOrg = e.OrgID(apitest.QingyangName)
	f.guestOrg = firstChild(t, e, f.qingyangOrg)
	f.guest, f.guestID = withAccount(t, e, e.Login("qingyang"), "510105199002020020", "13900000002", f.guestOrg)
	return f
}

// relogin opens new sessions after the clock moved past the idle timeout.
func (f *lifeFixture) relogin(t *testing.T, e *apitest.Env) {
	t.Helper()
	f.staff = e.Login("branch")
	f.member = e.Anon()
	if r := f.member.Do("POST", "/api/v1/session", map[string]string{"username": "13800000001", "password": "Member@2026x"}); r.Status != 200 {
		t.Fatalf("member login: %d %s", r.Status, r.Body)
	}
}

// newActivity creates an activity as the branch's staff and returns its id.
func (f *lifeFixture) newActivity(t *testing.T, body map[string]any) orglife.ActivityView {
	t.Helper()
	in := map[string]any{"party_org_id": f.branch, "type": "theme_day", "title": "主题党日", "address": "锦江区春熙路",
		"starts_at": apitest.Start.Add(-10 * time.Minute).Format(time.RFC3339), "ends_at": apitest.Start.Add(2 * time.Hour).Format(time.RFC3339)}
	for k, v := range body {
		in[k] = v
	}
	r := f.staff.Do("POST", "/api/v1/activities", in)
	if r.Status != 201 {
		t.Fatalf("create activity: %d %s", r.Status, r.Body)
	}
	var v orglife.ActivityView
	r.JSON(t, &v)
	return v
}

func decodeQRImage(t *testing.T, img []byte) string {
	t.Helper()
	m, err := png.Decode(bytes.NewReader(img))
	if err != nil {
		t.Fatalf("checkin-code?format=png is not a PNG: %v", err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(m)
	if err != nil {
		t.Fatal(err)
	}
	// Try harder: the codes differ from run to run (the key is new in each
	// test), and the plain pass misses a finder pattern now and then.
	res, err := zxingqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		t.Fatalf("QR decoder cannot read the image: %v", err)
	}
	return res.GetText()
}

type attendanceAnswer struct {
	ID         int64  `json:"id"`
	Kind       string `json:"kind"`
	Recognized bool   `json:"recognized"`
	Repeat     bool   `json:"repeat"`
}

func TestActivityCheckinFlow(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		f := newLifeFixture(t, e)
		a := f.newActivity(t, map[string]any{"open": true, "capacity": 5})
		if a.Stats == nil || a.Stats.Expected < 2 || a.Hosts[0].ID != f.branch {
			t.Fatalf("new activity: %+v", a)
		}

		// The code as JSON and as the QR image of exactly that code.
		r := f.staff.Do("GET", fmt.Sprintf("/api/v1/activities/%d/checkin-code", a.ID), nil)
		var code struct {
			Code      string    `json:"code"`
			ExpiresAt time.Time `json:"expires_at"`
		}
		r.JSON(t, &code)
		if code.Code == "" || !code.ExpiresAt.After(a.EndsAt) {
			t.Fatalf("checkin-code: %s", r.Body)
		}
		img := f.staff.Do("GET", fmt.Sprintf("/api/v1/activities/%d/checkin-code?format=png&size=480", a.ID), nil)
		if img.Status != 200 || img.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("png: %d %s", img.Status, img.Header.Get("Content-Type"))
		}
		scanned := decodeQRImage(t, []byte(img.Body))
		if scanned != code.Code {
			t.Fatalf("QR image says %q, JSON says %q", scanned, code.Code)
		}

		// The member checks in with what the phone read; a repeat answers
		// the same attendance.
		r = f.member.Do("POST", "/api/v1/checkins", map[string]string{"code": scanned})
		if r.Status != 200 {
			t.Fatalf("checkin: %d %s", r.Status, r.Body)
		}
		var first, again attendanceAnswer
		r.JSON(t, &first)
		if first.Kind != "present" || first.Recognized || first.Repeat {
			t.Fatalf("checkin: %s", r.Body)
		}
		f.member.Do("POST", "/api/v1/checkins", map[string]string{"code": " " + strings.ToLower(scanned) + " "}).JSON(t, &again)
		if again.ID != first.ID || !again.Repeat {
			t.Fatalf("repeat gave %+v, first %+v", again, first)
		}

		// A guest from 青羊区: recognized, counted for their own org.
		r = f.guest.Do("POST", "/api/v1/checkins", map[string]string{"code": scanned})
		var guest attendanceAnswer
		r.JSON(t, &guest)
		if r.Status != 200 || !guest.Recognized {
			t.Fatalf("guest checkin: %d %s", r.Status, r.Body)
		}
		var sheet orglife.ActivityAttendance
		f.staff.Do("GET", fmt.Sprintf("/api/v1/activities/%d/attendance", a.ID), nil).JSON(t, &sheet)
		if len(sheet.Guests) != 1 || sheet.Guests[0].MemberID != f.guestID || !sheet.Guests[0].Recognized || sheet.Stats.Guests != 1 || sheet.Stats.Present != 1 {
			t.Fatalf("attendance sheet: %+v", sheet)
		}
		// The list computes a page's figures in one query: the same as the sheet's.
		var page struct {
			Items []orglife.ActivityView `json:"items"`
		}
		f.staff.Do("GET", fmt.Sprintf("/api/v1/activities?party_org_id=%d&page_size=200", f.branch), nil).JSON(t, &page)
		listed := false
		for _, it := range page.Items {
			if it.ID == a.ID {
				listed = it.Stats != nil && *it.Stats == sheet.Stats
			}
		}
		if !listed {
			t.Errorf("list figures differ from the sheet's %+v", sheet.Stats)
		}
		var mine orglife.MyAttendanceYear
		f.guest.Do("GET", "/api/v1/my/attendance?year=2026", nil).JSON(t, &mine)
		if mine.Recognized != 1 || len(mine.Items) != 1 || mine.Items[0].ActivityID != a.ID {
			t.Fatalf("guest's record: %+v", mine)
		}
		// No ID number or phone anywhere in the sheet.
		if body := f.staff.Do("GET", fmt.Sprintf("/api/v1/activities/%d/attendance", a.ID), nil).Body; strings.Contains(body, "13800000001") || strings.Contains(body, "510104198801010012") {
			t.Fatalf("attendance leaks personal data: %s", body)
		}

		// Bad codes, each refused with a Chinese message and nothing recorded.
		altered := []byte(scanned)
		altered[10] = map[bool]byte{true: 'B', false: 'A'}[altered[10] == 'A']
		for _, c := range []struct {
			code   string
			status int
		}{
			{string(altered), 400},
			{"A1" + strings.Repeat("A", 40), 400},
			{"hello", 400},
			{"", 400},
		} {
			r := f.member.Do("POST", "/api/v1/checkins", map[string]string{"code": c.code})
			if r.Status != c.status || r.ErrorField(t, "code") == "" {
				t.Errorf("code %q: %d %s", c.code, r.Status, r.Body)
			}
		}
		// A member's own code is not an activity code.
		var mc struct {
			Code string `json:"code"`
		}
		f.member.Do("GET", "/api/v1/my/code", nil).JSON(t, &mc)
		if r := f.member.Do("POST", "/api/v1/checkins", map[string]string{"code": mc.Code}); r.Status != 400 {
			t.Errorf("member code as activity code: %d %s", r.Status, r.Body)
		}
		// Staff cannot check in: no member behind the account.
		if r := f.staff.Do("POST", "/api/v1/checkins", map[string]string{"code": scanned}); r.Status != 403 {
			t.Errorf("staff checkin: %d %s", r.Status, r.Body)
		}

		// The colleague has no account: the organizer marks them by hand.
		r = f.staff.Do("PUT", fmt.Sprintf("/api/v1/activities/%d/attendance", a.ID), map[string]any{"member_id": f.colleague, "kind": "leave"})
		if r.Status != 400 || r.ErrorField(t, "reason") == "" {
			t.Fatalf("leave without reason: %d %s", r.Status, r.Body)
		}
		r = f.staff.Do("PUT", fmt.Sprintf("/api/v1/activities/%d/attendance", a.ID), map[string]any{"member_id": f.colleague, "kind": "leave", "reason": "出差"})
		if r.Status != 200 {
			t.Fatalf("leave: %d %s", r.Status, r.Body)
		}
		// A member who is neither on the roster nor a guest cannot be marked.
		outsider := createMember(t, e, "510104199505050057", e.OrgID(apitest.JinjiangName))
		if r := f.staff.Do("PUT", fmt.Sprintf("/api/v1/activities/%d/attendance", a.ID), map[string]any{"member_id": outsider, "kind": "present"}); r.Status != 400 {
			t.Errorf("outsider marked: %d %s", r.Status, r.Body)
		}

		// The window closes half an hour after the end: 410, nothing written.
		e.Advance(2*time.Hour + 31*time.Minute)
		f.relogin(t, e)
		before := len(sheet.Roster)
		if r := f.member.Do("POST", "/api/v1/checkins", map[string]string{"code": scanned}); r.Status != 410 {
			t.Errorf("the code itself has expired: %d %s", r.Status, r.Body)
		}
		lateClient, lateID := withAccount(t, e, f.staff, "510104199003070015", "13800000003", f.branch)
		r = lateClient.Do("POST", "/api/v1/checkins", map[string]string{"code": scanned})
		if r.Status != 410 {
			t.Fatalf("expired code: %d %s", r.Status, r.Body)
		}
		f.staff.Do("GET", fmt.Sprintf("/api/v1/activities/%d/attendance", a.ID), nil).JSON(t, &sheet)
		for _, row := range sheet.Roster {
			if row.MemberID == lateID && row.Kind != "" {
				t.Errorf("late member recorded: %+v", row)
			}
		}
		if len(sheet.Roster) != before+1 {
			t.Errorf("roster %d, want %d", len(sheet.Roster), before+1)
		}
	})
}

func TestCheckinRefusals(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		f := newLifeFixture(t, e)
		codeOf := func(id int64) string {
			var c struct {
				Code string `json:"code"`
			}
			f.staff.Do("GET", fmt.Sprintf("/api/v1/activities/%d/checkin-code", id), nil).JSON(t, &c)
			return c.Code
		}
		// A closed activity: the 青羊区 member may not attend (403).
		closed := f.newActivity(t, map[string]any{"type": "members_meeting", "title": "支部党员大会"})
		if r := f.guest.Do("POST", "/api/v1/checkins", map[string]string{"code": codeOf(closed.ID)}); r.Status != 403 || !strings.Contains(r.Body, "不对其他党组织") {
			t.Errorf("closed activity, other org: %d %s", r.Status, r.Body)
		}
		// Quorum of a 支部党员大会: flagged until more than half are present.
		var sheet orglife.ActivityAttendance
		f.staff.Do("GET", fmt.Sprintf("/api/v1/activities/%d/attendance", closed.ID), nil).JSON(t, &sheet)
		if sheet.Quorum == nil || sheet.Quorum.Met || sheet.Quorum.Entitled < 2 {
			t.Fatalf("quorum before: %+v", sheet.Quorum)
		}
		// Full: a capacity of one guest.
		small := f.newActivity(t, map[string]any{"open": true, "capacity": 1})
		second, _ := withAccount(t, e, e.Login("qingyang"), "510105199204040046", "13900000004", f.guestOrg)
		if r := f.guest.Do("POST", "/api/v1/checkins", map[string]string{"code": codeOf(small.ID)}); r.Status != 200 {
			t.Fatalf("first guest: %d %s", r.Status, r.Body)
		}
		if r := second.Do("POST", "/api/v1/checkins", map[string]string{"code": codeOf(small.ID)}); r.Status != 409 || !strings.Contains(r.Body, "名额已满") {
			t.Errorf("capacity exceeded: %d %s", r.Status, r.Body)
		}
		// A host's own member is never refused for capacity.
		if r := f.member.Do("POST", "/api/v1/checkins", map[string]string{"code": codeOf(small.ID)}); r.Status != 200 {
			t.Errorf("own member at a full activity: %d %s", r.Status, r.Body)
		}
		// Long before the start: 410.
		later := f.newActivity(t, map[string]any{"starts_at": apitest.Start.Add(5 * time.Hour).Format(time.RFC3339), "ends_at": apitest.Start.Add(6 * time.Hour).Format(time.RFC3339)})
		if r := f.member.Do("POST", "/api/v1/checkins", map[string]string{"code": codeOf(later.ID)}); r.Status != 410 {
			t.Errorf("before the window: %d %s", r.Status, r.Body)
		}
		// The organizer's scan of a valid member code meets the window
		// itself: refused in the domain's words (CheckinWindow.Check).
		var settings activity.ActivitySettings
		f.staff.Do("GET", "/api/v1/settings/activities", nil).JSON(t, &settings)
		scanAt := func(a orglife.ActivityView) (apitest.Response, error) {
			var mc struct {
				Code string `json:"code"`
			}
			f.member.Do("GET", "/api/v1/my/code", nil).JSON(t, &mc)
			return f.staff.Do("POST", fmt.Sprintf("/api/v1/activities/%d/scan", a.ID), map[string]string{"code": mc.Code}),
				settings.CheckinWindow(a.StartsAt, a.EndsAt).Check(e.Now())
		}
		if r, want := scanAt(later); want == nil || r.Status != 410 || errOf(t, r).Message != want.Error() {
			t.Errorf("scan before the window: %d %s, want %v", r.Status, r.Body, want)
		}
		// Cancelled: the code dies with the activity.
		code := codeOf(later.ID)
		if r := f.staff.Do("POST", fmt.Sprintf("/api/v1/activities/%d/cancel", later.ID), map[string]any{"reason": ""}); r.Status != 400 {
			t.Errorf("cancel without reason: %d %s", r.Status, r.Body)
		}
		if r := f.staff.Do("POST", fmt.Sprintf("/api/v1/activities/%d/cancel", later.ID), map[string]any{"reason": "场地调整"}); r.Status != 200 {
			t.Fatalf("cancel: %d %s", r.Status, r.Body)
		}
		e.Advance(5 * time.Hour)
		f.relogin(t, e)
		if r := f.member.Do("POST", "/api/v1/checkins", map[string]string{"code": code}); r.Status != 409 {
			t.Errorf("cancelled activity: %d %s", r.Status, r.Body)
		}
		// The organizer scans a member's 一码通 at the small activity.
		var mc struct {
			Code string `json:"code"`
		}
		f.member.Do("GET", "/api/v1/my/code", nil).JSON(t, &mc)
		open := f.newActivity(t, map[string]any{"starts_at": e.Now().Add(-time.Minute).Format(time.RFC3339), "ends_at": e.Now().Add(time.Hour).Format(time.RFC3339)})
		r := f.staff.Do("POST", fmt.Sprintf("/api/v1/activities/%d/scan", open.ID), map[string]string{"code": mc.Code})
		var row orglife.RosterRow
		r.JSON(t, &row)
		if r.Status != 200 || row.MemberID != f.memberID || row.Method != "member_code" {
			t.Fatalf("scan member code: %d %s", r.Status, r.Body)
		}
		// A screenshot of the code is useless a minute later.
		e.Advance(61 * time.Second)
		if r := f.staff.Do("POST", fmt.Sprintf("/api/v1/activities/%d/scan", open.ID), map[string]string{"code": mc.Code}); r.Status != 410 {
			t.Errorf("old member code: %d %s", r.Status, r.Body)
		}
		// As the window closes a scan is taken; an instant later, refused.
		closes := settings.CheckinWindow(open.StartsAt, open.EndsAt).Closes()
		e.Advance(closes.Sub(e.Now()))
		f.relogin(t, e)
		if r, want := scanAt(open); want != nil || r.Status != 200 {
			t.Errorf("scan as the window closes: %d %s, domain says %v", r.Status, r.Body, want)
		}
		e.Advance(time.Second)
		if r, want := scanAt(open); want == nil || r.Status != 410 || errOf(t, r).Message != want.Error() {
			t.Errorf("scan after the window: %d %s, want %v", r.Status, r.Body, want)
		}
	})
}

func TestActivityBadInput(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		staff := e.Login("branch")
		u, _ := e.Store.Accounts.UserByUsername(context.Background(), "branch")
		future := apitest.Start.Add(48 * time.Hour).Format(time.RFC3339)
		var before struct {
			Total int `json:"total"`
		}
		staff.Do("GET", "/api/v1/activities", nil).JSON(t, &before)
		for _, c := range []struct {
			name  string
			body  map[string]any
			field string
		}{
			{"held in the future", map[string]any{"status": "held", "minutes": "记录", "starts_at": future, "ends_at": apitest.Start.Add(50 * time.Hour).Format(time.RFC3339)}, "status"},
			{"held without minutes", map[string]any{"status": "held"}, "minutes"},
			{"end before start", map[string]any{"ends_at": apitest.Start.Add(-time.Hour).Format(time.RFC3339)}, "ends_at"},
			{"unknown type", map[string]any{"type": "party"}, "type"},
			{"open without capacity", map[string]any{"open": true}, "capacity"},
			{"co-host for a single-host type", map[string]any{"co_host_ids": []int64{u.PartyOrgID + 1}}, "co_host_ids"},
			{"host outside the scope", map[string]any{"party_org_id": e.OrgID(apitest.QingyangName)}, "party_org_id"},
			{"no title", map[string]any{"title": " "}, "title"},
		} {
			body := map[string]any{"party_org_id": u.PartyOrgID, "type": "theme_day", "title": "主题党日", "address": "会议室",
				"starts_at": apitest.Start.Add(-time.Hour).Format(time.RFC3339), "ends_at": apitest.Start.Format(time.RFC3339)}
			for k, v := range c.body {
				body[k] = v
			}
			r := staff.Do("POST", "/api/v1/activities", body)
			if r.Status != 400 || r.ErrorField(t, c.field) == "" {
				t.Errorf("%s: %d %s", c.name, r.Status, r.Body)
			}
		}
		var n struct {
			Total int `json:"total"`
		}
		staff.Do("GET", "/api/v1/activities", nil).JSON(t, &n)
		if n.Total != before.Total {
			t.Errorf("refused activities were written: %d, before %d", n.Total, before.Total)
		}

		// Attachments: type, disguise, size.
		a := map[string]any{"party_org_id": u.PartyOrgID, "type": "theme_day", "title": "有附件", "address": "会议室",
			"starts_at": apitest.Start.Add(-time.Hour).Format(time.RFC3339), "ends_at": apitest.Start.Format(time.RFC3339)}
		var v orglife.ActivityView
		staff.Do("POST", "/api/v1/activities", a).JSON(t, &v)
		path := fmt.Sprintf("/api/v1/activities/%d/attachments", v.ID)
		for _, c := range []struct {
			name, file string
			data       []byte
			status     int
		}{
			{"program", "setup.exe", []byte("MZ\x90\x00"), 400},
			{"disguised", "photo.png", []byte("%PDF-1.4 not a png"), 400},
			{"empty", "photo.png", nil, 400},
			{"too large", "big.pdf", append([]byte("%PDF-1.4\n"), make([]byte, 10<<20)...), 413},
		} {
			r := staff.Do("POST", path, apitest.Multipart{FileName: c.file, File: c.data})
			if r.Status != c.status {
				t.Errorf("%s: %d %s", c.name, r.Status, r.Body)
			}
		}
		r := staff.Do("POST", path, apitest.Multipart{FileName: "合影.png", File: tinyPNG(t)})
		if r.Status != 201 {
			t.Fatalf("upload: %d %s", r.Status, r.Body)
		}
		var att orglife.Attachment
		r.JSON(t, &att)
		got := staff.Do("GET", fmt.Sprintf("%s/%d", path, att.ID), nil)
		if got.Status != 200 || got.Body != string(tinyPNG(t)) || got.Header.Get("Content-Type") != "image/png" {
			t.Errorf("download: %d %q", got.Status, got.Header.Get("Content-Type"))
		}
		staff.Do("GET", fmt.Sprintf("/api/v1/activities/%d", v.ID), nil).JSON(t, &v)
		if len(v.Attachments) != 1 {
			t.Errorf("attachments after refusals: %+v", v.Attachments)
		}
	})
}

// TestComplianceLedgerAPI: a branch founded before the year with no
// activities misses every ended period (today is 2026-11-27); a held 主题党日
// fills its month; the summary and the list of orgs agree with the ledger.
func TestComplianceLedgerAPI(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		ctx := context.Background()
		jj := e.OrgID(apitest.JinjiangName)
		name, typ, region, founded := "台账测试党支部", "branch", "510104", "2025-01-01"
		b, err := e.Store.Registry.CreatePartyOrg(ctx, store.System(apitest.Start, "test"), &jj, domain.PartyOrgInput{Name: &name, Type: &typ, Region: &region, FoundedOn: &founded})
		if err != nil {
			t.Fatal(err)
		}
		city := e.Login("jinjiang")
		var l orglife.OrgCompliance
		r := city.Do("GET", fmt.Sprintf("/api/v1/compliance?party_org_id=%d&year=2026", b.ID), nil)
		if r.Status != 200 {
			t.Fatalf("compliance: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &l)
		// 10 主题党日 (Jan–Oct), 3 支部党员大会 and 3 党课 (Q1–Q3); no 支委会
		// (no full members), no 党小组会 (no groups); the yearly ones are
		// still in progress.
		if len(l.Missing) != 16 || l.Ledger.Due != 16 || l.Ledger.Done != 0 {
			t.Fatalf("empty branch: %d missing, due %d done %d: %+v", len(l.Missing), l.Ledger.Due, l.Ledger.Done, l.Missing)
		}
		// Record a 主题党日 held in October, with its minutes.
		a := map[string]any{"party_org_id": b.ID, "type": "theme_day", "title": "十月主题党日", "address": "会议室", "status": "held", "minutes": "学习讨论",
			"starts_at": "2026-10-20T06:00:00Z", "ends_at": "2026-10-20T08:00:00Z"}
		if r := city.Do("POST", "/api/v1/activities", a); r.Status != 201 {
			t.Fatalf("record held: %d %s", r.Status, r.Body)
		}
		city.Do("GET", fmt.Sprintf("/api/v1/compliance?party_org_id=%d&year=2026", b.ID), nil).JSON(t, &l)
		if len(l.Missing) != 15 || l.Ledger.Done != 1 {
			t.Fatalf("after a held theme day: %d missing, done %d", len(l.Missing), l.Ledger.Done)
		}
		for _, m := range l.Missing {
			if m.Period == "2026-10" && m.Requirement == "theme_day" {
				t.Errorf("October still missing")
			}
		}
		// A planned 党课 of September, recorded as held afterwards, fills Q3.
		var lecture orglife.ActivityView
		city.Do("POST", "/api/v1/activities", map[string]any{"party_org_id": b.ID, "type": "party_lecture", "title": "九月党课", "address": "会议室",
			"starts_at": "2026-11-27T01:00:00Z", "ends_at": "2026-11-27T01:30:00Z"}).JSON(t, &lecture)
		r = city.Do("PATCH", fmt.Sprintf("/api/v1/activities/%d", lecture.ID), map[string]any{"party_org_id": b.ID, "type": "party_lecture", "title": "九月党课",
			"address": "会议室", "starts_at": "2026-09-10T06:00:00Z", "ends_at": "2026-09-10T08:00:00Z", "status": "held", "minutes": "讲授党史", "version": lecture.Version})
		if r.Status != 200 {
			t.Fatalf("mark held: %d %s", r.Status, r.Body)
		}
		city.Do("GET", fmt.Sprintf("/api/v1/compliance?party_org_id=%d&year=2026", b.ID), nil).JSON(t, &l)
		if len(l.Missing) != 14 || l.Ledger.Done != 2 {
			t.Fatalf("after a held party lecture: %d missing, done %d", len(l.Missing), l.Ledger.Done)
		}
		// The org list shows it with the same gaps; the summary counts it.
		var orgs struct {
			Items []orglife.ComplianceOrg `json:"items"`
		}
		city.Do("GET", fmt.Sprintf("/api/v1/compliance/orgs?year=2026&under=%d", jj), nil).JSON(t, &orgs)
		found := false
		for _, o := range orgs.Items {
			if o.PartyOrgID == b.ID {
				found = len(o.Missing) == 14 && o.Done == 2
			}
		}
		if !found {
			t.Errorf("org list: %+v", orgs.Items)
		}
		var sum orglife.ComplianceSummary
		city.Do("GET", "/api/v1/compliance/summary?year=2026&by=committee", nil).JSON(t, &sum)
		if sum.Total.Orgs == 0 || sum.Total.Due < 16 || len(sum.Rows) == 0 {
			t.Errorf("summary: %+v", sum)
		}
		// A committee owes no ledger of its own: a field error, not a 500.
		if r := city.Do("GET", fmt.Sprintf("/api/v1/compliance?party_org_id=%d", jj), nil); r.Status != 400 {
			t.Errorf("committee ledger: %d %s", r.Status, r.Body)
		}
		// The export is a workbook.
		x := city.Do("GET", fmt.Sprintf("/api/v1/compliance.xlsx?party_org_id=%d&year=2026", b.ID), nil)
		if x.Status != 200 || !strings.Contains(x.Header.Get("Content-Type"), "spreadsheetml") {
			t.Errorf("export: %d %s", x.Status, x.Header.Get("Content-Type"))
		}
		if !strings.Contains(textOf(t, x), "台账测试党支部") {
			t.Errorf("export lacks the org")
		}
	})
}

// TestCheckinConcurrent: members checking in at once, through the group
// commit: every own member is recorded once, and no more guests than the
// places get in however many try together.
func TestCheckinConcurrent(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		f := newLifeFixture(t, e)
		a := f.newActivity(t, map[string]any{"open": true, "capacity": 3})
		var code struct {
			Code string `json:"code"`
		}
		f.staff.Do("GET", fmt.Sprintf("/api/v1/activities/%d/checkin-code", a.ID), nil).JSON(t, &code)
		ctx := context.Background()
		sys := store.System(apitest.Start, "test")
		hash := e.Data.Users[0].PasswordHash
		var clients []*apitest.Client
		// Eight guests of 青羊区 and the branch's own member, twice each.
		for i := 0; i < 8; i++ {
			id := createMember(t, e, guestIDNumbers[i], f.guestOrg)
			u, err := e.Store.Accounts.SetMemberAccount(ctx, sys, id, hash)
			if err != nil {
				t.Fatal(err)
			}
			clients = append(clients, e.Login(u.Username))
		}
		clients = append(clients, f.member)
		var wg sync.WaitGroup
		status := make([]int, 2*len(clients))
		for i := range status {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				status[i] = clients[i%len(clients)].With(t).Do("POST", "/api/v1/checkins", map[string]string{"code": code.Code}).Status
			}(i)
		}
		wg.Wait()
		var sheet orglife.ActivityAttendance
		f.staff.Do("GET", fmt.Sprintf("/api/v1/activities/%d/attendance", a.ID), nil).JSON(t, &sheet)
		if sheet.Stats.Guests != 3 {
			t.Errorf("%d guests present with 3 places; statuses %v", sheet.Stats.Guests, status)
		}
		if sheet.Stats.Present != 1 {
			t.Errorf("own member present %d times", sheet.Stats.Present)
		}
		for _, s := range status {
			if s != 200 && s != 409 {
				t.Errorf("unexpected status %d in %v", s, status)
			}
		}
	})
}

// guestIDNumbers are valid ID numbers of 青羊区 for TestCheckinConcurrent.
var guestIDNumbers = func() []string {
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	var out []string
	for i := 0; i < 8; i++ {
		base := fmt.Sprintf("5101051990061%d%03d", i, 100+i)
		sum := 0
		for k := range 17 {
			sum += int(base[k]-'0') * w[k]
		}
		out = append(out, base+string("10X98765432"[sum%11]))
	}
	return out
}()

// TestLedgerMasksAgree: the city-wide pass reads the month masks the bulk
// load and every activity write keep; each org's own ledger reads its
// activities. On the generated year of every branch they must agree.
func TestLedgerMasksAgree(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		ctx := context.Background()
		orgs, total, err := e.Store.Life.ComplianceOrgs(ctx, store.ScopeAll, orglife.ComplianceFilter{Year: 2026}, store.Page{Size: 200}, apitest.Start)
		if err != nil {
			t.Fatal(err)
		}
		if total < 50 {
			t.Fatalf("only %d branches in the generated city", total)
		}
		// The lowest rates and the highest.
		last, _, err := e.Store.Life.ComplianceOrgs(ctx, store.ScopeAll, orglife.ComplianceFilter{Year: 2026}, store.Page{Number: (total + 49) / 50, Size: 50}, apitest.Start)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range append(orgs, last...) {
			l, err := e.Store.Life.Compliance(ctx, store.ScopeAll, o.PartyOrgID, 2026, apitest.Start)
			if err != nil {
				t.Fatal(err)
			}
			if l.Ledger.Due != o.Due || l.Ledger.Done != o.Done || len(l.Missing) != len(o.Missing) {
				t.Errorf("%s: list %d/%d (%d missing), ledger %d/%d (%d missing)", o.Name, o.Done, o.Due, len(o.Missing), l.Ledger.Done, l.Ledger.Due, len(l.Missing))
			}
		}
		sum, err := e.Store.Life.SummarizeCompliance(ctx, store.ScopeAll, orglife.ComplianceFilter{Year: 2026}, "region", apitest.Start)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Total.Orgs != total || sum.Total.Lagging == 0 || sum.Total.Lagging == total || sum.Total.Rate < 60 || sum.Total.Rate > 99 {
			t.Errorf("generated ledgers: %+v", sum.Total)
		}
	})
}
