package domain

import (
	"fmt"
	"unicode/utf8"
)

// CoverageSettings are the city's settings of the 两个覆盖 campaign: which
// organizations it targets, when a member in transit counts as unmanaged,
// and the USCCs accepted despite a failing check character (issue 3 item 1:
// real registrations exist whose code was issued with a wrong check
// character; the registry must accept exactly those, named one by one).
type CoverageSettings struct {
	Target         CoverageTarget `json:"target"`
	MaxTransitDays int            `json:"max_transit_days"`
	AcceptedUSCC   []string       `json:"accepted_uscc"`
}

// DefaultCoverageSettings are in force until city staff change them.
func DefaultCoverageSettings() CoverageSettings {
	t := DefaultCoverageTarget
	t.Statuses = append([]string{}, t.Statuses...)
	return CoverageSettings{Target: t, MaxTransitDays: DefaultMaxTransitDays, AcceptedUSCC: []string{}}
}

// MaxAcceptedUSCC bounds the exception list: it names individual codes, not
// a way around the check.
const MaxAcceptedUSCC = 1000

// MaxTransitDaysLimit bounds MaxTransitDays (a year).
const MaxTransitDaysLimit = 366

// Validate checks the settings and normalizes the accepted codes (spaces,
// full-width and lower case, as everywhere else), with Chinese messages
// naming each field.
func (s *CoverageSettings) Validate() error {
	v := &ValidationError{}
	if err := v.Merge(prefixFields(s.Target.Validate(), "target.")); err != nil {
		return err
	}
	if s.MaxTransitDays < 0 || s.MaxTransitDays > MaxTransitDaysLimit {
		v.Add("max_transit_days", fmt.Sprintf("组织关系中转期限（max_transit_days）应在0（不计）至%d天之间", MaxTransitDaysLimit))
	}
	if len(s.AcceptedUSCC) > MaxAcceptedUSCC {
		v.Add("accepted_uscc", fmt.Sprintf("校验位例外代码（accepted_uscc）最多%d个", MaxAcceptedUSCC))
	}
	seen := map[string]bool{}
	out := make([]string, 0, len(s.AcceptedUSCC))
	for _, raw := range s.AcceptedUSCC {
		code := NormalizeCode(raw)
		switch {
		case !usccShape(code):
			v.Add("accepted_uscc", fmt.Sprintf("校验位例外代码（accepted_uscc）中的“%s”不是18位统一社会信用代码格式", raw))
		case seen[code]:
			v.Add("accepted_uscc", fmt.Sprintf("校验位例外代码（accepted_uscc）中“%s”重复", code))
		}
		seen[code] = true
		out = append(out, code)
	}
	s.AcceptedUSCC = out
	return v.Err()
}

// AcceptedSet is the exception list as ParseUSCC takes it.
func (s CoverageSettings) AcceptedSet() map[string]bool {
	out := make(map[string]bool, len(s.AcceptedUSCC))
	for _, c := range s.AcceptedUSCC {
		out[c] = true
	}
	return out
}

// usccShape reports whether code has the shape ParseUSCC checks before the
// check character: 18 symbols of the charset, a numeric region.
func usccShape(code string) bool {
	if utf8.RuneCountInString(code) != 18 || len(code) != 18 {
		return false
	}
	for i := 0; i < 18; i++ {
		if usccValue(code[i]) < 0 || i >= 2 && i < 8 && (code[i] < '0' || code[i] > '9') {
			return false
		}
	}
	return true
}

// prefixFields renames a validation error's fields (target.min_employees),
// leaving other errors as they are.
func prefixFields(err error, prefix string) error {
	ve, ok := err.(*ValidationError)
	if !ok || ve == nil {
		return err
	}
	out := &ValidationError{}
	for f, msg := range ve.Fields {
		out.Add(prefix+f, msg)
	}
	return out.Err()
}
