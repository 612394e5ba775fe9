package alert

import (
	"fmt"
	"sort"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
)

// 防瘫预警 (issue 5), first part: the catalogue of alert rules with their
// parameters and levels, the validation of a city's tuning, and the pure
// evaluation of the rules that need only a Party org's own facts (its
// secretary, term, size and the organizations it covers). The rules over
// activities, filings and members, the store and the workflow come next.

// AlertLevel is how urgent an alert is: 黄 < 橙 < 红.
type AlertLevel string

// The levels, mildest first.
const (
	LevelYellow AlertLevel = "yellow"
	LevelOrange AlertLevel = "orange"
	LevelRed    AlertLevel = "red"
)

// AlertLevels names the levels.
var AlertLevels = domain.CodeList{
	{Code: string(LevelYellow), Name: "黄色"},
	{Code: string(LevelOrange), Name: "橙色"},
	{Code: string(LevelRed), Name: "红色"},
}

// RuleCode identifies a rule (the contract's codes).
type RuleCode string

// The rules of issue 5, item 2.
const (
	RuleSecretaryVacant    RuleCode = "secretary_vacant"
	RuleTermOverdue        RuleCode = "term_overdue"
	RuleTermEnding         RuleCode = "term_ending"
	RuleTooFewMembers      RuleCode = "too_few_members"
	RuleNoCommittee        RuleCode = "no_committee"
	RuleTooManyMembers     RuleCode = "too_many_members"
	RuleJointBranchTooWide RuleCode = "joint_branch_too_wide"
	RuleMeetingsMissing    RuleCode = "meetings_missing"
	RuleNoActivity         RuleCode = "no_activity"
	RuleLowAttendance      RuleCode = "low_attendance"
	RuleOrgDeregistered    RuleCode = "org_deregistered"
	RuleMembersOrphaned    RuleCode = "members_orphaned"
	RuleFilingMissing      RuleCode = "filing_missing"
	RuleMemberInactive     RuleCode = "member_inactive"
	// RuleFilingPending is beyond the contract's list: a filing the
	// superior Party org has not handled in time (issue 5, item 4).
	RuleFilingPending RuleCode = "filing_pending"
)

// RuleParam is one tunable number of a rule.
type RuleParam struct {
	Key     string `json:"key"`
	Name    string `json:"name"`
	Unit    string `json:"unit"`
	Min     int    `json:"min"`
	Max     int    `json:"max"`
	Default int    `json:"default"`
}

// RuleDef describes a rule: what it watches, on what basis, and its
// parameters. Levels are parameters too: a rule with escalating thresholds
// has one per level (yellow_days, orange_days, red_days), each no milder
// than the one before.
type RuleDef struct {
	Code        RuleCode    `json:"code"`
	Name        string      `json:"name"`
	Description string      `json:"description"`
	Basis       string      `json:"basis"`
	Params      []RuleParam `json:"params"`
	// Escalating names the parameter stem whose yellow/orange/red values
	// must not decrease ("days" for yellow_days …); "" when the rule has a
	// fixed Level.
	Escalating string `json:"escalating,omitempty"`
	// Descending: the thresholds fall as the level rises (a rate below
	// 70% is yellow, below 50% orange …).
	Descending bool       `json:"descending,omitempty"`
	Level      AlertLevel `json:"level,omitempty"`
}

func levels(stem, name, unit string, min, max, yellow, orange, red int) []RuleParam {
	return []RuleParam{
		{"yellow_" + stem, name + "（黄色）", unit, min, max, yellow},
		{"orange_" + stem, name + "（橙色）", unit, min, max, orange},
		{"red_" + stem, name + "（红色）", unit, min, max, red},
	}
}

