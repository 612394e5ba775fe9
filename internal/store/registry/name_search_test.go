package registry_test

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/gen"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/registry"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/store/storetest"
)

// gramsFromScratch is every name's grams as migration 0026 defines them.
func gramsFromScratch(t *testing.T, s *stores.Set) []string {
	t.Helper()
	rows, err := s.DB.QueryRows(context.Background(), `SELECT id, name FROM organizations`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seen := map[string]bool{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			t.Fatal(err)
		}
		rs := []rune(strings.Map(func(r rune) rune {
			if r >= 'A' && r <= 'Z' {
				return r + 32
			}
			return r
		}, name))
		for i := range rs {
			seen[fmt.Sprintf("%s %s %d", string(rs[i:min(i+2, len(rs))]), name, id)] = true
		}
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func keptGrams(t *testing.T, s *stores.Set) []string {
	t.Helper()
	rows, err := s.DB.QueryRows(context.Background(), `SELECT gram, name, organization_id FROM organization_name_grams`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var g, name string
		var id int64
		if err := rows.Scan(&g, &name, &id); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s %s %d", g, name, id))
	}
	sort.Strings(out)
	return out
}

// searchTruth is the search as it was before the grams: a LIKE (ILIKE on
// PostgreSQL) over every name in scope, or the USCC.
func searchTruth(t *testing.T, s *stores.Set, sc store.Scope, q string) []int64 {
	t.Helper()
	rows, err := s.DB.QueryRows(context.Background(), `SELECT o.id FROM organizations o
		WHERE (o.name `+s.DB.D.Like()+` ? ESCAPE '\' OR o.uscc = ?) AND `+registry.OrgScope+` ORDER BY o.name, o.id`,
		append([]any{"%" + store.EscapeLike(q) + "%", domain.NormalizeCode(q)}, registry.OrgScopeArgs(sc)...)...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// TestNameSearchIsLike: the search through the grams finds exactly what a
// LIKE over every name found, on both engines, for searches of one, two and
// more characters, common and rare, with ASCII letters in either case,
// LIKE's wildcards and a USCC, for the whole tree and a district, starting
// from the rarest gram or walking the names; the grams follow every
// insert and rename.
func TestNameSearchIsLike(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		res := gen.Generate(gen.Options{Scale: gen.Small, Seed: 1, Today: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), PasswordHash: "x"})
		if err := s.Bulk.LoadDataset(ctx, storetest.Sys(), res.Dataset, "test"); err != nil {
			t.Fatal(err)
		}
		// Renamed and new names the generator does not make.
		orgs, _, err := s.Registry.ListOrganizations(ctx, store.ScopeAll, registry.OrganizationFilter{Page: store.Page{Size: 3}})
		if err != nil || len(orgs) < 3 {
			t.Fatal(err)
		}
		for i, name := range []string{"ABC科技（成都）有限公司", "百分之百%_物流有限公司", "成"} {
			if _, err := s.Registry.SaveOrganization(ctx, storetest.Sys(), orgs[i].ID, domain.OrganizationInput{Name: storetest.Ptr(name)}, nil); err != nil {
				t.Fatal(err)
			}
		}
		if kept, scratch := keptGrams(t, s), gramsFromScratch(t, s); !slices.Equal(kept, scratch) {
			t.Fatalf("kept grams (%d) are not the names' (%d)", len(kept), len(scratch))
		}

		var jinjiang store.Scope
		for _, o := range res.PartyOrgs {
			if o.Name == "中共成都市锦江区委两新工委" {
				jinjiang = store.Scope{Path: o.Path}
			}
		}
		var someName, someUSCC string
		if err := s.DB.QueryRow(ctx, `SELECT name, uscc FROM organizations ORDER BY id DESC LIMIT 1`).Scan(&someName, &someUSCC); err != nil {
			t.Fatal(err)
		}
		rare := string([]rune(someName)[2:5])
		queries := []string{"成都", "成", "司", "都市", "科技有限", "有限公司", rare, someName, "abc", "ABC科", "c科", "%", "%_", "_物", "zzz", "成都成都", someUSCC}
		for _, threshold := range []int{3000, 0} {
			restore := registry.SetSparseGrams(threshold)
			for _, sc := range []store.Scope{store.ScopeAll, jinjiang} {
				for _, q := range queries {
					want := searchTruth(t, s, sc, q)
					var got []int64
					total := -1
					for page := 1; ; page++ {
						items, n, err := s.Registry.ListOrganizations(ctx, sc, registry.OrganizationFilter{Q: q, Page: store.Page{Number: page, Size: 200}})
						if err != nil {
							t.Fatal(err)
						}
						total = n
						for _, it := range items {
							got = append(got, it.ID)
						}
						if len(items) < 200 {
							break
						}
					}
					if total != len(want) || !slices.Equal(got, want) {
						t.Errorf("threshold %d, scope %s, %q: %d found (total %d), want %d", threshold, sc.Path, q, len(got), total, len(want))
					}
				}
			}
			restore()
		}
	})
}
