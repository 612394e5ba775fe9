package domain

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// noon of a day in Shanghai, so that the day is unambiguous.
func cityDay(s string) time.Time {
	d := day(s)
	return time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, Shanghai)
}

func own(typ PartyOrgType, status string, since, dissolved string) CoveringOrg {
	return CoveringOrg{PartyOrgID: 1, Type: typ, Status: status, Since: Date(since), DissolvedOn: Date(dissolved)}
}

func assign(role, from, to string) CoverageAssignment {
	return CoverageAssignment{OrganizationID: 1, Person: "张三", Role: role, From: Date(from), To: Date(to)}
}

func TestCoverage(t *testing.T) {
	const today = "2026-06-15"
	joint := own(JointBranch, StatusActive, "2022-01-01", "")
	flaggedJoint := own(Branch, StatusActive, "2022-01-01", "")
	flaggedJoint.Joint = true
	for _, c := range []struct {
		name  string
		in    CoverageInput
		state CoverageState
		by    string
		since Date
	}{
		{"nothing: uncovered since registration",
			CoverageInput{RegisteredOn: "2019-03-02"}, Uncovered, "", "2019-03-02"},
		{"nothing, no registration date: since unknown",
			CoverageInput{}, Uncovered, "", ""},
		{"own active branch",
			CoverageInput{Covering: []CoveringOrg{own(Branch, StatusActive, "2020-05-01", "")}}, OrgCovered, CoveredByOwn, "2020-05-01"},
		{"every grassroots type covers",
			CoverageInput{Covering: []CoveringOrg{own(Committee, StatusActive, "2020-05-01", "")}}, OrgCovered, CoveredByOwn, "2020-05-01"},
		{"temporary branch is grassroots",
			CoverageInput{Covering: []CoveringOrg{own(TemporaryBranch, StatusActive, "2020-05-01", "")}}, OrgCovered, CoveredByOwn, "2020-05-01"},
		{"joint branch",
			CoverageInput{Covering: []CoveringOrg{joint}}, OrgCovered, CoveredByJoint, "2022-01-01"},
		{"branch flagged joint",
			CoverageInput{Covering: []CoveringOrg{flaggedJoint}}, OrgCovered, CoveredByJoint, "2022-01-01"},
		{"own wins over joint; since is the earliest",
			CoverageInput{Covering: []CoveringOrg{joint, own(GeneralBranch, StatusActive, "2023-01-01", "")}}, OrgCovered, CoveredByOwn, "2022-01-01"},
		{"dissolved covering org: not covered",
			CoverageInput{RegisteredOn: "2015-01-01", Covering: []CoveringOrg{own(Branch, StatusDissolved, "2018-01-01", "2025-12-31")}}, Uncovered, "", "2025-12-31"},
		{"dissolved without date: not covered, since unknown",
			CoverageInput{RegisteredOn: "2015-01-01", Covering: []CoveringOrg{own(Branch, StatusDissolved, "2018-01-01", "")}}, Uncovered, "", ""},
		{"dissolved after today (replaying a past day): still covered then",
			CoverageInput{Covering: []CoveringOrg{own(Branch, StatusDissolved, "2018-01-01", "2026-06-16")}}, OrgCovered, CoveredByOwn, "2018-01-01"},
		{"dissolved today: not covered today",
			CoverageInput{Covering: []CoveringOrg{own(Branch, StatusDissolved, "2018-01-01", today)}}, Uncovered, "", today},
		{"area committee (not grassroots): not org-covered",
			CoverageInput{RegisteredOn: "2015-01-01", Covering: []CoveringOrg{own(AreaCommittee, StatusActive, "2018-01-01", "")}}, Uncovered, "", "2015-01-01"},
		{"joint committee (not grassroots): not org-covered",
			CoverageInput{Covering: []CoveringOrg{own(JointCommittee, StatusActive, "2018-01-01", "")}}, Uncovered, "", ""},
		{"unknown type: not org-covered",
			CoverageInput{Covering: []CoveringOrg{own("bogus", StatusActive, "2018-01-01", "")}}, Uncovered, "", ""},
		{"area committee plus instructor: work-covered",
			CoverageInput{Covering: []CoveringOrg{own(AreaCommittee, StatusActive, "", "")}, Assignments: []CoverageAssignment{assign(CoveredByInstructor, "2024-01-01", "")}}, WorkCovered, CoveredByInstructor, "2024-01-01"},
		{"link starting tomorrow: not yet",
			CoverageInput{Covering: []CoveringOrg{own(Branch, StatusActive, "2026-06-16", "")}}, Uncovered, "", ""},
		{"active org with unknown start: covered, since unknown",
			CoverageInput{Covering: []CoveringOrg{own(Branch, StatusActive, "", "")}}, OrgCovered, CoveredByOwn, ""},
		{"malformed link date: taken as unknown start",
			CoverageInput{Covering: []CoveringOrg{own(Branch, StatusActive, "2023-02-29", "")}}, OrgCovered, CoveredByOwn, ""},
		{"since not before registration",
			CoverageInput{RegisteredOn: "2021-01-01", Covering: []CoveringOrg{own(Branch, StatusActive, "2020-05-01", "")}}, OrgCovered, CoveredByOwn, "2021-01-01"},

		{"instructor, open-ended",
			CoverageInput{Assignments: []CoverageAssignment{assign(CoveredByInstructor, "2025-01-01", "")}}, WorkCovered, CoveredByInstructor, "2025-01-01"},
		{"liaison",
			CoverageInput{Assignments: []CoverageAssignment{assign(CoveredByLiaison, "2025-01-01", "2026-12-31")}}, WorkCovered, CoveredByLiaison, "2025-01-01"},
		{"instructor wins over liaison",
			CoverageInput{Assignments: []CoverageAssignment{assign(CoveredByLiaison, "2024-01-01", ""), assign(CoveredByInstructor, "2025-01-01", "")}}, WorkCovered, CoveredByInstructor, "2024-01-01"},
		{"assignment ending today counts",
			CoverageInput{Assignments: []CoverageAssignment{assign(CoveredByInstructor, "2025-01-01", today)}}, WorkCovered, CoveredByInstructor, "2025-01-01"},
		{"assignment ending yesterday does not; uncovered since today",
			CoverageInput{RegisteredOn: "2010-01-01", Assignments: []CoverageAssignment{assign(CoveredByInstructor, "2025-01-01", "2026-06-14")}}, Uncovered, "", today},
		{"assignment starting today counts",
			CoverageInput{Assignments: []CoverageAssignment{assign(CoveredByInstructor, today, "")}}, WorkCovered, CoveredByInstructor, today},
		{"assignment starting tomorrow does not",
			CoverageInput{RegisteredOn: "2010-01-01", Assignments: []CoverageAssignment{assign(CoveredByInstructor, "2026-06-16", "")}}, Uncovered, "", "2010-01-01"},
		{"assignment without start counts, since unknown",
			CoverageInput{Assignments: []CoverageAssignment{assign(CoveredByLiaison, "", "")}}, WorkCovered, CoveredByLiaison, ""},
		{"assignment with unknown role ignored",
			CoverageInput{Assignments: []CoverageAssignment{assign("secretary", "2025-01-01", "")}}, Uncovered, "", ""},
		{"assignment with malformed date ignored",
			CoverageInput{Assignments: []CoverageAssignment{assign(CoveredByInstructor, "2025-13-01", "")}}, Uncovered, "", ""},
		{"assignment ending before it starts ignored",
			CoverageInput{Assignments: []CoverageAssignment{assign(CoveredByInstructor, "2025-01-01", "2024-01-01")}}, Uncovered, "", ""},
		{"back-to-back assignments make one run",
			CoverageInput{Assignments: []CoverageAssignment{assign(CoveredByInstructor, "2021-01-01", "2023-12-31"), assign(CoveredByLiaison, "2024-01-01", "")}}, WorkCovered, CoveredByLiaison, "2021-01-01"},
		{"a gap between assignments starts a new run",
			CoverageInput{Assignments: []CoverageAssignment{assign(CoveredByInstructor, "2021-01-01", "2023-12-30"), assign(CoveredByLiaison, "2024-01-01", "")}}, WorkCovered, CoveredByLiaison, "2024-01-01"},
		{"org coverage wins over an assignment",
			CoverageInput{Covering: []CoveringOrg{own(Branch, StatusActive, "2025-03-01", "")}, Assignments: []CoverageAssignment{assign(CoveredByInstructor, "2020-01-01", "")}}, OrgCovered, CoveredByOwn, "2025-03-01"},
		{"work-covered since the branch was dissolved",
			CoverageInput{Covering: []CoveringOrg{own(Branch, StatusDissolved, "2018-01-01", "2024-07-01")}, Assignments: []CoverageAssignment{assign(CoveredByInstructor, "2020-01-01", "")}}, WorkCovered, CoveredByInstructor, "2024-07-01"},
		{"uncovered since the later of dissolution and assignment end",
			CoverageInput{Covering: []CoveringOrg{own(Branch, StatusDissolved, "2018-01-01", "2024-07-01")}, Assignments: []CoverageAssignment{assign(CoveredByInstructor, "2024-01-01", "2025-02-28")}}, Uncovered, "", "2025-03-01"},
		{"joint branch dissolved, own branch founded: covered since the earlier run",
			CoverageInput{Covering: []CoveringOrg{own(JointBranch, StatusDissolved, "2019-01-01", "2023-01-01"), own(Branch, StatusActive, "2023-01-01", "")}}, OrgCovered, CoveredByOwn, "2019-01-01"},
	} {
		got := Coverage(c.in, cityDay(today))
		want := CoverageResult{State: c.state, By: c.by, Since: c.since}
		if got != want {
			t.Errorf("%s: got %+v, want %+v", c.name, got, want)
		}
	}
}

