package filing

import (
	"fmt"

	"github.com/lianxin/lianxin/internal/domain"
)

// The life of a request to the superior Party org, a secretary filing (备案)
// or a term change (延期/提前换届申请): submitted as pending; approved or
// returned by the superior; a returned one resubmitted (filings) or
// replaced by a new request of its kind (term changes); a pending or
// returned one withdrawn by the org. Approved and withdrawn are final.

// RequestAction is a step on a request.
type RequestAction string

// The steps.
const (
	// RequestResubmit edits a returned (or still pending) filing and
	// submits it again.
	RequestResubmit RequestAction = "resubmit"
	RequestApprove  RequestAction = "approve"
	RequestReturn   RequestAction = "return"
	RequestWithdraw RequestAction = "withdraw"
	// RequestSupersede: a new term change replaces a returned one of the
	// same kind, which is withdrawn.
	RequestSupersede RequestAction = "supersede"
)

// Decides: the step is the superior's decision (recorded with who decided,
// when and the note; only the superior's staff may take it, CanDecide).
func (a RequestAction) Decides() bool { return a == RequestApprove || a == RequestReturn }

// RequestType is a kind of request: what the messages call it and the
// steps it takes, each with the words of its refusal.
type RequestType struct {
	Noun string
	// refusals holds the end of the refusal of each step the type takes.
	refusals map[RequestAction]string
}

// The request types.
var (
	SecretaryFilings = RequestType{Noun: "备案", refusals: map[RequestAction]string{
		RequestResubmit: "不能再修改", RequestApprove: "不能再审批", RequestReturn: "不能退回", RequestWithdraw: "不能撤回"}}
	TermChanges = RequestType{Noun: "申请", refusals: map[RequestAction]string{
		RequestApprove: "不能再审批", RequestReturn: "不能再审批", RequestWithdraw: "不能撤回", RequestSupersede: "不能被新申请替代"}}
)

// requestSteps: the statuses each step leaves from, and where it goes.
var requestSteps = map[RequestAction]struct {
	from []string
	to   string
}{
	RequestResubmit:  {[]string{RequestPending, RequestReturned}, RequestPending},
	RequestApprove:   {[]string{RequestPending}, RequestApproved},
	RequestReturn:    {[]string{RequestPending}, RequestReturned},
	RequestWithdraw:  {[]string{RequestPending, RequestReturned}, RequestWithdrawn},
	RequestSupersede: {[]string{RequestReturned}, RequestWithdrawn},
}

// Transition decides step a on a request of this type in status from: the
// status it moves to, or a conflict on "status" naming the status
// ("该备案已批准，不能撤回"). A step the type does not take is a
// programming error.
func (t RequestType) Transition(from string, a RequestAction) (string, error) {
	refusal, ok := t.refusals[a]
	if !ok {
		return from, fmt.Errorf("domain: a %s takes no step %q", t.Noun, a)
	}
	step := requestSteps[a]
	for _, f := range step.from {
		if f == from {
			return step.to, nil
		}
	}
	return from, &domain.ConflictError{Field: "status", Message: "该" + t.Noun + RequestStatuses.Name(from) + "，" + refusal}
}
