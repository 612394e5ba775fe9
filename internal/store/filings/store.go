// Package filings holds the SQL of filings and terms: secretary filings
// (书记备案) and term changes (换届).
package filings

import (
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/registry"
)

// Store is the filings part of the database.
type Store struct {
	db       *store.DB
	registry *registry.Store
}

// New returns the filings store over db, using the stores it builds on.
func New(db *store.DB, registry *registry.Store) *Store {
	return &Store{db: db, registry: registry}
}
