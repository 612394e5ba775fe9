package filing

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lianxin/lianxin/internal/domain"
)

// 书记就任/离任备案 (SecretaryFiling): a Party org files a new secretary or a
// departure with its superior Party org, which approves or returns it.

// Filing kinds.
const (
	FilingAppointment = "appointment"
	FilingDeparture   = "departure"
)

// FilingKinds names the kinds of a filing.
var FilingKinds = domain.CodeList{
	{Code: FilingAppointment, Name: "就任备案"},
	{Code: FilingDeparture, Name: "离任备案"},
}

// SecretaryMethods says how a new secretary came to the post.
var SecretaryMethods = domain.CodeList{
	{Code: "elected", Name: "选举产生"},
	{Code: "appointed", Name: "上级任命/指定"},
}

// DepartureReasons says why a secretary left the post.
var DepartureReasons = domain.CodeList{
	{Code: "term_end", Name: "任期届满"},
	{Code: "transferred", Name: "工作调动"},
	{Code: "resigned", Name: "辞职"},
	{Code: "removed", Name: "免职"},
	{Code: "left_org", Name: "离开单位"},
	{Code: "other", Name: "其他"},
}

// Statuses of a request to the superior Party org (a filing, a term change).
const (
	RequestPending   = "pending"
	RequestApproved  = "approved"
	RequestReturned  = "returned"
	RequestWithdrawn = "withdrawn"
)

// RequestStatuses names the statuses of a filing or a term change.
var RequestStatuses = domain.CodeList{
	{Code: RequestPending, Name: "待审批"},
	{Code: RequestApproved, Name: "已批准"},
	{Code: RequestReturned, Name: "已退回"},
	{Code: RequestWithdrawn, Name: "已撤回"},
}

// FilingAheadDays is how far ahead of the day it takes effect an
// appointment may be filed (the superior's approval takes time).
const FilingAheadDays = 30

// SecretaryFilingInput is the body of a filing (and of its resubmission).
type SecretaryFilingInput struct {
	PartyOrgID    int64  `json:"party_org_id"`
	Kind          string `json:"kind"`
	MemberID      *int64 `json:"member_id"`
	EffectiveOn   string `json:"effective_on"`
	Method        string `json:"method"`
	MeetingOn     string `json:"meeting_on"`
	MeetingRecord string `json:"meeting_record" text:"multiline"`
	Reason        string `json:"reason" text:"multiline"`
	ReasonNote    string `json:"reason_note" text:"multiline"`
	// Version is the filing's version when it is edited and resubmitted.
	Version *int `json:"version"`
}

// Normalize trims the text and drops the fields the kind does not use.
func (in *SecretaryFilingInput) Normalize() {
	for _, p := range []*string{&in.Kind, &in.EffectiveOn, &in.Method, &in.MeetingOn, &in.MeetingRecord, &in.Reason, &in.ReasonNote} {
		*p = strings.TrimSpace(*p)
	}
	switch in.Kind {
	case FilingAppointment:
		in.Reason, in.ReasonNote = "", ""
	case FilingDeparture:
		in.Method = ""
	}
}

