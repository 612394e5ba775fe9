package gen

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/activity"
	"github.com/lianxin/lianxin/internal/domain/alert"
	"github.com/lianxin/lianxin/internal/store/bulk"
)

// situationsOf finds, from the generated data alone, the Party orgs (and
// for member_inactive the members) in each rule's situation on today, with
// the rules' default thresholds: a stand-in for the alert engine that
// checks what the generator meant to produce.
func situationsOf(r Result) map[alert.RuleCode][]int64 {
	out := map[alert.RuleCode][]int64{}
	day := func(t time.Time) domain.Date { return domain.Date(t.Format(domain.DateLayout)) }
	d := day(today)
	good, full := map[int64]int{}, map[int64]int{}
	for _, m := range r.Members {
		if m.PartyOrgID != nil && domain.InGoodStanding(m) {
			good[*m.PartyOrgID]++
			if m.Status == domain.MemberFull {
				full[*m.PartyOrgID]++
			}
		}
	}
	covers := map[int64]int{}
	deadCover := map[int64]bool{}
	for _, c := range r.Covers {
		covers[c.PartyOrgID]++
		switch r.Organizations[c.OrganizationID-1].Status {
		case domain.OrgDeregistered, domain.OrgRevoked, domain.OrgMovedOut:
			deadCover[c.PartyOrgID] = true
		}
	}
	// Life: held activities per org, roster attendances per member.
	sh := func(t time.Time) int64 {
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, domain.Shanghai).Unix()
	}
	twoMonths, quarter, ninety := sh(today.AddDate(0, -2, 0)), sh(today.AddDate(0, -3, 0)), sh(today.AddDate(0, 0, -90))
	lastHeld := map[int64]int64{}
	rostered := map[activity.ActivityType]bool{activity.ThemeDay: true, activity.JointThemeDay: true, activity.MembersMeeting: true,
		activity.PartyLecture: true, activity.LifeMeeting: true}
	held90 := map[int64]int{}
	hosts := map[int64][]int64{}
	for _, a := range r.Activities {
		hosts[a.ID] = []int64{a.PartyOrgID}
	}
	for _, h := range r.ActivityCoHosts {
		hosts[h.ActivityID] = append(hosts[h.ActivityID], h.PartyOrgID)
	}
	for _, a := range r.Activities {
		if a.Status != activity.ActivityHeld {
			continue
		}
		for _, h := range hosts[a.ID] {
			lastHeld[h] = max(lastHeld[h], a.StartsAt)
			if a.StartsAt >= ninety && rostered[a.Type] {
				held90[h]++
			}
		}
	}
	took := map[int64]int{}       // org → present or on leave, roster activities of the last 90 days
	lastPart := map[int64]int64{} // member → last present or on leave
	for _, at := range r.Attendances {
		a := r.Activities[at.ActivityID-1]
		if at.Kind == kindPresent || at.Kind == kindLeave {
			lastPart[int64(at.MemberID)] = max(lastPart[int64(at.MemberID)], a.StartsAt)
			if !at.Recognized && a.StartsAt >= ninety && rostered[a.Type] {
				took[int64(at.MemberOrgID)]++
			}
		}
	}
	for _, o := range r.PartyOrgs {
		info, _ := o.Type.Info()
		if o.Status != domain.StatusActive {
			if good[o.ID] > 0 {
				out[alert.RuleMembersOrphaned] = append(out[alert.RuleMembersOrphaned], o.ID)
			}
			continue
		}
		add := func(c alert.RuleCode) { out[c] = append(out[c], o.ID) }
		if info.Grassroots && o.SecretaryVacantSince != "" && o.SecretaryVacantSince <= day(today.AddDate(0, 0, -30)) {
			add(alert.RuleSecretaryVacant)
		}
		deadline := max(o.TermEnd, o.PostponedTo)
		switch {
		case deadline == "":
		case deadline < d:
			add(alert.RuleTermOverdue)
		case deadline <= day(today.AddDate(0, 0, 180)):
			add(alert.RuleTermEnding)
		}
		branch := isMemberHost(o.Type)
		if branch && o.Type != domain.TemporaryBranch && full[o.ID] < 3 {
			add(alert.RuleTooFewMembers)
		}
		if branch && full[o.ID] >= 7 && o.CommitteeSize == 0 {
			add(alert.RuleNoCommittee)
		}
		if branch && good[o.ID] > 50 {
			add(alert.RuleTooManyMembers)
		}
		if o.Type == domain.JointBranch && covers[o.ID] > 5 {
			add(alert.RuleJointBranchTooWide)
		}
		if branch && lastHeld[o.ID] < twoMonths {
			add(alert.RuleNoActivity)
		}
		if branch && held90[o.ID] >= 2 && float64(took[o.ID]) < 0.7*float64(held90[o.ID]*good[o.ID]) {
			add(alert.RuleLowAttendance)
		}
		if deadCover[o.ID] {
			add(alert.RuleOrgDeregistered)
		}
		if o.SecretaryUnfiledSince != "" && o.SecretaryUnfiledSince <= day(today.AddDate(0, 0, -15)) {
			add(alert.RuleFilingMissing)
		}
	}
	active := func(id int64) bool { return r.PartyOrgs[id-1].Status == domain.StatusActive }
	pending := map[int64]bool{}
	old := today.AddDate(0, 0, -15)
	for _, f := range r.SecretaryFilings {
		if f.Status == "pending" && f.SubmittedAt.Before(old) && active(f.PartyOrgID) {
			pending[f.PartyOrgID] = true
		}
	}
	for _, c := range r.TermChanges {
		if c.Status == "pending" && c.SubmittedAt.Before(old) && active(c.PartyOrgID) {
			pending[c.PartyOrgID] = true
		}
	}
	for _, o := range r.PartyOrgs {
		if pending[o.ID] {
			out[alert.RuleFilingPending] = append(out[alert.RuleFilingPending], o.ID)
		}
	}
	for _, m := range r.Members {
		o := r.PartyOrgs[*m.PartyOrgID-1]
		if domain.InGoodStanding(m) && m.Status == domain.MemberFull && o.Status == domain.StatusActive && isMemberHost(o.Type) &&
			lastHeld[o.ID] >= quarter && lastPart[m.ID] < quarter && string(m.JoinedOn) < string(day(today.AddDate(0, -3, 0))) {
			out[alert.RuleMemberInactive] = append(out[alert.RuleMemberInactive], m.ID)
		}
	}
	// meetings_missing: the ledger of the year so far (branches only).
	ev, err := activity.NewComplianceEvaluator(today.Year(), activity.DefaultComplianceSettings(), today)
	if err != nil {
		panic(err)
	}
	held := map[int64][]activity.HeldActivity{}
	for _, a := range r.Activities {
		if a.Status == activity.ActivityHeld {
			for _, h := range hosts[a.ID] {
				held[h] = append(held[h], activity.HeldActivity{Type: a.Type, On: domain.DateOf(time.Unix(a.StartsAt, 0))})
			}
		}
	}
	groups := map[int64]bool{}
	for _, g := range r.PartyGroups {
		groups[g.PartyOrgID] = g.Groups > 0
	}
	for _, o := range r.PartyOrgs {
		switch o.Type {
		case domain.Branch, domain.JointBranch, domain.MobileBranch:
		default:
			continue
		}
		if o.Status != domain.StatusActive {
			continue
		}
		l := ev.Ledger(activity.OrgFacts{FullMembers: full[o.ID], HasGroups: groups[o.ID], FoundedOn: o.FoundedOn}, held[o.ID])
		if len(l.Missing()) > 0 {
			out[alert.RuleMeetingsMissing] = append(out[alert.RuleMeetingsMissing], o.ID)
		}
	}
	return out
}

