// Package partygroups holds the SQL of 党小组: a branch's groups, their
// members (members.party_group_id, the one column of members this package
// writes) and the count of a branch's active groups on party_orgs, which
// the 三会一课 ledger reads to owe a 党小组会 each month.
package partygroups

import (
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/registry"
)

// Store is the 党小组 part of the database.
type Store struct {
	db       *store.DB
	registry *registry.Store
}

// New returns the 党小组 store over db, using the registry it builds on.
func New(db *store.DB, registry *registry.Store) *Store {
	return &Store{db: db, registry: registry}
}