func TestCoverageUsesShanghaiDay(t *testing.T) {
	in := CoverageInput{Assignments: []CoverageAssignment{assign(CoveredByInstructor, "2026-06-15", "")}}
	// 2026-06-14 17:00 UTC is already 2026-06-15 01:00 in Chengdu.
	if got := Coverage(in, time.Date(2026, 6, 14, 17, 0, 0, 0, time.UTC)); got.State != WorkCovered {
		t.Errorf("got %v, want work_covered on the Shanghai day", got.State)
	}
	if got := Coverage(in, time.Date(2026, 6, 14, 15, 0, 0, 0, time.UTC)); got.State != Uncovered {
		t.Errorf("got %v, want uncovered the day before", got.State)
	}
}

func TestCoverageNames(t *testing.T) {
	for s, want := range map[CoverageState]string{OrgCovered: "组织覆盖", WorkCovered: "工作覆盖", Uncovered: "未覆盖", "x": "x"} {
		if got := s.Name(); got != want {
			t.Errorf("%s.Name() = %q, want %q", s, got, want)
		}
	}
	for _, code := range []string{CoveredByOwn, CoveredByJoint, CoveredByInstructor, CoveredByLiaison} {
		if CoverageWays.Name(code) == "" {
			t.Errorf("way %s has no name", code)
		}
	}
	for _, code := range []string{UnmanagedNoPartyOrg, UnmanagedDissolvedPartyOrg, UnmanagedTransitTooLong} {
		if UnmanagedReasons.Name(code) == "" {
			t.Errorf("reason %s has no name", code)
		}
	}
}

