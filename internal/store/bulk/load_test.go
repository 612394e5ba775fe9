package bulk_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/gen"
	"github.com/lianxin/lianxin/internal/pii"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/bulk"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/store/storetest"
)

var (
	now   = storetest.Now
	today = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
)

// openPair opens two fresh databases of an engine with the same keys, so
// that the same data gives the same blind indexes and audit chain.
func openPair(t *testing.T, engine string) [2]*stores.Set {
	t.Helper()
	ctx := context.Background()
	keys, err := pii.LoadOrCreate(filepath.Join(t.TempDir(), "pii.keys"))
	if err != nil {
		t.Fatal(err)
	}
	var out [2]*stores.Set
	for i := range out {
		cfg := store.Config{DataDir: t.TempDir(), AuditKey: []byte("test-audit-key"), PII: keys}
		if engine == "postgres" {
			cfg.DSN = storetest.NewSchema(t)
		}
		s, err := stores.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if _, err := s.Migrate(ctx, now); err != nil {
			t.Fatal(err)
		}
		if err := s.Registry.EnsureBaseRegions(ctx); err != nil {
			t.Fatal(err)
		}
		out[i] = s
	}
	return out
}

// fingerprint digests every row of every table, table by table, in a
// fixed order. Ciphertexts (random nonces) and password hashes (random
// salts) are left out; their blind indexes stay in.
func fingerprint(t *testing.T, s *stores.Set) map[string]string {
	t.Helper()
	ctx := context.Background()
	pool := s.DB.Pool()
	tablesQ := `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
	colsQ := `SELECT name FROM pragma_table_info(?) ORDER BY cid`
	if s.Engine() == "postgres" {
		tablesQ = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`
		colsQ = `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position`
	}
	strs := func(q string, args ...any) []string {
		rows, err := pool.Query(ctx, q, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
			out = append(out, v)
		}
		return out
	}
	out := map[string]string{}
	for _, table := range strs(tablesQ) {
		var cols, order []string
		for _, c := range strs(colsQ, table) {
			if !strings.HasSuffix(c, "_enc") && c != "password_hash" {
				cols = append(cols, c)
				order = append(order, fmt.Sprint(len(cols)))
			}
		}
		rows, err := pool.Query(ctx, `SELECT `+strings.Join(cols, ", ")+` FROM `+table+` ORDER BY `+strings.Join(order, ", "))
		if err != nil {
			t.Fatal(err)
		}
		h, n := sha256.New(), 0
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(h, "%q\n", vals)
			n++
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		out[table] = fmt.Sprintf("%d rows %x", n, h.Sum(nil)[:8])
	}
	return out
}

// TestStreamedLoadIsTheWholeLoad: the city streamed into the database in
// small parts (as `lianxin gen` does) leaves exactly the rows that loading
// the whole dataset at once leaves, table by table, on both engines.
func TestStreamedLoadIsTheWholeLoad(t *testing.T) {
	opt := gen.Options{Scale: gen.Small, Seed: 2, Today: today, PasswordHash: "x"}
	whole := gen.Generate(opt)
	for _, eng := range storetest.Engines() {
		t.Run(eng, func(t *testing.T) {
			ctx := context.Background()
			dbs := openPair(t, eng)
			if err := dbs[0].Bulk.LoadDataset(ctx, store.System(now, "test"), whole.Dataset, "test"); err != nil {
				t.Fatal(err)
			}
			var parts int
			err := dbs[1].Bulk.Load(ctx, store.System(now, "test"), "test", func(w *bulk.Writer) error {
				o := opt
				o.LifePart = 5000
				_, err := gen.Stream(o, countingSink{w, &parts})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if parts < 10 {
				t.Fatalf("the year came in %d parts, want ten or more", parts)
			}
			a, b := fingerprint(t, dbs[0]), fingerprint(t, dbs[1])
			if len(a) < 30 {
				t.Fatalf("%d tables fingerprinted", len(a))
			}
			for table, fa := range a {
				if b[table] != fa {
					t.Errorf("%s: whole load %s, streamed %s", table, fa, b[table])
				}
			}
			for _, table := range []string{"attendances", "activities", "members", "party_orgs"} {
				if strings.HasPrefix(a[table], "0 rows") {
					t.Errorf("%s is empty", table)
				}
			}
		})
	}
}

// countingSink passes parts to the Writer and counts the year's.
type countingSink struct {
	w     *bulk.Writer
	parts *int
}

func (c countingSink) Base(b bulk.Base) error { return c.w.Base(b) }

func (c countingSink) Life(p bulk.Life) error {
	*c.parts++
	return c.w.Life(p)
}

// TestLoadRefusesPartsOutOfOrder: a year before its base, a base twice, a
// part whose attendances point outside it or whose ids do not follow the
// last part's are refused with nothing written.
func TestLoadRefusesPartsOutOfOrder(t *testing.T) {
	whole := gen.Generate(gen.Options{Scale: gen.Small, Seed: 2, Today: today, PasswordHash: "x"})
	first, second := whole.Life, whole.Life
	cut := len(whole.Activities) / 2
	first.Activities, second.Activities = whole.Activities[:cut], whole.Activities[cut:]
	first.ActivityCoHosts, second.ActivityCoHosts = nil, nil
	first.PartyGroups, second.PartyGroups = nil, nil
	second.ActivityTexts, second.ActivityPlaces, second.AttendanceReasons = nil, nil, nil
	first.Attendances = nil
	second.Attendances = whole.Attendances[:1] // at an activity of the first part
	cases := map[string]func(w *bulk.Writer) error{
		"life before base": func(w *bulk.Writer) error { return w.Life(whole.Life) },
		"base twice": func(w *bulk.Writer) error {
			if err := w.Base(whole.Base); err != nil {
				return err
			}
			return w.Base(whole.Base)
		},
		"no base": func(w *bulk.Writer) error { return nil },
		"attendance outside its part": func(w *bulk.Writer) error {
			if err := w.Base(whole.Base); err != nil {
				return err
			}
			if err := w.Life(first); err != nil {
				return err
			}
			return w.Life(second)
		},
		"ids not following": func(w *bulk.Writer) error {
			if err := w.Base(whole.Base); err != nil {
				return err
			}
			p := second
			p.Attendances = nil
			p.ActivityTexts, p.ActivityPlaces = whole.ActivityTexts, whole.ActivityPlaces
			return w.Life(p)
		},
	}
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		for name, fn := range cases {
			if err := s.Bulk.Load(ctx, store.System(now, "test"), "test", fn); err == nil {
				t.Errorf("%s: loaded", name)
			}
			if n, err := s.Bulk.CountAllPartyOrgs(ctx); err != nil || n != 0 {
				t.Fatalf("%s: %d Party orgs left (%v)", name, n, err)
			}
		}
		// And the same database then takes the whole.
		if err := s.Bulk.LoadDataset(ctx, store.System(now, "test"), whole.Dataset, "test"); err != nil {
			t.Fatal(err)
		}
	})
}
