package development

import (
	"github.com/lianxin/lianxin/internal/domain"
)

// Open checks a new case: the applicant is at least MinAge on the day the
// application was received, and that day is not in the future.
func (rs RuleSet) Open(birth, applied, today domain.Date) error {
	k := &checker{rs: rs}
	if _, ok := domain.ParseDate(string(applied)); !ok {
		return domain.FieldError("applied_on", "请填写收到入党申请书的日期（YYYY-MM-DD）")
	}
	if applied > today {
		k.add(RuleDate, "applied_on", "日期%s晚于今天", applied)
	}
	if birth != "" {
		if t, ok := domain.ParseDate(string(birth)); ok {
			adult := domain.Date(domain.AddYears(t, rs.MinAge).Format(domain.DateLayout))
			if applied < adult {
				k.add(RuleAge, "applied_on", "申请人%s年满十八岁，申请日期%s", adult, applied)
			}
		}
	}
	return refusal(k.found)
}

// Event is a dated fact recorded on a case between its steps.
type Event string

// The events the rules time.
const (
	EventTalk     Event = "talk"      // 谈话
	EventApproval Event = "approval"  // 基层党委审批 of the admission
	EventExtend   Event = "extension" // 延长预备期
	EventOath     Event = "oath"      // 入党宣誓
)

// Record decides a dated event on the case at today: the case after it and
// any excepted violations, or a refusal naming each rule broken. Months is
// the extension's length (EventExtend only).
func (rs RuleSet) Record(c Case, e Event, on domain.Date, months int, exceptions map[Rule]string, today domain.Date) (Case, []Violation, error) {
	if _, ok := domain.ParseDate(string(on)); !ok {
		return c, nil, domain.FieldError("on", "请填写日期（YYYY-MM-DD）")
	}
	k := &checker{rs: rs, step: Step{On: on, Exceptions: exceptions}}
	if on > today {
		k.add(RuleDate, "on", "日期%s晚于今天", on)
	}
	wrongStage := func(want Stage) error {
		return &domain.ConflictError{Field: "stage", Message: "只有" + Stages.Name(string(want)) + "可以记录此事项"}
	}
	switch e {
	case EventTalk:
		if c.Stage != Applicant {
			return c, nil, wrongStage(Applicant)
		}
		if on < c.AppliedOn {
			k.add(RuleDate, "on", "谈话日期早于申请日期%s", c.AppliedOn)
		}
		if due := domain.AddMonths(c.AppliedOn, rs.TalkMonths); on > due {
			k.add(RuleTalk, "on", "%s收到申请，应在%s前谈话", c.AppliedOn, due)
		}
		c.TalkOn = on
	case EventApproval:
		if c.Stage != Probationary || c.ApprovedOn != "" {
			return c, nil, wrongStage(Probationary)
		}
		if on < c.ProbationaryOn {
			k.add(RuleDate, "on", "审批日期早于支部大会%s", c.ProbationaryOn)
		}
		if hard := domain.AddMonths(c.ProbationaryOn, rs.ApprovalMax); on > hard {
			// Beyond the hard limit no exception helps.
			k.step.Exceptions = nil
			k.add(RuleApproval, "on", "支部大会%s通过，审批最迟%s", c.ProbationaryOn, hard)
		} else if due := domain.AddMonths(c.ProbationaryOn, rs.ApprovalMonths); on > due {
			k.add(RuleApproval, "on", "支部大会%s通过，应在%s前审批", c.ProbationaryOn, due)
		}
		c.ApprovedOn = on
	case EventExtend:
		if c.Stage != Probationary {
			return c, nil, wrongStage(Probationary)
		}
		if c.ExtensionMonths > 0 {
			k.add(RuleExtension, "months", "预备期已延长过%d个月", c.ExtensionMonths)
		}
		if months < rs.ExtensionMin || months > rs.ExtensionMax {
			k.add(RuleExtension, "months", "延长%d个月", months)
		}
		if end := rs.ProbationEnd(c); on < end {
			k.add(RuleProbation, "on", "预备期至%s届满，届满时方可决定延长", end)
		}
		c.ExtensionMonths = months
	case EventOath:
		if c.Stage != Probationary && c.Stage != Full || c.ApprovedOn == "" {
			return c, nil, &domain.ConflictError{Field: "stage", Message: "接收预备党员经审批后方可入党宣誓"}
		}
		if on < c.ApprovedOn {
			k.add(RuleDate, "on", "宣誓日期早于审批日期%s", c.ApprovedOn)
		}
		if rs.OathMonths > 0 {
			if due := domain.AddMonths(c.ApprovedOn, rs.OathMonths); on > due {
				k.add(RuleOath, "on", "%s审批，应在%s前宣誓", c.ApprovedOn, due)
			}
		}
		c.OathOn = on
	default:
		return c, nil, domain.ErrNotFound
	}
	for r := range exceptions {
		if !r.Exceptional() {
			return c, nil, domain.FieldError("exceptions", "“"+Rules.Name(string(r))+"”不允许例外")
		}
	}
	if err := refusal(k.found); err != nil {
		return c, nil, err
	}
	var excepted []Violation
	for _, v := range k.found {
		if v.Excepted {
			excepted = append(excepted, v)
		}
	}
	return c, excepted, nil
}

// Deadline is a date the rules set for an open case.
type Deadline struct {
	Rule Rule        `json:"rule"`
	Due  domain.Date `json:"due"`
	// Earliest: the date is the earliest day for the next step (a floor),
	// not a latest one.
	Earliest bool `json:"earliest"`
}

// Deadlines lists the dates that matter next for the case: what is owed
// and by when, and the earliest day of the next step. The alerts read the
// latest ones that passed (or are near).
func (rs RuleSet) Deadlines(c Case) []Deadline {
	var out []Deadline
	switch c.Stage {
	case Applicant:
		if c.TalkOn == "" {
			out = append(out, Deadline{Rule: RuleTalk, Due: domain.AddMonths(c.AppliedOn, rs.TalkMonths)})
		}
	case Activist:
		out = append(out, Deadline{Rule: RuleActivistYear, Due: domain.AddMonths(c.ActivistOn, rs.ActivistMonths), Earliest: true})
	case Probationary:
		if c.ApprovedOn == "" {
			out = append(out, Deadline{Rule: RuleApproval, Due: domain.AddMonths(c.ProbationaryOn, rs.ApprovalMonths)})
		} else if rs.OathMonths > 0 && c.OathOn == "" {
			out = append(out, Deadline{Rule: RuleOath, Due: domain.AddMonths(c.ApprovedOn, rs.OathMonths)})
		}
		// 转正 is discussed when the 预备期 ends: due that day.
		out = append(out, Deadline{Rule: RuleProbation, Due: rs.ProbationEnd(c)})
	}
	return out
}
