package api

import (
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
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t
	}
	if t, err := time.ParseInLocation(domain.DateLayout, s, domain.Shanghai); err == nil {
		if endOfDay {
			t = t.AddDate(0, 0, 1)
		}
		return t
	}
	q.errs.Add(name, "参数 "+name+" 应为日期（YYYY-MM-DD）或 RFC 3339 时间")
	return time.Time{}
}

// date reads a YYYY-MM-DD date.
func (q *query) date(name string) string {
	s := q.str(name)
	if s == "" {
		return ""
	}
	if _, ok := domain.ParseDate(s); !ok {
		q.errs.Add(name, "参数 "+name+" 应为日期（YYYY-MM-DD）")
		return ""
	}
	return s
}

// year reads ?year= (2000–9999), defaulting to the current year in the
// city's time zone.
func (q *query) year(now time.Time) int {
	s := q.str("year")
	if s == "" {
		return now.In(domain.Shanghai).Year()
	}
	y, err := strconv.Atoi(s)
	if err != nil || y < 2000 || y > 9999 {
		q.errs.Add("year", "年份应为2000到9999之间的整数")
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
