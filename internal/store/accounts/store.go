// Package accounts holds the accounts' SQL: users and roles, sessions,
// login failures and lockout, password history, second factors and members'
// own accounts (activation).
package accounts

import (
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/members"
	"github.com/lianxin/lianxin/internal/store/registry"
)

// Store is the accounts part of the database.
type Store struct {
	db       *store.DB
	registry *registry.Store
	members  *members.Store
	// sessionCache holds a session with its account for a second; see
	// store.TTLCache.
	sessionCache store.TTLCache[string, sessionUser]
}

// New returns the accounts store over db, using the stores it builds on.
func New(db *store.DB, registry *registry.Store, members *members.Store) *Store {
	return &Store{db: db, registry: registry, members: members}
}
