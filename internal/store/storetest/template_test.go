package storetest

import (
	"context"
	"database/sql"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/pii"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/stores"
)

var at = time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)

type noted struct {
	A string `json:"a"`
}

// note writes one history row (an identity column) and one audit event.
func note(ctx context.Context, s *stores.Set, action string) error {
	err := s.Write(ctx, func(t *store.Tx) error {
		return s.AddHistory(ctx, t, store.System(at, "test"), "note", 1, action, noted{}, noted{A: action})
	})
	if err != nil {
		return err
	}
	return s.Audit(ctx, audit.Event{At: store.TS(at), Username: "test", Action: action, ObjectType: "note", Result: "ok"})
}

func historyIDs(t *testing.T, s *stores.Set) []int64 {
	t.Helper()
	h, err := s.History(context.Background(), "note", 1)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, e := range h {
		ids = append(ids, e.ID)
	}
	return ids
}

// TestTemplateCopiesAreIsolated: the template is built once per engine;
// every copy holds what the build wrote, with an audit chain that verifies
// under the same key and identity columns that continue after the copied
// rows; a write in one copy is seen in no other, before or after.
func TestTemplateCopiesAreIsolated(t *testing.T) {
	for _, eng := range Engines() {
		t.Run(eng, func(t *testing.T) {
			ctx := context.Background()
			tpl := NewTemplate(func(ctx context.Context, s *stores.Set) (string, error) {
				return "built", note(ctx, s, "template")
			})
			a, dirA, v := tpl.Open(t, eng)
			b, dirB, _ := tpl.Open(t, eng)
			if v != "built" || dirA == dirB || tpl.Builds() != 1 {
				t.Fatalf("value %q, dirs %s %s, builds %d", v, dirA, dirB, tpl.Builds())
			}
			seq, err := a.AuditSeq(ctx)
			if err != nil || seq == 0 {
				t.Fatalf("audit seq %d %v", seq, err)
			}
			before := historyIDs(t, a)
			if len(before) != 1 {
				t.Fatalf("history in the copy: %v", before)
			}
			if err := note(ctx, a, "copy a"); err != nil {
				t.Fatal(err)
			}
			// On PostgreSQL c was made ahead, before the write; d after it.
			c, _, _ := tpl.Open(t, eng)
			d, _, _ := tpl.Open(t, eng)
			for name, s := range map[string]*stores.Set{"a": a, "b": b, "c": c, "d": d} {
				res, err := s.VerifyAudit(ctx)
				if err != nil || !res.OK {
					t.Errorf("%s: audit chain %+v %v", name, res, err)
				}
				want := 1
				if name == "a" {
					want = 2
				}
				if ids := historyIDs(t, s); len(ids) != want {
					t.Errorf("%s: history %v, want %d rows", name, ids, want)
				}
			}
			if ids := historyIDs(t, a); len(ids) == 2 && ids[0] == ids[1] {
				t.Errorf("a new row reused the copied row's id: %v", ids)
			}
			if n, _ := b.AuditSeq(ctx); n != seq {
				t.Errorf("b's audit seq %d, want %d", n, seq)
			}
			if tpl.Builds() != 1 {
				t.Errorf("built %d times", tpl.Builds())
			}
		})
	}
}

