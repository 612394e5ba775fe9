// Package coverage holds the coverage views' SQL (两个覆盖): summaries,
// breakdowns, the uncovered list and the daily snapshots with their trend.
package coverage

import (
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/registry"
)

// Store is the coverage part of the database.
type Store struct {
	db       *store.DB
	registry *registry.Store
}

// New returns the coverage store over db, using the stores it builds on.
func New(db *store.DB, registry *registry.Store) *Store {
	return &Store{db: db, registry: registry}
}
