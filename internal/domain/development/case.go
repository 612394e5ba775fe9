package development

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/workday"
)

// Case is what the rules read of a 发展党员 case: its stage and the dates
// and facts recorded so far ("" or 0 when not yet).
type Case struct {
	RuleSet   string
	Stage     Stage
	BirthDate domain.Date
	AppliedOn domain.Date // 入党申请书 received
	TalkOn    domain.Date // 谈话
	// Contacts is the number of 培养联系人 (full members).
	Contacts   int
	ActivistOn domain.Date // 确定为入党积极分子 (支委会)
	// PublicityFrom is the first day of the 公示 before the 发展对象 step.
	PublicityFrom domain.Date
	ConsentOn     domain.Date // 上级党委同意 (2026)
	CandidateOn   domain.Date // 确定为发展对象
	Introducers   int         // 入党介绍人 (full members)
	ReviewOn      domain.Date // 政治审查 concluded, qualified
	TrainingEndOn domain.Date // 集中培训 completed
	TrainingDays  int
	TrainingHours int
	PreReviewOn   domain.Date // 基层党委预审
	// ProbationaryOn is the 支部大会 that admitted the member: the 预备期
	// and 党籍 start on it.
	ProbationaryOn  domain.Date
	ApprovedOn      domain.Date // 基层党委审批
	OathOn          domain.Date // 入党宣誓
	ExtensionMonths int         // 延长预备期 (0: none)
	FullOn          domain.Date // 转正 (支部大会)
}

// Step moves a case to Stage on On. Exceptions are the approved exceptions
// that come with it: a reason per rule.
type Step struct {
	Stage      Stage
	On         domain.Date
	Exceptions map[Rule]string
}

// Violation is a rule a step breaks.
type Violation struct {
	Rule    Rule   `json:"rule"`
	Field   string `json:"field"`
	Message string `json:"message"`
	// Excepted: an approved exception lets the step go ahead.
	Excepted bool   `json:"excepted"`
	Reason   string `json:"reason,omitempty"`
}

// Refusal is a step refused: the violations that no exception covers. It
// is a validation error (400) whose message names each rule.
func refusal(vs []Violation) error {
	fields := map[string]string{}
	for _, v := range vs {
		if v.Excepted {
			continue
		}
		msg := "不符合“" + Rules.Name(string(v.Rule)) + "”：" + v.Message
		if prev, ok := fields[v.Field]; ok {
			msg = prev + "；" + msg
		}
		fields[v.Field] = msg
	}
	if len(fields) == 0 {
		return nil
	}
	return &domain.ValidationError{Fields: fields}
}

// checker gathers the violations of one step.
type checker struct {
	rs    RuleSet
	cal   workday.Calendar
	step  Step
	found []Violation
}

func (c *checker) add(r Rule, field, format string, args ...any) {
	v := Violation{Rule: r, Field: field, Message: fmt.Sprintf(format, args...)}
	if reason := strings.TrimSpace(c.step.Exceptions[r]); reason != "" && r.Exceptional() {
		v.Excepted, v.Reason = true, reason
	}
	c.found = append(c.found, v)
}

func date(d domain.Date) time.Time {
	t, _ := domain.ParseDate(string(d))
	return t
}

// Apply decides a step on the case at today: the case after it and the
// excepted violations to record, or a refusal naming each rule broken. A
// step out of order (not the next stage, or a closed case) is a conflict.
func (rs RuleSet) Apply(c Case, s Step, today domain.Date, cal workday.Calendar) (Case, []Violation, error) {
	if !c.Stage.Open() {
		return c, nil, &domain.ConflictError{Field: "stage", Message: "该发展党员案例已结束（" + Stages.Name(string(c.Stage)) + "）"}
	}
	if next[c.Stage] != s.Stage {
		return c, nil, &domain.ConflictError{Field: "stage", Message: fmt.Sprintf("当前为%s，下一步应为%s", Stages.Name(string(c.Stage)), Stages.Name(string(next[c.Stage])))}
	}
	if _, ok := domain.ParseDate(string(s.On)); !ok {
		return c, nil, domain.FieldError("on", "请填写日期（YYYY-MM-DD）")
	}
	for r := range s.Exceptions {
		if !r.Exceptional() {
			return c, nil, domain.FieldError("exceptions", "“"+Rules.Name(string(r))+"”不允许例外")
		}
	}
	k := &checker{rs: rs, cal: cal, step: s}
	prev := c.stageDate()
	if s.On > today {
		k.add(RuleDate, "on", "日期%s晚于今天", s.On)
	}
	if s.On < prev {
		k.add(RuleDate, "on", "日期%s早于上一环节（%s）", s.On, prev)
	}
	switch s.Stage {
	case Activist:
		k.activist(c)
		c.ActivistOn = s.On
	case Candidate:
		k.candidate(c)
		c.CandidateOn = s.On
	case Probationary:
		k.probationary(c)
		c.ProbationaryOn = s.On
	case Full:
		k.full(c)
		c.FullOn = s.On
	}
	if err := refusal(k.found); err != nil {
		return c, nil, err
	}
	c.Stage = s.Stage
	var excepted []Violation
	for _, v := range k.found {
		if v.Excepted {
			excepted = append(excepted, v)
		}
	}
	return c, excepted, nil
}

