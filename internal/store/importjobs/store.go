// Package importjobs holds the import jobs' queue: admission within the
// quotas, turns, claims and progress.
package importjobs

import (
	"github.com/lianxin/lianxin/internal/store"
)

// Store is the importjobs part of the database.
type Store struct {
	db *store.DB
}

// New returns the importjobs store over db.
func New(db *store.DB) *Store {
	return &Store{db: db}
}
