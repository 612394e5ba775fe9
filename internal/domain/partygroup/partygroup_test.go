package partygroup

import (
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
)

var today = time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)

func TestValidate(t *testing.T) {
	for _, c := range []struct {
		g     PartyGroup
		field string
	}{
		{PartyGroup{Name: "第一党小组"}, ""},
		{PartyGroup{Name: ""}, "name"},
		{PartyGroup{Name: "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一"}, "name"},
		{PartyGroup{Name: "第一党小组", FoundedOn: "2026-11-27"}, ""},
		{PartyGroup{Name: "第一党小组", FoundedOn: "2026-11-28"}, "founded_on"},
		{PartyGroup{Name: "第一党小组", FoundedOn: "2026-02-30"}, "founded_on"},
	} {
		err := c.g.Validate(today)
		ve, _ := err.(*domain.ValidationError)
		switch {
		case c.field == "" && err != nil:
			t.Errorf("%+v: %v", c.g, err)
		case c.field != "" && (ve == nil || ve.Fields[c.field] == ""):
			t.Errorf("%+v: want an error on %s, got %v", c.g, c.field, err)
		}
	}
}

func TestCheckOrgAndMember(t *testing.T) {
	for typ, ok := range map[domain.PartyOrgType]bool{domain.Branch: true, domain.JointBranch: true, domain.MobileBranch: true, domain.TemporaryBranch: true,
		domain.GeneralBranch: false, domain.Committee: false, domain.WorkCommittee: false} {
		if got := CheckOrg(domain.PartyOrg{Type: typ, Status: domain.StatusActive}) == nil; got != ok {
			t.Errorf("%s: allowed %v, want %v", typ, got, ok)
		}
	}
	if CheckOrg(domain.PartyOrg{Type: domain.Branch, Status: domain.StatusDissolved}) == nil {
		t.Error("a dissolved branch may have groups")
	}
	b, other := int64(7), int64(8)
	if CheckMember("m", &b, true, 7) != nil || CheckMember("m", &other, true, 7) == nil || CheckMember("m", nil, true, 7) == nil || CheckMember("m", &b, false, 7) == nil {
		t.Error("CheckMember")
	}
}

func TestDissolve(t *testing.T) {
	g := PartyGroup{Name: "第一党小组", Status: StatusActive, FoundedOn: "2026-01-01"}
	for d, ok := range map[string]bool{"2026-11-27": true, "2026-11-28": false, "2025-12-31": false, "x": false} {
		if got := (PartyGroupDissolution{DissolvedOn: d}).Validate(g, today) == nil; got != ok {
			t.Errorf("%s: %v, want %v", d, got, ok)
		}
	}
	g.Status = StatusDissolved
	if (PartyGroupDissolution{DissolvedOn: "2026-11-27"}).Validate(g, today) == nil {
		t.Error("dissolved twice")
	}
}
