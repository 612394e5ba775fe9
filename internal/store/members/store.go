// Package members holds the members' SQL (党员): encrypted personal data
// with blind indexes, masked reads, audited exact lookups and the import of
// members.
package members

import (
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/registry"
)

// Store is the members part of the database.
type Store struct {
	db       *store.DB
	registry *registry.Store
}

// New returns the members store over db, using the stores it builds on.
func New(db *store.DB, registry *registry.Store) *Store {
	return &Store{db: db, registry: registry}
}
