package activity

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
)

func held(typ ActivityType, dates ...string) []HeldActivity {
	out := make([]HeldActivity, len(dates))
	for i, d := range dates {
		out[i] = HeldActivity{typ, domain.Date(d)}
	}
	return out
}

func statuses(r RequirementLedger) string {
	parts := make([]string, len(r.Periods))
	for i, p := range r.Periods {
		parts[i] = string(p.Status[0])
	}
	return strings.Join(parts, "")
}

func ledger(t *testing.T, f OrgFacts, acts []HeldActivity, today time.Time) ComplianceLedger {
	t.Helper()
	l, err := Compliance(f, acts, 2026, DefaultComplianceSettings(), today)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestComplianceLedger(t *testing.T) {
	var acts []HeldActivity
	acts = append(acts, held(MembersMeeting, "2026-01-15", "2026-05-20", "2026-06-30")...) // Q1, Q2 (twice)
	acts = append(acts, held(CommitteeMeeting, "2026-01-05", "2026-02-05", "2026-11-02")...)
	acts = append(acts, held(PartyLecture, "2026-03-31", "2026-10-01")...)
	acts = append(acts, held(ThemeDay, "2026-01-10", "2026-03-10")...)
	acts = append(acts, held(JointThemeDay, "2026-02-10")...) // counts as the theme day
	acts = append(acts, held(HeartTalk, "2026-04-10")...)     // counts for nothing
	acts = append(acts, held(ThemeDay, "2025-12-31", "2027-01-01", "2026-13-01", "2026-1-10", "2026-00-10", "2026-0a-01", "")...)
	today := cityDay("2026-11-27")
	l := ledger(t, OrgFacts{FullMembers: 9}, acts, today)

	want := map[Requirement]string{
		// quarters: Q1 done, Q2 done, Q3 missing, Q4 in progress
		ReqMembersMeeting: "ddmi",
		// months Jan–Oct ended; Nov in progress but done; Dec not started
		ReqCommitteeMeeting: "ddmmmmmmmmdn",
		ReqGroupMeeting:     "", // no groups
		ReqPartyLecture:     "dmmd",
		ReqThemeDay:         "dddmmmmmmmin",
		ReqLifeMeeting:      "i",
		ReqMemberReview:     "i",
	}
	for _, r := range l.Requirements {
		if got := statuses(r); got != want[r.Requirement] {
			t.Errorf("%s: %q, want %q", r.Requirement, got, want[r.Requirement])
		}
	}
	g := l.Requirements[2]
	if g.Applies || g.Reason != "未设党小组" || g.Periods == nil {
		t.Errorf("groups: %+v", g)
	}
	q2 := l.Requirements[0].Periods[1]
	if q2.Period != "2026-Q2" || q2.Start != "2026-04-01" || q2.End != "2026-06-30" || q2.Held != 2 {
		t.Errorf("Q2: %+v", q2)
	}
	nov := l.Requirements[1].Periods[10]
	if nov.Period != "2026-11" || nov.Start != "2026-11-01" || nov.End != "2026-11-30" {
		t.Errorf("November: %+v", nov)
	}
	// due: members 3 (2 done + Q3), committee 11 (3 done + 8 missing),
	// lecture 4, theme 10 (3 done + 7 missing); done 2+3+2+3
	if l.Due != 28 || l.Done != 10 || l.Rate != 35.7 {
		t.Errorf("due %d done %d rate %v", l.Due, l.Done, l.Rate)
	}
	if l.Requirements[1].Due != 11 || l.Requirements[1].Done != 3 {
		t.Errorf("committee %d/%d", l.Requirements[1].Done, l.Requirements[1].Due)
	}
	missing := l.Missing()
	if len(missing) != l.Due-l.Done {
		t.Errorf("%d missing items for %d gaps", len(missing), l.Due-l.Done)
	}
	if m := missing[0]; m.Requirement != ReqMembersMeeting || m.Period != "2026-Q3" || m.Start != "2026-07-01" || m.End != "2026-09-30" {
		t.Errorf("first gap %+v", m)
	}
}

func TestComplianceCommitteeThreshold(t *testing.T) {
	today := cityDay("2026-12-31")
	l := ledger(t, OrgFacts{FullMembers: 6, HasGroups: true}, nil, today)
	if c := l.Requirements[1]; c.Applies || !strings.Contains(c.Reason, "不足7人") {
		t.Errorf("6 full members: %+v", c)
	}
	if g := l.Requirements[2]; !g.Applies || len(g.Periods) != 12 {
		t.Errorf("groups: %+v", g)
	}
	if l := ledger(t, OrgFacts{FullMembers: 7}, nil, today); !l.Requirements[1].Applies {
		t.Error("7 full members have a committee")
	}
}

// TestComplianceGroupsSince: 党小组会 are owed from the month the branch's
// first 党小组 was set up (a group set up on 15 June owes none for June),
// the other requirements as before.
func TestComplianceGroupsSince(t *testing.T) {
	today := cityDay("2026-11-27")
	l := ledger(t, OrgFacts{FullMembers: 6, HasGroups: true, GroupsSince: "2026-06-15"}, nil, today)
	if got := statuses(l.Requirements[2]); got != "nnnnnnmmmmin" {
		t.Errorf("党小组会 since 15 June: %q", got)
	}
	if got := statuses(l.Requirements[4]); got != "mmmmmmmmmmin" {
		t.Errorf("主题党日 changed by the groups: %q", got)
	}
	if got := statuses(ledger(t, OrgFacts{FullMembers: 6, HasGroups: true, GroupsSince: "2026-06-01"}, nil, today).Requirements[2]); got != "nnnnnmmmmmin" {
		t.Errorf("党小组会 since 1 June: %q", got)
	}
}

func TestComplianceTodayDecidesInProgress(t *testing.T) {
	// the last day of a quarter is still in it; the next day it is missing
	for _, c := range []struct {
		today time.Time
		want  string
	}{
		{cityDay("2026-03-31"), "innn"},
		{cityDay("2026-04-01"), "minn"},
		// 16:30 UTC on 31 March is already 1 April in Chengdu
		{time.Date(2026, 3, 31, 16, 30, 0, 0, time.UTC), "minn"},
		{cityDay("2025-06-01"), "nnnn"},
		{cityDay("2027-01-01"), "mmmm"},
	} {
		l := ledger(t, OrgFacts{}, nil, c.today)
		if got := statuses(l.Requirements[0]); got != c.want {
			t.Errorf("%v: %q, want %q", c.today, got, c.want)
		}
	}
	// nothing has ended on 1 January: no due periods, no rate yet
	if l := ledger(t, OrgFacts{}, nil, cityDay("2026-01-01")); l.Due != 0 || l.Rate != 0 {
		t.Errorf("%d %v", l.Due, l.Rate)
	}
}

func TestComplianceFoundedAndDissolved(t *testing.T) {
	today := cityDay("2026-12-31")
	f := OrgFacts{FoundedOn: "2026-06-15", DissolvedOn: "2026-10-31"}
	l := ledger(t, f, held(ThemeDay, "2026-06-20"), today)
	// June: founded mid-month but held anyway; July–September required;
	// October: dissolved on its last day; later months exempt
	if got := statuses(l.Requirements[4]); got != "nnnnndmmmnnn" {
		t.Errorf("theme days %q", got)
	}
	if got := statuses(l.Requirements[0]); got != "nnmn" {
		t.Errorf("members meetings %q", got)
	}
	if got := statuses(l.Requirements[5]); got != "n" {
		t.Errorf("life meeting %q", got)
	}
	// theme days 4 (1 done), members meeting and lecture Q3
	if l.Due != 4+1+1 || l.Done != 1 {
		t.Errorf("due %d done %d", l.Due, l.Done)
	}
}

func TestComplianceSettings(t *testing.T) {
	s := DefaultComplianceSettings()
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if s.FrequencyOf(ReqPartyLecture) != Quarterly || s.FrequencyOf("x") != "" {
		t.Error("FrequencyOf")
	}
	s.PartyLecture, s.LifeMeeting, s.CommitteeMinFullMembers = "weekly", "", 2
	err := s.Validate()
	ve, ok := err.(*domain.ValidationError)
	if !ok || len(ve.Fields) != 3 || !strings.Contains(ve.Fields["party_lecture"], "党课") || ve.Fields["committee_min_full_members"] == "" {
		t.Fatalf("%v", err)
	}
	if _, err := Compliance(OrgFacts{}, nil, 2026, s, cityDay("2026-01-01")); err == nil {
		t.Error("invalid settings accepted")
	}
	if _, err := Compliance(OrgFacts{}, nil, 1999, DefaultComplianceSettings(), cityDay("2026-01-01")); err == nil {
		t.Error("year 1999 accepted")
	}

	// half-yearly lectures, reviews off
	s = DefaultComplianceSettings()
	s.PartyLecture, s.MemberReview = HalfYearly, FrequencyOff
	l, err := Compliance(OrgFacts{}, held(PartyLecture, "2026-07-01"), 2026, s, cityDay("2026-12-31"))
	if err != nil {
		t.Fatal(err)
	}
	if p := l.Requirements[3].Periods; len(p) != 2 || p[0].Period != "2026-H1" || p[0].Status != PeriodMissing || p[1].End != "2026-12-31" || p[1].Status != PeriodDone {
		t.Errorf("half-yearly %+v", p)
	}
	if r := l.Requirements[6]; r.Applies || r.Reason != "已设置为不考核" {
		t.Errorf("off: %+v", r)
	}
}

func TestComplianceTally(t *testing.T) {
	var tally ComplianceTally
	tally.Add(&ComplianceSummary{Due: 10, Done: 9})
	tally.Add(&ComplianceSummary{Due: 10, Done: 0})
	if tally.Orgs != 2 || tally.Rate() != 45 {
		t.Errorf("%+v %v", tally, tally.Rate())
	}
}

// TestComplianceSummaryAgreesWithLedger: the allocation-free city pass and
// the full ledger are two codings of one rule.
func TestComplianceSummaryAgreesWithLedger(t *testing.T) {
	facts, acts, _ := cityInput(300)
	for i := range facts {
		if i%3 == 0 {
			facts[i].FoundedOn = "2026-04-20"
		}
	}
	for _, today := range []string{"2026-01-01", "2026-05-31", "2026-11-27", "2027-02-01"} {
		e, err := NewComplianceEvaluator(2026, DefaultComplianceSettings(), cityDay(today))
		if err != nil {
			t.Fatal(err)
		}
		for i := range facts {
			l := e.Ledger(facts[i], acts[i])
			if got, want := e.Summary(facts[i], acts[i]), l.Summary(); got != want {
				t.Fatalf("%s org %d: summary %+v, ledger %+v", today, i, got, want)
			}
		}
	}
}

func TestComplianceNames(t *testing.T) {
	for _, l := range []domain.CodeList{Requirements, Frequencies, PeriodStatuses} {
		for _, c := range l {
			if c.Name == "" {
				t.Errorf("%s unnamed", c.Code)
			}
		}
	}
	if len(Requirements) != numRequirements {
		t.Error("numRequirements")
	}
}

// cityInput is a year of organizational life for the whole city: 25,000
// Party orgs at realistic rates (most orgs meet as required, some lag, some
// are paralysed), about 1.4 million held activities.
func cityInput(orgs int) ([]OrgFacts, [][]HeldActivity, int) {
	r := rand.New(rand.NewPCG(4, 2026))
	facts := make([]OrgFacts, orgs)
	acts := make([][]HeldActivity, len(facts))
	total := 0
	day := func(month int) domain.Date {
		return domain.Date(fmt.Sprintf("2026-%02d-%02d", month, 1+r.IntN(28)))
	}
	for i := range facts {
		facts[i] = OrgFacts{FullMembers: 3 + r.IntN(40), HasGroups: r.IntN(3) == 0}
		diligence := [...]float64{0.97, 0.8, 0.5, 0.05}[r.IntN(4)]
		var a []HeldActivity
		for m := 1; m <= 12; m++ {
			for _, t := range []ActivityType{CommitteeMeeting, GroupMeeting, ThemeDay, HeartTalk, VolunteerService, JointStudy, QuestionSolving} {
				if r.Float64() < diligence {
					a = append(a, HeldActivity{t, day(m)})
				}
			}
			if m%3 == 0 {
				for _, t := range []ActivityType{MembersMeeting, PartyLecture} {
					if r.Float64() < diligence {
						a = append(a, HeldActivity{t, day(m - r.IntN(3))})
					}
				}
			}
		}
		a = append(a, HeldActivity{LifeMeeting, day(12)}, HeldActivity{MemberReview, day(12)})
		acts[i] = a
		total += len(a)
	}
	return facts, acts, total
}

// benchCity runs one org's evaluation over the whole city; one op is the
// city, the evaluator built anew each time as a request would.
func benchCity(b *testing.B, org func(*ComplianceEvaluator, OrgFacts, []HeldActivity) int) {
	facts, acts, total := cityInput(25000)
	today := cityDay("2026-11-27")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		e, err := NewComplianceEvaluator(2026, DefaultComplianceSettings(), today)
		if err != nil {
			b.Fatal(err)
		}
		gaps := 0
		for i := range facts {
			gaps += org(e, facts[i], acts[i])
		}
		if gaps == 0 {
			b.Fatal("no gaps: the input is not realistic")
		}
	}
	b.ReportMetric(float64(total), "activities")
}

// BenchmarkComplianceCity sums the ledger of every Party org of the city
// for a year (the rates by district and committee).
func BenchmarkComplianceCity(b *testing.B) {
	var tally ComplianceTally
	benchCity(b, func(e *ComplianceEvaluator, f OrgFacts, held []HeldActivity) int {
		s := e.Summary(f, held)
		tally.Add(&s)
		return s.Due - s.Done
	})
}

// BenchmarkComplianceCityLedgers builds every org's full ledger, period by
// period (the drill-down of a whole district at once, or an export).
func BenchmarkComplianceCityLedgers(b *testing.B) {
	benchCity(b, func(e *ComplianceEvaluator, f OrgFacts, held []HeldActivity) int {
		l := e.Ledger(f, held)
		return l.Due - l.Done
	})
}
