// Package stores builds every feature's store over one database: the data
// layer's wiring, used by the composition root (internal/app) and by tests.
package stores

import (
	"context"

	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/accounts"
	"github.com/lianxin/lianxin/internal/store/alerts"
	"github.com/lianxin/lianxin/internal/store/bulk"
	"github.com/lianxin/lianxin/internal/store/coverage"
	"github.com/lianxin/lianxin/internal/store/filings"
	"github.com/lianxin/lianxin/internal/store/importjobs"
	"github.com/lianxin/lianxin/internal/store/members"
	"github.com/lianxin/lianxin/internal/store/orgflags"
	"github.com/lianxin/lianxin/internal/store/orglife"
	"github.com/lianxin/lianxin/internal/store/partygroups"
	"github.com/lianxin/lianxin/internal/store/registry"
)

// Set is the database (connections, migrations, audit trail, settings) with
// the store of every feature over it.
type Set struct {
	*store.DB
	Registry   *registry.Store
	Members    *members.Store
	Accounts   *accounts.Store
	Life       *orglife.Store
	Coverage   *coverage.Store
	Alerts     *alerts.Store
	Filings    *filings.Store
	ImportJobs *importjobs.Store
	Groups     *partygroups.Store
	Bulk       *bulk.Store
	OrgFlags   *orgflags.Store
}

// New builds the feature stores over db, each after the ones it builds on.
func New(db *store.DB) *Set {
	s := &Set{DB: db}
	s.Registry = registry.New(db)
	s.Members = members.New(db, s.Registry)
	s.Accounts = accounts.New(db, s.Registry, s.Members)
	s.Life = orglife.New(db, s.Registry)
	s.Coverage = coverage.New(db, s.Registry)
	s.Alerts = alerts.New(db, s.Registry, s.Life)
	s.Filings = filings.New(db, s.Registry)
	s.ImportJobs = importjobs.New(db)
	s.Groups = partygroups.New(db, s.Registry)
	s.OrgFlags = orgflags.New(db, s.Registry)
	s.Bulk = bulk.New(db, s.Registry, s.Members, s.Accounts, s.Life, s.Alerts)
	return s
}

// Open connects to the database (store.Open) and builds the stores.
func Open(ctx context.Context, cfg store.Config) (*Set, error) {
	db, err := store.Open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return New(db), nil
}
