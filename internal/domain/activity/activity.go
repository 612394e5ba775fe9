package activity

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
)

// Organizational life (组织生活): activities, their types and statuses, the
// attendance kinds, the quorum of a 支部党员大会 and attendance rates. The
// store keeps activities and attendances; everything here is pure so that the
// same rules serve the API, the generator and the ledger (compliance.go).

// ActivityType is the kind of an activity (glossary: 三会一课, 主题党日 …).
type ActivityType string

// The activity types. The first seven are the glossary's codes; the rest are
// named here (issue 4, item 1) and should be added to the glossary with them.
const (
	MembersMeeting    ActivityType = "members_meeting"     // 支部党员大会
	CommitteeMeeting  ActivityType = "committee_meeting"   // 支委会
	GroupMeeting      ActivityType = "group_meeting"       // 党小组会
	PartyLecture      ActivityType = "party_lecture"       // 党课
	ThemeDay          ActivityType = "theme_day"           // 主题党日
	LifeMeeting       ActivityType = "life_meeting"        // 组织生活会
	MemberReview      ActivityType = "member_review"       // 民主评议党员
	HeartTalk         ActivityType = "heart_talk"          // 谈心谈话
	JointThemeDay     ActivityType = "joint_theme_day"     // 联合主题党日
	QuestionSolving   ActivityType = "question_solving"    // 党员出题·支部定题·党群破题
	JointStudy        ActivityType = "joint_study"         // 共同学习（与企业管理层）
	MajorMatterReview ActivityType = "major_matter_review" // 重大事项前置研究（平台企业）
	VolunteerService  ActivityType = "volunteer_service"   // 志愿服务
	GovEnterprise     ActivityType = "gov_enterprise"      // 政企互动
)

// ActivityTypeInfo describes a type.
type ActivityTypeInfo struct {
	Code ActivityType `json:"code"`
	Name string       `json:"name"`
	// Counts is the ledger requirement (三会一课台账) a held activity of this
	// type fulfils; "" when it fulfils none. A 联合主题党日 counts as the
	// 主题党日 of every hosting org.
	Counts Requirement `json:"counts"`
	// MultiHost: the activity may have several hosting Party orgs.
	MultiHost bool `json:"multi_host"`
}

// ActivityTypes lists the types in display order: 三会一课 first.
var ActivityTypes = []ActivityTypeInfo{
	{MembersMeeting, "支部党员大会", ReqMembersMeeting, false},
	{CommitteeMeeting, "支委会", ReqCommitteeMeeting, false},
	{GroupMeeting, "党小组会", ReqGroupMeeting, false},
	{PartyLecture, "党课", ReqPartyLecture, false},
	{ThemeDay, "主题党日", ReqThemeDay, false},
	{JointThemeDay, "联合主题党日", ReqThemeDay, true},
	{LifeMeeting, "组织生活会", ReqLifeMeeting, false},
	{MemberReview, "民主评议党员", ReqMemberReview, false},
	{HeartTalk, "谈心谈话", "", false},
	{QuestionSolving, "党员出题·支部定题·党群破题", "", false},
	{JointStudy, "共同学习", "", false},
	{MajorMatterReview, "重大事项前置研究", "", false},
	{VolunteerService, "志愿服务", "", false},
	{GovEnterprise, "政企互动", "", false},
}

// ActivityTypeCodes lists the types as codes and names (query filters).
func ActivityTypeCodes() domain.CodeList {
	out := make(domain.CodeList, len(ActivityTypes))
	for i, t := range ActivityTypes {
		out[i] = domain.CodeName{Code: string(t.Code), Name: t.Name}
	}
	return out
}

// Info returns the description of t and whether t is a known type.
func (t ActivityType) Info() (ActivityTypeInfo, bool) {
	for _, i := range ActivityTypes {
		if i.Code == t {
			return i, true
		}
	}
	return ActivityTypeInfo{}, false
}

// Name is the Chinese name of the type, or the code itself when unknown.
func (t ActivityType) Name() string {
	if i, ok := t.Info(); ok {
		return i.Name
	}
	return string(t)
}

