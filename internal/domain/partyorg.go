package domain

import (
	"strings"
	"time"
	"unicode/utf8"
)

// PartyOrgType is a node type of the Party-organization tree (glossary).
type PartyOrgType string

// The Party-org types of the glossary.
const (
	WorkCommittee     PartyOrgType = "work_committee"
	IndustryCommittee PartyOrgType = "industry_committee"
	AreaCommittee     PartyOrgType = "area_committee"
	JointCommittee    PartyOrgType = "joint_committee"
	Committee         PartyOrgType = "committee"
	GeneralBranch     PartyOrgType = "general_branch"
	Branch            PartyOrgType = "branch"
	JointBranch       PartyOrgType = "joint_branch"
	MobileBranch      PartyOrgType = "mobile_branch"
	TemporaryBranch   PartyOrgType = "temporary_branch"
)

// PartyOrgTypeInfo describes a type: its Chinese name, whether it is a
// grassroots organization (党的基层组织) and its default term in years
// (中办《关于党的基层组织任期的意见》2018: 基层党委 5 years, 总支/支部 3 years).
type PartyOrgTypeInfo struct {
	Code             PartyOrgType `json:"code"`
	Name             string       `json:"name"`
	Grassroots       bool         `json:"grassroots"`
	DefaultTermYears int          `json:"default_term_years"`
	// Parents lists the types a node of this type may sit under; empty means
	// it may only be a root.
	Parents []PartyOrgType `json:"parents"`
}

var managing = []PartyOrgType{WorkCommittee, IndustryCommittee, AreaCommittee, JointCommittee}

// PartyOrgTypes is the ordered list of types, from the top of the tree down.
var PartyOrgTypes = []PartyOrgTypeInfo{
	{WorkCommittee, "两新工委", false, 0, []PartyOrgType{WorkCommittee}},
	{IndustryCommittee, "行业党委", false, 5, managing},
	{AreaCommittee, "综合党委", false, 5, managing},
	{JointCommittee, "联合党委", false, 5, managing},
	{Committee, "党委", true, 5, append(append([]PartyOrgType{}, managing...), Committee)},
	{GeneralBranch, "党总支", true, 3, append(append([]PartyOrgType{}, managing...), Committee)},
	{Branch, "党支部", true, 3, append(append([]PartyOrgType{}, managing...), Committee, GeneralBranch)},
	{JointBranch, "联合党支部", true, 3, append(append([]PartyOrgType{}, managing...), Committee, GeneralBranch)},
	{MobileBranch, "流动党员党支部", true, 3, append(append([]PartyOrgType{}, managing...), Committee, GeneralBranch)},
	{TemporaryBranch, "临时党支部", true, 0, append(append([]PartyOrgType{}, managing...), Committee, GeneralBranch)},
}

// Info returns the description of t and whether t is a known type.
func (t PartyOrgType) Info() (PartyOrgTypeInfo, bool) {
	for _, i := range PartyOrgTypes {
		if i.Code == t {
			return i, true
		}
	}
	return PartyOrgTypeInfo{}, false
}

// Name is the Chinese name of the type, or the code itself when unknown.
func (t PartyOrgType) Name() string {
	if i, ok := t.Info(); ok {
		return i.Name
	}
	return string(t)
}

// CanHaveParent reports whether a node of type t may sit under a node of type p.
func (t PartyOrgType) CanHaveParent(p PartyOrgType) bool {
	i, ok := t.Info()
	if !ok {
		return false
	}
	for _, allowed := range i.Parents {
		if allowed == p {
			return true
		}
	}
	return false
}

// Party-org statuses.
const (
	StatusActive    = "active"
	StatusDissolved = "dissolved"
)

// Term states shown beside a Party org (换届).
const (
	TermNone    = "none"
	TermOK      = "ok"
	TermDueSoon = "due_soon"
	TermOverdue = "overdue"
)

// TermDueSoonDays is how long before the end of a term the org is reminded
// to prepare its 换届 (local practice reports 2–3 months ahead).
const TermDueSoonDays = 90