// TestSituationRates: at district scale each rule's situation occurs, at
// about the rate the generator's comment gives.
func TestSituationRates(t *testing.T) {
	r := Generate(Options{Scale: District, Seed: 1, Today: today})
	sit := situationsOf(r)
	var grassroots, termOrgs, branches, covered, members float64
	for _, o := range r.PartyOrgs {
		info, _ := o.Type.Info()
		if o.Status != domain.StatusActive {
			continue
		}
		if info.Grassroots {
			grassroots++
		}
		if info.DefaultTermYears > 0 {
			termOrgs++
		}
		if isMemberHost(o.Type) {
			branches++
		}
	}
	for _, m := range r.Members {
		if domain.InGoodStanding(m) {
			members++
		}
	}
	seen := map[int64]bool{}
	dead := 0
	for _, c := range r.Covers {
		if r.PartyOrgs[c.PartyOrgID-1].Status == domain.StatusActive && !seen[c.OrganizationID] {
			seen[c.OrganizationID] = true
			covered++
			switch r.Organizations[c.OrganizationID-1].Status {
			case domain.OrgDeregistered, domain.OrgRevoked, domain.OrgMovedOut:
				dead++
			}
		}
	}
	share := func(c alert.RuleCode, of float64) float64 { return float64(len(sit[c])) / of }
	bands := []struct {
		rule   alert.RuleCode
		of     float64
		lo, hi float64
	}{
		{alert.RuleSecretaryVacant, grassroots, 0.01, 0.045}, // vacant for 30 days or more: most of the 3%
		{alert.RuleTermOverdue, termOrgs, 0.03, 0.065},       // 5%, less the postponements still running
		{alert.RuleTermEnding, termOrgs, 0.06, 0.13},         // 8%, and the running postponements
		{alert.RuleTooFewMembers, branches, 0.008, 0.04},
		{alert.RuleNoCommittee, branches, 0.04, 0.14},
		{alert.RuleTooManyMembers, branches, 0.002, 0.025},
		{alert.RuleNoActivity, branches, 0.02, 0.08},
		{alert.RuleLowAttendance, branches, 0.01, 0.20},
		{alert.RuleMembersOrphaned, branches, 0.001, 0.006},
		{alert.RuleFilingMissing, grassroots, 0.002, 0.02},
		{alert.RuleFilingPending, grassroots, 0.005, 0.04},
		{alert.RuleMemberInactive, members, 0.004, 0.03},
		{alert.RuleMeetingsMissing, branches, 0.05, 0.40},
	}
	for _, b := range bands {
		got := share(b.rule, b.of)
		t.Logf("%-22s %4d  %.4f", b.rule, len(sit[b.rule]), got)
		if got < b.lo || got > b.hi {
			t.Errorf("%s: %d, a share of %.4f, want %.3f–%.3f", b.rule, len(sit[b.rule]), got, b.lo, b.hi)
		}
	}
	if n := len(sit[alert.RuleJointBranchTooWide]); n == 0 || n > int(branches)/20 {
		t.Errorf("%d joint branches cover more than 5 organizations", n)
	}
	if rate := float64(dead) / covered; rate < 0.004 || rate > 0.02 {
		t.Errorf("%d of %.0f covered organizations deregistered, revoked or moved out (%.4f)", dead, covered, rate)
	}
	if n := len(sit[alert.RuleOrgDeregistered]); n == 0 || n > dead {
		t.Errorf("%d Party orgs cover a dead organization, %d dead", n, dead)
	}
}

