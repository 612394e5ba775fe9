// Package checkins records presence at activities from a scanned code: a
// member's scan of an activity's code (POST /checkins) and the organizer's
// scan of a member's 一码通 (POST /activities/{id}/scan). The code is
// verified first (signature, then time: no database read for a forged or
// expired code), the window comes from the activity settings, and the
// store decides and writes in one guarded statement (orglife.Checkin).
package checkins

import (
	"context"
	"time"

	"github.com/lianxin/lianxin/internal/checkin"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/activity"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/orglife"
	"github.com/lianxin/lianxin/internal/store/stores"
)

// Service records check-ins.
type Service struct {
	Store *stores.Set
	Codes *checkin.Keyring
}

// ActivityCodes is the issuer and verifier of activities' codes under the
// current settings, which it also returns.
func (s Service) ActivityCodes(ctx context.Context) (checkin.ActivityCodes, activity.ActivitySettings, error) {
	st, err := s.Store.Life.ActivitySettings(ctx)
	if err != nil {
		return checkin.ActivityCodes{}, st, err
	}
	return checkin.ActivityCodes{Keys: s.Codes, Before: st.CheckinBefore(), After: st.CheckinAfter()}, st, nil
}

// MemberCodes is the issuer and verifier of members' rotating codes.
func (s Service) MemberCodes() checkin.MemberCodes { return checkin.MemberCodes{Keys: s.Codes} }

// ByActivityCode records member's own scan of an activity's code at now;
// recordedBy is the member's account.
func (s Service) ByActivityCode(ctx context.Context, member, recordedBy int64, code string, now time.Time) (orglife.MyAttendance, error) {
	codes, st, err := s.ActivityCodes(ctx)
	if err != nil {
		return orglife.MyAttendance{}, err
	}
	c, err := codes.Verify(code, now)
	if err != nil {
		return orglife.MyAttendance{}, err
	}
	return s.Store.Life.Checkin(ctx, orglife.CheckinRequest{ActivityID: c.ActivityID, MemberID: member, Method: activity.CheckinActivityCode,
		RecordedBy: recordedBy, Now: now, Before: st.CheckinBefore(), After: st.CheckinAfter()})
}

// ByMemberCode records the organizer's scan of a member's code at activityID
// (which must have a host in the organizer's scope) and answers the
// member's row of the activity's attendance.
func (s Service) ByMemberCode(ctx context.Context, sc store.Scope, activityID, recordedBy int64, code string, now time.Time) (orglife.RosterRow, error) {
	member, err := s.MemberCodes().Verify(code, now)
	if err != nil {
		return orglife.RosterRow{}, err
	}
	st, err := s.Store.Life.ActivitySettings(ctx)
	if err != nil {
		return orglife.RosterRow{}, err
	}
	if _, err := s.Store.Life.Checkin(ctx, orglife.CheckinRequest{ActivityID: activityID, MemberID: member, Method: activity.CheckinMemberCode,
		RecordedBy: recordedBy, Now: now, Before: st.CheckinBefore(), After: st.CheckinAfter(), Scope: &sc}); err != nil {
		return orglife.RosterRow{}, err
	}
	att, err := s.Store.Life.Attendance(ctx, sc, activityID)
	if err != nil {
		return orglife.RosterRow{}, err
	}
	for _, row := range append(att.Roster, att.Guests...) {
		if row.MemberID == member {
			return row, nil
		}
	}
	return orglife.RosterRow{}, domain.ErrNotFound
}
