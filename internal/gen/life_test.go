package gen

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/activity"
	"github.com/lianxin/lianxin/internal/store/accounts"
	"github.com/lianxin/lianxin/internal/store/bulk"
)

// lifeStats sums a generated year of organizational life.
type lifeStats struct {
	grassroots, withActivities, paralysed int
	held, planned, cancelled, open, joint int
	present, leave, absent, guests        int
	rosterRows                            int
	byType                                map[activity.ActivityType]int
}

func statsOf(t *testing.T, r Result) lifeStats {
	t.Helper()
	s := lifeStats{byType: map[activity.ActivityType]int{}}
	lastHeld := map[int64]int64{}
	for _, o := range r.PartyOrgs {
		if info, _ := o.Type.Info(); info.Grassroots {
			s.grassroots++
		}
	}
	orgs := map[int64]bool{}
	for _, a := range r.Activities {
		orgs[a.PartyOrgID] = true
		s.byType[a.Type]++
		switch a.Status {
		case activity.ActivityHeld:
			s.held++
			lastHeld[a.PartyOrgID] = max(lastHeld[a.PartyOrgID], a.StartsAt)
		case activity.ActivityPlanned:
			s.planned++
		case activity.ActivityCancelled:
			s.cancelled++
		}
		if a.Open {
			s.open++
		}
	}
	s.withActivities = len(orgs)
	sixMonths := today.AddDate(0, -6, 0).Unix()
	for _, o := range r.PartyOrgs {
		if info, _ := o.Type.Info(); info.Grassroots && isMemberHost(o.Type) && lastHeld[o.ID] < sixMonths {
			s.paralysed++
		}
	}
	for _, a := range r.Attendances {
		switch {
		case a.Recognized:
			s.guests++
		case a.Kind == kindPresent:
			s.present++
		case a.Kind == kindLeave:
			s.leave++
		default:
			s.absent++
		}
	}
	s.rosterRows = s.present + s.leave + s.absent
	s.joint = s.byType[activity.JointThemeDay]
	return s
}

func TestLifeRates(t *testing.T) {
	r := Generate(Options{Scale: Small, Seed: 1, Today: today})
	s := statsOf(t, r)
	t.Logf("%+v", s)
	if s.withActivities < s.grassroots*95/100 {
		t.Errorf("%d of %d grassroots orgs have activities", s.withActivities, s.grassroots)
	}
	if n := len(r.Activities); n < s.grassroots*25 || n > s.grassroots*70 {
		t.Errorf("%d activities for %d grassroots orgs", n, s.grassroots)
	}
	if s.planned == 0 || s.cancelled == 0 || s.open == 0 || s.joint == 0 || s.guests == 0 {
		t.Errorf("missing kinds: %+v", s)
	}
	if c := float64(s.cancelled) / float64(s.held); c > 0.05 {
		t.Errorf("%.1f%% cancelled", 100*c)
	}
	// Presence at 主题党日: present roster members against the roster.
	roster := map[int64]int{}
	for _, m := range r.Members {
		if domain.InGoodStanding(m) {
			roster[*m.PartyOrgID]++
		}
	}
	expected, present := 0, 0
	themeDay := map[int32]bool{}
	for _, a := range r.Activities {
		if a.Type == activity.ThemeDay && a.Status == activity.ActivityHeld {
			expected += roster[a.PartyOrgID]
			themeDay[int32(a.ID)] = true
		}
	}
	kinds := map[activity.ActivityType]map[uint8]int{}
	for _, at := range r.Attendances {
		if themeDay[at.ActivityID] && at.Kind == kindPresent && !at.Recognized {
			present++
		}
		typ := r.Activities[at.ActivityID-1].Type
		if kinds[typ] == nil {
			kinds[typ] = map[uint8]int{}
		}
		kinds[typ][at.Kind]++
	}
	if rate := float64(present) / float64(expected); rate < 0.75 || rate > 0.90 {
		t.Errorf("presence at theme days %.3f", rate)
	}
	if s.leave == 0 || s.absent == 0 {
		t.Errorf("no leave or absence: %+v", s)
	}
	// Absences are marked at 支部党员大会 only; 党小组会 have minutes only.
	for typ, k := range kinds {
		if typ == activity.GroupMeeting || (typ != activity.MembersMeeting && k[kindAbsent] > 0) {
			t.Errorf("%s: attendances %v", typ, k)
		}
	}
	// Paralysed orgs: a few percent of the branches held nothing for six months.
	if s.paralysed == 0 || s.paralysed > s.grassroots/10 {
		t.Errorf("%d orgs held nothing for six months", s.paralysed)
	}
	for _, typ := range []activity.ActivityType{activity.ThemeDay, activity.MembersMeeting, activity.CommitteeMeeting, activity.GroupMeeting,
		activity.PartyLecture, activity.LifeMeeting, activity.MemberReview, activity.HeartTalk, activity.VolunteerService, activity.QuestionSolving} {
		if s.byType[typ] == 0 {
			t.Errorf("no %s", typ)
		}
	}
	if len(r.MonthlyThemes) != 13 || r.MonthlyThemes[0].Month != "2025-12" || r.MonthlyThemes[12].Month != "2026-12" {
		t.Errorf("themes %v", r.MonthlyThemes)
	}
	for _, m := range r.MonthlyThemes {
		if err := m.Validate(); err != nil {
			t.Errorf("theme %v: %v", m, err)
		}
	}
}