func TestCoverageAssignmentValidate(t *testing.T) {
	for _, c := range []struct {
		a     CoverageAssignment
		field string // "" = valid
	}{
		{assign(CoveredByInstructor, "2025-01-01", ""), ""},
		{assign(CoveredByLiaison, "2025-01-01", "2025-01-01"), ""},
		{assign(CoveredByInstructor, "2099-01-01", ""), ""},
		{assign("boss", "2025-01-01", ""), "role"},
		{assign(CoveredByInstructor, "", ""), "from"},
		{assign(CoveredByInstructor, "2025-02-29", ""), "from"},
		{assign(CoveredByInstructor, "2025-01-01", "2024-12-31"), "to"},
		{assign(CoveredByInstructor, "2025-01-01", "2025/12/31"), "to"},
		{CoverageAssignment{OrganizationID: 1, Role: CoveredByInstructor, From: "2025-01-01"}, "person"},
		{CoverageAssignment{Person: "李四", Role: CoveredByInstructor, From: "2025-01-01"}, "organization_id"},
	} {
		err := c.a.Validate()
		var ve *ValidationError
		switch {
		case c.field == "" && err != nil:
			t.Errorf("%+v: unexpected %v", c.a, err)
		case c.field != "" && (!errors.As(err, &ve) || ve.Fields[c.field] == ""):
			t.Errorf("%+v: want an error on %s, got %v", c.a, c.field, err)
		}
	}
}

