package domain

import (
	"math"
	"strings"
)

// Distances for 附近活动. The platform has no geocoding service (no network
// beyond the city's own), so a typed place is resolved to the centre of the
// district or functional zone it names — coarse, and said so on the page.

// LatLng is a WGS-84 point.
type LatLng struct {
	Lat float64 `json:"lat"`
	Lng float64 `json:"lng"`
}

// DistanceKm is the great-circle distance between two points.
func DistanceKm(a, b LatLng) float64 {
	const r = 6371.0088 // mean Earth radius, km
	rad := math.Pi / 180
	dLat, dLng := (b.Lat-a.Lat)*rad, (b.Lng-a.Lng)*rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLng/2)*math.Sin(dLng/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(h)))
}

// BoundingBox is the latitude and longitude range around p that contains
// every point within km: a prefilter an index can use.
func BoundingBox(p LatLng, km float64) (minLat, maxLat, minLng, maxLng float64) {
	dLat := km / 111.0
	dLng := km / (111.0 * math.Max(0.01, math.Cos(p.Lat*math.Pi/180)))
	return p.Lat - dLat, p.Lat + dLat, p.Lng - dLng, p.Lng + dLng
}

// districtCentres are the approximate centres (government seats) of
// Chengdu's district-level units.
var districtCentres = map[string]LatLng{
	"510104": {30.6571, 104.0833}, "510105": {30.6740, 104.0617}, "510106": {30.6913, 104.0519},
	"510107": {30.6420, 104.0432}, "510108": {30.6600, 104.1014}, "510112": {30.5568, 104.2748},
	"510113": {30.8784, 104.2508}, "510114": {30.8232, 104.1583}, "510115": {30.6822, 103.8564},
	"510116": {30.5742, 103.9237}, "510117": {30.7953, 103.9014}, "510118": {30.4101, 103.8113},
	"510121": {30.8619, 104.4118}, "510129": {30.5871, 103.5212}, "510131": {30.1967, 103.5064},
	"510181": {30.9882, 103.6471}, "510182": {30.9900, 103.9580}, "510183": {30.4101, 103.4642},
	"510184": {30.6302, 103.6730}, "510185": {30.4113, 104.5471},
	"510100-TF": {30.4950, 104.0730}, "510100-GX": {30.5800, 104.0630}, "510100-DB": {30.3970, 104.4500},
}

// ResolvePlace finds the district-level unit a typed place names (成都市
// 锦江区春熙路, 高新区, 简阳) and its centre. Longer names are tried first so
// that 成都高新区 is not taken for something shorter.
func ResolvePlace(text string) (Region, LatLng, bool) {
	text = strings.TrimSpace(text)
	if text == "" {
		return Region{}, LatLng{}, false
	}
	var best Region
	bestLen := 0
	for _, r := range append(append([]Region{}, ChengduDistricts...), ChengduFunctionalZones...) {
		for _, name := range placeNames(r) {
			if len(name) > bestLen && (strings.Contains(text, name) || (len([]rune(text)) >= 2 && strings.HasPrefix(name, text))) {
				best, bestLen = r, len(name)
			}
		}
	}
	if bestLen == 0 {
		return Region{}, LatLng{}, false
	}
	return best, districtCentres[best.Code], true
}

// placeNames are the ways a unit is written: 锦江区 and 锦江, 四川天府新区
// and 天府新区.
func placeNames(r Region) []string {
	out := []string{r.Name}
	switch r.Code {
	case "510100-TF":
		out = append(out, "天府新区")
	case "510100-GX":
		out = append(out, "高新区")
	case "510100-DB":
		out = append(out, "东部新区")
	default:
		for _, suffix := range []string{"区", "县", "市"} {
			if base := strings.TrimSuffix(r.Name, suffix); base != r.Name && len([]rune(base)) >= 2 {
				out = append(out, base)
			}
		}
	}
	return out
}
