// Package bench measures lianxin at city scale (DESIGN §8): the synthetic
// city dataset is generated once per run, and every benchmark reports the
// store's figure beside a baseline measured in the same run, so that the
// ratio holds on a noisy machine.
//
//	go test -run '^$' -bench . -benchtime 2000x ./bench
//
// With LIANXIN_TEST_POSTGRES set, the same benchmarks run on PostgreSQL too.
package bench

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/lianxin/lianxin/internal/auth"
	"github.com/lianxin/lianxin/internal/gen"
	"github.com/lianxin/lianxin/internal/pii"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/coverage"
	"github.com/lianxin/lianxin/internal/store/members"
	"github.com/lianxin/lianxin/internal/store/registry"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/store/storetest"
)

var now = time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)

// city is one loaded city-scale database per engine.
type city struct {
	s        *stores.Set
	raw      *sql.DB
	postgres bool
	jinjiang store.Scope
	whole    store.Scope // city staff: the root Party org
	dir      string
	dsn      string // PostgreSQL only
	shared   bool   // another engine's city, read differently
}

var (
	cities     = map[string]*city{}
	citiesMu   sync.Mutex
	dropSchema = func() {}
)

func TestMain(m *testing.M) {
	code := m.Run()
	for _, r := range rigs {
		r.stop()
	}
	for _, c := range cities {
		c.raw.Close()
		c.s.Close()
		if keepDir() == "" && !c.shared {
			os.RemoveAll(c.dir)
		}
	}
	if keepDir() == "" {
		dropSchema()
	}
	os.Exit(code)
}

// keepDir is LIANXIN_BENCH_KEEP: where each engine's city is kept after the
// run (<dir>/sqlite, the database; <dir>/postgres/dsn, the schema) and found
// again by the next run with the same setting, so that working on one
// benchmark does not generate the city each time. Published figures come
// from a fresh city.
func keepDir() string { return os.Getenv("LIANXIN_BENCH_KEEP") }

// productionSettings are the session settings of the production profile
// (README "Deployment", PostgreSQL) that a connection can set by itself;
// shared_buffers needs a server restart and stays as the cluster has it.
// LIANXIN_BENCH_PG_PRODUCTION=1 adds the engine "postgres-production": the
// same city as "postgres", read through connections with these settings.
var productionSettings = map[string]string{
	"work_mem":             "64MB",
	"effective_cache_size": "12GB",
	"random_page_cost":     "1.1",
	"jit":                  "off",
}

const pgProduction = "postgres-production"

func load(b *testing.B, engine string) *city {
	citiesMu.Lock()
	defer citiesMu.Unlock()
	if c, ok := cities[engine]; ok {
		return c
	}
	b.Helper()
	if engine == pgProduction {
		return loadProduction(b)
	}
	ctx := context.Background()
	if c := reuse(b, engine); c != nil {
		cities[engine] = c
		return c
	}
	dir, err := os.MkdirTemp("", "lianxin-bench-")
	if err != nil {
		b.Fatal(err)
	}
	if k := keepDir(); k != "" {
		dir = filepath.Join(k, engine)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			b.Fatal(err)
		}
	}
	keys, err := pii.LoadOrCreate(filepath.Join(dir, "pii.keys"))
	if err != nil {
		b.Fatal(err)
	}
	cfg := store.Config{DataDir: dir, AuditKey: []byte("bench"), PII: keys}
	if engine == "postgres" {
		// The dataset outlives each sub-benchmark: TestMain drops the schema.
		cfg.DSN, dropSchema = storetest.NewSchemaUntil(b)
	}
	s, err := stores.Open(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.Migrate(ctx, now); err != nil {
		b.Fatal(err)
	}
	if err := s.Registry.EnsureBaseRegions(ctx); err != nil {
		b.Fatal(err)
	}
	hash, _ := auth.HashPassword("Bench@2026pass", auth.DefaultParams)
	scale := gen.City
	if v := os.Getenv("LIANXIN_BENCH_SCALE"); v != "" {
		// A smaller city for working on one benchmark; published figures
		// are at city scale.
		if scale, err = gen.ParseScale(v); err != nil {
			b.Fatal(err)
		}
	}
	t0 := time.Now()
	res := gen.Generate(gen.Options{Scale: scale, Seed: 1, Today: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), PasswordHash: hash})
	t1 := time.Now()
	if err := s.Bulk.LoadDataset(ctx, store.System(now, "bench"), res.Dataset, "bench"); err != nil {
		b.Fatal(err)
	}
	b.Logf("%s city: generated in %v, loaded in %v", engine, t1.Sub(t0).Round(time.Second), time.Since(t1).Round(time.Second))
	c := &city{s: s, postgres: engine == "postgres", dir: dir, dsn: cfg.DSN}
	if c.postgres {
		c.raw, err = sql.Open("pgx", cfg.DSN)
	} else {
		c.raw, err = sql.Open("sqlite", "file:"+filepath.Join(dir, "lianxin.db")+"?_pragma=query_only(1)")
	}
	if err != nil {
		b.Fatal(err)
	}
	for _, o := range res.PartyOrgs {
		if o.Name == "中共成都市锦江区委两新工委" {
			c.jinjiang = store.Scope{Path: o.Path}
		}
		if o.ParentID == nil {
			c.whole = store.Scope{Path: o.Path}
		}
	}
	if k := keepDir(); k != "" && c.postgres {
		if err := os.WriteFile(filepath.Join(dir, "dsn"), []byte(cfg.DSN), 0o600); err != nil {
			b.Fatal(err)
		}
	}
	cities[engine] = c
	return c
}