// Requirement is the ledger requirement a held activity of type t fulfils,
// or "". A switch rather than a scan of ActivityTypes: the ledger calls it
// for every activity of the city.
func (t ActivityType) Requirement() Requirement {
	switch t {
	case MembersMeeting:
		return ReqMembersMeeting
	case CommitteeMeeting:
		return ReqCommitteeMeeting
	case GroupMeeting:
		return ReqGroupMeeting
	case PartyLecture:
		return ReqPartyLecture
	case ThemeDay, JointThemeDay:
		return ReqThemeDay
	case LifeMeeting:
		return ReqLifeMeeting
	case MemberReview:
		return ReqMemberReview
	}
	return ""
}

// ActivityStatus is where an activity stands.
type ActivityStatus string

// The activity statuses.
const (
	ActivityPlanned   ActivityStatus = "planned"
	ActivityHeld      ActivityStatus = "held"
	ActivityCancelled ActivityStatus = "cancelled"
)

// ActivityStatuses names the statuses.
var ActivityStatuses = domain.CodeList{
	{Code: string(ActivityPlanned), Name: "计划中"},
	{Code: string(ActivityHeld), Name: "已开展"},
	{Code: string(ActivityCancelled), Name: "已取消"},
}

// CheckStatusChange says whether an activity may go from one status to
// another. Planned is the only status that can move: a held activity is a
// record (its minutes can still be corrected, its status not), and a
// cancelled one stays cancelled so that its check-in codes stay dead.
func CheckStatusChange(from, to ActivityStatus) error {
	if from == to {
		return nil
	}
	if from == ActivityPlanned && (to == ActivityHeld || to == ActivityCancelled) {
		return nil
	}
	return domain.FieldError("status", fmt.Sprintf("活动状态不能从“%s”改为“%s”",
		ActivityStatuses.Name(string(from)), ActivityStatuses.Name(string(to))))
}

// Limits of an activity's fields.
const (
	// MaxActivityDuration bounds end − start: a 主题党日 outing or a
	// volunteer service can take a day or two; anything longer is a typo.
	MaxActivityDuration = 72 * time.Hour
	// MaxPlanAhead bounds how far ahead an activity can be planned.
	MaxPlanAhead = 366 * 24 * time.Hour
	// MaxCoHosts bounds the co-hosts of a 联合主题党日.
	MaxCoHosts = 20
	// MaxActivityCapacity bounds the places of an open activity.
	MaxActivityCapacity = 10000
)

// earliestActivity rejects zero and mistyped years (0001-01-01, 1926 …).
var earliestActivity = time.Date(2000, 1, 1, 0, 0, 0, 0, domain.Shanghai)

// ActivityInput is what staff enter for an activity (create, or a full
// edit). The contract's POST body is a subset: party_org_id, type, title,
// starts_at, ends_at, open.
type ActivityInput struct {
	PartyOrgID int64 `json:"party_org_id"`
	// CoHostIDs are the other hosting Party orgs of a 联合主题党日; empty
	// for every other type.
	CoHostIDs []int64      `json:"co_host_ids"`
	Type      ActivityType `json:"type"`
	Title     string       `json:"title"`
	Theme     string       `json:"theme"`
	// MonthlyThemeID links a 主题党日 to the city's theme of its month (一月一主题).
	MonthlyThemeID *int64    `json:"monthly_theme_id"`
	StartsAt       time.Time `json:"starts_at"`
	EndsAt         time.Time `json:"ends_at"`
	Address        string    `json:"address"`
	// Latitude and Longitude are WGS-84 degrees, as a phone's location API
	// reports them; both or neither.
	Latitude  *float64 `json:"latitude"`
	Longitude *float64 `json:"longitude"`
	// Open (开放式): members of other Party orgs may attend and their
	// attendance is recognized by their own org; Capacity bounds those guests.
	Open     bool   `json:"open"`
	Capacity int    `json:"capacity"`
	Agenda   string `json:"agenda" text:"multiline"`
	// Status is planned, or held when an activity is recorded after the fact.
	// Cancelling is its own action (CancelInput).
	Status      ActivityStatus `json:"status"`
	Minutes     string         `json:"minutes" text:"multiline"`
	Resolutions string         `json:"resolutions" text:"multiline"`
	// 党员出题·支部定题·党群破题: the question members raised, what the
	// branch decided to take on, and the outcome reached with the public.
	Question string `json:"question" text:"multiline"`
	Decision string `json:"decision" text:"multiline"`
	Outcome  string `json:"outcome" text:"multiline"`
}

