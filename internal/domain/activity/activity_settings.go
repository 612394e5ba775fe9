package activity

import (
	"errors"
	"fmt"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
)

// The city's rules for organizational life (city staff set them): the
// check-in window around an activity and the ledger's frequencies.

// MaxCheckinMarginMinutes bounds each margin of the check-in window (a day;
// the signed codes can carry no more, checkin.MaxWindowMargin).
const MaxCheckinMarginMinutes = 24 * 60

// ActivitySettings are the city's rules for activities.
type ActivitySettings struct {
	// CheckinBeforeMinutes and CheckinAfterMinutes widen the check-in window
	// around an activity: a code verifies from this long before the start to
	// this long after the end.
	CheckinBeforeMinutes int                `json:"checkin_before_minutes"`
	CheckinAfterMinutes  int                `json:"checkin_after_minutes"`
	Frequencies          ComplianceSettings `json:"frequencies"`
}

// DefaultActivitySettings: half an hour either side, the ledger of
// domain-rules §2.
func DefaultActivitySettings() ActivitySettings {
	return ActivitySettings{CheckinBeforeMinutes: 30, CheckinAfterMinutes: 30, Frequencies: DefaultComplianceSettings()}
}

// CheckinBefore is CheckinBeforeMinutes as a duration.
func (a ActivitySettings) CheckinBefore() time.Duration {
	return time.Duration(a.CheckinBeforeMinutes) * time.Minute
}

// CheckinAfter is CheckinAfterMinutes as a duration.
func (a ActivitySettings) CheckinAfter() time.Duration {
	return time.Duration(a.CheckinAfterMinutes) * time.Minute
}

// CheckinWindow is the window of an activity running from startsAt to
// endsAt under these settings.
func (a ActivitySettings) CheckinWindow(startsAt, endsAt time.Time) CheckinWindow {
	return CheckinWindow{StartsAt: startsAt, EndsAt: endsAt, Before: a.CheckinBefore(), After: a.CheckinAfter()}
}

// Validate checks the window (0 to 24 hours each way) and the ledger; the
// ledger's fields are named under "frequencies.".
func (a *ActivitySettings) Validate() error {
	v := &domain.ValidationError{}
	if a.CheckinBeforeMinutes < 0 || a.CheckinBeforeMinutes > MaxCheckinMarginMinutes {
		v.Add("checkin_before_minutes", "开始前可签到的分钟数应在0到1440之间")
	}
	if a.CheckinAfterMinutes < 0 || a.CheckinAfterMinutes > MaxCheckinMarginMinutes {
		v.Add("checkin_after_minutes", "结束后可签到的分钟数应在0到1440之间")
	}
	if err := a.Frequencies.Validate(); err != nil {
		var fe *domain.ValidationError
		if !errors.As(err, &fe) {
			return err
		}
		for f, m := range fe.Fields {
			v.Add("frequencies."+f, m)
		}
	}
	return v.Err()
}

// CheckinWindow is when members may check in to an activity: from Before
// ahead of its start to After past its end, both ends included.
type CheckinWindow struct {
	StartsAt, EndsAt time.Time
	Before, After    time.Duration
}

// Opens is the first instant of the window.
func (w CheckinWindow) Opens() time.Time { return w.StartsAt.Add(-w.Before) }

// Closes is the last instant of the window.
func (w CheckinWindow) Closes() time.Time { return w.EndsAt.Add(w.After) }

// Contains reports whether now lies in the window.
func (w CheckinWindow) Contains(now time.Time) bool {
	return !now.Before(w.Opens()) && !now.After(w.Closes())
}

// Check refuses a check-in outside the window (the API's 410), saying when
// it opens or that it has closed.
func (w CheckinWindow) Check(now time.Time) error {
	if now.Before(w.Opens()) {
		return &domain.GoneError{Message: fmt.Sprintf("签到尚未开始：活动开始前%d分钟起可以签到", int(w.Before/time.Minute))}
	}
	if now.After(w.Closes()) {
		return &domain.GoneError{Message: "活动已结束，签到已关闭"}
	}
	return nil
}

// CheckMark refuses a mark made by hand before the window opens, unless it
// is a leave (请假 is recorded ahead; presence or absence only once the
// activity can be attended). After the window closes every mark is allowed:
// staff complete the record afterwards.
func (w CheckinWindow) CheckMark(kind AttendanceKind, now time.Time) error {
	if kind != AttendLeave && now.Before(w.Opens()) {
		return domain.FieldError("kind", "活动尚未开始，只能登记请假")
	}
	return nil
}