// Rules is the catalogue, in display order.
var Rules = []RuleDef{
	{Code: RuleSecretaryVacant, Name: "书记空缺", Description: "党组织书记空缺超过规定天数",
		Basis:  "《中国共产党支部工作条例（试行）》第十八条：党支部书记应当及时配备；空缺时由上级党组织指定负责人",
		Params: levels("days", "空缺天数", "天", 1, 3650, 30, 90, 180), Escalating: "days"},
	{Code: RuleTermOverdue, Name: "换届超期", Description: "任期已届满，未按期换届，也没有获批的延期",
		Basis:  "《中国共产党基层组织选举工作条例》第三条：任期届满应当按期进行换届选举；延期须报上级党组织批准，一般不超过1年",
		Params: levels("days", "超期天数", "天", 0, 3650, 0, 90, 180), Escalating: "days"},
	{Code: RuleTermEnding, Name: "任期即将届满", Description: "任期将在规定天数内届满，应启动换届",
		Basis:  "《中国共产党基层组织选举工作条例》第三条；各地普遍要求届满前报送换届请示（提前6个月、1个月提醒）",
		Params: []RuleParam{{"yellow_days", "提前提醒天数（黄色）", "天", 1, 730, 180}, {"orange_days", "提前提醒天数（橙色）", "天", 1, 730, 30}}, Escalating: ""},
	{Code: RuleTooFewMembers, Name: "正式党员不足3人", Description: "党支部正式党员少于规定人数，应与其他单位联合成立党支部",
		Basis:  "《中国共产党章程》第三十条：有正式党员三人以上的，都应当成立党的基层组织",
		Params: []RuleParam{{"min_full_members", "最少正式党员", "人", 1, 10, 3}}, Level: LevelOrange},
	{Code: RuleNoCommittee, Name: "应设未设支委会", Description: "正式党员达到规定人数但未设立支部委员会",
		Basis:  "《中国共产党支部工作条例（试行）》第八条：正式党员7人以上的党支部，应当设立党支部委员会",
		Params: []RuleParam{{"full_members", "应设支委会的正式党员人数", "人", 3, 50, 7}}, Level: LevelYellow},
	{Code: RuleTooManyMembers, Name: "党支部党员超过50人", Description: "党支部党员人数超过规定人数，应分设或成立党总支",
		Basis:  "《中国共产党支部工作条例（试行）》第四条：党支部党员人数一般不超过50人",
		Params: []RuleParam{{"max_members", "党支部最多党员", "人", 10, 500, 50}}, Level: LevelYellow},
	{Code: RuleJointBranchTooWide, Name: "联合党支部覆盖单位过多", Description: "联合党支部覆盖的单位超过规定数量",
		Basis:  "《中国共产党支部工作条例（试行）》第五条及成都市两新党建工作要点：联合党支部覆盖单位一般不超过5个",
		Params: []RuleParam{{"max_organizations", "最多覆盖单位", "个", 2, 50, 5}}, Level: LevelYellow},
	{Code: RuleMeetingsMissing, Name: "三会一课缺项", Description: "本年度三会一课台账中已到期未开展的次数（按城市设置的频次计算）",
		Basis:  "《中国共产党支部工作条例（试行）》第十五条：党员大会一般每季度1次，支委会一般每月1次，党小组会一般每月1次，党课每季度至少1次",
		Params: levels("missing", "缺项次数", "次", 1, 100, 2, 4, 8), Escalating: "missing"},
	{Code: RuleNoActivity, Name: "长期未开展活动", Description: "连续多月没有开展任何组织生活，是党组织瘫痪最强的信号",
		Basis:  "《中国共产党支部工作条例（试行）》第十五条；成都市两新党建工作要点：及时发现和整顿软弱涣散、“空壳”党组织",
		Params: levels("months", "未开展活动月数", "个月", 1, 24, 2, 3, 6), Escalating: "months"},
	{Code: RuleLowAttendance, Name: "参会率偏低", Description: "统计期内（默认近90天）党员参加组织生活的比例偏低：参会率＝实到人次÷应到人次（应到为本支部在册党员）",
		Basis: "《中国共产党支部工作条例（试行）》第十五条：党员应当按时参加组织生活；参会率为各地党建考核的常用指标",
		Params: append(levels("percent", "参会率低于", "%", 1, 100, 70, 50, 30),
			RuleParam{"window_days", "统计期", "天", 30, 365, 90}, RuleParam{"min_activities", "统计期内最少活动次数", "次", 1, 20, 2}),
		Escalating: "percent", Descending: true},
	{Code: RuleOrgDeregistered, Name: "所在单位已注销、吊销或迁出", Description: "党组织覆盖的单位登记状态为注销、吊销或迁出，党组织仍在运行，应及时调整或撤销",
		Basis: "《中国共产党支部工作条例（试行）》第七条：党支部所在单位撤销的，党支部应当及时调整或撤销",
		Level: LevelOrange},
	{Code: RuleMembersOrphaned, Name: "已撤销党组织仍有党员", Description: "党组织已撤销，但仍有党员的组织关系留在该组织，应及时转接",
		Basis: "《中国共产党党员教育管理工作条例》第二十二条：党组织撤销的，其党员的组织关系应当及时转接",
		Level: LevelRed},
	{Code: RuleFilingMissing, Name: "书记变动未备案", Description: "党组织书记发生变动，但没有经批准的就任/离任备案",
		Basis:  "《中国共产党章程》第三十一条：基层委员会选举的书记、副书记报上级党组织批准；成都市要求两新党组织书记实行备案管理",
		Params: levels("days", "未备案天数", "天", 0, 365, 15, 30, 60), Escalating: "days"},
	{Code: RuleMemberInactive, Name: "党员长期不参加组织生活", Description: "党支部有党员连续多月未参加组织生活（请假计为参加）；提示党支部教育提醒，不自动处置",
		Basis:  "《中国共产党章程》第九条：党员没有正当理由，连续六个月不参加党的组织生活……就被认为是自行脱党",
		Params: levels("months", "未参加组织生活月数", "个月", 1, 24, 3, 5, 6), Escalating: "months"},
	{Code: RuleFilingPending, Name: "备案逾期未审批", Description: "书记备案或换届延期（提前）请示提交后，上级党组织超过规定天数未审批",
		Basis:  "成都市两新党建工作要点：书记备案管理；《中国共产党基层组织选举工作条例》第三条：延期或提前换届应当报上级党组织批准",
		Params: levels("days", "未审批天数", "天", 1, 365, 15, 30, 60), Escalating: "days"},
}