// Normalize trims the text fields and defaults the status to planned.
func (in *ActivityInput) Normalize() {
	for _, p := range []*string{&in.Title, &in.Theme, &in.Address, &in.Agenda, &in.Minutes, &in.Resolutions, &in.Question, &in.Decision, &in.Outcome} {
		*p = strings.TrimSpace(*p)
	}
	in.Type = ActivityType(strings.TrimSpace(string(in.Type)))
	if in.Status == "" {
		in.Status = ActivityPlanned
	}
}

// Validate normalizes the input and checks every field; now decides whether
// the activity may be recorded as held. Whether the Party orgs exist, are in
// the caller's scope and the monthly theme matches the month is checked by
// the store.
func (in *ActivityInput) Validate(now time.Time) error {
	in.Normalize()
	v := &domain.ValidationError{}
	info, known := in.Type.Info()
	if !known {
		v.Add("type", "请选择有效的活动类型")
	}
	in.validateHosts(v, info, known)
	domain.CheckLen(v, "title", "活动名称", in.Title, 100, true)
	domain.CheckLen(v, "theme", "活动主题", in.Theme, 100, false)
	if in.MonthlyThemeID != nil && (in.Type.Requirement() != ReqThemeDay || *in.MonthlyThemeID <= 0) {
		v.Add("monthly_theme_id", "只有主题党日可关联每月主题")
	}
	in.validateTimes(v, now)
	domain.CheckLen(v, "address", "活动地点", in.Address, 200, true)
	validateCoordinates(v, in.Latitude, in.Longitude)
	switch {
	case in.Capacity < 0:
		v.Add("capacity", "名额不能为负数")
	case in.Open && in.Capacity < 1:
		v.Add("capacity", "开放式活动须设置名额（至少1人）")
	case in.Capacity > MaxActivityCapacity:
		v.Add("capacity", fmt.Sprintf("名额不能超过%d人", MaxActivityCapacity))
	}
	domain.CheckLen(v, "agenda", "议程", in.Agenda, 5000, false)
	domain.CheckLen(v, "minutes", "会议记录", in.Minutes, 20000, false)
	domain.CheckLen(v, "resolutions", "决议", in.Resolutions, 5000, false)
	in.validateStatus(v, now)
	in.validateQuestion(v)
	return v.Err()
}

// validateHosts: one hosting org, several only for a joint theme day.
func (in *ActivityInput) validateHosts(v *domain.ValidationError, info ActivityTypeInfo, known bool) {
	if in.PartyOrgID <= 0 {
		v.Add("party_org_id", "请选择主办党组织")
	}
	if !known {
		return
	}
	if !info.MultiHost {
		if len(in.CoHostIDs) > 0 {
			v.Add("co_host_ids", "只有联合主题党日可由多个党组织联合举办")
		}
		return
	}
	switch {
	case len(in.CoHostIDs) == 0:
		v.Add("co_host_ids", "联合主题党日须至少选择一个联办党组织")
	case len(in.CoHostIDs) > MaxCoHosts:
		v.Add("co_host_ids", fmt.Sprintf("联办党组织不能超过%d个", MaxCoHosts))
	}
	seen := map[int64]bool{in.PartyOrgID: true}
	for _, id := range in.CoHostIDs {
		switch {
		case id <= 0:
			v.Add("co_host_ids", "联办党组织无效")
		case seen[id]:
			v.Add("co_host_ids", "联办党组织重复，或与主办党组织相同")
		}
		seen[id] = true
	}
}

