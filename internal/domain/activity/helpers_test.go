package activity

import (
	"time"

	"github.com/lianxin/lianxin/internal/domain"
)

func ptr[T any](v T) *T { return &v }

// cityDay is noon of a date in Chengdu.
func cityDay(s string) time.Time {
	d, err := time.Parse(domain.DateLayout, s)
	if err != nil {
		panic(s)
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, domain.Shanghai)
}
