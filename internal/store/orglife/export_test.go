package orglife

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
