// Package registry holds the registry's SQL: regions and zones, Party orgs
// and their tree, organizations (两新组织), the coverage links (两个覆盖) and
// the organizations' materialized coverage, and the import of organizations.
package registry

import (
	"github.com/lianxin/lianxin/internal/store"
)

// Store is the registry part of the database.
type Store struct {
	db *store.DB
}

// New returns the registry store over db.
func New(db *store.DB) *Store {
	return &Store{db: db}
}
