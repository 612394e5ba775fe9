package gen

import (
	"testing"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/chain"
)

// TestTraits: the generated organizations carry chains, 链主, zones, the
// Party-building facts and flags at the rates traits.go states, and every
// one of them still validates.
func TestTraits(t *testing.T) {
	r := Generate(Options{Scale: Small, Seed: 1, Today: today})
	zones := map[int64]domain.Zone{}
	for _, z := range r.Zones {
		zones[z.ID] = z
	}
	covered := map[int64]bool{}
	for _, c := range r.Covers {
		covered[c.OrganizationID] = true
	}
	onChain, masters, inZone := map[string]int{}, map[string]int{}, 0
	var n, withOrg, charter, crossWithout, social, socialCharter int
	for _, o := range r.Organizations {
		n++
		if err := o.Validate(today, nil); err != nil {
			t.Fatalf("%s: %v", o.Name, err)
		}
		if o.Chain != "" {
			onChain[o.Chain]++
			if o.Kind != domain.KindEnterprise {
				t.Errorf("%s (%s) is on a chain", o.Name, o.Kind)
			}
		}
		if o.HasFlag(chain.Master) {
			masters[o.Chain]++
		}
		if o.ZoneID != nil {
			inZone++
			if z := zones[*o.ZoneID]; z.Region != o.Region {
				t.Errorf("%s in %s sits in zone %s of %s", o.Name, o.Region, z.Name, z.Region)
			}
		}
		if covered[o.ID] {
			withOrg++
			if o.CharterIncludesParty {
				charter++
			}
		} else if o.CrossAppointment || o.SecretaryIsHead {
			crossWithout++
		}
		if o.Kind == domain.KindSocialOrg {
			social++
			if o.CharterIncludesParty {
				socialCharter++
			}
		}
		if o.HasFlag("specialized") && o.Kind != domain.KindEnterprise {
			t.Errorf("%s (%s) is 专精特新", o.Name, o.Kind)
		}
	}
	for _, c := range chain.Seed {
		if onChain[c.Code] == 0 || masters[c.Code] == 0 || masters[c.Code] > 8 {
			t.Errorf("chain %s: %d organizations, %d 链主", c.Name, onChain[c.Code], masters[c.Code])
		}
		if id := r.ChainParties[c.Code]; id == 0 || r.PartyOrgs[id-1].Name != "成都市"+c.Name+"产业链党委" || r.PartyOrgs[id-1].Type != domain.IndustryCommittee {
			t.Errorf("chain %s: Party org %d", c.Name, id)
		}
	}
	if share := float64(inZone) / float64(n); share < 0.1 || share > 0.5 {
		t.Errorf("%.2f of the organizations sit in a zone", share)
	}
	if share := float64(charter) / float64(withOrg); share < 0.4 || share > 0.75 {
		t.Errorf("%.2f of the covered organizations have 党建入章", share)
	}
	if crossWithout != 0 {
		t.Errorf("%d organizations without a Party org have 双向进入 or a secretary", crossWithout)
	}
	if share := float64(socialCharter) / float64(social); share < 0.8 {
		t.Errorf("%.2f of the social organizations have 党建入章", share)
	}
}
