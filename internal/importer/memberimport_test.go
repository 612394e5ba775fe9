package importer

import (
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/registry"
	"github.com/lianxin/lianxin/internal/xlsx"
)

// TestMemberRowNeedsPartyOrgOrEmployer: a row placed neither by a Party org
// nor by an employer is refused in the Party org's column, in the words the
// form and the API use (domain.PartyOrgOrEmployerMessage); either one is
// enough.
func TestMemberRowNeedsPartyOrgOrEmployer(t *testing.T) {
	refs := []registry.PartyOrgRef{{ID: 1, Name: "锦江区商务楼宇综合党委", Region: "510104", Active: true}}
	id := domain.MakeIDNumber("510104", time.Date(1990, 3, 7, 0, 0, 0, 0, time.UTC), 7, true)
	for _, c := range []struct {
		name, org, employer string
		refused             bool
	}{
		{"neither", "", "", true},
		{"a Party org", "锦江区商务楼宇综合党委", "", false},
		{"an employer", "", "91510104MA6C00001J", false},
		{"both", "锦江区商务楼宇综合党委", "91510104MA6C00001J", false},
	} {
		im := &memberImport{c: store.System(now, "test"), orgs: newPartyOrgIndex(refs), keys: newNaturalKeys("id_number", "公民身份号码"),
			employers: map[string]int64{}, links: newLinks()}
		row := memberRow(id, "张一", c.org)
		row[MemberTemplate.Index("employer_uscc")] = c.employer
		var got []xlsx.CellError
		for _, e := range im.check(xlsx.RecordOf(MemberTemplate, 2, row)) {
			if e.Column == "party_org" {
				got = append(got, e)
			}
		}
		switch {
		case c.refused && (len(got) != 1 || got[0].Reason != domain.PartyOrgOrEmployerMessage):
			t.Errorf("%s: want %q in the Party org's column, got %+v", c.name, domain.PartyOrgOrEmployerMessage, got)
		case !c.refused && len(got) != 0:
			t.Errorf("%s: refused %+v", c.name, got)
		}
	}
}
