package account

import (
	"errors"
	"strings"
	"testing"

	"github.com/lianxin/lianxin/internal/domain"
)

// TestCheckOwnOrgChange: on its own node an org's staff change neither the
// term, nor the type, nor the parent; a superior's staff may.
func TestCheckOwnOrgChange(t *testing.T) {
	parent, other := int64(7), int64(8)
	before := domain.PartyOrg{ID: 42, ParentID: &parent, Name: "中共甲公司支部委员会", Type: domain.Branch, Region: "510104001",
		TermStart: "2020-01-01", TermYears: 3, TermEnd: "2023-01-01", SecretaryName: "张三"}
	for _, c := range []struct {
		name    string
		change  func(o *domain.PartyOrg)
		ownOK   bool
		message string
	}{
		{"name", func(o *domain.PartyOrg) { o.Name = "中共乙公司支部委员会" }, true, ""},
		{"secretary", func(o *domain.PartyOrg) { o.SecretaryName = "李四" }, true, ""},
		{"region", func(o *domain.PartyOrg) { o.Region = "510104002" }, true, ""},
		{"nothing", func(o *domain.PartyOrg) {}, true, ""},
		{"term start", func(o *domain.PartyOrg) { o.TermStart = "2026-01-01" }, false, "届期"},
		{"term years", func(o *domain.PartyOrg) { o.TermYears = 5 }, false, "届期"},
		{"term end", func(o *domain.PartyOrg) { o.TermEnd = "2027-01-01" }, false, "届期"},
		{"postponement", func(o *domain.PartyOrg) { o.PostponedTo = "2027-01-01" }, false, "届期"},
		{"type", func(o *domain.PartyOrg) { o.Type = domain.GeneralBranch }, false, "类型"},
		{"parent", func(o *domain.PartyOrg) { o.ParentID = &other }, false, "隶属"},
		{"parent removed", func(o *domain.PartyOrg) { o.ParentID = nil }, false, "隶属"},
	} {
		after := before
		c.change(&after)
		if err := CheckOwnOrgChange(false, before, after); err != nil {
			t.Errorf("%s by a superior: %v", c.name, err)
		}
		err := CheckOwnOrgChange(true, before, after)
		if (err == nil) != c.ownOK {
			t.Errorf("%s by the org itself: %v", c.name, err)
			continue
		}
		if err != nil && (!errors.Is(err, domain.ErrForbidden) || !strings.Contains(err.Error(), c.message)) {
			t.Errorf("%s: refusal %q does not say %s", c.name, err, c.message)
		}
	}
	if err := CheckOwnTermRecord(true); !errors.Is(err, domain.ErrForbidden) {
		t.Errorf("own term record: %v", err)
	}
	if err := CheckOwnTermRecord(false); err != nil {
		t.Errorf("a superior's term record: %v", err)
	}
}
