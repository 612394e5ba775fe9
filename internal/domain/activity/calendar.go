package activity

import (
	"fmt"

	"github.com/lianxin/lianxin/internal/domain"
)

// The activity calendar (issue 13): it asks for exactly the days it shows
// (a month view: six weeks), each with its count and its first few
// activities, so that a crowded day says "+N" instead of the calendar
// showing a capped list of the wrong days.

const (
	// CalendarMaxDays bounds one request: two months' views.
	CalendarMaxDays = 62
	// CalendarPerDay is how many activities a day's cell lists by default;
	// CalendarMaxPerDay the most it may ask for.
	CalendarPerDay    = 3
	CalendarMaxPerDay = 10
)

// CalendarDays are the days from..to, both given (YYYY-MM-DD, from not
// after to, at most CalendarMaxDays).
func CalendarDays(from, to string) ([]domain.Date, error) {
	var v domain.ValidationError
	start, okFrom := domain.ParseDate(from)
	end, okTo := domain.ParseDate(to)
	switch {
	case from == "":
		v.Add("from", "请给出日历的开始日期（from）")
	case !okFrom:
		v.Add("from", domain.DateProblem("开始日期", from))
	}
	switch {
	case to == "":
		v.Add("to", "请给出日历的结束日期（to）")
	case !okTo:
		v.Add("to", domain.DateProblem("结束日期", to))
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if end.Before(start) {
		v.Add("to", "结束日期不能早于开始日期")
		return nil, v.Err()
	}
	n := int(end.Sub(start).Hours()/24) + 1
	if n > CalendarMaxDays {
		v.Add("to", fmt.Sprintf("日历一次最多查询%d天", CalendarMaxDays))
		return nil, v.Err()
	}
	out := make([]domain.Date, n)
	for i := range out {
		out[i] = domain.Date(start.AddDate(0, 0, i).Format(domain.DateLayout))
	}
	return out, nil
}
