// Package bulk loads a generated dataset into the database in bulk (the
// generator's city) and backfills what the daily jobs would have written.
package bulk

import (
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/accounts"
	"github.com/lianxin/lianxin/internal/store/alerts"
	"github.com/lianxin/lianxin/internal/store/members"
	"github.com/lianxin/lianxin/internal/store/orglife"
	"github.com/lianxin/lianxin/internal/store/registry"
)

// Store is the bulk part of the database.
type Store struct {
	db       *store.DB
	registry *registry.Store
	members  *members.Store
	accounts *accounts.Store
	orglife  *orglife.Store
	alerts   *alerts.Store
}

// New returns the bulk store over db, using the stores it builds on.
func New(db *store.DB, registry *registry.Store, members *members.Store, accounts *accounts.Store, orglife *orglife.Store, alerts *alerts.Store) *Store {
	return &Store{db: db, registry: registry, members: members, accounts: accounts, orglife: orglife, alerts: alerts}
}
