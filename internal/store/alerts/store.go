// Package alerts holds 防瘫预警's SQL: the rules, the daily evaluation and its
// reconciliation, and the alerts' lists and actions.
package alerts

import (
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/orglife"
	"github.com/lianxin/lianxin/internal/store/registry"
)

// Store is the alerts part of the database.
type Store struct {
	db       *store.DB
	registry *registry.Store
	orglife  *orglife.Store
}

// New returns the alerts store over db, using the stores it builds on.
func New(db *store.DB, registry *registry.Store, orglife *orglife.Store) *Store {
	return &Store{db: db, registry: registry, orglife: orglife}
}