// reuse opens the city kept by an earlier run (LIANXIN_BENCH_KEEP), nil
// when there is none.
func reuse(b *testing.B, engine string) *city {
	k := keepDir()
	if k == "" {
		return nil
	}
	dir := filepath.Join(k, engine)
	cfg := store.Config{DataDir: dir, AuditKey: []byte("bench")}
	if engine == "postgres" {
		dsn, err := os.ReadFile(filepath.Join(dir, "dsn"))
		if err != nil {
			return nil
		}
		cfg.DSN = string(dsn)
	} else if _, err := os.Stat(filepath.Join(dir, "lianxin.db")); err != nil {
		return nil
	}
	c := open(b, engine, dir, cfg)
	b.Logf("reusing the city kept in %s", dir)
	return c
}

// open opens a loaded city's stores, its raw connection and its scopes.
func open(b *testing.B, engine, dir string, cfg store.Config) *city {
	ctx := context.Background()
	keys, err := pii.LoadOrCreate(filepath.Join(dir, "pii.keys"))
	if err != nil {
		b.Fatal(err)
	}
	cfg.PII = keys
	s, err := stores.Open(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.Migrate(ctx, now); err != nil {
		b.Fatal(err)
	}
	c := &city{s: s, postgres: cfg.DSN != "", dir: dir, dsn: cfg.DSN}
	if c.postgres {
		c.raw, err = sql.Open("pgx", cfg.DSN)
	} else {
		c.raw, err = sql.Open("sqlite", "file:"+filepath.Join(dir, "lianxin.db")+"?_pragma=query_only(1)")
	}
	if err != nil {
		b.Fatal(err)
	}
	var whole, jinjiang string
	if err := c.raw.QueryRow(`SELECT path FROM party_orgs WHERE parent_id IS NULL`).Scan(&whole); err != nil {
		b.Fatal(err)
	}
	if err := c.raw.QueryRow(c.bind(`SELECT path FROM party_orgs WHERE name = ?`), "中共成都市锦江区委两新工委").Scan(&jinjiang); err != nil {
		b.Fatal(err)
	}
	c.whole, c.jinjiang = store.Scope{Path: whole}, store.Scope{Path: jinjiang}
	return c
}

// loadProduction is the PostgreSQL city read with the production profile's
// session settings (productionSettings).
func loadProduction(b *testing.B) *city {
	citiesMu.Unlock()
	base := load(b, "postgres")
	citiesMu.Lock()
	if c, ok := cities[pgProduction]; ok {
		return c
	}
	u, err := url.Parse(base.dsn)
	if err != nil {
		b.Fatal(err)
	}
	q := u.Query()
	for k, v := range productionSettings {
		q.Set(k, v)
	}
	u.RawQuery = q.Encode()
	c := open(b, "postgres", base.dir, store.Config{DSN: u.String(), AuditKey: []byte("bench")})
	c.shared = true
	var jit string
	if err := c.raw.QueryRow(`SHOW jit`).Scan(&jit); err != nil || jit != "off" {
		b.Fatalf("the production settings did not apply: jit %q, %v", jit, err)
	}
	cities[pgProduction] = c
	return c
}

// scopeOf is the scope of the benchmark's callers: "city" staff (the whole
// tree) or 锦江区 staff.
func (c *city) scopeOf(who string) store.Scope {
	if who == "city" {
		return c.whole
	}
	return c.jinjiang
}

func engines() []string {
	out := storetest.Engines()
	if os.Getenv("LIANXIN_BENCH_PG_PRODUCTION") == "1" && len(out) > 1 {
		out = append(out, pgProduction)
	}
	return out
}

// timed runs fn b.N times and reports the p50 and p99 of one call.
func timed(b *testing.B, fn func(i int) error) { timedAtLeast(b, 0, fn) }

// timedAtLeast is timed with at least n calls in each round of b.N, so that
// the p50 of calls taking seconds is a median even when b.N is 1.
func timedAtLeast(b *testing.B, n int, fn func(i int) error) {
	d := make([]time.Duration, max(b.N, n))
	b.ResetTimer()
	for i := range d {
		t0 := time.Now()
		if err := fn(i); err != nil {
			b.Fatal(err)
		}
		d[i] = time.Since(t0)
	}
	b.StopTimer()
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	b.ReportMetric(float64(d[len(d)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(d[len(d)*99/100].Microseconds()), "p99-µs")
}

func (c *city) bind(q string) string {
	if !c.postgres {
		return q
	}
	n := 0
	out := []byte{}
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			out = append(out, fmt.Sprintf("$%d", n)...)
			continue
		}
		out = append(out, q[i])
	}
	return string(out)
}

const pageSize = 50

// BenchmarkListDistrictSubtree pages through 锦江区's ≈1,100 Party orgs as
// the Party-org page does (count + one page with parent, region and child
// count), beside the same work as one raw SQL statement.
func BenchmarkListDistrictSubtree(b *testing.B) {
	for _, eng := range engines() {
		b.Run(eng+"/store", func(b *testing.B) {
			c := load(b, eng)
			_, total, _ := c.s.Registry.ListPartyOrgs(context.Background(), c.jinjiang, registry.PartyOrgFilter{})
			pages := (total + pageSize - 1) / pageSize
			b.ReportMetric(float64(total), "orgs")
			timed(b, func(i int) error {
				items, _, err := c.s.Registry.ListPartyOrgs(context.Background(), c.jinjiang, registry.PartyOrgFilter{Page: store.Page{Number: i%pages + 1, Size: pageSize}})
				if err == nil && len(items) == 0 {
					err = fmt.Errorf("empty page")
				}
				return err
			})
		})
		b.Run(eng+"/raw", func(b *testing.B) {
			c := load(b, eng)
			lo := c.jinjiang.Path
			hi := lo[:len(lo)-1] + "0"
			// One statement: the total and one page, with the page's names and
			// child counts, as the store answers them with its two queries.
			q := c.bind(`WITH t AS (SELECT COUNT(*) AS n FROM party_orgs WHERE path >= ? AND path < ? AND status = 'active'),
				pg AS (SELECT * FROM party_orgs WHERE path >= ? AND path < ? AND status = 'active' ORDER BY path LIMIT ? OFFSET ?)
				SELECT p.id, p.parent_id, p.path, p.depth, p.name, p.short_name, p.type, p.region_code, p.founded_on, p.secretary_name,
				p.term_start, p.term_years, p.term_end, p.status, p.dissolved_on, p.dissolve_reason, p.created_at, p.updated_at, p.version,
				pp.name, r.name, (SELECT COUNT(*) FROM party_orgs c WHERE c.parent_id = p.id AND c.status = 'active'), t.n
				FROM pg p CROSS JOIN t LEFT JOIN party_orgs pp ON pp.id = p.parent_id LEFT JOIN regions r ON r.code = p.region_code
				ORDER BY p.path`)
			pages := 1100 / pageSize
			timed(b, func(i int) error {
				rows, err := c.raw.Query(q, lo, hi, lo, hi, pageSize, (i%pages)*pageSize)
				if err != nil {
					return err
				}
				defer rows.Close()
				n := 0
				for rows.Next() {
					var id, depth, years, version, children, total int64
					var parent sql.NullInt64
					var path, name, short, typ, region, sec, status, reason, created, updated string
					var founded, ts, te, dissolved, pname, rname sql.NullString
					if err := rows.Scan(&id, &parent, &path, &depth, &name, &short, &typ, &region, &founded, &sec, &ts, &years, &te, &status, &dissolved, &reason,
						&created, &updated, &version, &pname, &rname, &children, &total); err != nil {
						return err
					}
					n++
				}
				if n == 0 {
					return fmt.Errorf("empty page")
				}
				return rows.Err()
			})
		})
	}
}

// BenchmarkCountSubtree counts 锦江区's Party orgs by type and status (the
// home page), beside the same statement run raw.
func BenchmarkCountSubtree(b *testing.B) {
	for _, eng := range engines() {
		b.Run(eng+"/store", func(b *testing.B) {
			c := load(b, eng)
			timed(b, func(int) error {
				n, err := c.s.Registry.CountPartyOrgs(context.Background(), c.jinjiang)
				if err == nil && n.Active < 1000 {
					err = fmt.Errorf("only %d", n.Active)
				}
				return err
			})
		})
		b.Run(eng+"/raw", func(b *testing.B) {
			c := load(b, eng)
			lo := c.jinjiang.Path
			hi := lo[:len(lo)-1] + "0"
			q := c.bind(`SELECT type, status, COUNT(*) FROM party_orgs WHERE path >= ? AND path < ? GROUP BY type, status`)
			timed(b, func(int) error {
				rows, err := c.raw.Query(q, lo, hi)
				if err != nil {
					return err
				}
				defer rows.Close()
				for rows.Next() {
					var typ, status string
					var n int
					if err := rows.Scan(&typ, &status, &n); err != nil {
						return err
					}
				}
				return rows.Err()
			})
		})
	}
}

// BenchmarkLogin measures one login with the production argon2id
// parameters (password check, session, audit record), beside the cost of
// the password hash alone, which dominates by design.
func BenchmarkLogin(b *testing.B) {
	b.Run("sqlite/login", func(b *testing.B) {
		c := load(b, "sqlite")
		svc := &auth.Service{Store: c.s, Now: func() time.Time { return now }, Params: auth.DefaultParams}
		timed(b, func(int) error {
			_, _, err := svc.Login(context.Background(), "jinjiang", "Bench@2026pass", auth.Client{IP: "127.0.0.1"})
			return err
		})
	})
	b.Run("argon2id-only", func(b *testing.B) {
		hash, _ := auth.HashPassword("Bench@2026pass", auth.DefaultParams)
		timed(b, func(int) error {
			ok, err := auth.CheckPassword("Bench@2026pass", hash)
			if err == nil && !ok {
				err = fmt.Errorf("mismatch")
			}
			return err
		})
	})
}

// BenchmarkSearchMembers finds members by name (from the surname: a prefix
// range on the name index) as 锦江区 staff and as city staff (all 301,178
// members), a page of 50 with the total, names, masked ID numbers and
// phones (which means decrypting them), beside the same statements run raw
// without decrypting.
func BenchmarkSearchMembers(b *testing.B) {
	names := []string{"王", "李芳", "张伟", "刘", "陈静", "杨"}
	for _, eng := range engines() {
		for _, who := range []string{"jinjiang", "city"} {
			b.Run(eng+"/"+who+"/store", func(b *testing.B) {
				c := load(b, eng)
				sc := c.scopeOf(who)
				timed(b, func(i int) error {
					_, _, err := c.s.Members.ListMembers(context.Background(), sc, members.MemberFilter{Q: names[i%len(names)], Page: store.Page{Size: pageSize}})
					return err
				})
			})
			b.Run(eng+"/"+who+"/raw", func(b *testing.B) {
				c := load(b, eng)
				lo := c.scopeOf(who).Path
				hi := lo[:len(lo)-1] + "0"
				name := "m.name"
				if c.postgres {
					name = `m.name COLLATE "C"`
				}
				cond := ` FROM members m LEFT JOIN party_orgs mp ON mp.id = m.party_org_id LEFT JOIN organizations e ON e.id = m.employer_id
					WHERE (EXISTS (SELECT 1 FROM party_orgs p WHERE p.id = m.party_org_id AND p.path >= ? AND p.path < ?)
					OR (m.party_org_id IS NULL AND EXISTS (SELECT 1 FROM organizations o JOIN party_orgs p ON p.id = o.area_manager_id
						WHERE o.id = m.employer_id AND p.path >= ? AND p.path < ?)))
					AND ` + name + ` >= ? AND ` + name + ` < ?`
				count := c.bind(`SELECT COUNT(*)` + cond)
				page := c.bind(`SELECT m.id, m.name, m.id_number_enc, m.phone_enc, COALESCE(mp.name, ''), COALESCE(e.name, '')` + cond + ` ORDER BY ` + name + `, m.id LIMIT 50`)
				timed(b, func(i int) error {
					q := names[i%len(names)]
					var n int
					if err := c.raw.QueryRow(count, lo, hi, lo, hi, q, q+"\U0010FFFF").Scan(&n); err != nil {
						return err
					}
					rows, err := c.raw.Query(page, lo, hi, lo, hi, q, q+"\U0010FFFF")
					if err != nil {
						return err
					}
					defer rows.Close()
					for rows.Next() {
						var id int64
						var name, pname, ename string
						var idEnc, phoneEnc []byte
						if err := rows.Scan(&id, &name, &idEnc, &phoneEnc, &pname, &ename); err != nil {
							return err
						}
					}
					return rows.Err()
				})
			})
		}
	}
}

// BenchmarkListOrganizations opens the 两新组织 page (the total and the first
// page of 20 by name, with manager, region and zone names) as city staff
// (199,422 organizations) and as 锦江区 staff, beside the two raw statements
// that answer the same: a count over the scope and the page.
func BenchmarkListOrganizations(b *testing.B) {
	const page = 20
	for _, eng := range engines() {
		for _, who := range []string{"jinjiang", "city"} {
			b.Run(eng+"/"+who+"/store", func(b *testing.B) {
				c := load(b, eng)
				sc := c.scopeOf(who)
				timed(b, func(i int) error {
					items, _, err := c.s.Registry.ListOrganizations(context.Background(), sc, registry.OrganizationFilter{Page: store.Page{Size: page}})
					if err == nil && len(items) != page {
						err = fmt.Errorf("page of %d", len(items))
					}
					return err
				})
			})
			b.Run(eng+"/"+who+"/raw", func(b *testing.B) {
				c := load(b, eng)
				lo := c.scopeOf(who).Path
				hi := lo[:len(lo)-1] + "0"
				cond, args := "", []any{}
				if who != "city" {
					cond = ` WHERE (o.area_manager_id IN (SELECT id FROM party_orgs WHERE path >= ? AND path < ?)
						OR o.industry_manager_id IN (SELECT id FROM party_orgs WHERE path >= ? AND path < ?))`
					args = []any{lo, hi, lo, hi}
				}
				count := c.bind(`SELECT COUNT(*) FROM organizations o` + cond)
				list := c.bind(`SELECT o.id, o.uscc, o.name, o.status, o.region_code, am.name, COALESCE(im.name, ''), COALESCE(r.name, ''), COALESCE(z.name, '')
					FROM organizations o JOIN party_orgs am ON am.id = o.area_manager_id LEFT JOIN party_orgs im ON im.id = o.industry_manager_id
					LEFT JOIN regions r ON r.code = o.region_code LEFT JOIN zones z ON z.id = o.zone_id` + cond + ` ORDER BY o.name, o.id LIMIT 20`)
				timed(b, func(i int) error {
					var n int
					if err := c.raw.QueryRow(count, args...).Scan(&n); err != nil {
						return err
					}
					rows, err := c.raw.Query(list, args...)
					if err != nil {
						return err
					}
					defer rows.Close()
					for rows.Next() {
						var id int64
						var uscc, name, status, region, am, im, rn, zn string
						if err := rows.Scan(&id, &uscc, &name, &status, &region, &am, &im, &rn, &zn); err != nil {
							return err
						}
					}
					return rows.Err()
				})
			})
		}
	}
}

// rawCount runs a raw counting statement and reads every row.
func (c *city) rawCount(q string, args ...any) error {
	rows, err := c.raw.Query(c.bind(q), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
	}
	return rows.Err()
}

// rawCounts runs each of qs, reading every row.
func (c *city) rawCounts(qs []string) error {
	for _, q := range qs {
		if err := c.rawCount(q); err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkCoverage measures GET /coverage (issue 3: p50 ≤ 100 ms for the
// whole city) for the city and for 锦江区, beside the statements it runs
// for the city, raw (coverageCounted), the scans it ran before issue 12
// (coverageRaw) and the naive join over every member.
func BenchmarkCoverage(b *testing.B) {
	for _, eng := range engines() {
		for _, who := range []string{"city", "jinjiang"} {
			b.Run(eng+"/"+who+"/store", func(b *testing.B) {
				c := load(b, eng)
				sc := c.whole
				if who == "jinjiang" {
					sc = c.jinjiang
				}
				timed(b, func(int) error {
					sum, err := c.s.Coverage.CoverageSummary(context.Background(), store.Caller{Now: now, Scope: sc}, coverage.CoverageFilter{})
					if err == nil && sum.InScope == 0 {
						err = fmt.Errorf("nothing in scope")
					}
					return err
				})
			})
		}
		b.Run(eng+"/city/raw", func(b *testing.B) {
			c := load(b, eng)
			timed(b, func(int) error { return c.rawCounts(coverageRaw) })
		})
		// The statements the store runs for the whole city since issue 12:
		// the counts kept by the writers (migration 0018).
		b.Run(eng+"/city/raw-counts", func(b *testing.B) {
			c := load(b, eng)
			timed(b, func(int) error { return c.rawCounts(coverageCounted) })
		})
		// The naive statement for the member figures: a join over every member.
		b.Run(eng+"/city/naive", func(b *testing.B) {
			c := load(b, eng)
			timed(b, func(int) error {
				if err := c.rawCount(coverageRaw[0]); err != nil {
					return err
				}
				return c.rawCount(`SELECT COUNT(*), SUM(CASE WHEN p.id IS NULL THEN 1 ELSE 0 END), SUM(CASE WHEN p.status <> 'active' THEN 1 ELSE 0 END)
					FROM members m LEFT JOIN party_orgs p ON p.id = m.party_org_id WHERE m.standing = 'registered'`)
			})
		})
	}
}

// coverageRaw are the statements CoverageSummary ran for a city-level
// caller until issue 12 (and still runs for a narrower scope), written out:
// organizations by in-scope flag and state, members in good standing held
// by a Party org, held by none, held by a dissolved one.
var coverageRaw = []string{
	`SELECT cov_in_scope, cov_state, COUNT(*) FROM organizations GROUP BY cov_in_scope, cov_state`,
	`SELECT COUNT(*) FROM members WHERE standing = 'registered' AND party_org_id IS NOT NULL`,
	`SELECT COUNT(*) FROM members WHERE standing = 'registered' AND party_org_id IS NULL`,
	`SELECT COUNT(*) FROM members WHERE standing = 'registered' AND party_org_id IN (SELECT id FROM party_orgs WHERE status <> 'active')`,
}

// coverageCounted are the statements CoverageSummary runs for the whole
// city unfiltered (side by side): the organization counts; members in good
// standing held by a Party org, by none, by a dissolved one.
var coverageCounted = []string{
	`SELECT cov_in_scope, cov_state, SUM(n) FROM organization_counts GROUP BY cov_in_scope, cov_state`,
	`SELECT SUM(CASE WHEN party_org_id <> 0 THEN n ELSE 0 END), SUM(CASE WHEN party_org_id = 0 THEN n ELSE 0 END),
		(SELECT SUM(d.n) FROM member_counts d WHERE d.standing = 'registered' AND d.party_org_id IN (SELECT id FROM party_orgs WHERE status <> 'active'))
		FROM member_counts WHERE standing = 'registered'`,
}

// BenchmarkCoverageByDistrict measures the city's breakdown by district
// (grouped by region in SQL, streets folded into districts in Go) beside
// the raw GROUP BY.
func BenchmarkCoverageByDistrict(b *testing.B) {
	for _, eng := range engines() {
		b.Run(eng+"/store", func(b *testing.B) {
			c := load(b, eng)
			timed(b, func(int) error {
				rows, err := c.s.Coverage.CoverageBreakdown(context.Background(), c.whole, coverage.ByRegion, coverage.CoverageFilter{})
				if err == nil && len(rows) < 20 {
					err = fmt.Errorf("only %d districts", len(rows))
				}
				return err
			})
		})
		b.Run(eng+"/raw", func(b *testing.B) {
			c := load(b, eng)
			timed(b, func(int) error {
				return c.rawCount(`SELECT region_code, cov_in_scope, cov_state, COUNT(*) FROM organizations GROUP BY region_code, cov_in_scope, cov_state`)
			})
		})
	}
}
