// Package transfer holds the rules of 组织关系转接 (党员教育管理工作条例
// 2019, 第二十五条; 组通字〔2006〕45号 for the letter and its 回执): a
// member's membership moving between Party orgs inside the city along the
// approvals the rules set, leaving the city with an introduction letter
// whose receipt is awaited, and arriving from outside with one.
package transfer

import (
	"strings"
	"unicode/utf8"

	"github.com/lianxin/lianxin/internal/domain"
)

// Kind is where a transfer goes.
type Kind string

// The kinds.
const (
	Within   Kind = "within"   // between two Party orgs of the city
	Outbound Kind = "outbound" // to a Party org outside the city: a letter
	Inbound  Kind = "inbound"  // from outside the city, registered from a letter
)

// Kinds names them.
var Kinds = domain.CodeList{
	{Code: string(Within), Name: "市内转接"},
	{Code: string(Outbound), Name: "转出市外"},
	{Code: string(Inbound), Name: "从市外转入"},
}

// Status is where a transfer stands.
type Status string

// The statuses.
const (
	Pending   Status = "pending"   // 待审批
	Approved  Status = "approved"  // 待接收 (within) / 介绍信已开具，待回执 (outbound)
	Accepted  Status = "accepted"  // 已转入 (within, inbound) / 已回执 (outbound)
	Cancelled Status = "cancelled" // 已撤销
	Returned  Status = "returned"  // 已退回 (the receiving org refused, with its reason)
)

// Statuses names them.
var Statuses = domain.CodeList{
	{Code: string(Pending), Name: "待审批"},
	{Code: string(Approved), Name: "待接收"},
	{Code: string(Accepted), Name: "已完成"},
	{Code: string(Cancelled), Name: "已撤销"},
	{Code: string(Returned), Name: "已退回"},
}

// Open reports whether the transfer is still under way: the member then
// shows on both sides and cannot start another.
func (s Status) Open() bool { return s == Pending || s == Approved }

// Side is a part a caller plays in a transfer, decided by the store from
// the caller's scope.
type Side string

// The sides.
const (
	// Sending: staff above the member's Party org, in its district.
	Sending Side = "sending"
	// Receiving: staff above the receiving Party org, in its district.
	Receiving Side = "receiving"
	// ReceivingOrg: staff of the receiving Party org itself or above it.
	ReceivingOrg Side = "receiving_org"
)

// Action is a step on a transfer (the routes' last segment).
type Action string

// The steps.
const (
	Approve Action = "approve" // a side's approval
	Accept  Action = "accept"  // the receiving org takes the member (within) / the 回执 came back (outbound)
	Return  Action = "return"  // the receiving org sends it back, with a reason
	Cancel  Action = "cancel"  // either side withdraws it before acceptance
)

// Transfer is what the rules read of a transfer.
type Transfer struct {
	Kind   Kind
	Status Status
	// CrossDistrict: the two Party orgs lie in different districts, so
	// both districts approve; otherwise the sending side alone.
	CrossDistrict           bool
	ApprovedOut, ApprovedIn bool
}

// New is a requested transfer: inside the city it waits for approval;
// an outbound one waits for its letter to be approved too.
func New(kind Kind, crossDistrict bool) Transfer {
	return Transfer{Kind: kind, Status: Pending, CrossDistrict: crossDistrict && kind == Within}
}

// Apply decides a step taken by a caller playing sides (one call may play
// several: city staff sit above both). It returns the transfer after the
// step, or why not: ErrForbidden when none of the caller's sides may take
// the step, a conflict when the status does not allow it.
func (t Transfer) Apply(a Action, sides []Side, reason string) (Transfer, error) {
	has := func(s Side) bool {
		for _, x := range sides {
			if x == s {
				return true
			}
		}
		return false
	}
	if !t.Status.Open() {
		return t, &domain.ConflictError{Field: "status", Message: "该转接已" + Statuses.Name(string(t.Status)) + "，不能再办理"}
	}
	switch a {
	case Approve:
		if t.Status != Pending {
			return t, &domain.ConflictError{Field: "status", Message: "该转接已审批，待接收"}
		}
		acted := false
		if has(Sending) && !t.ApprovedOut {
			t.ApprovedOut, acted = true, true
		}
		if t.CrossDistrict && has(Receiving) && !t.ApprovedIn {
			t.ApprovedIn, acted = true, true
		}
		if !acted {
			if has(Sending) || has(Receiving) {
				return t, &domain.ConflictError{Field: "status", Message: "本方已审批，等待另一方审批"}
			}
			return t, domain.ErrForbidden
		}
		if t.ApprovedOut && (!t.CrossDistrict || t.ApprovedIn) {
			t.Status = Approved
		}
		return t, nil
	case Accept:
		if t.Kind == Outbound {
			// The 回执 is recorded by the sending side.
			if !has(Sending) {
				return t, domain.ErrForbidden
			}
		} else if !has(ReceivingOrg) {
			return t, domain.ErrForbidden
		}
		if t.Status != Approved {
			return t, &domain.ConflictError{Field: "status", Message: "该转接尚未审批完毕"}
		}
		t.Status = Accepted
		return t, nil
	case Return:
		if t.Kind != Within || !has(ReceivingOrg) {
			return t, domain.ErrForbidden
		}
		if t.Status != Approved {
			return t, &domain.ConflictError{Field: "status", Message: "该转接尚未审批完毕"}
		}
		if err := needReason(reason, "退回须说明理由（党组织不得无故拒接）"); err != nil {
			return t, err
		}
		t.Status = Returned
		return t, nil
	case Cancel:
		if !has(Sending) && !has(ReceivingOrg) && !has(Receiving) {
			return t, domain.ErrForbidden
		}
		if err := needReason(reason, "请说明撤销的理由"); err != nil {
			return t, err
		}
		t.Status = Cancelled
		return t, nil
	}
	return t, domain.ErrNotFound
}

// MaxReason bounds a reason, in characters.
const MaxReason = 200

func needReason(reason, missing string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return domain.FieldError("reason", missing)
	}
	if utf8.RuneCountInString(reason) > MaxReason {
		return domain.FieldError("reason", "理由不能超过200个字")
	}
	return nil
}

// ReceiptMonths is how long the 回执 of an introduction letter is awaited
// (介绍信 "一般不超过3个月").
const ReceiptMonths = 3

// ReceiptDue is the day the 回执 of a letter issued on is due.
func ReceiptDue(issued domain.Date) domain.Date { return domain.AddMonths(issued, ReceiptMonths) }

// Letter is an introduction letter's facts, checked field by field.
type Letter struct {
	Number string      // 介绍信编号
	Place  string      // destination (outbound) or origin (inbound) Party org, as written on it
	On     domain.Date // issued
}

// Check validates a letter; prefix names the fields (letter_number …).
func (l Letter) Check(today domain.Date) error {
	fields := map[string]string{}
	if n := strings.TrimSpace(l.Number); n == "" || utf8.RuneCountInString(n) > 40 {
		fields["letter_number"] = "请填写介绍信编号（不超过40个字符）"
	}
	if p := strings.TrimSpace(l.Place); p == "" || utf8.RuneCountInString(p) > 100 {
		fields["letter_place"] = "请填写介绍信上的党组织名称（不超过100个字）"
	}
	if _, ok := domain.ParseDate(string(l.On)); !ok {
		fields["letter_on"] = "请填写介绍信开具日期（YYYY-MM-DD）"
	} else if l.On > today {
		fields["letter_on"] = "介绍信开具日期不能晚于今天"
	}
	if len(fields) > 0 {
		return &domain.ValidationError{Fields: fields}
	}
	return nil
}
