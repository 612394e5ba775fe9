package activity

import (
	"errors"
	"testing"

	"github.com/lianxin/lianxin/internal/domain"
)

func TestCalendarDays(t *testing.T) {
	for _, c := range []struct {
		from, to   string
		n          int
		first      domain.Date
		last       domain.Date
		badField   string
		badMessage string
	}{
		{"2026-11-30", "2027-01-10", 42, "2026-11-30", "2027-01-10", "", ""},
		{"2026-02-28", "2026-03-01", 2, "2026-02-28", "2026-03-01", "", ""},
		{"2026-05-05", "2026-05-05", 1, "2026-05-05", "2026-05-05", "", ""},
		{"2026-01-01", "2026-03-03", 62, "2026-01-01", "2026-03-03", "", ""},
		{"2026-01-01", "2026-03-04", 0, "", "", "to", "日历一次最多查询62天"},
		{"2026-05-06", "2026-05-05", 0, "", "", "to", "结束日期不能早于开始日期"},
		{"", "2026-05-05", 0, "", "", "from", "请给出日历的开始日期（from）"},
		{"2026-05-05", "", 0, "", "", "to", "请给出日历的结束日期（to）"},
		{"2026-13-01", "2026-05-05", 0, "", "", "from", "开始日期格式应为 YYYY-MM-DD，且须是真实存在的日期"},
		{"2026-05-01", "3000-01-01", 0, "", "", "to", "结束日期应在1900年至2099年之间"},
	} {
		days, err := CalendarDays(c.from, c.to)
		if c.badField != "" {
			var v *domain.ValidationError
			if !errors.As(err, &v) || v.Fields[c.badField] != c.badMessage {
				t.Errorf("%s..%s: %v, want %s: %s", c.from, c.to, err, c.badField, c.badMessage)
			}
			continue
		}
		if err != nil || len(days) != c.n || days[0] != c.first || days[len(days)-1] != c.last {
			t.Errorf("%s..%s: %d days %v, %v", c.from, c.to, len(days), days, err)
		}
	}
}