// TestLifeIsConsistent checks every activity and attendance against the
// registry and the rules the API enforces.
func TestLifeIsConsistent(t *testing.T) {
	r := Generate(Options{Scale: Small, Seed: 3, Today: today})
	now := today.Add(16 * time.Hour) // midnight in Shanghai, the day after
	memberOrg := map[int64]int64{}
	for _, m := range r.Members {
		memberOrg[m.ID] = *m.PartyOrgID
	}
	themeOf := map[string]int64{}
	for _, m := range r.MonthlyThemes {
		themeOf[m.Month] = m.ID
	}
	hosts := map[int64][]int64{}
	for _, a := range r.Activities {
		hosts[a.ID] = []int64{a.PartyOrgID}
	}
	for _, h := range r.ActivityCoHosts {
		hosts[h.ActivityID] = append(hosts[h.ActivityID], h.PartyOrgID)
	}
	byID := map[int64]bulk.LifeActivity{}
	for i, a := range r.Activities {
		if a.ID != int64(i+1) {
			t.Fatalf("activity ids not sequential at %d", i)
		}
		byID[a.ID] = a
		tx, pl := r.ActivityTexts[a.Text], r.ActivityPlaces[a.Place]
		start, end := time.Unix(a.StartsAt, 0), time.Unix(a.EndsAt, 0)
		in := activity.ActivityInput{PartyOrgID: a.PartyOrgID, CoHostIDs: hosts[a.ID][1:], Type: a.Type, Title: tx.Title, Theme: tx.Theme,
			StartsAt: start, EndsAt: end, Address: pl.Address, Latitude: &pl.Latitude, Longitude: &pl.Longitude, Open: a.Open,
			Capacity: int(a.Capacity), Agenda: tx.Agenda, Minutes: tx.Minutes, Resolutions: tx.Resolutions,
			Question: tx.Question, Decision: tx.Decision, Outcome: tx.Outcome, Status: a.Status}
		if a.MonthlyThemeID > 0 {
			in.MonthlyThemeID = &a.MonthlyThemeID
		}
		if a.Status == activity.ActivityCancelled {
			in.Status = activity.ActivityPlanned
			if tx.CancelReason == "" {
				t.Errorf("activity %d cancelled without a reason", a.ID)
			}
		}
		if err := in.Validate(now); err != nil {
			t.Fatalf("activity %d %+v: %v", a.ID, in, err)
		}
		if !start.Before(end) {
			t.Fatalf("activity %d ends before it starts", a.ID)
		}
		if pl.Latitude < 30.5 || pl.Latitude > 30.8 || pl.Longitude < 103.9 || pl.Longitude > 104.2 {
			t.Fatalf("activity %d at %v", a.ID, pl)
		}
		switch {
		case a.Status == activity.ActivityPlanned && (!start.After(now.Add(-24*time.Hour)) || start.After(now.AddDate(0, 0, 31))):
			t.Fatalf("planned activity %d at %s", a.ID, start)
		case a.Status != activity.ActivityPlanned && !start.Before(now.Add(-24*time.Hour)):
			t.Fatalf("%s activity %d at %s", a.Status, a.ID, start)
		case start.Before(time.Date(2025, 12, 1, 0, 0, 0, 0, domain.Shanghai)):
			t.Fatalf("activity %d at %s, before the window", a.ID, start)
		}
		month := start.In(domain.Shanghai).Format("2006-01")
		if a.Type.Requirement() == activity.ReqThemeDay {
			if a.MonthlyThemeID != themeOf[month] {
				t.Fatalf("theme day %d of %s linked to theme %d", a.ID, month, a.MonthlyThemeID)
			}
		} else if a.MonthlyThemeID != 0 {
			t.Fatalf("%s %d linked to a theme", a.Type, a.ID)
		}
		if a.Type == activity.JointThemeDay {
			if n := len(hosts[a.ID]); n < 2 || n > 4 {
				t.Fatalf("joint theme day %d with %d hosts", a.ID, n)
			}
			for _, h := range hosts[a.ID][1:] {
				if *r.PartyOrgs[h-1].ParentID != *r.PartyOrgs[a.PartyOrgID-1].ParentID {
					t.Fatalf("joint theme day %d: co-host %d under another committee", a.ID, h)
				}
			}
		}
	}
	type key struct{ a, m int32 }
	seen := map[key]bool{}
	guests := map[int32]int{}
	for _, at := range r.Attendances {
		a := byID[int64(at.ActivityID)]
		if a.Status != activity.ActivityHeld {
			t.Fatalf("attendance at a %s activity %d", a.Status, a.ID)
		}
		k := key{at.ActivityID, at.MemberID}
		if seen[k] {
			t.Fatalf("member %d twice at activity %d", at.MemberID, at.ActivityID)
		}
		seen[k] = true
		own := memberOrg[int64(at.MemberID)]
		if int64(at.MemberOrgID) != own {
			t.Fatalf("attendance of member %d with org %d, member of %d", at.MemberID, at.MemberOrgID, own)
		}
		if at.Recognized {
			if !a.Open || slices.Contains(hosts[a.ID], own) {
				t.Fatalf("recognized attendance of member %d at activity %d (open %v)", at.MemberID, a.ID, a.Open)
			}
			guests[at.ActivityID]++
			continue
		}
		// The roster: the hosts' members, or for a 党委/党总支 its branches'.
		inRoster := slices.Contains(hosts[a.ID], own)
		if !inRoster {
			if p := r.PartyOrgs[own-1].ParentID; p != nil && *p == a.PartyOrgID && !isMemberHost(r.PartyOrgs[a.PartyOrgID-1].Type) {
				inRoster = true
			}
		}
		if !inRoster {
			t.Fatalf("member %d of org %d at closed activity %d of org %d", at.MemberID, own, a.ID, a.PartyOrgID)
		}
		if (at.Kind == kindLeave) != (at.Reason > 0) {
			t.Fatalf("attendance %+v: reason only for a leave", at)
		}
	}
	for id, n := range guests {
		if a := byID[int64(id)]; n > int(a.Capacity) {
			t.Fatalf("activity %d: %d guests, capacity %d", id, n, a.Capacity)
		}
	}
}

