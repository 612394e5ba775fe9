// Package development holds the rules of 发展党员 (中国共产党发展党员工作细则,
// 2014, and its 2026 revision as reported): the stages from application
// to full membership, the intervals between them, and what each step needs.
// The rules are data (RuleSet) with an effective date; a case keeps the
// set it started under. A step that breaks a rule is refused with the rule
// named, unless the rule admits an exception and one is approved with a
// reason, which the case then records.
package development

import (
	"github.com/lianxin/lianxin/internal/domain"
)

// Stage is where a case stands.
type Stage string

// The stages, in order, and the two ways a case ends early.
const (
	Applicant    Stage = "applicant"    // 入党申请人
	Activist     Stage = "activist"     // 入党积极分子
	Candidate    Stage = "candidate"    // 发展对象
	Probationary Stage = "probationary" // 预备党员
	Full         Stage = "full"         // 正式党员
	// Withdrawn: the applicant withdrew or the branch stopped the case
	// before admission.
	Withdrawn Stage = "withdrawn"
	// Disqualified: 取消预备党员资格.
	Disqualified Stage = "disqualified"
)

// Stages names them in order.
var Stages = domain.CodeList{
	{Code: string(Applicant), Name: "入党申请人"},
	{Code: string(Activist), Name: "入党积极分子"},
	{Code: string(Candidate), Name: "发展对象"},
	{Code: string(Probationary), Name: "预备党员"},
	{Code: string(Full), Name: "正式党员"},
	{Code: string(Withdrawn), Name: "已终止"},
	{Code: string(Disqualified), Name: "取消预备党员资格"},
}

// next is the stage a step may reach from each stage.
var next = map[Stage]Stage{Applicant: Activist, Activist: Candidate, Candidate: Probationary, Probationary: Full}

// Open reports whether the case is still under way.
func (s Stage) Open() bool { return s != Full && s != Withdrawn && s != Disqualified }

// Rule names one rule a step can break.
type Rule string

// The rules. Their names are what a refusal says.
const (
	RuleAge             Rule = "age_18"
	RuleOrder           Rule = "stage_order"
	RuleDate            Rule = "date_order"
	RuleTalk            Rule = "talk_one_month"
	RuleContacts        Rule = "contacts"
	RuleActivistYear    Rule = "activist_one_year"
	RulePublicity       Rule = "publicity_workdays"
	RuleConsent         Rule = "superior_consent"
	RuleIntroducers     Rule = "two_introducers"
	RulePoliticalReview Rule = "political_review"
	RuleTraining        Rule = "training"
	RulePreReview       Rule = "pre_review"
	RuleApproval        Rule = "approval_three_months"
	RuleProbation       Rule = "probation_one_year"
	RuleExtension       Rule = "extension_once"
	RuleOath            Rule = "oath_one_month"
)

// Rules names the rules (the names a refusal and the alerts use).
var Rules = domain.CodeList{
	{Code: string(RuleAge), Name: "申请入党须年满十八岁"},
	{Code: string(RuleOrder), Name: "按入党申请人、入党积极分子、发展对象、预备党员、正式党员的顺序逐步发展"},
	{Code: string(RuleDate), Name: "各环节日期不得早于上一环节、不得晚于今天"},
	{Code: string(RuleTalk), Name: "收到入党申请书后一个月内派人谈话"},
	{Code: string(RuleContacts), Name: "确定一至二名正式党员作培养联系人"},
	{Code: string(RuleActivistYear), Name: "入党积极分子经过一年以上培养教育和考察方可确定为发展对象"},
	{Code: string(RulePublicity), Name: "公示不少于五个工作日"},
	{Code: string(RuleConsent), Name: "确定发展对象须经上级党委同意"},
	{Code: string(RuleIntroducers), Name: "须有两名正式党员作入党介绍人"},
	{Code: string(RulePoliticalReview), Name: "未经政治审查或政治审查不合格的不能发展入党"},
	{Code: string(RuleTraining), Name: "发展对象须经短期集中培训（一般不少于三天或二十四学时）"},
	{Code: string(RulePreReview), Name: "支部大会讨论前须经基层党委预审"},
	{Code: string(RuleApproval), Name: "基层党委在支部大会通过后三个月内审批（特殊情况不超过六个月）"},
	{Code: string(RuleProbation), Name: "预备期一年，期满方可讨论转正"},
	{Code: string(RuleExtension), Name: "延长预备期只能一次，时间不少于半年、不超过一年"},
	{Code: string(RuleOath), Name: "审批后一个月内入党宣誓"},
}