// TestDemoSituations: in 锦江区 of the demo (district scale) every rule's
// situation occurs, and the `branch` account's org shows one of them (its
// term ends soon) with a secretary who is one of its full members.
func TestDemoSituations(t *testing.T) {
	r := Generate(Options{Scale: District, Seed: 1, Today: today})
	var jj string
	for _, o := range r.PartyOrgs {
		if o.Type == domain.WorkCommittee && o.Region == "510104" {
			jj = o.Path
		}
	}
	inJJ := func(id int64) bool { return strings.HasPrefix(r.PartyOrgs[id-1].Path, jj) }
	sit := situationsOf(r)
	for _, rule := range alert.Rules {
		n := 0
		for _, id := range sit[rule.Code] {
			if rule.Code == alert.RuleMemberInactive {
				id = *r.Members[id-1].PartyOrgID
			}
			if inJJ(id) {
				n++
			}
		}
		want := 1
		if rule.Code == alert.RuleMembersOrphaned {
			want = 2
		}
		if n < want {
			t.Errorf("%s: %d in 锦江区", rule.Code, n)
		}
	}
	var branchID int64
	for _, u := range r.Users {
		if u.Username == "branch" {
			branchID = u.PartyOrgID
		}
	}
	o := r.PartyOrgs[branchID-1]
	for code, ids := range sit {
		for _, id := range ids {
			if code == alert.RuleMemberInactive {
				id = *r.Members[id-1].PartyOrgID
			}
			if id == branchID && code != alert.RuleTermEnding {
				t.Errorf("the branch account's org is in situation %s", code)
			}
		}
	}
	if !containsID(sit[alert.RuleTermEnding], branchID) {
		t.Errorf("the branch account's term ends on %s", o.TermEnd)
	}
	full := 0
	for _, m := range r.Members {
		if m.PartyOrgID != nil && *m.PartyOrgID == branchID && domain.InGoodStanding(m) && m.Status == domain.MemberFull {
			full++
		}
	}
	if o.SecretaryMemberID == nil || full < 3 {
		t.Fatalf("branch: secretary %v, %d full members", o.SecretaryMemberID, full)
	}
	if m := r.Members[*o.SecretaryMemberID-1]; *m.PartyOrgID != branchID || m.Status != domain.MemberFull || m.Name != o.SecretaryName {
		t.Errorf("branch secretary %+v", m)
	}
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// TestTermsAndSecretariesConsistent checks the generated terms, elections,
// secretaries, filings and term changes against each other and the rules.
func TestTermsAndSecretariesConsistent(t *testing.T) {
	r := Generate(Options{Scale: Small, Seed: 4, Today: today})
	d := domain.Date(today.Format(domain.DateLayout))
	elections := map[int64]bulk.ElectionRow{}
	for i, e := range r.Elections {
		if e.ID != int64(i+1) {
			t.Fatalf("election ids not sequential at %d", i)
		}
		elections[e.ID] = e
		if e.PresentVoters > e.ExpectedVoters || e.ExpectedVoters > 0 && 5*e.PresentVoters <= 4*e.ExpectedVoters {
			t.Errorf("election %d: %d of %d present", e.ID, e.PresentVoters, e.ExpectedVoters)
		}
		if len(e.Committee) > 0 && (e.Committee[0].Post != "secretary" || e.Committee[0].MemberID != e.SecretaryMemberID) {
			t.Errorf("election %d: committee %+v, secretary %d", e.ID, e.Committee, e.SecretaryMemberID)
		}
		if _, err := json.Marshal(e.Committee); err != nil || e.HeldOn > d {
			t.Errorf("election %d on %s: %v", e.ID, e.HeldOn, err)
		}
	}
	current := map[int64]bulk.TermRow{}
	for i, tr := range r.Terms {
		if tr.ID != int64(i+1) {
			t.Fatalf("term ids not sequential at %d", i)
		}
		e := elections[tr.ElectionID]
		if e.PartyOrgID != tr.PartyOrgID || e.HeldOn != tr.StartOn || tr.StartOn > d {
			t.Errorf("term %+v, election %+v", tr, e)
		}
		if tr.EndedOn == "" || r.PartyOrgs[tr.PartyOrgID-1].Status != domain.StatusActive {
			if _, dup := current[tr.PartyOrgID]; dup && r.PartyOrgs[tr.PartyOrgID-1].Status == domain.StatusActive {
				t.Errorf("two current terms of org %d", tr.PartyOrgID)
			}
			current[tr.PartyOrgID] = tr
		}
	}
	postponements := map[int64]domain.Date{}
	for i, c := range r.TermChanges {
		if c.ID != int64(i+1) || current[c.PartyOrgID].ID != c.TermID {
			t.Errorf("term change %+v: current term %+v", c, current[c.PartyOrgID])
		}
		if c.Status == "approved" {
			postponements[c.PartyOrgID] = c.NewDate
		}
		if (c.Status == "pending") != c.DecidedAt.IsZero() || !c.SubmittedAt.Before(today.Add(24*time.Hour)) {
			t.Errorf("term change %+v", c)
		}
	}
	approved := map[int64]bool{} // org → its current secretary's appointment approved
	for i, f := range r.SecretaryFilings {
		o := r.PartyOrgs[f.PartyOrgID-1]
		if f.ID != int64(i+1) || f.PersonName == "" || (f.Status == "pending") != f.DecidedAt.IsZero() {
			t.Errorf("filing %+v", f)
		}
		if f.MemberID != 0 && (r.Members[f.MemberID-1].Name != f.PersonName || *r.Members[f.MemberID-1].PartyOrgID != o.ID) {
			t.Errorf("filing %d names member %d of another org or name", f.ID, f.MemberID)
		}
		if f.Kind == "appointment" && f.Status == "approved" && o.SecretaryMemberID != nil && f.MemberID == *o.SecretaryMemberID {
			approved[o.ID] = true
		}
	}
	secretaries, filed := 0, 0
	for _, o := range r.PartyOrgs {
		if err := o.Validate(today); err != nil {
			t.Fatalf("%s: %v", o.Name, err)
		}
		info, _ := o.Type.Info()
		tr, ok := current[o.ID]
		switch {
		case info.DefaultTermYears == 0:
			if ok || o.TermStart != "" {
				t.Errorf("%s (%s) has a term", o.Name, o.Type)
			}
		case !ok || tr.StartOn != o.TermStart || tr.EndOn != o.TermEnd || tr.Years != o.TermYears:
			t.Errorf("%s: term %s–%s, current term row %+v", o.Name, o.TermStart, o.TermEnd, tr)
		case o.Status == domain.StatusActive && o.CommitteeSize != len(elections[tr.ElectionID].Committee):
			t.Errorf("%s: committee of %d, elected %d", o.Name, o.CommitteeSize, len(elections[tr.ElectionID].Committee))
		}
		if o.PostponedTo != "" {
			end, _ := domain.ParseDate(string(o.TermEnd))
			if o.PostponedTo <= o.TermEnd || string(o.PostponedTo) > domain.AddYears(end, 1).Format(domain.DateLayout) || postponements[o.ID] != o.PostponedTo {
				t.Errorf("%s: term ends %s, postponed to %s (approved %s)", o.Name, o.TermEnd, o.PostponedTo, postponements[o.ID])
			}
		}
		if o.SecretaryVacantSince != "" {
			if o.SecretaryName != "" || o.SecretaryMemberID != nil || o.SecretaryVacantSince >= d {
				t.Errorf("%s: vacant since %s, secretary %q", o.Name, o.SecretaryVacantSince, o.SecretaryName)
			}
			continue
		}
		if o.SecretaryName == "" {
			t.Errorf("%s (%s) has no secretary and is not vacant", o.Name, o.Type)
		}
		if o.SecretaryMemberID == nil {
			continue
		}
		m := r.Members[*o.SecretaryMemberID-1]
		if *m.PartyOrgID != o.ID || m.Status != domain.MemberFull || !domain.InGoodStanding(m) || m.Name != o.SecretaryName {
			t.Errorf("%s: secretary %+v", o.Name, m)
		}
		if o.SecretaryUnfiledSince != "" && (approved[o.ID] || o.SecretarySince != o.SecretaryUnfiledSince) {
			t.Errorf("%s: changed unfiled on %s, since %s, approved %v", o.Name, o.SecretaryUnfiledSince, o.SecretarySince, approved[o.ID])
		}
		if o.SecretaryUnfiledSince == "" && o.TermStart != "" && o.SecretarySince > o.TermStart {
			t.Errorf("%s: secretary since %s, term from %s", o.Name, o.SecretarySince, o.TermStart)
		}
		secretaries++
		if approved[o.ID] {
			filed++
		}
	}
	if filed < secretaries*8/10 || filed == secretaries {
		t.Errorf("%d of %d secretaries filed", filed, secretaries)
	}
}

// TestSituationsSameSeed: the same seed gives the same terms and filings.
func TestSituationsSameSeed(t *testing.T) {
	a := Generate(Options{Scale: Small, Seed: 9, Today: today})
	b := Generate(Options{Scale: Small, Seed: 9, Today: today})
	if !reflect.DeepEqual(a.SecretaryFilings, b.SecretaryFilings) || !reflect.DeepEqual(a.Elections, b.Elections) ||
		!reflect.DeepEqual(a.Terms, b.Terms) || !reflect.DeepEqual(a.TermChanges, b.TermChanges) {
		t.Fatal("the same seed gave different terms or filings")
	}
}