func (in *ActivityInput) validateTimes(v *domain.ValidationError, now time.Time) {
	startOK, endOK := !in.StartsAt.IsZero(), !in.EndsAt.IsZero()
	if !startOK {
		v.Add("starts_at", "请填写开始时间")
	} else if in.StartsAt.Before(earliestActivity) {
		v.Add("starts_at", "开始时间不能早于2000年")
		startOK = false
	} else if in.StartsAt.After(now.Add(MaxPlanAhead)) {
		v.Add("starts_at", "活动最多提前一年安排")
		startOK = false
	}
	if !endOK {
		v.Add("ends_at", "请填写结束时间")
	}
	if !startOK || !endOK {
		return
	}
	switch d := in.EndsAt.Sub(in.StartsAt); {
	case d <= 0:
		v.Add("ends_at", "结束时间须晚于开始时间")
	case d > MaxActivityDuration:
		v.Add("ends_at", fmt.Sprintf("活动时长不能超过%d小时", int(MaxActivityDuration/time.Hour)))
	}
}

// validateCoordinates: both or neither, finite and in range. Nothing checks
// that the point lies in Chengdu: a 流动党员党支部 may meet elsewhere.
func validateCoordinates(v *domain.ValidationError, lat, lng *float64) {
	if (lat == nil) != (lng == nil) {
		v.Add("latitude", "经度和纬度须同时填写")
		return
	}
	if lat == nil {
		return
	}
	if math.IsNaN(*lat) || *lat < -90 || *lat > 90 {
		v.Add("latitude", "纬度应在-90到90之间")
	}
	if math.IsNaN(*lng) || *lng < -180 || *lng > 180 {
		v.Add("longitude", "经度应在-180到180之间")
	}
}

// validateStatus: an activity is recorded as held only once it has started,
// and with its minutes (会议记录) — the ledger counts it on their strength.
func (in *ActivityInput) validateStatus(v *domain.ValidationError, now time.Time) {
	switch in.Status {
	case ActivityPlanned:
	case ActivityHeld:
		if !in.StartsAt.IsZero() && in.StartsAt.After(now) {
			v.Add("status", "活动尚未开始，不能标记为已开展")
		}
		if in.Minutes == "" {
			v.Add("minutes", "标记为已开展须填写会议记录")
		}
	case ActivityCancelled:
		v.Add("status", "取消活动请使用“取消”操作并填写原因")
	default:
		v.Add("status", "活动状态应为计划中（planned）或已开展（held）")
	}
}

// validateQuestion: the three fields belong to 党员出题·支部定题·党群破题
// only; the question comes first, the branch's decision is needed once the
// activity is held, and the outcome may follow later.
func (in *ActivityInput) validateQuestion(v *domain.ValidationError) {
	if in.Type != QuestionSolving {
		for field, s := range map[string]string{"question": in.Question, "decision": in.Decision, "outcome": in.Outcome} {
			if s != "" {
				v.Add(field, "只有“党员出题·支部定题·党群破题”活动填写此项")
			}
		}
		return
	}
	domain.CheckLen(v, "question", "党员所出的题（问题）", in.Question, 2000, true)
	domain.CheckLen(v, "decision", "支部所定的题（决定）", in.Decision, 2000, in.Status == ActivityHeld)
	domain.CheckLen(v, "outcome", "破题结果", in.Outcome, 2000, false)
}

// Hosts lists the hosting Party orgs, the main one first.
func (in *ActivityInput) Hosts() []int64 {
	return append([]int64{in.PartyOrgID}, in.CoHostIDs...)
}

// CancelInput is the body of a cancellation.
type CancelInput struct {
	Reason string `json:"reason" text:"multiline"`
}

// Validate checks the reason and that the activity can still be cancelled.
func (c *CancelInput) Validate(current ActivityStatus) error {
	v := &domain.ValidationError{}
	c.Reason = strings.TrimSpace(c.Reason)
	domain.CheckLen(v, "reason", "取消原因", c.Reason, 200, true)
	if current != ActivityPlanned {
		v.Add("status", "只有计划中的活动可以取消")
	}
	return v.Err()
}