// RuleDefOf finds a rule of the catalogue.
func RuleDefOf(code RuleCode) (RuleDef, bool) {
	for _, r := range Rules {
		if r.Code == code {
			return r, true
		}
	}
	return RuleDef{}, false
}

// RuleSetting is a city's tuning of one rule.
type RuleSetting struct {
	Enabled bool           `json:"enabled"`
	Params  map[string]int `json:"params"`
}

// DefaultSetting is a rule switched on with its default parameters.
func (d RuleDef) DefaultSetting() RuleSetting {
	s := RuleSetting{Enabled: true, Params: map[string]int{}}
	for _, p := range d.Params {
		s.Params[p.Key] = p.Default
	}
	return s
}

// Validate checks a tuning against the rule: known parameters only, each in
// range, and escalating thresholds that never get milder. Missing
// parameters take their defaults.
func (d RuleDef) Validate(s *RuleSetting) error {
	v := &domain.ValidationError{}
	known := map[string]RuleParam{}
	for _, p := range d.Params {
		known[p.Key] = p
		if _, ok := s.Params[p.Key]; !ok {
			if s.Params == nil {
				s.Params = map[string]int{}
			}
			s.Params[p.Key] = p.Default
		}
	}
	keys := make([]string, 0, len(s.Params))
	for k := range s.Params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p, ok := known[k]
		switch {
		case !ok:
			v.Add("params."+k, "规则“"+d.Name+"”没有参数 "+k)
		case s.Params[k] < p.Min || s.Params[k] > p.Max:
			v.Add("params."+k, fmt.Sprintf("%s应在%d到%d%s之间", p.Name, p.Min, p.Max, p.Unit))
		}
	}
	if st := d.Escalating; st != "" && len(v.Fields) == 0 {
		y, o, r := s.Params["yellow_"+st], s.Params["orange_"+st], s.Params["red_"+st]
		switch {
		case d.Descending && o > y:
			v.Add("params.orange_"+st, "橙色阈值不能高于黄色阈值")
		case d.Descending && r > o:
			v.Add("params.red_"+st, "红色阈值不能高于橙色阈值")
		case !d.Descending && o < y:
			v.Add("params.orange_"+st, "橙色阈值不能低于黄色阈值")
		case !d.Descending && r < o:
			v.Add("params.red_"+st, "红色阈值不能低于橙色阈值")
		}
	}
	if d.Code == RuleTermEnding && len(v.Fields) == 0 && s.Params["orange_days"] > s.Params["yellow_days"] {
		v.Add("params.orange_days", "橙色提醒应比黄色提醒更临近届满（天数更少）")
	}
	return v.Err()
}

// OrgAlertFacts are what the structural rules know of a Party org.
type OrgAlertFacts struct {
	Type   domain.PartyOrgType
	Status string
	// SecretaryVacantSince is the day the secretary's post fell vacant
	// ("" when filled).
	SecretaryVacantSince domain.Date
	// TermEnd is the end of the current term ("" when unknown); PostponedTo
	// is an approved postponement's new end ("" when none).
	TermEnd     domain.Date
	PostponedTo domain.Date
	FullMembers int // 正式党员 in good standing
	Members     int // in good standing, probationary included
	// HasCommittee: a 支部委员会 is recorded.
	HasCommittee bool
	// CoveredOrganizations counts the 两新组织 the org covers.
	CoveredOrganizations int
}

