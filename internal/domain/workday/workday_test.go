package workday

import (
	"errors"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
)

func day(s string) time.Time {
	t, err := time.Parse(domain.DateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

func published(t *testing.T) Calendar {
	t.Helper()
	c, err := New(Published())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestIsWorkday2026(t *testing.T) {
	c := published(t)
	for d, want := range map[string]bool{
		"2026-01-01": false, // 元旦, a Thursday
		"2026-01-04": true,  // a Sunday worked in exchange
		"2026-02-14": true,  // a Saturday worked before 春节
		"2026-02-16": false, // 春节, a Monday
		"2026-02-24": true,  // the first day back
		"2026-03-07": false, // an ordinary Saturday
		"2026-03-09": true,  // an ordinary Monday
		"2026-10-08": true,  // the day after 国庆
		"2026-10-10": true,  // a Saturday worked after 国庆
	} {
		if got := c.IsWorkday(day(d)); got != want {
			t.Errorf("%s: workday %v, want %v", d, got, want)
		}
	}
	if n := len(Published()); n != 33+6 {
		t.Errorf("the 2026 schedule lists %d days, want 33 holidays and 6 exchanged working days", n)
	}
}

func TestNthWorkday(t *testing.T) {
	c := published(t)
	for _, x := range []struct {
		start string
		n     int
		want  string
	}{
		{"2026-03-09", 1, "2026-03-09"}, // a Monday counts itself
		{"2026-03-09", 5, "2026-03-13"}, // Monday to Friday
		{"2026-03-11", 5, "2026-03-17"}, // over a weekend
		{"2026-03-07", 1, "2026-03-09"}, // a Saturday start counts from Monday
		{"2026-09-28", 5, "2026-10-09"}, // 28, 29, 30 Sep, then 8, 9 Oct
		{"2026-02-12", 5, "2026-02-25"}, // 12, 13, 14 (Sat worked) Feb, then 24, 25
	} {
		if got := c.NthWorkday(day(x.start), x.n).Format(domain.DateLayout); got != x.want {
			t.Errorf("%d working days from %s end on %s, want %s", x.n, x.start, got, x.want)
		}
	}
	if got := c.Workdays(day("2026-09-28"), day("2026-10-10")); got != 6 {
		t.Errorf("working days 28 Sep–10 Oct: %d, want 6", got)
	}
}

func TestNewRefuses(t *testing.T) {
	for _, days := range [][]Day{
		{{Date: "2026-02-30", Kind: Holiday}},
		{{Date: "2026-03-09", Kind: "rest"}},
		{{Date: "2026-03-09", Kind: Holiday}, {Date: "2026-03-09", Kind: Holiday}},
		{{Date: "2026-03-09", Kind: Workday}}, // a Monday is a working day already
		{{Date: "2026-03-09", Kind: Holiday, Name: "一二三四五六七八九十一二三四五六七八九十一"}},
	} {
		_, err := New(days)
		var ve *domain.ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("%+v: %v, want a field error", days, err)
		}
	}
}
