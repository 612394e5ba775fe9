package api

import (
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
)

// listResult is the list envelope of DESIGN §6.
type listResult[T any] struct {
	Items    []T `json:"items"`
	Total    int `json:"total"`
	Page     int `json:"page"`
	PageSize int `json:"page_size"`
}

func list[T any](items []T, total int, pg store.Page) listResult[T] {
	if items == nil {
		items = []T{}
	}
	p := pg.Number
	if p < 1 {
		p = 1
	}
	return listResult[T]{Items: items, Total: total, Page: p, PageSize: pg.Limit()}
}

// query reads query parameters, collecting one Chinese message per bad one.
type query struct {
	r    *http.Request
	errs domain.ValidationError
}

func newQuery(r *http.Request) *query { return &query{r: r} }

func (q *query) str(name string) string { return strings.TrimSpace(q.r.URL.Query().Get(name)) }

func (q *query) id(name string) *int64 {
	s := q.str(name)
	if s == "" {
		return nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v <= 0 {
		q.errs.Add(name, "参数 "+name+" 应为正整数")
		return nil
	}
	return &v
}

// codes reads a parameter that must be a code of list into dst.
func (q *query) codes(list domain.CodeList, name string, dst *string) {
	if v := q.str(name); v != "" {
		if !list.Has(v) {
			q.errs.Add(name, "参数 "+name+" 的取值未知："+v)
		}
		*dst = v
	}
}

// float reads a number within [min, max]; NaN and infinities are refused
// (every comparison with NaN is false, so a range check alone passes it).
func (q *query) float(name string, min, max float64, msg string) (float64, bool) {
	v, ok := number(q.str(name), min, max)
	if !ok {
		q.errs.Add(name, msg)
	}
	return v, ok
}

// number parses a decimal number within [min, max].
func number(s string, min, max float64) (float64, bool) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || v < min || v > max {
		return 0, false
	}
	return v, true
}

// flag reads a yes/no parameter: absent, "", "0", "false" and "off" are no.
func (q *query) flag(name string) bool {
	switch strings.ToLower(q.str(name)) {
	case "", "0", "false", "off", "no":
		return false
	case "1", "true", "on", "yes":
		return true
	}
	q.errs.Add(name, "参数 "+name+" 应为 true 或 false")
	return false
}

func (q *query) oneOf(name string, allowed ...string) string {
	s := q.str(name)
	if s == "" {
		return ""
	}
	for _, a := range allowed {
		if s == a {
			return s
		}
	}
	q.errs.Add(name, "参数 "+name+" 只能是 "+strings.Join(allowed, "、")+" 之一")
	return ""
}

func (q *query) page() store.Page {
	var pg store.Page
	for _, f := range []struct {
		name string
		dst  *int
		max  int
	}{{"page", &pg.Number, 1 << 30}, {"page_size", &pg.Size, store.MaxPageSize}} {
		s := q.str(f.name)
		if s == "" {
			continue
		}
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 || v > f.max {
			if f.name == "page" {
				q.errs.Add(f.name, "页码应为正整数")
			} else {
				q.errs.Add(f.name, "每页条数应在1至200之间")
			}
			continue
		}
		*f.dst = v
	}
	return pg
}

func (q *query) sort(allowed map[string]string) string {
	s := q.str("sort")
	if s == "" {
		return ""
	}
	if _, ok := allowed[strings.TrimPrefix(s, "-")]; !ok {
		keys := make([]string, 0, len(allowed))
		for k := range allowed {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		q.errs.Add("sort", "不支持按 "+s+" 排序，可选："+strings.Join(keys, "、"))
	}
	return s
}

// time reads an RFC 3339 timestamp or a date (the start of that day in
// Asia/Shanghai; with endOfDay, the start of the next day).
func (q *query) time(name string, endOfDay bool) time.Time {
	s := q.str(name)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	day := err != nil
	if day {
		t, err = time.ParseInLocation(domain.DateLayout, s, domain.Shanghai)
	}
	switch {
	case err != nil:
		q.errs.Add(name, "参数 "+name+" 应为日期（YYYY-MM-DD）或 RFC 3339 时间")
	case !domain.YearInRange(t.Year()):
		q.errs.Add(name, fmt.Sprintf("参数 %s 应在%d年至%d年之间", name, domain.MinYear, domain.MaxYear))
	case day && endOfDay:
		return t.AddDate(0, 0, 1)
	default:
		return t
	}
	return time.Time{}
}

// date reads a YYYY-MM-DD date.
func (q *query) date(name string) string {
	s := q.str(name)
	if s == "" {
		return ""
	}
	if _, ok := domain.ParseDate(s); !ok {
		q.errs.Add(name, domain.DateProblem("参数 "+name+" ", s))
		return ""
	}
	return s
}

// year reads ?year= (2000 to domain.MaxYear), defaulting to the current
// year in the city's time zone.
func (q *query) year(now time.Time) int {
	s := q.str("year")
	if s == "" {
		return now.In(domain.Shanghai).Year()
	}
	y, err := strconv.Atoi(s)
	if err != nil || y < 2000 || y > domain.MaxYear {
		q.errs.Add("year", fmt.Sprintf("年份应为2000到%d之间的整数", domain.MaxYear))
		return 0
	}
	return y
}

func (q *query) err() error {
	if len(q.errs.Fields) == 0 {
		return nil
	}
	return toAPIError(&q.errs)
}

// pathID reads the {id} path value.
func pathID(r *http.Request) (int64, error) {
	v, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || v <= 0 {
		return 0, errNotFound
	}
	return v, nil
}

// checkRequestText refuses a request whose query parameters (names and
// values) or path segments hold what no text may hold (domain.CharsProblem:
// control characters, NUL included, bidi controls, invalid UTF-8), before
// any handler passes them to the database. pattern is the route's, whose
// {wildcards} name the path segments.
func checkRequestText(r *http.Request, pattern string) error {
	if r.URL.RawQuery == "" && !strings.Contains(pattern, "{") {
		return nil // nothing to check: every request of a plain route without a query (a check-in)
	}
	var errs domain.ValidationError
	for _, name := range wildcards(pattern) {
		if msg := domain.CharsProblem(r.PathValue(name), false); msg != "" {
			errs.Add(name, "路径中的 "+name+" "+msg)
		}
	}
	values := r.URL.Query()
	names := make([]string, 0, len(values))
	for k := range values {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if msg := domain.CharsProblem(k, false); msg != "" {
			errs.Add("query", "查询参数名"+msg)
			continue
		}
		for _, v := range values[k] {
			if msg := domain.CharsProblem(v, false); msg != "" {
				errs.Add(k, "参数 "+k+" "+msg)
				break
			}
		}
	}
	return errs.Err()
}

// wildcards lists the {names} of a route pattern.
func wildcards(pattern string) []string {
	var out []string
	for _, seg := range strings.Split(pattern, "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			out = append(out, strings.TrimSuffix(strings.TrimSuffix(seg[1:], "}"), "..."))
		}
	}
	return out
}
