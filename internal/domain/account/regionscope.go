package account

import (
	"github.com/lianxin/lianxin/internal/domain"
)

// A record's region must lie inside its writer's district: a 青羊区 user
// may not put an organization, a Party org or a zone in a 锦江区 street
// (issue 11, finding 12). City-level staff write anywhere.

// DistrictOf returns the district-level unit (区(市)县 or functional zone)
// of a caller bound to a Party org, given the regions of that org and of its
// ancestors, nearest first: the first district-level one. ok is false for a
// city-level caller (no district-level region on the way up), who may write
// any region.
func DistrictOf(chain []domain.Region) (district domain.Region, ok bool) {
	for _, r := range chain {
		if r.DistrictLevel() {
			return r, true
		}
	}
	return domain.Region{}, false
}

// RegionWithin reports whether a region lies in the district-level unit
// district, given the region and its ancestors, nearest first (a community,
// its street, the street's district, the city): the unit itself, a street
// of it — by law, or administered (托管) by a functional zone — or a
// community of such a street.
func RegionWithin(chain []domain.Region, district string) bool {
	for _, r := range chain {
		if r.Code == district || r.FunctionalZone == district {
			return true
		}
	}
	return false
}

// CheckRegionWithin returns a field error when a caller bound inside
// district (ok false: city level) writes a region outside it.
func CheckRegionWithin(field string, chain []domain.Region, district domain.Region, ok bool) error {
	if !ok || RegionWithin(chain, district.Code) {
		return nil
	}
	return domain.FieldError(field, "所属区域不在您的管理范围（"+district.Name+"）内，请选择"+district.Name+"的区域")
}

// CheckRegionEdit says whether a caller bound inside district (ok false:
// city level) may create or change a street or community, given the region
// (for a creation, its parent) and its ancestors, nearest first: it must lie
// in the caller's district, and only the city hands a street to a
// functional zone or takes it back (托管 is the city's decision).
func CheckRegionEdit(chain []domain.Region, district domain.Region, ok bool, zoneBefore, zoneAfter string) error {
	if !ok {
		return nil
	}
	if !RegionWithin(chain, district.Code) {
		return domain.FieldError("code", "该区划不在您的管理范围（"+district.Name+"）内")
	}
	if zoneBefore != zoneAfter {
		return domain.FieldError("functional_zone_code", "镇(街道)由哪个功能区托管由市级设置，您的管理范围内不能修改")
	}
	return nil
}
