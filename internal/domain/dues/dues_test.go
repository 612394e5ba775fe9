package dues

import (
	"errors"
	"testing"

	"github.com/lianxin/lianxin/internal/domain"
)

func TestDueBrackets(t *testing.T) {
	for _, c := range []struct {
		cat  Category
		base int64
		r    Rounding
		want int64
		bp   int64
	}{
		// 在职: boundaries inclusive at the top (3,000 元 exactly pays 0.5%).
		{InService, 0, RoundFen, 0, 50},
		{InService, 299999, RoundFen, 1500, 50}, // 1499.995 → 1500
		{InService, 300000, RoundFen, 1500, 50},
		{InService, 300001, RoundFen, 3000, 100},
		{InService, 500000, RoundFen, 5000, 100},
		{InService, 500001, RoundFen, 7500, 150},
		{InService, 1000000, RoundFen, 15000, 150},
		{InService, 1000001, RoundFen, 20000, 200},
		{InService, 2345678, RoundFen, 46914, 200}, // 46913.56 → 46914
		{AnnualSalary, 300000, RoundFen, 1500, 50},
		{SelfEmployed, 600000, RoundFen, 9000, 150},
		// 离退休: ≤ 5,000 元 0.5%, above 1%.
		{Retired, 500000, RoundFen, 2500, 50},
		{Retired, 500001, RoundFen, 5000, 100},
		// Rounding to the 角, halves up.
		{InService, 412345, RoundJiao, 4120, 100}, // 4123.45 → 4120
		{InService, 412500, RoundJiao, 4130, 100}, // 4125 → 4130
		{InService, 299990, RoundJiao, 1500, 50},  // 1499.95 → 1500
		{InService, 412345, "", 4123, 100},        // the default is the 分
	} {
		q, err := Due(Input{Category: c.cat, BaseFen: c.base, Rounding: c.r})
		if err != nil || q.DueFen != c.want || q.RateBP != c.bp {
			t.Errorf("%s %d %s: %+v %v, want %d at %d bp", c.cat, c.base, c.r, q, err, c.want, c.bp)
		}
	}
}

func TestDueFixedAndFarmer(t *testing.T) {
	for _, cat := range []Category{Student, Unemployed, Relief} {
		if q, err := Due(Input{Category: cat, BaseFen: 900000}); err != nil || q.DueFen != 20 || q.RateBP != 0 {
			t.Errorf("%s: %+v %v", cat, q, err)
		}
	}
	for _, c := range []struct {
		declared, want int64
		ok             bool
	}{{0, 20, true}, {19, 0, false}, {20, 20, true}, {100, 100, true}, {101, 0, false}} {
		q, err := Due(Input{Category: Farmer, DeclaredFen: c.declared})
		if c.ok != (err == nil) || c.ok && q.DueFen != c.want {
			t.Errorf("farmer %d: %+v %v", c.declared, q, err)
		}
	}
}

func TestDueRefusesBadInput(t *testing.T) {
	for _, c := range []struct {
		in    Input
		field string
	}{
		{Input{Category: "boss", BaseFen: 1}, "category"},
		{Input{Category: InService, BaseFen: -1}, "base_fen"},
		{Input{Category: InService, BaseFen: MaxBaseFen + 1}, "base_fen"},
		{Input{Category: InService, BaseFen: 1, Rounding: "yuan"}, "rounding"},
	} {
		_, err := Due(c.in)
		var ve *domain.ValidationError
		if !errors.As(err, &ve) || ve.Fields[c.field] == "" {
			t.Errorf("%+v: %v, want a message on %s", c.in, err, c.field)
		}
	}
}

func TestPercent(t *testing.T) {
	for bp, want := range map[int64]string{50: "0.5%", 100: "1%", 150: "1.5%", 200: "2%", 5: "0.05%"} {
		if got := percent(bp); got != want {
			t.Errorf("%d: %q, want %q", bp, got, want)
		}
	}
}

func TestMonthsOwedAndArrears(t *testing.T) {
	for _, c := range []struct {
		last, began, current string
		owed                 int
		arrears              string
	}{
		{"2026-11", "2020-01", "2026-12", 0, ""}, // paid last month
		{"2026-12", "2020-01", "2026-12", 0, ""}, // paid ahead of the month
		{"2026-09", "2020-01", "2026-12", 2, ""}, // October, November
		{"2026-08", "2020-01", "2026-12", 3, "warning"},
		{"2026-06", "2020-01", "2026-12", 5, "warning"},
		{"2026-05", "2020-01", "2026-12", 6, "lapse"}, // June to November
		{"", "2026-10", "2026-12", 2, ""},             // never paid since October
		{"2019-12", "2026-10", "2026-12", 2, ""},      // an old payment before the dues began
		{"2025-12", "2020-01", "2026-01", 0, ""},      // over the new year
	} {
		owed, err := MonthsOwed(c.last, c.began, c.current)
		if err != nil || owed != c.owed || Arrears(owed) != c.arrears {
			t.Errorf("%+v: owed %d (%v), arrears %q", c, owed, err, Arrears(owed))
		}
	}
	if _, err := MonthsOwed("2026-13", "2020-01", "2026-12"); err == nil {
		t.Error("a bad month accepted")
	}
}
