// Package registry holds the registry's SQL: regions and zones, Party orgs
// and their tree, organizations (两新组织), the coverage links (两个覆盖) and
// the organizations' materialized coverage, and the imports of
// organizations, Party orgs and regions.
package registry

import (
	"sync/atomic"

	"github.com/lianxin/lianxin/internal/store"
)

// Store is the registry part of the database.
type Store struct {
	db  *store.DB
	seq atomic.Int64 // distinguishes the placeholder paths of one transaction's new Party orgs
}

// New returns the registry store over db.
func New(db *store.DB) *Store {
	return &Store{db: db}
}

func (s *Store) tmpSeq() int { return int(s.seq.Add(1)) }
