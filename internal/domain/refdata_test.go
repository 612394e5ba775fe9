package domain

import "testing"

func TestRefDataListsAreWellFormed(t *testing.T) {
	lists := map[string]struct {
		l    CodeList
		size int
	}{
		"OrgKinds": {OrgKinds, 4}, "OrgSubtypes": {OrgSubtypes, 3},
		"OrgStatuses": {OrgStatuses, 6}, "Industries": {Industries, 20},
		"EmployeeBands": {EmployeeBands, 6}, "RevenueBands": {RevenueBands, 6},
		"OrgFlags": {OrgFlags, 10}, "PartyBuildingFlags": {PartyBuildingFlags, 6}, "OrgMarks": {OrgMarks, 16}, "Ethnicities": {Ethnicities, 58},
		"EducationLevels": {EducationLevels, 6}, "MemberStatuses": {MemberStatuses, 2},
		"MemberStandings": {MemberStandings, 5}, "Genders": {Genders, 2}, "GigTypes": {GigTypes, 6},
	}
	for name, c := range lists {
		if len(c.l) != c.size {
			t.Errorf("%s has %d entries, want %d", name, len(c.l), c.size)
		}
		codes, names := map[string]bool{}, map[string]bool{}
		for _, e := range c.l {
			if e.Code == "" || e.Name == "" || codes[e.Code] || names[e.Name] {
				t.Errorf("%s: empty or duplicate entry %+v", name, e)
			}
			codes[e.Code], names[e.Name] = true, true
		}
	}
}

func TestCodeListLookups(t *testing.T) {
	if OrgStatuses.Name(OrgActive) != "存续/在业" || OrgStatuses.Name("nope") != "" {
		t.Error("Name")
	}
	if !Industries.Has("I") || Industries.Has("U") || Industries.Index("C") != 2 {
		t.Error("Has/Index")
	}
	if c, ok := GigTypes.CodeOf("外卖骑手"); !ok || c != "rider" {
		t.Error("CodeOf", c, ok)
	}
	if _, ok := GigTypes.CodeOf("骑手"); ok {
		t.Error("CodeOf unknown")
	}
	if got := MemberStatuses.Codes(); len(got) != 2 || got[0] != "full" {
		t.Error("Codes", got)
	}
	if got := MemberStatuses.Names(); got[1] != "预备党员" {
		t.Error("Names", got)
	}
}

func TestEthnicitiesFollowGB3304(t *testing.T) {
	for i := 0; i < 56; i++ {
		want := string([]byte{byte('0' + (i+1)/10), byte('0' + (i+1)%10)})
		if Ethnicities[i].Code != want {
			t.Fatalf("entry %d has code %s, want %s", i, Ethnicities[i].Code, want)
		}
	}
	if Ethnicities.Name("01") != "汉族" || Ethnicities.Name("33") != "羌族" || Ethnicities.Name("56") != "基诺族" || Ethnicities.Name("97") != "其他" {
		t.Error("names")
	}
}

func TestEmployeeBandOf(t *testing.T) {
	for n, want := range map[int]string{-1: "", 0: "lt10", 9: "lt10", 10: "10_49", 49: "10_49", 50: "50_99",
		99: "50_99", 100: "100_299", 299: "100_299", 300: "300_999", 999: "300_999", 1000: "1000_plus", 250000: "1000_plus"} {
		if got := EmployeeBandOf(n); got != want {
			t.Errorf("EmployeeBandOf(%d) = %q, want %q", n, got, want)
		}
	}
}
