package account

import (
	"strings"
	"testing"

	"github.com/lianxin/lianxin/internal/domain"
)

// TestRegionWithin: a region lies in a district by law, by a functional
// zone's administration, or through its street.
func TestRegionWithin(t *testing.T) {
	city := domain.Region{Code: domain.ChengduCode, Level: domain.LevelCity}
	jj := domain.Region{Code: "510104", Name: "锦江区", Level: domain.LevelDistrict, Parent: domain.ChengduCode}
	qy := domain.Region{Code: "510105", Name: "青羊区", Level: domain.LevelDistrict, Parent: domain.ChengduCode}
	wh := domain.Region{Code: "510107", Name: "武侯区", Level: domain.LevelDistrict, Parent: domain.ChengduCode}
	gx := domain.Region{Code: "510100-GX", Name: "成都高新区", Level: domain.LevelFunctionalZone, Parent: domain.ChengduCode}
	jjStreet := domain.Region{Code: "510104001", Level: domain.LevelStreet, Parent: "510104"}
	qyStreet := domain.Region{Code: "510105001", Level: domain.LevelStreet, Parent: "510105"}
	gxStreet := domain.Region{Code: "510107003", Level: domain.LevelStreet, Parent: "510107", FunctionalZone: "510100-GX"}
	gxCommunity := domain.Region{Code: "510107003001", Level: domain.LevelCommunity, Parent: "510107003"}
	for _, c := range []struct {
		name     string
		chain    []domain.Region
		district string
		want     bool
	}{
		{"the district itself", []domain.Region{jj, city}, "510104", true},
		{"its street", []domain.Region{jjStreet, jj, city}, "510104", true},
		{"another district's street", []domain.Region{qyStreet, qy, city}, "510104", false},
		{"another district", []domain.Region{qy, city}, "510104", false},
		{"the city", []domain.Region{city}, "510104", false},
		{"a zone's administered street, for the zone", []domain.Region{gxStreet, wh, city}, "510100-GX", true},
		{"the same street, for its legal district", []domain.Region{gxStreet, wh, city}, "510107", true},
		{"the same street, for another district", []domain.Region{gxStreet, wh, city}, "510104", false},
		{"a community of an administered street", []domain.Region{gxCommunity, gxStreet, wh, city}, "510100-GX", true},
		{"the zone itself", []domain.Region{gx, city}, "510100-GX", true},
		{"unknown region", nil, "510104", false},
	} {
		if got := RegionWithin(c.chain, c.district); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}

	// The caller's district: the nearest district-level region up the tree.
	if d, ok := DistrictOf([]domain.Region{jjStreet, jj, city}); !ok || d.Code != "510104" {
		t.Errorf("a street committee's district: %v %v", d, ok)
	}
	if d, ok := DistrictOf([]domain.Region{gxStreet, gx, city}); !ok || d.Code != "510100-GX" {
		t.Errorf("a 高新区 branch's district: %v %v", d, ok)
	}
	if _, ok := DistrictOf([]domain.Region{city}); ok {
		t.Errorf("city staff have a district")
	}
	if _, ok := DistrictOf(nil); ok {
		t.Errorf("the system has a district")
	}
	if err := CheckRegionWithin("region", []domain.Region{qyStreet, qy, city}, jj, true); err == nil || err.(*domain.ValidationError).Fields["region"] == "" {
		t.Errorf("outside the district: %v", err)
	} else if !strings.Contains(err.Error(), "锦江区") {
		t.Errorf("the message does not name the district: %v", err)
	}
	if err := CheckRegionWithin("region", []domain.Region{qyStreet, qy, city}, domain.Region{}, false); err != nil {
		t.Errorf("city staff refused: %v", err)
	}
}