// Finding is what a rule says of an org on a day: the level, since when
// the condition holds, and the reason as facts in Chinese.
type Finding struct {
	Rule   RuleCode    `json:"rule"`
	Level  AlertLevel  `json:"level"`
	Since  domain.Date `json:"since"`
	Reason string      `json:"reason"`
}

// EvaluateStructural applies one structural rule to an org on today and
// returns its finding, or nil. Dissolved orgs raise nothing.
func EvaluateStructural(code RuleCode, s RuleSetting, f OrgAlertFacts, today domain.Date) *Finding {
	if !s.Enabled || f.Status != domain.StatusActive {
		return nil
	}
	p := s.Params
	switch code {
	case RuleSecretaryVacant:
		if f.SecretaryVacantSince == "" {
			return nil
		}
		days := domain.DaysBetween(f.SecretaryVacantSince, today)
		lvl := escalate(days, p["yellow_days"], p["orange_days"], p["red_days"])
		if lvl == "" {
			return nil
		}
		return &Finding{code, lvl, f.SecretaryVacantSince, fmt.Sprintf("书记自 %s 起空缺，已 %d 天", f.SecretaryVacantSince, days)}
	case RuleTermOverdue:
		end := f.TermEnd
		if f.PostponedTo > end {
			end = f.PostponedTo
		}
		if end == "" || today <= end {
			return nil
		}
		days := domain.DaysBetween(end, today)
		lvl := escalate(days, p["yellow_days"], p["orange_days"], p["red_days"])
		if lvl == "" {
			return nil
		}
		why := fmt.Sprintf("任期于 %s 届满，已超期 %d 天，未换届", end, days)
		if f.PostponedTo != "" {
			why = fmt.Sprintf("经批准延期至 %s，已超期 %d 天，仍未换届", end, days)
		}
		return &Finding{code, lvl, addDays(end, 1), why}
	case RuleTermEnding:
		end := f.TermEnd
		if f.PostponedTo > end {
			end = f.PostponedTo
		}
		if end == "" || today > end {
			return nil
		}
		left := domain.DaysBetween(today, end)
		var lvl AlertLevel
		switch {
		case left <= p["orange_days"]:
			lvl = LevelOrange
		case left <= p["yellow_days"]:
			lvl = LevelYellow
		default:
			return nil
		}
		return &Finding{code, lvl, addDays(end, -p["yellow_days"]), fmt.Sprintf("任期将于 %s 届满，还有 %d 天", end, left)}
	case RuleTooFewMembers:
		if !domain.IsBranchType(f.Type) || f.Type == domain.TemporaryBranch || f.FullMembers >= p["min_full_members"] {
			return nil
		}
		return &Finding{code, LevelOrange, "", fmt.Sprintf("正式党员 %d 人，少于 %d 人", f.FullMembers, p["min_full_members"])}
	case RuleNoCommittee:
		if !domain.IsBranchType(f.Type) || f.HasCommittee || f.FullMembers < p["full_members"] {
			return nil
		}
		return &Finding{code, LevelYellow, "", fmt.Sprintf("正式党员 %d 人（%d 人以上应设支委会），未设立支部委员会", f.FullMembers, p["full_members"])}
	case RuleTooManyMembers:
		if !domain.IsBranchType(f.Type) || f.Members <= p["max_members"] {
			return nil
		}
		return &Finding{code, LevelYellow, "", fmt.Sprintf("党员 %d 人，超过 %d 人", f.Members, p["max_members"])}
	case RuleJointBranchTooWide:
		if f.Type != domain.JointBranch || f.CoveredOrganizations <= p["max_organizations"] {
			return nil
		}
		return &Finding{code, LevelYellow, "", fmt.Sprintf("联合党支部覆盖 %d 个单位，超过 %d 个", f.CoveredOrganizations, p["max_organizations"])}
	}
	return nil
}

// escalate picks the level of a count against ascending thresholds ("" below yellow).
func escalate(n, yellow, orange, red int) AlertLevel {
	switch {
	case n >= red:
		return LevelRed
	case n >= orange:
		return LevelOrange
	case n >= yellow:
		return LevelYellow
	}
	return ""
}

func addDays(d domain.Date, n int) domain.Date {
	t, ok := domain.ParseDate(string(d))
	if !ok {
		return d
	}
	return domain.Date(t.Add(time.Duration(n) * 24 * time.Hour).Format(domain.DateLayout))
}
