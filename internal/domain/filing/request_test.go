package filing

import (
	"errors"
	"testing"

	"github.com/lianxin/lianxin/internal/domain"
)

// TestRequestTransitions walks every status of both request types through
// every step, with the refusals the API gives.
func TestRequestTransitions(t *testing.T) {
	type row struct {
		from string
		act  RequestAction
		to   string // "" = refused with msg
		msg  string
	}
	for _, c := range []struct {
		typ  RequestType
		rows []row
	}{
		{SecretaryFilings, []row{
			{RequestPending, RequestResubmit, RequestPending, ""},
			{RequestReturned, RequestResubmit, RequestPending, ""},
			{RequestApproved, RequestResubmit, "", "该备案已批准，不能再修改"},
			{RequestWithdrawn, RequestResubmit, "", "该备案已撤回，不能再修改"},

			{RequestPending, RequestApprove, RequestApproved, ""},
			{RequestReturned, RequestApprove, "", "该备案已退回，不能再审批"},
			{RequestApproved, RequestApprove, "", "该备案已批准，不能再审批"},
			{RequestWithdrawn, RequestApprove, "", "该备案已撤回，不能再审批"},

			{RequestPending, RequestReturn, RequestReturned, ""},
			{RequestReturned, RequestReturn, "", "该备案已退回，不能退回"},
			{RequestApproved, RequestReturn, "", "该备案已批准，不能退回"},
			{RequestWithdrawn, RequestReturn, "", "该备案已撤回，不能退回"},

			{RequestPending, RequestWithdraw, RequestWithdrawn, ""},
			{RequestReturned, RequestWithdraw, RequestWithdrawn, ""},
			{RequestApproved, RequestWithdraw, "", "该备案已批准，不能撤回"},
			{RequestWithdrawn, RequestWithdraw, "", "该备案已撤回，不能撤回"},
		}},
		{TermChanges, []row{
			{RequestPending, RequestApprove, RequestApproved, ""},
			{RequestReturned, RequestApprove, "", "该申请已退回，不能再审批"},
			{RequestApproved, RequestApprove, "", "该申请已批准，不能再审批"},
			{RequestWithdrawn, RequestApprove, "", "该申请已撤回，不能再审批"},

			{RequestPending, RequestReturn, RequestReturned, ""},
			{RequestReturned, RequestReturn, "", "该申请已退回，不能再审批"},
			{RequestApproved, RequestReturn, "", "该申请已批准，不能再审批"},
			{RequestWithdrawn, RequestReturn, "", "该申请已撤回，不能再审批"},

			{RequestPending, RequestWithdraw, RequestWithdrawn, ""},
			{RequestReturned, RequestWithdraw, RequestWithdrawn, ""},
			{RequestApproved, RequestWithdraw, "", "该申请已批准，不能撤回"},
			{RequestWithdrawn, RequestWithdraw, "", "该申请已撤回，不能撤回"},

			{RequestReturned, RequestSupersede, RequestWithdrawn, ""},
			{RequestPending, RequestSupersede, "", "该申请待审批，不能被新申请替代"},
			{RequestApproved, RequestSupersede, "", "该申请已批准，不能被新申请替代"},
			{RequestWithdrawn, RequestSupersede, "", "该申请已撤回，不能被新申请替代"},
		}},
	} {
		for _, r := range c.rows {
			name := c.typ.Noun + " " + r.from + " " + string(r.act)
			got, err := c.typ.Transition(r.from, r.act)
			if r.to != "" {
				if err != nil || got != r.to {
					t.Errorf("%s: %q, %v; want %q", name, got, err, r.to)
				}
				continue
			}
			var ce *domain.ConflictError
			if !errors.As(err, &ce) || ce.Field != "status" || ce.Message != r.msg {
				t.Errorf("%s: want conflict %q, got %v", name, r.msg, err)
			}
			if got != r.from {
				t.Errorf("%s: a refused step moved to %q", name, got)
			}
		}
	}
}

// TestRequestStepsNotTaken: a filing is never superseded, a term change
// never resubmitted (a new one replaces it); asking is a programming error,
// not a user's conflict.
func TestRequestStepsNotTaken(t *testing.T) {
	for _, c := range []struct {
		typ RequestType
		act RequestAction
	}{
		{SecretaryFilings, RequestSupersede},
		{TermChanges, RequestResubmit},
		{SecretaryFilings, "delete"},
	} {
		_, err := c.typ.Transition(RequestPending, c.act)
		if err == nil || errors.Is(err, domain.ErrConflict) {
			t.Errorf("%s %s: want a plain error, got %v", c.typ.Noun, c.act, err)
		}
	}
}

func TestRequestActionDecides(t *testing.T) {
	for a, want := range map[RequestAction]bool{RequestApprove: true, RequestReturn: true, RequestWithdraw: false,
		RequestResubmit: false, RequestSupersede: false} {
		if a.Decides() != want {
			t.Errorf("%s decides: %v", a, !want)
		}
	}
}
