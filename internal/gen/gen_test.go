package gen

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store/bulk"
)

var today = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

func TestSameSeedSameData(t *testing.T) {
	a := Generate(Options{Scale: Small, Seed: 7, Today: today})
	b := Generate(Options{Scale: Small, Seed: 7, Today: today})
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed gave different data")
	}
	c := Generate(Options{Scale: Small, Seed: 8, Today: today})
	if reflect.DeepEqual(a.PartyOrgs, c.PartyOrgs) {
		t.Fatal("different seeds gave the same data")
	}
}

func TestTreeIsConsistent(t *testing.T) {
	r := Generate(Options{Scale: Small, Seed: 1, Today: today})
	byID := map[int64]domain.PartyOrg{}
	types := map[domain.PartyOrgType]int{}
	for i, o := range r.PartyOrgs {
		if o.ID != int64(i+1) {
			t.Fatalf("ids not sequential at %d", i)
		}
		byID[o.ID] = o
		types[o.Type]++
		if err := o.Validate(today); err != nil {
			t.Fatalf("%s: %v", o.Name, err)
		}
		if o.ParentID == nil {
			if o.Path != "/1/" {
				t.Fatalf("root path %s", o.Path)
			}
			continue
		}
		p, ok := byID[*o.ParentID]
		if !ok {
			t.Fatalf("%s: parent %d comes later", o.Name, *o.ParentID)
		}
		if !strings.HasPrefix(o.Path, p.Path) || o.Depth != p.Depth+1 {
			t.Fatalf("%s: path %s under %s", o.Name, o.Path, p.Path)
		}
		if err := o.ValidatePlacement(&p); err != nil {
			t.Fatalf("%s under %s: %v", o.Name, p.Name, err)
		}
	}
	for _, ti := range domain.PartyOrgTypes {
		if types[ti.Code] == 0 {
			t.Errorf("no Party org of type %s", ti.Code)
		}
	}
	// One work committee per district-level unit under the city's.
	if types[domain.WorkCommittee] != 1+20+3 {
		t.Errorf("%d work committees", types[domain.WorkCommittee])
	}
	want := map[string]bool{"admin": true, "secadmin": true, "auditor": true, "city": true, "jinjiang": true, "qingyang": true, "branch": true}
	for _, u := range r.Users {
		delete(want, u.Username)
	}
	if len(want) > 0 {
		t.Errorf("demo accounts missing: %v", want)
	}
}

func TestCityScaleSize(t *testing.T) {
	if testing.Short() {
		t.Skip("city scale")
	}
	// Streamed, keeping the base only: the city's year is not held.
	var r baseOnly
	if _, err := Stream(Options{Scale: City, Seed: 1, Today: today}, &r); err != nil {
		t.Fatal(err)
	}
	if n := len(r.base.PartyOrgs); n < 24000 || n > 26000 {
		t.Fatalf("city scale has %d Party orgs, want ≈25,000", n)
	}
	// The situations' rates hold at city scale too.
	d := domain.Date(today.Format(domain.DateLayout))
	var grassroots, vacant, termOrgs, overdue, dissolved int
	for _, o := range r.base.PartyOrgs {
		info, _ := o.Type.Info()
		if o.Status != domain.StatusActive {
			dissolved++
			continue
		}
		if info.Grassroots {
			grassroots++
			if o.SecretaryVacantSince != "" {
				vacant++
			}
		}
		if o.TermEnd != "" {
			termOrgs++
			if o.TermEnd < d {
				overdue++
			}
		}
	}
	if v, od := float64(vacant)/float64(grassroots), float64(overdue)/float64(termOrgs); v < 0.025 || v > 0.035 || od < 0.04 || od > 0.06 || dissolved < 15 || dissolved > 40 {
		t.Errorf("city: %.4f vacant, %.4f overdue, %d dissolved", v, od, dissolved)
	}
}

// TestRegistryIsValid: every generated organization and member passes the
// same validation as one typed in, and the links point at existing records.
func TestRegistryIsValid(t *testing.T) {
	r := Generate(Options{Scale: Small, Seed: 1, Today: today})
	if len(r.Organizations) < 1000 || len(r.Members) < 1000 {
		t.Fatalf("%d organizations, %d members", len(r.Organizations), len(r.Members))
	}
	for _, o := range r.Organizations {
		o := o
		if err := o.Validate(today, nil); err != nil {
			t.Fatalf("%s: %v", o.Name, err)
		}
		if o.AreaManagerID < 1 || int(o.AreaManagerID) > len(r.PartyOrgs) {
			t.Fatalf("%s: area manager %d", o.Name, o.AreaManagerID)
		}
	}
	seen := map[string]bool{}
	for _, m := range r.Members {
		m := m
		if err := m.Validate(today); err != nil {
			t.Fatalf("%s %s: %v", m.Name, m.IDNumber, err)
		}
		if seen[m.IDNumber] {
			t.Fatalf("duplicate ID number %s", m.IDNumber)
		}
		seen[m.IDNumber] = true
	}
	covered := map[int64]bool{}
	for _, c := range r.Covers {
		covered[c.OrganizationID] = true
	}
	if n := len(covered); n == 0 || n > len(r.Organizations)/2 {
		t.Fatalf("%d of %d organizations covered", n, len(r.Organizations))
	}
}

// baseOnly keeps the base of a stream and drops the year.
type baseOnly struct{ base bulk.Base }

func (b *baseOnly) Base(base bulk.Base) error { b.base = base; return nil }

func (b *baseOnly) Life(bulk.Life) error { return nil }