func TestJointBranchWarnings(t *testing.T) {
	link := func(branch, org int64, typ PartyOrgType, status string) CoverageLink {
		return CoverageLink{OrganizationID: org, CoveringOrg: CoveringOrg{PartyOrgID: branch, Type: typ, Status: status, Joint: true}}
	}
	var links []CoverageLink
	for org := int64(1); org <= 6; org++ {
		links = append(links, link(30, org, JointBranch, StatusActive))       // 6 units: warns
		links = append(links, link(20, org, JointBranch, StatusDissolved))    // dissolved: ignored
		links = append(links, link(40, org, Committee, StatusActive))         // not a joint branch
		links = append(links, link(10, 100+org%5, JointBranch, StatusActive)) // 5 distinct units: fine
	}
	links = append(links, link(30, 1, JointBranch, StatusActive)) // duplicate link counts once
	for org := int64(1); org <= 7; org++ {
		links = append(links, link(5, org, JointBranch, StatusActive))
	}
	got := JointBranchWarnings(links)
	if len(got) != 2 || got[0].PartyOrgID != 5 || got[0].Units != 7 || got[1].PartyOrgID != 30 || got[1].Units != 6 {
		t.Fatalf("got %+v, want branches 5 (7 units) and 30 (6 units)", got)
	}
	if !strings.Contains(got[1].Message, "6个单位") || !strings.Contains(got[1].Message, "5个") {
		t.Errorf("message %q", got[1].Message)
	}
	if JointBranchWarnings(nil) != nil {
		t.Error("no links, want no warnings")
	}
	for units, want := range map[int]bool{0: false, 5: false, 6: true} {
		if _, ok := JointBranchUnitsWarning(units); ok != want {
			t.Errorf("JointBranchUnitsWarning(%d) = %v, want %v", units, ok, want)
		}
	}
	// The 6 organizations of branch 30 are all still org-covered.
	for id, in := range GroupCoverageInputs(links, nil) {
		if id <= 6 {
			if got := Coverage(in, cityDay("2026-01-01")); got.State != OrgCovered {
				t.Errorf("org %d: %v, want org_covered", id, got.State)
			}
		}
	}
}

func TestGroupCoverageInputs(t *testing.T) {
	links := []CoverageLink{
		{OrganizationID: 1, CoveringOrg: own(Branch, StatusActive, "", "")},
		{OrganizationID: 2, CoveringOrg: own(JointBranch, StatusActive, "", "")},
		{OrganizationID: 1, CoveringOrg: own(JointBranch, StatusActive, "", "")},
	}
	a := assign(CoveredByLiaison, "2020-01-01", "")
	a.OrganizationID = 3
	got := GroupCoverageInputs(links, []CoverageAssignment{a})
	if len(got) != 3 || len(got[1].Covering) != 2 || len(got[2].Covering) != 1 || len(got[3].Assignments) != 1 {
		t.Errorf("got %+v", got)
	}
}

