package transfer

import (
	"errors"
	"testing"

	"github.com/lianxin/lianxin/internal/domain"
)

func TestWithinOneDistrict(t *testing.T) {
	tr := New(Within, false)
	if _, err := tr.Apply(Approve, []Side{ReceivingOrg}, ""); !errors.Is(err, domain.ErrForbidden) {
		t.Errorf("approval by the receiving org: %v", err)
	}
	if _, err := tr.Apply(Accept, []Side{ReceivingOrg}, ""); !isConflict(err) {
		t.Errorf("acceptance before approval: %v", err)
	}
	tr, err := tr.Apply(Approve, []Side{Sending}, "")
	if err != nil || tr.Status != Approved {
		t.Fatalf("one approval in one district: %+v %v", tr, err)
	}
	if _, err := tr.Apply(Accept, []Side{Sending}, ""); !errors.Is(err, domain.ErrForbidden) {
		t.Errorf("acceptance by the sending side: %v", err)
	}
	tr, err = tr.Apply(Accept, []Side{ReceivingOrg}, "")
	if err != nil || tr.Status != Accepted || tr.Status.Open() {
		t.Fatalf("accepted: %+v %v", tr, err)
	}
	if _, err := tr.Apply(Cancel, []Side{Sending}, "搞错了"); !isConflict(err) {
		t.Errorf("cancel after acceptance: %v", err)
	}
}

func TestAcrossDistricts(t *testing.T) {
	tr := New(Within, true)
	tr, err := tr.Apply(Approve, []Side{Sending}, "")
	if err != nil || tr.Status != Pending || !tr.ApprovedOut {
		t.Fatalf("the sending district approves: %+v %v", tr, err)
	}
	if _, err := tr.Apply(Approve, []Side{Sending}, ""); !isConflict(err) {
		t.Errorf("the sending district again: %v", err)
	}
	tr, err = tr.Apply(Approve, []Side{Receiving, ReceivingOrg}, "")
	if err != nil || tr.Status != Approved {
		t.Fatalf("the receiving district approves: %+v %v", tr, err)
	}
	// City staff hold both sides: one call approves both.
	both, err := New(Within, true).Apply(Approve, []Side{Sending, Receiving, ReceivingOrg}, "")
	if err != nil || both.Status != Approved {
		t.Errorf("city staff: %+v %v", both, err)
	}
}

func TestReturnAndCancel(t *testing.T) {
	tr, _ := New(Within, false).Apply(Approve, []Side{Sending}, "")
	var ve *domain.ValidationError
	if _, err := tr.Apply(Return, []Side{ReceivingOrg}, " "); !errors.As(err, &ve) || ve.Fields["reason"] == "" {
		t.Errorf("a return without a reason: %v", err)
	}
	got, err := tr.Apply(Return, []Side{ReceivingOrg}, "该党员不在本单位工作")
	if err != nil || got.Status != Returned {
		t.Errorf("returned: %+v %v", got, err)
	}
	got, err = New(Within, true).Apply(Cancel, []Side{Sending}, "党员改变主意")
	if err != nil || got.Status != Cancelled {
		t.Errorf("cancelled: %+v %v", got, err)
	}
	if _, err := New(Within, true).Apply(Cancel, nil, "x"); !errors.Is(err, domain.ErrForbidden) {
		t.Errorf("cancel by no side: %v", err)
	}
	if _, err := New(Within, true).Apply("delete", []Side{Sending}, ""); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("an unknown step: %v", err)
	}
}

func TestOutboundReceipt(t *testing.T) {
	tr := New(Outbound, true)
	if tr.CrossDistrict {
		t.Error("an outbound transfer needs the sending side only")
	}
	tr, _ = tr.Apply(Approve, []Side{Sending}, "")
	if tr.Status != Approved {
		t.Fatalf("letter approved: %+v", tr)
	}
	got, err := tr.Apply(Accept, []Side{Sending}, "")
	if err != nil || got.Status != Accepted {
		t.Errorf("receipt recorded: %+v %v", got, err)
	}
	for issued, want := range map[domain.Date]domain.Date{"2026-01-31": "2026-04-30", "2026-11-30": "2027-02-28"} {
		if got := ReceiptDue(issued); got != want {
			t.Errorf("receipt of a letter issued %s due %s, want %s", issued, got, want)
		}
	}
}

func TestLetterCheck(t *testing.T) {
	ok := Letter{Number: "川组转字第0012号", Place: "中共北京市朝阳区某某公司支部委员会", On: "2026-12-01"}
	if err := ok.Check("2026-12-07"); err != nil {
		t.Fatal(err)
	}
	bad := Letter{On: "2026-12-08"}
	var ve *domain.ValidationError
	if err := bad.Check("2026-12-07"); !errors.As(err, &ve) || len(ve.Fields) != 3 {
		t.Errorf("bad letter: %v", err)
	}
}

func isConflict(err error) bool {
	var ce *domain.ConflictError
	return errors.As(err, &ce)
}
