package chain

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lianxin/lianxin/internal/domain"
)

func ptr[T any](v T) *T { return &v }

func TestSeedIsTwentyDistinctChains(t *testing.T) {
	if len(Seed) != 20 {
		t.Fatalf("%d chains, want 20", len(Seed))
	}
	codes, names := map[string]bool{}, map[string]bool{}
	for _, c := range Seed {
		if c.Code == "" || codes[c.Code] || names[c.Name] || utf8.RuneCountInString(c.Name) > MaxNameLen {
			t.Errorf("bad or duplicate %+v", c)
		}
		codes[c.Code], names[c.Name] = true, true
	}
}

func TestChainValidate(t *testing.T) {
	for _, c := range []struct {
		in           ChainInput
		field, words string
	}{
		{ChainInput{Name: ptr("  ")}, "name", "请填写"},
		{ChainInput{Name: ptr(strings.Repeat("链", MaxNameLen+1))}, "name", "30"},
		{ChainInput{Name: ptr("集成电路"), Sort: ptr(-1)}, "sort", "0至9999"},
		{ChainInput{Name: ptr("集成电路"), Sort: ptr(MaxSort + 1)}, "sort", "0至9999"},
		{ChainInput{Name: ptr("集成电路"), PartyOrgID: ptr(int64(-3))}, "party_org_id", "无效"},
	} {
		var ch IndustryChain
		c.in.Apply(&ch)
		err := ch.Validate()
		ve, ok := err.(*domain.ValidationError)
		if !ok || !strings.Contains(ve.Fields[c.field], c.words) || len(ve.Fields) != 1 {
			t.Errorf("%+v: %v, want %s with %q", c.in, err, c.field, c.words)
		}
	}
	ch := IndustryChain{Name: "旧名", PartyOrgID: ptr(int64(4))}
	ChainInput{Name: ptr(" 集成电路 "), Sort: ptr(9999), PartyOrgID: ptr(int64(0)), Retired: ptr(true)}.Apply(&ch)
	if err := ch.Validate(); err != nil || ch.Name != "集成电路" || ch.PartyOrgID != nil || !ch.Retired || ch.Sort != 9999 {
		t.Errorf("applied %+v: %v", ch, err)
	}
}

func TestMasterChange(t *testing.T) {
	ent := func(chain string, flags ...string) domain.Organization {
		return domain.Organization{Kind: domain.KindEnterprise, Chain: chain, Flags: flags}
	}
	for _, c := range []struct {
		name      string
		org       domain.Organization
		master    bool
		wantChain *string
		wantFlags *[]string
		err       string
	}{
		{"on no chain", ent("", "listed"), true, ptr("new_display"), ptr([]string{"listed", Master}), ""},
		{"on another chain", ent("fintech"), true, ptr("new_display"), ptr([]string{Master}), ""},
		{"on the chain", ent("new_display"), true, nil, ptr([]string{Master}), ""},
		{"already master", ent("new_display", Master), true, nil, nil, ""},
		{"master of another", ent("fintech", Master), true, nil, nil, "另一条产业链"},
		{"not an enterprise", domain.Organization{Kind: domain.KindSocialOrg}, true, nil, nil, "社会组织"},
		{"end", ent("new_display", "listed", Master), false, nil, ptr([]string{"listed"}), ""},
		{"end, not master", ent("new_display"), false, nil, nil, "不是本产业链"},
		{"end, master of another", ent("fintech", Master), false, nil, nil, "不是本产业链"},
	} {
		in, err := MasterChange(c.org, "new_display", c.master)
		if c.err != "" {
			field := "chain_id"
			if !c.master {
				field = "organization_id"
			}
			ve, ok := err.(*domain.ValidationError)
			if !ok || !strings.Contains(ve.Fields[field], c.err) {
				t.Errorf("%s: %v, want %q", c.name, err, c.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(in.Chain, c.wantChain) || !reflect.DeepEqual(in.Flags, c.wantFlags) {
			t.Errorf("%s: chain %v flags %v err %v", c.name, in.Chain, in.Flags, err)
		}
		// Applied, the change validates as the organization's own edit.
		o := c.org
		in.Apply(&o)
		if c.master != o.HasFlag(Master) || (c.master && o.Chain != "new_display") {
			t.Errorf("%s: applied %+v", c.name, o)
		}
	}
}

func TestCheckPartyOrg(t *testing.T) {
	for _, c := range []struct {
		t      domain.PartyOrgType
		status string
		err    string
	}{
		{domain.IndustryCommittee, domain.StatusActive, ""},
		{domain.AreaCommittee, domain.StatusActive, ""},
		{domain.JointCommittee, domain.StatusActive, ""},
		{domain.Branch, domain.StatusActive, "行业党委、综合党委或联合党委"},
		{domain.WorkCommittee, domain.StatusActive, "行业党委、综合党委或联合党委"},
		{domain.IndustryCommittee, domain.StatusDissolved, "已撤销"},
	} {
		err := CheckPartyOrg(c.t, c.status)
		if c.err == "" && err != nil || c.err != "" && (err == nil || !strings.Contains(err.(*domain.ValidationError).Fields["party_org_id"], c.err)) {
			t.Errorf("%s %s: %v, want %q", c.t, c.status, err, c.err)
		}
	}
}