func TestCoverageTargetInScope(t *testing.T) {
	org := func(status, kind string, employees *int, flags ...string) Organization {
		return Organization{Status: status, Kind: kind, Employees: employees, Flags: flags}
	}
	def := DefaultCoverageTarget
	small := CoverageTarget{Statuses: []string{OrgActive, OrgAbnormal}, MinEmployees: 3}
	all := CoverageTarget{Statuses: []string{OrgActive}}
	enterprises := CoverageTarget{Statuses: []string{OrgActive}, MinEmployees: 10, AllSocialOrgs: false, AllAboveScale: true, Kinds: []string{KindEnterprise}}
	for i, c := range []struct {
		target CoverageTarget
		org    Organization
		want   bool
	}{
		{def, org(OrgActive, KindEnterprise, ptr(50)), true},
		{def, org(OrgActive, KindEnterprise, ptr(49)), false},
		{def, org(OrgActive, KindEnterprise, nil), false},
		{def, org(OrgActive, KindEnterprise, ptr(5), "above_scale"), true},
		{def, org(OrgActive, KindSocialOrg, ptr(2)), true},
		{def, org(OrgActive, KindSocialOrg, nil), true},
		{def, org(OrgActive, KindIndividualBusiness, ptr(60)), true},
		{def, org(OrgDeregistered, KindEnterprise, ptr(500), "above_scale"), false},
		{def, org(OrgSuspended, KindSocialOrg, ptr(500)), false},
		{def, org(OrgAbnormal, KindEnterprise, ptr(500)), false},
		{small, org(OrgAbnormal, KindEnterprise, ptr(3)), true},
		{small, org(OrgActive, KindEnterprise, ptr(2)), false},
		{small, org(OrgActive, KindSocialOrg, ptr(2)), false}, // AllSocialOrgs off
		{small, org(OrgActive, KindEnterprise, ptr(2), "above_scale"), false},
		{all, org(OrgActive, KindCooperative, nil), true}, // MinEmployees 0: everything
		{all, org(OrgMovedOut, KindCooperative, nil), false},
		{enterprises, org(OrgActive, KindEnterprise, ptr(10)), true},
		{enterprises, org(OrgActive, KindSocialOrg, ptr(100)), false}, // kind filter applies last
		{enterprises, org(OrgActive, KindCooperative, ptr(100), "above_scale"), false},
		{enterprises, org(OrgActive, KindEnterprise, ptr(1), "above_scale"), true},
	} {
		if got := c.target.InScope(c.org); got != c.want {
			t.Errorf("case %d: InScope(%+v) under %+v = %v, want %v", i, c.org, c.target, got, c.want)
		}
	}
}

func TestCoverageTargetValidate(t *testing.T) {
	for i, c := range []struct {
		target CoverageTarget
		field  string // "" = valid
	}{
		{DefaultCoverageTarget, ""},
		{CoverageTarget{Statuses: []string{OrgActive, OrgSuspended}, Kinds: []string{KindEnterprise, KindCooperative}}, ""},
		{CoverageTarget{Statuses: []string{OrgActive}, AllSocialOrgs: true, Kinds: []string{KindSocialOrg}}, ""},
		{CoverageTarget{}, "statuses"},
		{CoverageTarget{Statuses: []string{"open"}}, "statuses"},
		{CoverageTarget{Statuses: []string{OrgActive, OrgActive}}, "statuses"},
		{CoverageTarget{Statuses: []string{OrgActive}, MinEmployees: -1}, "min_employees"},
		{CoverageTarget{Statuses: []string{OrgActive}, MinEmployees: MaxTargetEmployees + 1}, "min_employees"},
		{CoverageTarget{Statuses: []string{OrgActive}, Kinds: []string{"company"}}, "kinds"},
		{CoverageTarget{Statuses: []string{OrgActive}, Kinds: []string{KindEnterprise, KindEnterprise}}, "kinds"},
		{CoverageTarget{Statuses: []string{OrgActive}, AllSocialOrgs: true, Kinds: []string{KindEnterprise}}, "kinds"},
	} {
		err := c.target.Validate()
		var ve *ValidationError
		switch {
		case c.field == "" && err != nil:
			t.Errorf("case %d: unexpected %v", i, err)
		case c.field != "" && (!errors.As(err, &ve) || ve.Fields[c.field] == ""):
			t.Errorf("case %d: want an error on %s, got %v", i, c.field, err)
		case c.field != "" && !strings.Contains(ve.Fields[c.field], "（"+c.field+"）"):
			t.Errorf("case %d: message %q does not name the field", i, ve.Fields[c.field])
		}
	}
}

