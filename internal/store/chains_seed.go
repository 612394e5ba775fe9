package store

import (
	"context"

	"github.com/lianxin/lianxin/internal/domain/chain"
)

// seedIndustryChains is migration 23's Go part: the chains a deployment
// starts with (domain/chain.Seed, one list for the migration, the generator
// and the tests), then the chains organizations named in free text before
// the list existed: a name of the list becomes its code, any other text a
// chain of its own (its text as code and name), so that nothing is lost.
func seedIndustryChains(ctx context.Context, _ *DB, t *Tx) error {
	for i, c := range chain.Seed {
		if _, err := t.Exec(ctx, `INSERT INTO industry_chains (code, name, sort) VALUES (?, ?, ?)`, c.Code, c.Name, (i+1)*10); err != nil {
			return err
		}
	}
	if _, err := t.Exec(ctx, `UPDATE organizations SET chain = (SELECT code FROM industry_chains WHERE name = organizations.chain)
		WHERE chain IN (SELECT name FROM industry_chains)`); err != nil {
		return err
	}
	_, err := t.Exec(ctx, `INSERT INTO industry_chains (code, name, sort)
		SELECT DISTINCT chain, chain, 1000 FROM organizations WHERE chain <> '' AND chain NOT IN (SELECT code FROM industry_chains)`)
	return err
}