// TestPostgresCopyMatchesMigration: a copy of the migrated template has the
// catalog (tables, columns, keys, indexes, triggers, functions, identity
// sequences) and the rows of a schema migrated by the program; only its
// foreign keys are marked not validated (pgcopy.go).
func TestPostgresCopyMatchesMigration(t *testing.T) {
	ctx := context.Background()
	tpl := NewTemplate[struct{}](nil)
	cp, _, _ := tpl.Open(t, "postgres")
	// A schema migrated as the program does it.
	dir := t.TempDir()
	keys, err := pii.LoadOrCreate(filepath.Join(dir, "pii.keys"))
	if err != nil {
		t.Fatal(err)
	}
	dsn := NewSchema(t)
	fresh := openSet(t, store.Config{DSN: dsn, DataDir: dir, AuditKey: auditKey, PII: keys}, "postgres")
	if _, err := fresh.Migrate(ctx, migratedAt); err != nil {
		t.Fatal(err)
	}
	if err := fresh.Registry.EnsureBaseRegions(ctx); err != nil {
		t.Fatal(err)
	}
	want := describe(t, dsn)
	got := describe(t, dsnOf(t, cp))
	if len(want) < 100 {
		t.Fatalf("the description is too short to mean anything: %v", want)
	}
	if !reflect.DeepEqual(got, want) {
		for i := 0; i < len(want) || i < len(got); i++ {
			var g, w string
			if i < len(got) {
				g = got[i]
			}
			if i < len(want) {
				w = want[i]
			}
			if g != w {
				t.Fatalf("copy differs from a migration at line %d:\n copy:     %s\n migrated: %s", i, g, w)
			}
		}
	}
}

func dsnOf(t *testing.T, s *stores.Set) string {
	d, ok := rawDSNs.Load(s)
	if !ok {
		t.Fatal("not opened by storetest")
	}
	return d.(string)
}

// describe lists a schema's catalog and a digest of each table's rows, with
// the schema's own name taken out.
func describe(t *testing.T, dsn string) []string {
	t.Helper()
	schema := schemaOf(dsn)
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	q := `
	SELECT 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
		|| ' collate ' || coalesce(co.collname, '-') || ' notnull ' || a.attnotnull || ' identity ' || a.attidentity::text
		|| ' generated ' || a.attgenerated::text || ' default ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '-')
	FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
	LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> 0
	LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
	WHERE c.relnamespace = $1::text::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
	UNION ALL
	SELECT 'constraint ' || c.relname || ' ' || k.conname || ' ' || k.contype::text || ' ' || replace(pg_get_constraintdef(k.oid), ' NOT VALID', '')
		|| ' deferrable ' || k.condeferrable
	FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid WHERE k.connamespace = $1::text::regnamespace
	UNION ALL
	SELECT 'index ' || pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
	WHERE c.relnamespace = $1::text::regnamespace
	UNION ALL
	SELECT 'trigger ' || pg_get_triggerdef(tg.oid) || ' enabled ' || tg.tgenabled::text FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid
	WHERE c.relnamespace = $1::text::regnamespace AND NOT tg.tgisinternal
	UNION ALL
	SELECT 'function ' || pg_get_functiondef(f.oid) FROM pg_proc f WHERE f.pronamespace = $1::text::regnamespace
	UNION ALL
	SELECT 'sequence ' || c.relname || ' ' || s.seqtypid::regtype || ' ' || s.seqstart || ' ' || s.seqincrement
		|| ' ' || s.seqmax || ' ' || s.seqmin || ' ' || s.seqcache || ' ' || s.seqcycle
	FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid WHERE c.relnamespace = $1::text::regnamespace
	UNION ALL
	SELECT 'relation ' || c.relname || ' ' || c.relkind::text || ' ' || c.relpersistence::text FROM pg_class c
	WHERE c.relnamespace = $1::text::regnamespace
	ORDER BY 1`
	rows, err := db.Query(q, schema)
	if err != nil {
		t.Fatal(err)
	}
	var out, tables []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, strings.ReplaceAll(s, schema+".", "S."))
		if rest, ok := strings.CutPrefix(s, "relation "); ok && strings.HasSuffix(rest, " r p") {
			tables = append(tables, strings.TrimSuffix(rest, " r p"))
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	for _, tb := range tables {
		var n int
		var digest sql.NullString
		// schema_migrations records when each migration ran: the template
		// and the fresh schema ran them at the same recorded instant.
		if err := db.QueryRow(`SELECT count(*), md5(string_agg(r::text, '|' ORDER BY r::text)) FROM `+schema+`.`+tb+` r`).Scan(&n, &digest); err != nil {
			t.Fatal(err)
		}
		out = append(out, "rows "+tb+" "+strconv.Itoa(n)+" "+digest.String)
	}
	return out
}