func TestCoverageTally(t *testing.T) {
	var city CoverageTally
	if city.OrgCoveredRate() != 0 || city.InScope.CoveredRate() != 0 {
		t.Error("empty tally: rates must be 0")
	}
	var a, b CoverageTally
	a.Add(OrgCovered, true)
	a.Add(OrgCovered, false)
	a.Add(WorkCovered, true)
	b.Add(Uncovered, true)
	b.Add(Uncovered, false)
	b.Add("bogus", false)
	city.Merge(a)
	city.Merge(b)
	want := CoverageTally{
		CoverageCounts: CoverageCounts{Total: 6, OrgCovered: 2, WorkCovered: 1, Uncovered: 3},
		InScope:        CoverageCounts{Total: 3, OrgCovered: 1, WorkCovered: 1, Uncovered: 1},
	}
	if city != want {
		t.Fatalf("got %+v, want %+v", city, want)
	}
	for _, c := range []struct {
		got, want float64
	}{
		{city.OrgCoveredRate(), 33.3},
		{city.WorkCoveredRate(), 16.7},
		{city.CoveredRate(), 50},
		{city.UncoveredRate(), 50},
		{city.InScope.OrgCoveredRate(), 33.3},
		{city.InScope.CoveredRate(), 66.7},
		{city.InScope.UncoveredRate(), 33.3},
	} {
		if c.got != c.want {
			t.Errorf("rate %v, want %v", c.got, c.want)
		}
	}
}

func TestPercent(t *testing.T) {
	for _, c := range []struct {
		part, total int
		want        float64
	}{
		{0, 0, 0}, {5, 0, 0}, {1, -1, 0}, {0, 7, 0}, {7, 7, 100},
		{1, 3, 33.3}, {2, 3, 66.7}, {1, 8, 12.5}, {1, 16, 6.3}, {1, 2000, 0.1}, {1, 2001, 0},
		{199999, 200000, 100}, {140000, 200000, 70},
	} {
		if got := Percent(c.part, c.total); got != c.want {
			t.Errorf("Percent(%d, %d) = %v, want %v", c.part, c.total, got, c.want)
		}
	}
}

func TestUnmanagedReason(t *testing.T) {
	org := ptr(int64(9))
	m := func(standing string, partyOrg *int64) Member {
		return Member{Standing: standing, Status: MemberFull, PartyOrgID: partyOrg}
	}
	const today = "2026-06-15"
	for _, c := range []struct {
		name       string
		m          Member
		status     string
		transit    Date
		maxDays    int
		wantReason string
	}{
		{"managed", m(StandingRegistered, org), StatusActive, "", 90, ""},
		{"probationary counted too", Member{Standing: StandingRegistered, Status: MemberProbationary}, "", "", 90, UnmanagedNoPartyOrg},
		{"no party org", m(StandingRegistered, nil), "", "", 90, UnmanagedNoPartyOrg},
		{"dangling party org", m(StandingRegistered, org), "", "", 90, UnmanagedNoPartyOrg},
		{"dissolved party org", m(StandingRegistered, org), StatusDissolved, "", 90, UnmanagedDissolvedPartyOrg},
		{"dissolved wins over transit", m(StandingRegistered, org), StatusDissolved, "2020-01-01", 90, UnmanagedDissolvedPartyOrg},
		{"transit 91 days > 90", m(StandingRegistered, org), StatusActive, "2026-03-16", 90, UnmanagedTransitTooLong},
		{"transit exactly 90 days", m(StandingRegistered, org), StatusActive, "2026-03-17", 90, ""},
		{"transit starting today", m(StandingRegistered, org), StatusActive, today, 90, ""},
		{"transit in the future", m(StandingRegistered, org), StatusActive, "2026-07-01", 90, ""},
		{"transit rule off", m(StandingRegistered, org), StatusActive, "2020-01-01", 0, ""},
		{"malformed transit date ignored", m(StandingRegistered, org), StatusActive, "2020-1-1", 90, ""},
		{"transferred out: not counted", m(StandingTransferredOut, nil), "", "", 90, ""},
		{"suspended: not counted", m(StandingSuspended, org), StatusDissolved, "", 90, ""},
		{"expelled: not counted", m(StandingExpelled, nil), "", "", 90, ""},
		{"deceased: not counted", m(StandingDeceased, nil), "", "", 90, ""},
	} {
		reason, ok := UnmanagedReason(c.m, c.status, c.transit, cityDay(today), c.maxDays)
		if reason != c.wantReason || ok != (c.wantReason != "") {
			t.Errorf("%s: got (%q, %v), want %q", c.name, reason, ok, c.wantReason)
		}
	}
}

