// Package standing holds the decisions that change a member's standing
// (党籍): death, leaving the Party (出党: 开除党籍, 除名, 自行脱党的除名),
// 停止党籍 and 恢复党籍, each recorded with its date, deciding body and
// document; and what follows from a standing (an account that logs in, a
// member code that checks in).
package standing

import (
	"strings"
	"unicode/utf8"

	"github.com/lianxin/lianxin/internal/domain"
)

// Kind is a decision on a member's standing.
type Kind string

// The decisions.
const (
	Death   Kind = "death"   // 去世
	Leave   Kind = "leave"   // 出党
	Suspend Kind = "suspend" // 停止党籍 (条例 第二十四条: out of contact)
	Restore Kind = "restore" // 恢复党籍
)

// Kinds names them.
var Kinds = domain.CodeList{
	{Code: string(Death), Name: "去世"},
	{Code: string(Leave), Name: "出党"},
	{Code: string(Suspend), Name: "停止党籍"},
	{Code: string(Restore), Name: "恢复党籍"},
}

// LeaveManner is how a member left the Party.
type LeaveManner string

// The manners of 出党.
const (
	Expelled LeaveManner = "expelled" // 开除党籍
	Removed  LeaveManner = "removed"  // 除名
	Lapsed   LeaveManner = "lapsed"   // 自行脱党，予以除名
	Advised  LeaveManner = "advised"  // 劝退 (refused to leave: 除名)
)

// LeaveManners names them.
var LeaveManners = domain.CodeList{
	{Code: string(Expelled), Name: "开除党籍"},
	{Code: string(Removed), Name: "除名"},
	{Code: string(Lapsed), Name: "自行脱党除名"},
	{Code: string(Advised), Name: "劝退"},
}

// Decision is one recorded decision.
type Decision struct {
	Kind   Kind
	On     domain.Date
	Manner LeaveManner // Leave only
	// Body is who decided (the 党支部大会, the 基层党委, the 纪委 …).
	Body string
	// Document is the decision's number or title.
	Document string
	Note     string
}

// Apply decides a decision on a member whose standing is from, at today:
// the standing after it, or why not. A member transferred out belongs to
// another org's records, and a death or a departure ends the record.
func Apply(from string, d Decision, today domain.Date) (string, error) {
	fields := map[string]string{}
	if !Kinds.Has(string(d.Kind)) {
		return from, domain.FieldError("kind", "请选择党籍变动类型（去世、出党、停止党籍、恢复党籍）")
	}
	if _, ok := domain.ParseDate(string(d.On)); !ok {
		fields["on"] = "请填写决定日期（YYYY-MM-DD）"
	} else if d.On > today {
		fields["on"] = "决定日期不能晚于今天"
	}
	if d.Kind == Leave && !LeaveManners.Has(string(d.Manner)) {
		fields["manner"] = "请选择出党方式（开除党籍、除名、自行脱党除名、劝退）"
	}
	if d.Kind != Death {
		if b := strings.TrimSpace(d.Body); b == "" || utf8.RuneCountInString(b) > 100 {
			fields["body"] = "请填写作出决定的组织（不超过100个字）"
		}
		if doc := strings.TrimSpace(d.Document); doc == "" || utf8.RuneCountInString(doc) > 100 {
			fields["document"] = "请填写决定文件的文号或名称（不超过100个字）"
		}
	}
	if utf8.RuneCountInString(d.Note) > 500 {
		fields["note"] = "说明不能超过500个字"
	}
	if len(fields) > 0 {
		return from, &domain.ValidationError{Fields: fields}
	}
	to := map[Kind]string{Death: domain.StandingDeceased, Leave: domain.StandingExpelled, Suspend: domain.StandingSuspended, Restore: domain.StandingRegistered}[d.Kind]
	switch from {
	case domain.StandingRegistered:
		if d.Kind == Restore {
			return from, conflict("该党员党籍正常，无需恢复")
		}
	case domain.StandingSuspended:
		if d.Kind == Suspend {
			return from, conflict("该党员已停止党籍")
		}
	case domain.StandingTransferredOut:
		return from, conflict("该党员已转出，由接收党组织处理")
	default: // deceased, expelled
		return from, conflict("该党员的党籍记录已终止（" + domain.MemberStandings.Name(from) + "）")
	}
	return to, nil
}

func conflict(msg string) error { return &domain.ConflictError{Field: "standing", Message: msg} }

// CanLogIn reports whether a member of this standing keeps an account that
// logs in and a member code that checks in: registered members only. A
// suspended member's account waits for 恢复党籍.
func CanLogIn(standing string) bool { return standing == domain.StandingRegistered }
