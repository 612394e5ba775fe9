package domain

import (
	"strings"
	"testing"
)

// TestRegionWithin: a region lies in a district by law, by a functional
// zone's administration, or through its street.
func TestRegionWithin(t *testing.T) {
	city := Region{Code: ChengduCode, Level: LevelCity}
	jj := Region{Code: "510104", Name: "锦江区", Level: LevelDistrict, Parent: ChengduCode}
	qy := Region{Code: "510105", Name: "青羊区", Level: LevelDistrict, Parent: ChengduCode}
	wh := Region{Code: "510107", Name: "武侯区", Level: LevelDistrict, Parent: ChengduCode}
	gx := Region{Code: "510100-GX", Name: "成都高新区", Level: LevelFunctionalZone, Parent: ChengduCode}
	jjStreet := Region{Code: "510104001", Level: LevelStreet, Parent: "510104"}
	qyStreet := Region{Code: "510105001", Level: LevelStreet, Parent: "510105"}
	gxStreet := Region{Code: "510107003", Level: LevelStreet, Parent: "510107", FunctionalZone: "510100-GX"}
	gxCommunity := Region{Code: "510107003001", Level: LevelCommunity, Parent: "510107003"}
	for _, c := range []struct {
		name     string
		chain    []Region
		district string
		want     bool
	}{
		{"the district itself", []Region{jj, city}, "510104", true},
		{"its street", []Region{jjStreet, jj, city}, "510104", true},
		{"another district's street", []Region{qyStreet, qy, city}, "510104", false},
		{"another district", []Region{qy, city}, "510104", false},
		{"the city", []Region{city}, "510104", false},
		{"a zone's administered street, for the zone", []Region{gxStreet, wh, city}, "510100-GX", true},
		{"the same street, for its legal district", []Region{gxStreet, wh, city}, "510107", true},
		{"the same street, for another district", []Region{gxStreet, wh, city}, "510104", false},
		{"a community of an administered street", []Region{gxCommunity, gxStreet, wh, city}, "510100-GX", true},
		{"the zone itself", []Region{gx, city}, "510100-GX", true},
		{"unknown region", nil, "510104", false},
	} {
		if got := RegionWithin(c.chain, c.district); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}

	// The caller's district: the nearest district-level region up the tree.
	if d, ok := DistrictOf([]Region{jjStreet, jj, city}); !ok || d.Code != "510104" {
		t.Errorf("a street committee's district: %v %v", d, ok)
	}
	if d, ok := DistrictOf([]Region{gxStreet, gx, city}); !ok || d.Code != "510100-GX" {
		t.Errorf("a 高新区 branch's district: %v %v", d, ok)
	}
	if _, ok := DistrictOf([]Region{city}); ok {
		t.Errorf("city staff have a district")
	}
	if _, ok := DistrictOf(nil); ok {
		t.Errorf("the system has a district")
	}
	if err := CheckRegionWithin("region", []Region{qyStreet, qy, city}, jj, true); err == nil || err.(*ValidationError).Fields["region"] == "" {
		t.Errorf("outside the district: %v", err)
	} else if !strings.Contains(err.Error(), "锦江区") {
		t.Errorf("the message does not name the district: %v", err)
	}
	if err := CheckRegionWithin("region", []Region{qyStreet, qy, city}, Region{}, false); err != nil {
		t.Errorf("city staff refused: %v", err)
	}
}