func TestLifeDemoAccounts(t *testing.T) {
	r := Generate(Options{Scale: Small, Seed: 1, Today: today, PasswordHash: "hash"})
	users := map[string]int64{}
	byName := map[string]accounts.NewUser{}
	for _, u := range r.Users {
		users[u.Username] = u.PartyOrgID
		byName[u.Username] = u
	}
	if len(r.MemberLinks) != 2 {
		t.Fatalf("member accounts: %+v", r.MemberLinks)
	}
	for i, want := range [][2]string{{"member", "branch"}, {"member2", "qingyang.branch"}} {
		link := r.MemberLinks[i]
		u := byName[link.Username]
		m := r.Members[link.MemberID-1]
		if u.Username != want[0] || u.PartyOrgID != users[want[1]] || *m.PartyOrgID != u.PartyOrgID || u.PasswordHash != "hash" ||
			!reflect.DeepEqual(u.Roles, []domain.Role{domain.RoleMember}) || m.Status != domain.MemberFull {
			t.Fatalf("%s: %+v (member %+v)", want[0], u, m)
		}
		if i == 1 && !strings.HasPrefix(r.PartyOrgs[u.PartyOrgID-1].Region, "510105") {
			t.Fatalf("member2's org is in %s", r.PartyOrgs[u.PartyOrgID-1].Region)
		}
		held := 0
		for _, at := range r.Attendances {
			if int64(at.MemberID) == link.MemberID && at.Kind == kindPresent && r.Activities[at.ActivityID-1].Status == activity.ActivityHeld {
				held++
			}
		}
		if held == 0 {
			t.Fatalf("%s attended nothing", want[0])
		}
		found := false
		for _, a := range r.Accounts {
			found = found || a.Username == want[0] && a.Phone == m.Phone && a.Role == domain.RoleMember.Name()
		}
		if !found {
			t.Fatalf("%s not among the accounts", want[0])
		}
	}
	upcoming := false
	for _, a := range r.Activities {
		upcoming = upcoming || a.PartyOrgID == users["branch"] && a.Type == activity.ThemeDay && a.Status == activity.ActivityPlanned &&
			a.StartsAt > today.Unix() && a.StartsAt < today.AddDate(0, 0, 31).Unix() && a.Open
	}
	if !upcoming {
		t.Fatal("branch has no upcoming open theme day")
	}
}

func TestLifeSameSeedSameData(t *testing.T) {
	a := Generate(Options{Scale: Small, Seed: 5, Today: today})
	b := Generate(Options{Scale: Small, Seed: 5, Today: today})
	if !reflect.DeepEqual(a.Activities, b.Activities) || !reflect.DeepEqual(a.Attendances, b.Attendances) || !reflect.DeepEqual(a.ActivityTexts, b.ActivityTexts) {
		t.Fatal("the same seed gave a different organizational life")
	}
	c := Generate(Options{Scale: Small, Seed: 6, Today: today})
	if reflect.DeepEqual(a.Attendances, c.Attendances) {
		t.Fatal("different seeds gave the same attendances")
	}
}