// Exceptional reports whether a step breaking the rule may go ahead when an
// exception is approved with its reason: the rules whose text allows
// special cases (training "除个别特殊情况外", approval "特殊情况…不超过六个月")
// and the deadlines of a talk and an oath, where lateness is recorded rather
// than undone. The statutory floors (age, a year as activist, a year of
// probation, two introducers, the political review) admit none.
func (r Rule) Exceptional() bool {
	switch r {
	case RuleTalk, RuleTraining, RuleApproval, RuleOath, RulePublicity:
		return true
	}
	return false
}

// RuleSet is one edition of the rules.
type RuleSet struct {
	Code string `json:"code"`
	Name string `json:"name"`
	// EffectiveFrom: the set may be chosen for new cases from this day.
	EffectiveFrom domain.Date `json:"effective_from"`
	// Note says where the set comes from and what is unverified.
	Note string `json:"note"`

	MinAge             int `json:"min_age"`
	TalkMonths         int `json:"talk_months"`
	ContactsMin        int `json:"contacts_min"`
	ContactsMax        int `json:"contacts_max"`
	ActivistMonths     int `json:"activist_months"`
	TrainingDays       int `json:"training_days"`
	TrainingHours      int `json:"training_hours"`
	Introducers        int `json:"introducers"`
	ApprovalMonths     int `json:"approval_months"`
	ApprovalMax        int `json:"approval_max_months"`
	ProbationMonths    int `json:"probation_months"`
	ExtensionMin       int `json:"extension_min_months"`
	ExtensionMax       int `json:"extension_max_months"`
	FullApprovalMonths int `json:"full_approval_months"`
	// CandidatePublicity is the 公示 before a 发展对象 is decided, in
	// working days (0: none required).
	CandidatePublicity int `json:"candidate_publicity_workdays"`
	// CandidateConsent: the upper committee consents before a 发展对象 is
	// decided (2026); otherwise it is filed with it afterwards (备案, 2014).
	CandidateConsent bool `json:"candidate_consent"`
	// OathMonths bounds the 入党宣誓 after approval (0: no bound).
	OathMonths int `json:"oath_months"`
}

// The two editions.
const (
	Set2014 = "2014"
	Set2026 = "2026"
)

// RuleSets are the editions, oldest first.
var RuleSets = []RuleSet{
	{
		Code: Set2014, Name: "中国共产党发展党员工作细则（2014）", EffectiveFrom: "2014-06-10",
		Note:   "中共中央办公厅2014年6月印发。",
		MinAge: 18, TalkMonths: 1, ContactsMin: 1, ContactsMax: 2, ActivistMonths: 12,
		TrainingDays: 3, TrainingHours: 24, Introducers: 2, ApprovalMonths: 3, ApprovalMax: 6,
		ProbationMonths: 12, ExtensionMin: 6, ExtensionMax: 12, FullApprovalMonths: 3,
	},
	{
		Code: Set2026, Name: "发展党员工作细则（2026年修订）", EffectiveFrom: "2026-01-01",
		Note:   "据公开报道：发展对象阶段公示全国统一且不少于五个工作日，备案改为上级党委同意，入党宣誓一般在一个月内；以正式文本为准。",
		MinAge: 18, TalkMonths: 1, ContactsMin: 1, ContactsMax: 2, ActivistMonths: 12,
		TrainingDays: 3, TrainingHours: 24, Introducers: 2, ApprovalMonths: 3, ApprovalMax: 6,
		ProbationMonths: 12, ExtensionMin: 6, ExtensionMax: 12, FullApprovalMonths: 3,
		CandidatePublicity: 5, CandidateConsent: true, OathMonths: 1,
	},
}

// RuleSetOf returns the edition with the code.
func RuleSetOf(code string) (RuleSet, bool) {
	for _, rs := range RuleSets {
		if rs.Code == code {
			return rs, true
		}
	}
	return RuleSet{}, false
}

// Choose checks the edition a setting names for new cases on today.
func Choose(code string, today domain.Date) (RuleSet, error) {
	rs, ok := RuleSetOf(code)
	if !ok {
		return RuleSet{}, domain.FieldError("rule_set", "请选择发展党员工作细则的版本")
	}
	if today < rs.EffectiveFrom {
		return RuleSet{}, domain.FieldError("rule_set", rs.Name+"自"+string(rs.EffectiveFrom)+"起方可选用")
	}
	return rs, nil
}