func TestDaysUncovered(t *testing.T) {
	for _, c := range []struct {
		since Date
		today time.Time
		want  int
	}{
		{"2026-06-15", cityDay("2026-06-15"), 0},
		{"2026-06-14", cityDay("2026-06-15"), 1},
		{"2026-06-16", cityDay("2026-06-15"), 0},
		{"2025-06-15", cityDay("2026-06-15"), 365},
		{"2024-02-28", cityDay("2024-03-01"), 2},
		{"2000-01-01", cityDay("2026-01-01"), 9497},
		{"", cityDay("2026-06-15"), 0},
		{"2026-02-30", cityDay("2026-06-15"), 0},
		// 16:30 UTC on the 14th is the 15th in Chengdu.
		{"2026-06-14", time.Date(2026, 6, 14, 16, 30, 0, 0, time.UTC), 1},
	} {
		if got := DaysUncovered(c.since, c.today); got != c.want {
			t.Errorf("DaysUncovered(%q, %v) = %d, want %d", c.since, c.today, got, c.want)
		}
	}
}

func TestDayNumberAgreesWithTime(t *testing.T) {
	for d := day("1899-12-25"); d.Before(day("2101-01-10")); d = d.AddDate(0, 0, 1) {
		s := Date(d.Format(DateLayout))
		n, ok := dayNumber(s)
		if !ok || int64(n) != d.Unix()/86400 {
			t.Fatalf("dayNumber(%s) = %d, %v; want %d", s, n, ok, d.Unix()/86400)
		}
		if back := dateOfDays(n); back != s {
			t.Fatalf("dateOfDays(%d) = %s, want %s", n, back, s)
		}
	}
	for _, bad := range []Date{"", "2026-6-15", "2026-06-31", "2023-02-29", "1900-02-29", "2026-00-10", "2026-13-01", "2026-06-00", "2026/06/15", "20x6-06-15", "0000-01-01", "+026-06-15"} {
		if _, ok := dayNumber(bad); ok {
			t.Errorf("dayNumber(%q) accepted", bad)
		}
	}
	if _, ok := dayNumber("2000-02-29"); !ok {
		t.Error("2000-02-29 rejected")
	}
}

func BenchmarkCoverage(b *testing.B) {
	in := CoverageInput{
		RegisteredOn: "2015-04-01",
		Covering:     []CoveringOrg{own(JointBranch, StatusDissolved, "2019-01-01", "2023-01-01"), own(AreaCommittee, StatusActive, "", "")},
		Assignments:  []CoverageAssignment{assign(CoveredByInstructor, "2022-01-01", "2024-12-31"), assign(CoveredByLiaison, "2025-01-01", "")},
	}
	today := cityDay("2026-06-15")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if Coverage(in, today).State != WorkCovered {
			b.Fatal(fmt.Sprint(Coverage(in, today)))
		}
	}
}