// stageDate is the date of the stage the case is in.
func (c Case) stageDate() domain.Date {
	switch c.Stage {
	case Activist:
		return c.ActivistOn
	case Candidate:
		return c.CandidateOn
	case Probationary:
		return c.ProbationaryOn
	case Full:
		return c.FullOn
	}
	return c.AppliedOn
}

func (k *checker) activist(c Case) {
	rs, on := k.rs, k.step.On
	if c.TalkOn == "" {
		k.add(RuleTalk, "talk_on", "尚未记录谈话（应在%s前）", domain.AddMonths(c.AppliedOn, rs.TalkMonths))
	} else if due := domain.AddMonths(c.AppliedOn, rs.TalkMonths); c.TalkOn > due {
		k.add(RuleTalk, "talk_on", "谈话日期%s晚于%s", c.TalkOn, due)
	}
	if c.Contacts < rs.ContactsMin || c.Contacts > rs.ContactsMax {
		k.add(RuleContacts, "contacts", "现有培养联系人%d名", c.Contacts)
	}
	_ = on
}

func (k *checker) candidate(c Case) {
	rs, on := k.rs, k.step.On
	if earliest := domain.AddMonths(c.ActivistOn, rs.ActivistMonths); on < earliest {
		k.add(RuleActivistYear, "on", "%s成为入党积极分子，最早%s可确定为发展对象", c.ActivistOn, earliest)
	}
	if n := rs.CandidatePublicity; n > 0 {
		if c.PublicityFrom == "" {
			k.add(RulePublicity, "publicity_from", "尚未记录发展对象公示")
		} else if end := domain.Date(k.cal.NthWorkday(date(c.PublicityFrom), n).Format(domain.DateLayout)); on <= end {
			k.add(RulePublicity, "publicity_from", "%s起公示，%d个工作日至%s届满，届满后方可确定", c.PublicityFrom, n, end)
		}
	}
	if rs.CandidateConsent {
		if c.ConsentOn == "" {
			k.add(RuleConsent, "consent_on", "尚未记录上级党委同意")
		} else if c.ConsentOn > on {
			k.add(RuleConsent, "consent_on", "上级党委%s同意，晚于确定日期%s", c.ConsentOn, on)
		}
	}
}

func (k *checker) probationary(c Case) {
	rs, on := k.rs, k.step.On
	if c.Introducers != rs.Introducers {
		k.add(RuleIntroducers, "introducers", "现有入党介绍人%d名", c.Introducers)
	}
	if c.ReviewOn == "" || c.ReviewOn > on {
		k.add(RulePoliticalReview, "review_on", "尚未记录合格的政治审查结论")
	}
	if c.TrainingEndOn == "" || c.TrainingEndOn > on {
		k.add(RuleTraining, "training_end_on", "尚未记录集中培训结业")
	} else if c.TrainingDays < rs.TrainingDays && c.TrainingHours < rs.TrainingHours {
		k.add(RuleTraining, "training_hours", "培训%d天、%d学时，不足%d天或%d学时", c.TrainingDays, c.TrainingHours, rs.TrainingDays, rs.TrainingHours)
	}
	if c.PreReviewOn == "" || c.PreReviewOn > on {
		k.add(RulePreReview, "pre_review_on", "尚未记录基层党委预审")
	}
}

func (k *checker) full(c Case) {
	on := k.step.On
	if end := k.rs.ProbationEnd(c); on < end {
		k.add(RuleProbation, "on", "预备期至%s届满，届满后方可讨论转正", end)
	}
	if c.ApprovedOn == "" {
		k.add(RuleApproval, "approved_on", "接收预备党员尚未经基层党委审批")
	}
}

// ProbationEnd is the day the 预备期 ends: a year (and any extension)
// after the 支部大会 that admitted the member.
func (rs RuleSet) ProbationEnd(c Case) domain.Date {
	if c.ProbationaryOn == "" {
		return ""
	}
	return domain.AddMonths(c.ProbationaryOn, rs.ProbationMonths+c.ExtensionMonths)
}

// Sorted lists violations by rule, for a stable answer.
func Sorted(vs []Violation) []Violation {
	sort.SliceStable(vs, func(i, j int) bool { return vs[i].Rule < vs[j].Rule })
	return vs
}
