package domain

import (
	"encoding/json"
	"errors"
	"time"
)

// DateLayout is the ISO date format used in storage and in the API.
const DateLayout = "2006-01-02"

// Date is a calendar date kept as "YYYY-MM-DD"; the empty Date means "not set"
// and is written to JSON as null. Dates are stored as text on both engines so
// that one query set serves both and comparisons stay lexical.
type Date string

// MarshalJSON writes null for an unset date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d == "" {
		return []byte("null"), nil
	}
	return json.Marshal(string(d))
}

// ParseDate checks that s is a real calendar date in ISO form, in the
// years MinYear–MaxYear (DateProblem says which of the two failed).
func ParseDate(s string) (time.Time, bool) {
	t, err := parseISODate(s)
	if err != nil || !YearInRange(t.Year()) {
		return time.Time{}, false
	}
	return t, true
}

func parseISODate(s string) (time.Time, error) {
	if len(s) != len(DateLayout) {
		return time.Time{}, errors.New("not a date")
	}
	return time.Parse(DateLayout, s)
}

// DateOf returns the date of t in the city's time zone.
func DateOf(t time.Time) Date {
	return Date(t.In(Shanghai).Format(DateLayout))
}

// AddYears adds n years to a date, clamping 29 February to 28 February in
// common years (Go's AddDate would roll it over into March).
func AddYears(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	target := time.Date(y+n, m, 1, 0, 0, 0, 0, t.Location())
	last := target.AddDate(0, 1, -1).Day()
	if d > last {
		d = last
	}
	return time.Date(y+n, m, d, 0, 0, 0, 0, t.Location())
}

// Shanghai is the time zone in which dates are shown and "today" is decided.
var Shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		// The binary embeds no tzdata by default; China has had no DST since 1991.
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()

// AddMonths adds n calendar months to a date, clamping the day to the
// month's last (31 March + 1 month is 30 April): how the rules count "within
// a month" and "a year after". An unparsable date is returned as it is.
func AddMonths(d Date, n int) Date {
	t, ok := ParseDate(string(d))
	if !ok {
		return d
	}
	first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, n, 0)
	last := first.AddDate(0, 1, -1).Day()
	return Date(first.AddDate(0, 0, min(t.Day(), last)-1).Format(DateLayout))
}