// PartyOrg is a node of the Party-organization tree.
type PartyOrg struct {
	ID            int64        `json:"id"`
	ParentID      *int64       `json:"parent_id"`
	Path          string       `json:"path"`
	Depth         int          `json:"depth"`
	Name          string       `json:"name"`
	ShortName     string       `json:"short_name"`
	Type          PartyOrgType `json:"type"`
	Region        string       `json:"region"`
	FoundedOn     Date         `json:"founded_on"`
	SecretaryName string       `json:"secretary_name"`
	TermStart     Date         `json:"term_start"`
	TermYears     int          `json:"term_years"`
	TermEnd       Date         `json:"term_end"`
	// The secretary as filings keep it (issue 5): the member, since when,
	// since when the post is vacant, since when a change awaits its filing.
	SecretaryMemberID     *int64 `json:"secretary_member_id"`
	SecretarySince        Date   `json:"secretary_since"`
	SecretaryVacantSince  Date   `json:"secretary_vacant_since"`
	SecretaryUnfiledSince Date   `json:"secretary_unfiled_since"`
	// CommitteeSize is the number of 委员 elected at the last 换届 (0: no committee).
	CommitteeSize int `json:"committee_size"`
	// PostponedTo is the deadline of an approved postponement of 换届.
	PostponedTo    Date      `json:"postponed_to"`
	Status         string    `json:"status"`
	DissolvedOn    Date      `json:"dissolved_on"`
	DissolveReason string    `json:"dissolve_reason"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	Version        int       `json:"version"`
}

// PartyOrgInput holds the editable fields; nil means "not given" so that a
// PATCH changes only what it names.
type PartyOrgInput struct {
	Name          *string `json:"name"`
	ShortName     *string `json:"short_name"`
	Type          *string `json:"type"`
	Region        *string `json:"region"`
	FoundedOn     *string `json:"founded_on"`
	SecretaryName *string `json:"secretary_name"`
	TermStart     *string `json:"term_start"`
	TermYears     *int    `json:"term_years"`
	Version       *int    `json:"version"`
}

// Apply copies the given fields onto o, trimming text. It validates nothing;
// call Validate afterwards.
func (in PartyOrgInput) Apply(o *PartyOrg) {
	if in.Name != nil {
		o.Name = strings.TrimSpace(*in.Name)
	}
	if in.ShortName != nil {
		o.ShortName = strings.TrimSpace(*in.ShortName)
	}
	if in.Type != nil {
		newType := PartyOrgType(strings.TrimSpace(*in.Type))
		// A type change resets a default term length that the user never chose.
		if in.TermYears == nil && o.TermYears == defaultYears(o.Type) {
			o.TermYears = defaultYears(newType)
		}
		o.Type = newType
	}
	if in.Region != nil {
		o.Region = strings.TrimSpace(*in.Region)
	}
	if in.FoundedOn != nil {
		o.FoundedOn = Date(strings.TrimSpace(*in.FoundedOn))
	}
	if in.SecretaryName != nil {
		o.SecretaryName = strings.TrimSpace(*in.SecretaryName)
	}
	if in.TermStart != nil {
		o.TermStart = Date(strings.TrimSpace(*in.TermStart))
	}
	if in.TermYears != nil {
		o.TermYears = *in.TermYears
	}
}

func defaultYears(t PartyOrgType) int {
	i, _ := t.Info()
	return i.DefaultTermYears
}

// NewPartyOrg returns a node with the defaults of its type applied after the input.
func NewPartyOrg(in PartyOrgInput) PartyOrg {
	o := PartyOrg{Status: StatusActive}
	in.Apply(&o)
	if in.TermYears == nil {
		o.TermYears = defaultYears(o.Type)
	}
	return o
}

// Validate checks the node's own fields and derives TermEnd. Checks that need
// other records (the parent's type, the region's existence) are made by
// ValidatePlacement and by the store.
func (o *PartyOrg) Validate(today time.Time) error {
	v := &ValidationError{}
	switch n := utf8.RuneCountInString(o.Name); {
	case n == 0:
		v.Add("name", "请填写党组织名称")
	case n > 100:
		v.Add("name", "党组织名称不能超过100个字")
	}
	if utf8.RuneCountInString(o.ShortName) > 30 {
		v.Add("short_name", "简称不能超过30个字")
	}
	if _, ok := o.Type.Info(); !ok {
		v.Add("type", "请选择有效的党组织类型")
	}
	if o.Region == "" {
		v.Add("region", "请选择所属区域")
	}
	if utf8.RuneCountInString(o.SecretaryName) > 30 {
		v.Add("secretary_name", "书记姓名不能超过30个字")
	}
	if o.FoundedOn != "" {
		if t, ok := ParseDate(string(o.FoundedOn)); !ok {
			v.Add("founded_on", DateProblem("成立日期", string(o.FoundedOn)))
		} else if t.After(TodayUTC(today)) {
			v.Add("founded_on", "成立日期不能晚于今天")
		}
	}
	o.TermEnd = ""
	if o.TermYears < 0 || o.TermYears > 5 {
		v.Add("term_years", "任期年限应为3至5年（党章第三十一条）")
	} else if o.TermYears > 0 && o.TermYears < 3 {
		v.Add("term_years", "任期年限应为3至5年（党章第三十一条）")
	}
	if o.TermStart != "" {
		t, ok := ParseDate(string(o.TermStart))
		switch {
		case !ok:
			v.Add("term_start", DateProblem("本届任期开始日期", string(o.TermStart)))
		case t.After(TodayUTC(today)):
			v.Add("term_start", "本届任期开始日期不能晚于今天")
		case o.TermYears == 0:
			v.Add("term_years", "设置了任期开始日期时须填写任期年限")
		default:
			if f, ok := ParseDate(string(o.FoundedOn)); ok && t.Before(f) {
				v.Add("term_start", "本届任期开始日期不能早于成立日期")
			} else {
				o.TermEnd = Date(AddYears(t, o.TermYears).Format(DateLayout))
			}
		}
	}
	return v.Err()
}

// ValidatePlacement checks that a node of o's type may sit under parent.
func (o *PartyOrg) ValidatePlacement(parent *PartyOrg) error {
	if parent == nil {
		if o.Type != WorkCommittee {
			return FieldError("parent_id", "请选择上级党组织")
		}
		return nil
	}
	if parent.Status != StatusActive {
		return FieldError("parent_id", "上级党组织已撤销，不能在其下设置党组织")
	}
	if !o.Type.CanHaveParent(parent.Type) {
		return FieldError("type", o.Type.Name()+"不能设在"+parent.Type.Name()+"之下")
	}
	return nil
}

// TermState says whether the org's 换届 is due (see domain-rules §1.2),
// counting to an approved postponement when there is one.
func (o *PartyOrg) TermState(today time.Time) string {
	return TermStateOn(TermDeadline(o.TermEnd, o.PostponedTo), o.Status == StatusActive, today)
}

func mustDate(s string) time.Time {
	t, _ := ParseDate(s)
	return t
}

// IsDescendantPath reports whether path lies in the subtree rooted at root
// (a node is in its own subtree).
func IsDescendantPath(path, root string) bool {
	return strings.HasPrefix(path, root)
}

// DissolveInput is the body of a dissolution.
type DissolveInput struct {
	DissolvedOn string `json:"dissolved_on"`
	Reason      string `json:"reason" text:"multiline"`
}

// Validate checks the dissolution date and reason.
func (d *DissolveInput) Validate(o *PartyOrg, today time.Time) error {
	v := &ValidationError{}
	d.Reason = strings.TrimSpace(d.Reason)
	t, ok := ParseDate(strings.TrimSpace(d.DissolvedOn))
	switch {
	case !ok:
		v.Add("dissolved_on", DateProblem("撤销日期", strings.TrimSpace(d.DissolvedOn)))
	case t.After(TodayUTC(today)): // today in Shanghai: ahead of UTC until 08:00 UTC
		v.Add("dissolved_on", "撤销日期不能晚于今天")
	case o.FoundedOn != "" && string(o.FoundedOn) > d.DissolvedOn:
		v.Add("dissolved_on", "撤销日期不能早于成立日期")
	}
	switch n := utf8.RuneCountInString(d.Reason); {
	case n == 0:
		v.Add("reason", "请填写撤销原因")
	case n > 200:
		v.Add("reason", "撤销原因不能超过200个字")
	}
	if o.Status == StatusDissolved {
		v.Add("status", "该党组织已撤销")
	}
	return v.Err()
}
