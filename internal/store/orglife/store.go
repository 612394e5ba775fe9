// Package orglife holds organizational life's SQL (组织生活): activities,
// attendance and check-in, attachments, the activity settings and monthly
// themes, and the 三会一课 ledger.
package orglife

import (
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/registry"
)

// Store is the orglife part of the database.
type Store struct {
	db       *store.DB
	registry *registry.Store
	// activityCache holds an activity's check-in facts for a second.
	activityCache store.TTLCache[int64, checkinActivity]
	group         groupCommit
}

// New returns the orglife store over db, using the stores it builds on.
func New(db *store.DB, registry *registry.Store) *Store {
	s := &Store{db: db, registry: registry}
	db.OnClose(s.group.stop) // the check-in writer stops before the connections close
	return s
}