// MonthlyTheme is the city's theme of a month (一月一主题); 主题党日 link to it.
type MonthlyTheme struct {
	ID          int64  `json:"id"`
	Month       string `json:"month"` // YYYY-MM
	Title       string `json:"title"`
	Description string `json:"description"`
}

// Validate normalizes and checks the theme.
func (m *MonthlyTheme) Validate() error {
	v := &domain.ValidationError{}
	m.Month = strings.TrimSpace(m.Month)
	m.Title = strings.TrimSpace(m.Title)
	m.Description = strings.TrimSpace(m.Description)
	if t, err := time.Parse("2006-01", m.Month); err != nil || len(m.Month) != 7 {
		v.Add("month", "月份格式应为 YYYY-MM")
	} else if t.Year() < 2000 || t.Year() > domain.MaxYear {
		v.Add("month", fmt.Sprintf("月份应为 YYYY-MM，且在2000年至%d年之间", domain.MaxYear))
	}
	domain.CheckLen(v, "title", "主题", m.Title, 100, true)
	domain.CheckLen(v, "description", "主题说明", m.Description, 2000, false)
	return v.Err()
}

// AttendanceKind is how a member's attendance is recorded.
type AttendanceKind string

// The attendance kinds.
const (
	AttendPresent AttendanceKind = "present"
	AttendLeave   AttendanceKind = "leave"
	AttendAbsent  AttendanceKind = "absent"
)

// AttendanceKinds names the kinds.
var AttendanceKinds = domain.CodeList{
	{Code: string(AttendPresent), Name: "出席"},
	{Code: string(AttendLeave), Name: "请假"},
	{Code: string(AttendAbsent), Name: "缺席"},
}

// Check-in methods: how a present attendance was recorded.
const (
	CheckinActivityCode = "activity_code" // the member scanned the activity's code
	CheckinMemberCode   = "member_code"   // the organizer scanned the member's 一码通
	CheckinManual       = "manual"        // marked by hand
)

// CheckinMethods names the methods.
var CheckinMethods = domain.CodeList{
	{Code: CheckinActivityCode, Name: "扫活动码签到"},
	{Code: CheckinMemberCode, Name: "扫党员码签到"},
	{Code: CheckinManual, Name: "手工登记"},
}

// Attendance is one member's attendance at one activity. Recognized marks a
// guest from another Party org at an open activity (活动互认): it counts in
// the member's own org's record.
type Attendance struct {
	ID         int64          `json:"id"`
	ActivityID int64          `json:"activity_id"`
	MemberID   int64          `json:"member_id"`
	Kind       AttendanceKind `json:"kind"`
	Reason     string         `json:"reason"`
	Recognized bool           `json:"recognized"`
	Method     string         `json:"method"`
	At         time.Time      `json:"at"`
}

// AttendanceInput is a mark made by hand.
type AttendanceInput struct {
	MemberID int64          `json:"member_id"`
	Kind     AttendanceKind `json:"kind"`
	Reason   string         `json:"reason" text:"multiline"`
}

// Validate checks the mark: a leave needs its reason (请假须说明事由, which
// the meeting record lists), an absence may give one, a presence none.
func (a *AttendanceInput) Validate() error {
	v := &domain.ValidationError{}
	a.Reason = strings.TrimSpace(a.Reason)
	if a.MemberID <= 0 {
		v.Add("member_id", "请选择党员")
	}
	switch a.Kind {
	case AttendLeave:
		domain.CheckLen(v, "reason", "请假事由", a.Reason, 200, true)
	case AttendAbsent:
		domain.CheckLen(v, "reason", "缺席原因", a.Reason, 200, false)
	case AttendPresent:
		if a.Reason != "" {
			v.Add("reason", "出席无需填写原因")
		}
	default:
		v.Add("kind", "出勤情况应为出席、请假或缺席")
	}
	return v.Err()
}

// CheckinTarget is what a check-in needs to know about the activity.
type CheckinTarget struct {
	Status ActivityStatus
	Hosts  []int64 // the hosting Party orgs
	Open   bool
	// Capacity bounds the guests of an open activity; GuestsPresent is how
	// many are already checked in.
	Capacity      int
	GuestsPresent int
}

