package orglife

import "context"

// The guarded inserts of a check-in at a closed and at an open activity,
// for their plans' test.
const (
	CheckinInsertHost = checkinInsertHost
	CheckinInsertOpen = checkinInsertOpen
)

// GroupCounts returns the check-in groups committed and their inserts.
func (s *Store) GroupCounts() (groups, inserts int64) {
	return s.group.groups.Load(), s.group.inserts.Load()
}

// StopGroupForTest stops the check-in writer as DB.Close does.
func (s *Store) StopGroupForTest() { s.group.stop() }

// InsertCheckinForTest queues one insert as Checkin does.
func (s *Store) InsertCheckinForTest(ctx context.Context, open bool, activityID int64, args []any) (int64, bool, error) {
	return s.insertCheckin(ctx, open, activityID, args)
}
