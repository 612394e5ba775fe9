// Package workday is the working-day calendar: Monday to Friday, less the
// statutory holidays (法定节假日), plus the weekend days made working days
// in exchange (调休). The 发展党员 rules count their 公示 windows in working
// days. City staff maintain the days; the year's published schedule is the
// default.
package workday

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
)

// Kind is what a listed day is.
type Kind string

// A listed day is a holiday (no work on a weekday) or a working day on a
// weekend (调休).
const (
	Holiday Kind = "holiday"
	Workday Kind = "workday"
)

// Kinds names them.
var Kinds = domain.CodeList{
	{Code: string(Holiday), Name: "放假"},
	{Code: string(Workday), Name: "调休上班"},
}

// Day is one listed day.
type Day struct {
	Date domain.Date `json:"date"`
	Kind Kind        `json:"kind"`
	// Name is the holiday it belongs to (春节, 国庆节 …).
	Name string `json:"name"`
}

// Calendar answers which days are working days.
type Calendar struct {
	listed map[domain.Date]Kind
}

// New builds a calendar from the listed days, refusing a day listed twice,
// a date that is not one, a kind that is neither, and a 调休 working day
// that is not a weekend day (a weekday already is one). The message names
// the day.
func New(days []Day) (Calendar, error) {
	c := Calendar{listed: make(map[domain.Date]Kind, len(days))}
	for _, d := range days {
		t, ok := domain.ParseDate(string(d.Date))
		if !ok {
			return Calendar{}, domain.FieldError("date", fmt.Sprintf("“%s”不是有效日期", d.Date))
		}
		if !Kinds.Has(string(d.Kind)) {
			return Calendar{}, domain.FieldError("kind", fmt.Sprintf("%s 应为放假或调休上班", d.Date))
		}
		if _, dup := c.listed[d.Date]; dup {
			return Calendar{}, domain.FieldError("date", fmt.Sprintf("%s 重复列出", d.Date))
		}
		if d.Kind == Workday && !weekend(t) {
			return Calendar{}, domain.FieldError("kind", fmt.Sprintf("%s 是工作日，无需设为调休上班", d.Date))
		}
		if len([]rune(strings.TrimSpace(d.Name))) > 20 {
			return Calendar{}, domain.FieldError("name", fmt.Sprintf("%s 的节日名称不能超过20个字", d.Date))
		}
		c.listed[d.Date] = d.Kind
	}
	return c, nil
}

func weekend(t time.Time) bool {
	return t.Weekday() == time.Saturday || t.Weekday() == time.Sunday
}

// IsWorkday reports whether the date of t is a working day.
func (c Calendar) IsWorkday(t time.Time) bool {
	switch c.listed[domain.Date(t.Format(domain.DateLayout))] {
	case Holiday:
		return false
	case Workday:
		return true
	}
	return !weekend(t)
}

// NthWorkday is the date of the n-th working day counted from start,
// start included when it is one (n ≥ 1): a 公示 of n working days that
// starts on start ends on that day.
func (c Calendar) NthWorkday(start time.Time, n int) time.Time {
	d := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, time.UTC)
	for seen := 0; ; d = d.AddDate(0, 0, 1) {
		if c.IsWorkday(d) {
			if seen++; seen >= n {
				return d
			}
		}
	}
}

// Workdays counts the working days from start to end, both included.
func (c Calendar) Workdays(start, end time.Time) int {
	n := 0
	for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
		if c.IsWorkday(d) {
			n++
		}
	}
	return n
}

// Published is the schedule of 2026 (国务院办公厅关于2026年部分节假日安排的
// 通知, 2025-11-04, as 新华社 published it): the default until city staff
// enter the next year's.
func Published() []Day {
	var out []Day
	off := func(name, from, to string) {
		a, _ := time.Parse(domain.DateLayout, from)
		b, _ := time.Parse(domain.DateLayout, to)
		for d := a; !d.After(b); d = d.AddDate(0, 0, 1) {
			out = append(out, Day{Date: domain.Date(d.Format(domain.DateLayout)), Kind: Holiday, Name: name})
		}
	}
	on := func(name string, dates ...string) {
		for _, d := range dates {
			out = append(out, Day{Date: domain.Date(d), Kind: Workday, Name: name})
		}
	}
	off("元旦", "2026-01-01", "2026-01-03")
	on("元旦", "2026-01-04")
	off("春节", "2026-02-15", "2026-02-23")
	on("春节", "2026-02-14", "2026-02-28")
	off("清明节", "2026-04-04", "2026-04-06")
	off("劳动节", "2026-05-01", "2026-05-05")
	on("劳动节", "2026-05-09")
	off("端午节", "2026-06-19", "2026-06-21")
	off("中秋节", "2026-09-25", "2026-09-27")
	off("国庆节", "2026-10-01", "2026-10-07")
	on("国庆节", "2026-09-20", "2026-10-10")
	slices.SortFunc(out, func(a, b Day) int { return strings.Compare(string(a.Date), string(b.Date)) })
	return out
}