// Validate checks the filing's own fields against the org's founding date
// and today; whether the member belongs to the org is the store's check
// (CheckSecretaryCandidate).
func (in *SecretaryFilingInput) Validate(foundedOn domain.Date, today time.Time) error {
	in.Normalize()
	v := &domain.ValidationError{}
	if !FilingKinds.Has(in.Kind) {
		v.Add("kind", "请选择备案类型（就任或离任）")
		return v.Err()
	}
	day := domain.TodayUTC(today)
	label := "就任日期"
	if in.Kind == FilingDeparture {
		label = "离任日期"
	}
	if in.EffectiveOn == "" {
		v.Add("effective_on", "请填写"+label)
	} else if t, ok := domain.ParseDate(in.EffectiveOn); !ok {
		v.Add("effective_on", domain.DateProblem(label, in.EffectiveOn))
	} else {
		switch {
		case in.Kind == FilingAppointment && t.After(day.AddDate(0, 0, FilingAheadDays)):
			v.Add("effective_on", "就任日期最多可提前30天备案（不晚于"+day.AddDate(0, 0, FilingAheadDays).Format(domain.DateLayout)+"）")
		case in.Kind == FilingDeparture && t.After(day):
			v.Add("effective_on", "离任日期不能晚于今天")
		case foundedOn != "" && in.EffectiveOn < string(foundedOn):
			v.Add("effective_on", label+"不能早于党组织成立日期（"+string(foundedOn)+"）")
		}
	}
	if in.MeetingOn != "" {
		if t, ok := domain.ParseDate(in.MeetingOn); !ok {
			v.Add("meeting_on", domain.DateProblem("会议日期", in.MeetingOn))
		} else if t.After(day) {
			v.Add("meeting_on", "会议日期不能晚于今天")
		}
	}
	if utf8.RuneCountInString(in.MeetingRecord) > 2000 {
		v.Add("meeting_record", "会议记录不能超过2000个字")
	}
	switch in.Kind {
	case FilingAppointment:
		if in.MemberID == nil || *in.MemberID <= 0 {
			v.Add("member_id", "请选择新任书记（本党组织的正式党员）")
		}
		switch {
		case in.Method == "":
			v.Add("method", "请选择产生方式（选举产生或上级任命）")
		case !SecretaryMethods.Has(in.Method):
			v.Add("method", "产生方式只能是选举产生或上级任命")
		case in.Method == "elected" && in.MeetingOn == "":
			v.Add("meeting_on", "选举产生的书记须填写选举会议的日期")
		}
		if in.MeetingOn != "" && in.EffectiveOn != "" && in.MeetingOn > in.EffectiveOn && in.Method == "elected" {
			v.Add("meeting_on", "选举会议日期不能晚于就任日期")
		}
	case FilingDeparture:
		switch {
		case in.Reason == "":
			v.Add("reason", "请选择离任原因")
		case !DepartureReasons.Has(in.Reason):
			v.Add("reason", "未知的离任原因："+in.Reason)
		case in.Reason == "other" && in.ReasonNote == "":
			v.Add("reason_note", "离任原因为“其他”时请说明具体原因")
		}
		if utf8.RuneCountInString(in.ReasonNote) > 200 {
			v.Add("reason_note", "原因说明不能超过200个字")
		}
	}
	return v.Err()
}

// NotFullMemberMessage refuses a person who may not hold a post of the org.
const NotFullMemberMessage = "该党员不是本党组织的正式党员"

// CheckSecretaryCandidate says whether a member may be elected to a post of
// the org orgID: a full member (预备党员 have no 被选举权) in good standing
// held by that very org. A member of another org is refused with the same
// message as an unknown one, so that nothing leaks across scopes.
func CheckSecretaryCandidate(field string, found bool, status, standing string, memberOrg *int64, orgID int64) error {
	switch {
	case !found || memberOrg == nil || *memberOrg != orgID:
		return domain.FieldError(field, NotFullMemberMessage)
	case standing != domain.StandingRegistered:
		return domain.FieldError(field, NotFullMemberMessage+"（党籍状态不是在册）")
	case status != domain.MemberFull:
		return domain.FieldError(field, NotFullMemberMessage+"（预备党员没有被选举权）")
	}
	return nil
}

// DecisionInput is the body of an approval (note) or a return (reason).
type DecisionInput struct {
	Note   string `json:"note" text:"multiline"`
	Reason string `json:"reason" text:"multiline"`
}

// ValidateReturn requires the reason of a return.
func (d *DecisionInput) ValidateReturn() error {
	d.Reason = strings.TrimSpace(d.Reason)
	switch n := utf8.RuneCountInString(d.Reason); {
	case n == 0:
		return domain.FieldError("reason", "请填写退回原因")
	case n > 500:
		return domain.FieldError("reason", "退回原因不能超过500个字")
	}
	return nil
}

// ValidateApprove checks the optional note of an approval.
func (d *DecisionInput) ValidateApprove() error {
	d.Note = strings.TrimSpace(d.Note)
	if utf8.RuneCountInString(d.Note) > 500 {
		return domain.FieldError("note", "审批意见不能超过500个字")
	}
	return nil
}

// CanDecide reports whether a user bound to the node scopePath may approve
// or return a request of the org at orgPath: only its superior Party org or
// one above it, never the org itself nor one outside the chain.
func CanDecide(scopePath, orgPath string) bool {
	return scopePath != orgPath && strings.HasPrefix(orgPath, scopePath)
}