// CheckinAllowed decides whether a member of memberOrg may check in, and
// whether the attendance is a recognized one (a guest's). The member's org
// comes from the server's record of the member, never from the client. A
// member of a hosting org always may; a guest only at an open activity with
// places left. A repeated check-in is the store's concern (it returns the
// existing attendance before asking).
func CheckinAllowed(t CheckinTarget, memberOrg int64) (recognized bool, err error) {
	if t.Status == ActivityCancelled {
		return false, &domain.ConflictError{Field: "status", Message: "活动已取消，不能签到"}
	}
	for _, h := range t.Hosts {
		if h == memberOrg && memberOrg > 0 {
			return false, nil
		}
	}
	if !t.Open {
		return false, ErrNotOpen
	}
	if t.GuestsPresent >= t.Capacity {
		return false, &domain.ConflictError{Field: "capacity", Message: "活动名额已满"}
	}
	return true, nil
}

// ErrNotOpen refuses a member of another Party org at a closed activity
// (the API's 403).
var ErrNotOpen error = &domain.ForbiddenError{Message: "该活动不对其他党组织的党员开放，您不能签到"}

// Quorum is the quorum check of a 支部党员大会.
type Quorum struct {
	// Entitled: full members with voting rights (应到会有表决权的正式党员).
	Entitled int `json:"entitled"`
	// Present: those of them present.
	Present int `json:"present"`
	// Required: the smallest number that is more than half of Entitled.
	Required int  `json:"required"`
	Met      bool `json:"met"`
}

// QuorumOf applies domain-rules §2: a 支部党员大会 needs more than half of the
// full members with voting rights present. Probationary members have no vote
// (选举工作条例 第五条) and do not count on either side; nor do guests. A
// branch with nobody entitled has no quorum.
func QuorumOf(entitled, present int) Quorum {
	q := Quorum{Entitled: max(entitled, 0), Present: min(max(present, 0), max(entitled, 0))}
	q.Required = q.Entitled/2 + 1
	q.Met = q.Entitled > 0 && q.Present >= q.Required
	return q
}

// RosterEntry is one expected attendee of an activity with the outcome.
type RosterEntry struct {
	Status string // MemberFull or MemberProbationary
	// VotingSuspended: under 留党察看, or 留置/逮捕 (选举工作条例 第五条).
	VotingSuspended bool
	Kind            AttendanceKind // "" when nothing is recorded yet
}

// RosterQuorum counts QuorumOf over a roster (the org's members in good
// standing; guests are not on it).
func RosterQuorum(roster []RosterEntry) Quorum {
	entitled, present := 0, 0
	for _, r := range roster {
		if r.Status != domain.MemberFull || r.VotingSuspended {
			continue
		}
		entitled++
		if r.Kind == AttendPresent {
			present++
		}
	}
	return QuorumOf(entitled, present)
}

// AttendanceStats sums an activity's attendance.
type AttendanceStats struct {
	Expected int `json:"expected"` // the roster (应到)
	Present  int `json:"present"`  // roster members present (实到)
	Leave    int `json:"leave"`
	Absent   int `json:"absent"` // marked absent or not recorded
	Guests   int `json:"guests"` // recognized attendances of other orgs' members
	// Rate is Present/Expected in percent with one decimal (出席率). Leave
	// counts against it: the ledger reports who took part, not who excused
	// themselves. Guests are outside it.
	Rate float64 `json:"rate"`
}

// AttendanceStatsOf sums the roster's outcomes and the guests.
func AttendanceStatsOf(roster []RosterEntry, guests int) AttendanceStats {
	s := AttendanceStats{Expected: len(roster), Guests: guests}
	for _, r := range roster {
		switch r.Kind {
		case AttendPresent:
			s.Present++
		case AttendLeave:
			s.Leave++
		default:
			s.Absent++
		}
	}
	s.Rate = domain.Percent(s.Present, s.Expected)
	return s
}
