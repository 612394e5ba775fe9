package development

import (
	"errors"
	"strings"
	"testing"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/workday"
)

const today = domain.Date("2027-12-31")

func sets(t *testing.T) []RuleSet {
	t.Helper()
	return RuleSets
}

func cal(t *testing.T) workday.Calendar {
	t.Helper()
	c, err := workday.New(workday.Published())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// ready is a case at stage with every fact its next step needs, dated so
// that any step on or after 2026-12-01 meets every rule.
func ready(stage Stage) Case {
	return Case{
		Stage: stage, BirthDate: "1990-05-01", AppliedOn: "2024-01-10", TalkOn: "2024-01-20", Contacts: 2,
		ActivistOn: "2024-03-01", PublicityFrom: "2025-04-01", ConsentOn: "2025-04-20", CandidateOn: "2025-05-01",
		Introducers: 2, ReviewOn: "2025-06-01", TrainingEndOn: "2025-06-05", TrainingDays: 3, PreReviewOn: "2025-06-10",
		ProbationaryOn: stageDate(stage, "2025-11-30"), ApprovedOn: stageDate(stage, "2025-12-15"),
	}
}

// stageDate keeps the probationary facts only for a probationary case.
func stageDate(stage Stage, d domain.Date) domain.Date {
	if stage == Probationary {
		return d
	}
	return ""
}

// wantRule checks err names rule (nil rule: no error).
func wantRule(t *testing.T, what string, err error, rule Rule) {
	t.Helper()
	if rule == "" {
		if err != nil {
			t.Errorf("%s: %v, want it accepted", what, err)
		}
		return
	}
	var ve *domain.ValidationError
	if !errors.As(err, &ve) || !strings.Contains(ve.Summary(), Rules.Name(string(rule))) {
		t.Errorf("%s: %v, want a refusal naming %q", what, err, Rules.Name(string(rule)))
	}
}

func TestOpenAge(t *testing.T) {
	for _, rs := range sets(t) {
		for _, c := range []struct {
			birth, applied domain.Date
			rule           Rule
		}{
			{"2008-03-15", "2026-03-14", RuleAge}, // the day before the 18th birthday
			{"2008-03-15", "2026-03-15", ""},      // on it
			{"2008-03-15", "2026-03-16", ""},      // after
			{"2008-02-29", "2026-02-27", RuleAge}, // born on a leap day: of age on 28 February
			{"2008-02-29", "2026-02-28", ""},
			{"1990-01-01", "2028-01-01", RuleDate}, // in the future
		} {
			wantRule(t, rs.Code+" born "+string(c.birth)+" applied "+string(c.applied), rs.Open(c.birth, c.applied, today), c.rule)
		}
	}
}

func TestTalkWithinAMonth(t *testing.T) {
	for _, rs := range sets(t) {
		for _, c := range []struct {
			on   domain.Date
			rule Rule
		}{
			{"2026-02-27", ""}, {"2026-02-28", ""}, {"2026-03-01", RuleTalk}, // applied 31 January: due 28 February
		} {
			base := Case{Stage: Applicant, AppliedOn: "2026-01-31"}
			_, _, err := rs.Record(base, EventTalk, c.on, 0, nil, today)
			wantRule(t, rs.Code+" talk "+string(c.on), err, c.rule)
		}
		// Late, with an approved exception: recorded with its reason.
		got, exc, err := rs.Record(Case{Stage: Applicant, AppliedOn: "2026-01-31"}, EventTalk, "2026-03-01", 0, map[Rule]string{RuleTalk: "申请人外出务工"}, today)
		if err != nil || got.TalkOn != "2026-03-01" || len(exc) != 1 || exc[0].Rule != RuleTalk || exc[0].Reason != "申请人外出务工" {
			t.Errorf("%s late talk with an exception: %+v %+v %v", rs.Code, got, exc, err)
		}
		// The activist step needs the talk.
		c := ready(Applicant)
		c.TalkOn = ""
		_, _, err = rs.Apply(c, Step{Stage: Activist, On: "2026-12-01"}, today, cal(t))
		wantRule(t, rs.Code+" activist without a talk", err, RuleTalk)
	}
}

func TestActivistYear(t *testing.T) {
	for _, rs := range sets(t) {
		for _, c := range []struct {
			on   domain.Date
			rule Rule
		}{{"2026-03-09", RuleActivistYear}, {"2026-03-10", ""}, {"2026-03-11", ""}} {
			k := ready(Activist)
			k.ActivistOn, k.PublicityFrom, k.ConsentOn = "2025-03-10", "2026-02-02", "2026-02-20"
			got, _, err := rs.Apply(k, Step{Stage: Candidate, On: c.on}, today, cal(t))
			wantRule(t, rs.Code+" candidate on "+string(c.on), err, c.rule)
			if err == nil && (got.Stage != Candidate || got.CandidateOn != c.on) {
				t.Errorf("%s: %+v", rs.Code, got)
			}
		}
		// No exception for a statutory floor.
		k := ready(Activist)
		k.ActivistOn = "2025-03-10"
		_, _, err := rs.Apply(k, Step{Stage: Candidate, On: "2026-03-09", Exceptions: map[Rule]string{RuleActivistYear: "急需"}}, today, cal(t))
		var ve *domain.ValidationError
		if !errors.As(err, &ve) || ve.Fields["exceptions"] == "" {
			t.Errorf("%s: an exception to a floor: %v", rs.Code, err)
		}
	}
}

// TestPublicityAndConsent: the 2026 set wants five working days of 公示 and
// the upper committee's consent before a 发展对象; the 2014 set neither.
func TestPublicityAndConsent(t *testing.T) {
	rs14, _ := RuleSetOf(Set2014)
	rs26, _ := RuleSetOf(Set2026)
	for _, c := range []struct {
		on         domain.Date
		rule26     Rule
		consentOn  domain.Date
		consentErr Rule
	}{
		// 公示 from Monday 2 March 2026: five working days end Friday 6 March.
		{"2026-03-05", RulePublicity, "2026-03-05", ""},
		{"2026-03-06", RulePublicity, "2026-03-06", ""},
		{"2026-03-07", "", "2026-03-07", ""},
		{"2026-03-09", "", "2026-03-10", RuleConsent}, // consent after the decision
		{"2026-03-09", "", "", RuleConsent},           // no consent recorded
	} {
		k := ready(Activist)
		k.ActivistOn, k.PublicityFrom, k.ConsentOn = "2025-01-10", "2026-03-02", c.consentOn
		_, _, err := rs14.Apply(k, Step{Stage: Candidate, On: c.on}, today, cal(t))
		wantRule(t, "2014 candidate on "+string(c.on), err, "")
		want := c.rule26
		if want == "" {
			want = c.consentErr
		}
		_, _, err = rs26.Apply(k, Step{Stage: Candidate, On: c.on}, today, cal(t))
		wantRule(t, "2026 candidate on "+string(c.on)+" consent "+string(c.consentOn), err, want)
	}
	// Over 春节: from Thursday 12 February 2026 the five working days are
	// 12, 13, 14 (a Saturday worked), 24, 25 February.
	k := ready(Activist)
	k.ActivistOn, k.PublicityFrom, k.ConsentOn = "2025-01-10", "2026-02-12", "2026-02-26"
	_, _, err := rs26.Apply(k, Step{Stage: Candidate, On: "2026-02-25"}, today, cal(t))
	wantRule(t, "2026 candidate on the last day of a 公示 over 春节", err, RulePublicity)
	_, _, err = rs26.Apply(k, Step{Stage: Candidate, On: "2026-02-26"}, today, cal(t))
	wantRule(t, "2026 candidate the day after", err, "")
}

func TestAdmissionNeeds(t *testing.T) {
	for _, rs := range sets(t) {
		for _, c := range []struct {
			name string
			edit func(*Case)
			rule Rule
		}{
			{"all there", func(*Case) {}, ""},
			{"one introducer", func(c *Case) { c.Introducers = 1 }, RuleIntroducers},
			{"no political review", func(c *Case) { c.ReviewOn = "" }, RulePoliticalReview},
			{"no training", func(c *Case) { c.TrainingEndOn = "" }, RuleTraining},
			{"two days, 23 hours", func(c *Case) { c.TrainingDays, c.TrainingHours = 2, 23 }, RuleTraining},
			{"two days, 24 hours", func(c *Case) { c.TrainingDays, c.TrainingHours = 2, 24 }, ""},
			{"no pre-review", func(c *Case) { c.PreReviewOn = "" }, RulePreReview},
		} {
			k := ready(Candidate)
			c.edit(&k)
			_, _, err := rs.Apply(k, Step{Stage: Probationary, On: "2026-12-01"}, today, cal(t))
			wantRule(t, rs.Code+" admission: "+c.name, err, c.rule)
		}
		k := ready(Candidate)
		k.TrainingDays, k.TrainingHours = 2, 16
		got, exc, err := rs.Apply(k, Step{Stage: Probationary, On: "2026-12-01", Exceptions: map[Rule]string{RuleTraining: "疫情期间线上培训"}}, today, cal(t))
		if err != nil || got.Stage != Probationary || len(exc) != 1 || exc[0].Rule != RuleTraining {
			t.Errorf("%s admission with a training exception: %+v %v %v", rs.Code, got.Stage, exc, err)
		}
	}
}

func TestApprovalWithinThreeMonths(t *testing.T) {
	for _, rs := range sets(t) {
		for _, c := range []struct {
			on        domain.Date
			exception bool
			rule      Rule
		}{
			{"2026-04-14", false, ""}, {"2026-04-15", false, ""}, {"2026-04-16", false, RuleApproval},
			{"2026-04-16", true, ""}, {"2026-07-15", true, ""}, {"2026-07-16", true, RuleApproval}, // six months at most
		} {
			k := ready(Probationary)
			k.ProbationaryOn, k.ApprovedOn = "2026-01-15", ""
			var exc map[Rule]string
			if c.exception {
				exc = map[Rule]string{RuleApproval: "党委换届"}
			}
			_, _, err := rs.Record(k, EventApproval, c.on, 0, exc, today)
			wantRule(t, rs.Code+" approval "+string(c.on), err, c.rule)
		}
	}
}

func TestProbationAndExtension(t *testing.T) {
	for _, rs := range sets(t) {
		for _, c := range []struct {
			on   domain.Date
			rule Rule
		}{{"2026-06-29", RuleProbation}, {"2026-06-30", ""}, {"2026-07-01", ""}} {
			k := ready(Probationary)
			k.ProbationaryOn, k.ApprovedOn = "2025-06-30", "2025-08-01"
			got, _, err := rs.Apply(k, Step{Stage: Full, On: c.on}, today, cal(t))
			wantRule(t, rs.Code+" full on "+string(c.on), err, c.rule)
			if err == nil && got.Stage != Full {
				t.Errorf("%s: %+v", rs.Code, got)
			}
		}
		k := ready(Probationary)
		k.ProbationaryOn, k.ApprovedOn = "2025-06-30", "2025-08-01"
		for _, c := range []struct {
			months int
			rule   Rule
		}{{5, RuleExtension}, {6, ""}, {12, ""}, {13, RuleExtension}} {
			_, _, err := rs.Record(k, EventExtend, "2026-06-30", c.months, nil, today)
			wantRule(t, rs.Code+" extension of months", err, c.rule)
		}
		_, _, err := rs.Record(k, EventExtend, "2026-06-29", 6, nil, today)
		wantRule(t, rs.Code+" extension before the end", err, RuleProbation)
		ext, _, err := rs.Record(k, EventExtend, "2026-06-30", 6, nil, today)
		if err != nil || rs.ProbationEnd(ext) != "2026-12-30" {
			t.Fatalf("%s extension: %v, end %s", rs.Code, err, rs.ProbationEnd(ext))
		}
		_, _, err = rs.Record(ext, EventExtend, "2026-12-30", 6, nil, today)
		wantRule(t, rs.Code+" a second extension", err, RuleExtension)
		for _, c := range []struct {
			on   domain.Date
			rule Rule
		}{{"2026-12-29", RuleProbation}, {"2026-12-30", ""}} {
			_, _, err := rs.Apply(ext, Step{Stage: Full, On: c.on}, today, cal(t))
			wantRule(t, rs.Code+" full after an extension on "+string(c.on), err, c.rule)
		}
	}
}

func TestOath(t *testing.T) {
	rs14, _ := RuleSetOf(Set2014)
	rs26, _ := RuleSetOf(Set2026)
	k := ready(Probationary)
	k.ApprovedOn = "2026-01-31"
	for _, c := range []struct {
		on     domain.Date
		rule26 Rule
	}{{"2026-02-27", ""}, {"2026-02-28", ""}, {"2026-03-01", RuleOath}} {
		_, _, err := rs14.Record(k, EventOath, c.on, 0, nil, today)
		wantRule(t, "2014 oath "+string(c.on), err, "")
		_, _, err = rs26.Record(k, EventOath, c.on, 0, nil, today)
		wantRule(t, "2026 oath "+string(c.on), err, c.rule26)
	}
}

func TestOrderAndDates(t *testing.T) {
	rs, _ := RuleSetOf(Set2014)
	var ce *domain.ConflictError
	if _, _, err := rs.Apply(ready(Applicant), Step{Stage: Candidate, On: "2026-12-01"}, today, cal(t)); !errors.As(err, &ce) {
		t.Errorf("skipping a stage: %v", err)
	}
	done := ready(Probationary)
	done.Stage = Full
	if _, _, err := rs.Apply(done, Step{Stage: Full, On: "2026-12-01"}, today, cal(t)); !errors.As(err, &ce) {
		t.Errorf("a closed case: %v", err)
	}
	_, _, err := rs.Apply(ready(Applicant), Step{Stage: Activist, On: "2028-01-01"}, today, cal(t))
	wantRule(t, "a step in the future", err, RuleDate)
	_, _, err = rs.Apply(ready(Applicant), Step{Stage: Activist, On: "2024-01-09"}, today, cal(t))
	wantRule(t, "a step before the application", err, RuleDate)
	_, _, err = rs.Apply(ready(Applicant), Step{Stage: Activist, On: "2026-13-01"}, today, cal(t))
	var ve *domain.ValidationError
	if !errors.As(err, &ve) || ve.Fields["on"] == "" {
		t.Errorf("a bad date: %v", err)
	}
}

func TestDeadlinesAndChoice(t *testing.T) {
	rs26, _ := RuleSetOf(Set2026)
	k := ready(Probationary)
	k.ProbationaryOn, k.ApprovedOn = "2026-01-15", "2026-02-01"
	got := rs26.Deadlines(k)
	if len(got) != 2 || got[0].Rule != RuleOath || got[0].Due != "2026-03-01" || got[1].Rule != RuleProbation || got[1].Due != "2027-01-15" {
		t.Errorf("deadlines: %+v", got)
	}
	if _, err := Choose(Set2026, "2025-12-31"); err == nil {
		t.Error("the 2026 set chosen before it takes effect")
	}
	if rs, err := Choose(Set2026, "2026-01-01"); err != nil || rs.Code != Set2026 {
		t.Errorf("choose 2026: %v", err)
	}
	if _, err := Choose("2030", "2030-01-01"); err == nil {
		t.Error("an unknown set chosen")
	}
}
