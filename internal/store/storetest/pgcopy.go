package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
)

// A PostgreSQL template lives in a schema of its own ("tpl_" and 12 hex
// digits) for the whole test binary; each copy is a new schema filled from it
// by one multi-statement query on the server: tables (LIKE the template's),
// rows (INSERT … SELECT), identity sequences, then keys, indexes, foreign keys
// and triggers, then ANALYZE where the loader had. The suite's role owns a
// database but may not create one, which rules out CREATE DATABASE …
// TEMPLATE; copying within the database needs no more than it has.
//
// Two shortcuts, measured on the small city: the foreign keys are added NOT
// VALID (the rows come from a database that held them; new writes are
// checked all the same), and ANALYZE samples 3,000 rows rather than 30,000.
// Together they take about a third off a copy.
//
//
// A copy takes seconds on PostgreSQL, so the next one is made in the
// background ("tcp_" and 12 hex digits) while the test that took the last one
// runs; tests mostly wait on the network, and the server has a core to spare.
//
// Nothing runs when a test binary exits, so neither the template nor a copy
// made ahead and never taken can be dropped then. The binary holds a session
// advisory lock named after each instead, and whoever builds the next
// template drops every one whose lock is free: its binary has ended.

// templateLocks is the first key of the advisory locks held on templates.
const templateLocks = 0x6c78 // "lx"

var templateName = regexp.MustCompile(`^(tpl|tcp)_[0-9a-f]{12}$`)

type pgTemplate struct {
	schema string
	dsn    string
	base   string  // LIANXIN_TEST_POSTGRES
	db     *sql.DB // kept open: one of its connections holds the locks

	lockMu sync.Mutex
	lock   *sql.Conn // session holding the advisory locks

	nextMu sync.Mutex
	next   chan pgCopy // the copy being made ahead, if any

	// Filled by prepare, from the finished template's catalog.
	funcs, tables, inserts, seqs, keys, indexes, fkeys, triggers []string
	analyze                                                      []string
}

// newPGTemplate sweeps away the templates of ended binaries and creates an
// empty template schema, locked for as long as this process lives.
func newPGTemplate(ctx context.Context) (*pgTemplate, error) {
	base := os.Getenv("LIANXIN_TEST_POSTGRES")
	if base == "" {
		return nil, errors.New("LIANXIN_TEST_POSTGRES not set")
	}
	db, err := sql.Open("pgx", base)
	if err != nil {
		return nil, err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	fail := func(err error) (*pgTemplate, error) {
		conn.Close()
		db.Close()
		return nil, err
	}
	if err := sweepTemplates(ctx, conn); err != nil {
		return fail(fmt.Errorf("dropping old templates: %w", err))
	}
	b := make([]byte, 6)
	rand.Read(b)
	p := &pgTemplate{schema: "tpl_" + hex.EncodeToString(b), base: base, db: db, lock: conn}
	if p.dsn, err = p.create(ctx, p.schema); err != nil {
		return fail(err)
	}
	return p, nil
}

// create makes an empty schema, locked first so that a sweep in another
// binary never sees it unlocked, and returns a DSN whose search_path is it.
func (p *pgTemplate) create(ctx context.Context, schema string) (string, error) {
	p.lockMu.Lock()
	defer p.lockMu.Unlock()
	if _, err := p.lock.ExecContext(ctx, `SELECT pg_advisory_lock($1::int, hashtext($2))`, templateLocks, schema); err != nil {
		return "", err
	}
	if _, err := p.lock.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		return "", err
	}
	u, err := url.Parse(p.base)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// drop drops a copy a test is done with, then lets go of its lock.
func (p *pgTemplate) drop(schema string) {
	ctx := context.Background()
	p.db.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+schema+` CASCADE`)
	p.lockMu.Lock()
	defer p.lockMu.Unlock()
	p.lock.ExecContext(ctx, `SELECT pg_advisory_unlock($1::int, hashtext($2))`, templateLocks, schema)
}

// A pgCopy is a schema holding a copy of the template, or why not.
type pgCopy struct {
	schema, dsn string
	err         error
}

// take returns a copy of the template, the one made ahead if there is one,
// and starts making the next.
func (p *pgTemplate) take() pgCopy {
	p.nextMu.Lock()
	defer p.nextMu.Unlock()
	var c pgCopy
	if p.next != nil {
		c = <-p.next
	} else {
		c = p.newCopy()
	}
	p.next = make(chan pgCopy, 1)
	go func(next chan<- pgCopy) { next <- p.newCopy() }(p.next)
	return c
}

func (p *pgTemplate) newCopy() pgCopy {
	ctx := context.Background()
	b := make([]byte, 6)
	rand.Read(b)
	c := pgCopy{schema: "tcp_" + hex.EncodeToString(b)}
	if c.dsn, c.err = p.create(ctx, c.schema); c.err == nil {
		c.err = p.copyTo(ctx, c.schema)
	}
	return c
}

// sweepTemplates drops the templates and copies no live binary holds.
func sweepTemplates(ctx context.Context, conn *sql.Conn) error {
	rows, err := conn.QueryContext(ctx, `SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tpl\_%' OR nspname LIKE 'tcp\_%'`)
	if err != nil {
		return err
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return err
		}
		if templateName.MatchString(n) {
			names = append(names, n)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, n := range names {
		var free bool
		if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1::int, hashtext($2))`, templateLocks, n).Scan(&free); err != nil {
			return err
		}
		if !free {
			continue
		}
		_, err := conn.ExecContext(ctx, `DROP SCHEMA IF EXISTS `+n+` CASCADE`)
		if _, e := conn.ExecContext(ctx, `SELECT pg_advisory_unlock($1::int, hashtext($2))`, templateLocks, n); err == nil {
			err = e
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// prepare reads the finished template's catalog into the statements that
// copy it. Definitions name the template's schema; copyTo renames it.
func (p *pgTemplate) prepare(ctx context.Context) error {
	if err := p.refuseUnknown(ctx); err != nil {
		return err
	}
	src := p.schema
	list := func(dst *[]string, q string) error {
		rows, err := p.db.QueryContext(ctx, q, src)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				return err
			}
			*dst = append(*dst, s)
		}
		return rows.Err()
	}
	// Every statement is a template over the placeholder {dst}.
	steps := []struct {
		dst *[]string
		q   string
	}{
		{&p.funcs, `SELECT pg_get_functiondef(f.oid) FROM pg_proc f
			WHERE f.pronamespace = $1::text::regnamespace AND f.prokind = 'f' ORDER BY f.proname`},
		{&p.tables, `SELECT format('CREATE TABLE {dst}.%I (LIKE %I.%I INCLUDING DEFAULTS INCLUDING IDENTITY
			INCLUDING GENERATED INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS)', c.relname, $1::text, c.relname)
			FROM pg_class c WHERE c.relnamespace = $1::text::regnamespace AND c.relkind = 'r' ORDER BY c.relname`},
		{&p.inserts, `SELECT format('INSERT INTO {dst}.%I (%s) SELECT %2$s FROM %I.%1$I', c.relname, cols, $1::text)
			FROM pg_class c, LATERAL (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) AS cols
				FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '') a
			WHERE c.relnamespace = $1::text::regnamespace AND c.relkind = 'r' AND EXISTS (SELECT FROM pg_attribute a
				WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) ORDER BY c.relname`},
		{&p.seqs, `SELECT format('SELECT setval(pg_get_serial_sequence(%L, %L), last_value, is_called) FROM %s',
				'{dst}.' || quote_ident(c.relname), a.attname, pg_get_serial_sequence(format('%I.%I', $1::text, c.relname), a.attname))
			FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
			WHERE c.relnamespace = $1::text::regnamespace AND c.relkind = 'r' AND a.attidentity <> '' AND NOT a.attisdropped
			ORDER BY c.relname, a.attnum`},
		{&p.keys, `SELECT format('ALTER TABLE {dst}.%I ADD CONSTRAINT %I %s', c.relname, k.conname, pg_get_constraintdef(k.oid))
			FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
			WHERE k.connamespace = $1::text::regnamespace AND k.contype IN ('p', 'u', 'x') ORDER BY c.relname, k.conname`},
		{&p.indexes, `SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
			WHERE c.relnamespace = $1::text::regnamespace AND NOT EXISTS (SELECT FROM pg_constraint k
				WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))
			ORDER BY c.relname`},
		{&p.fkeys, `SELECT format('ALTER TABLE {dst}.%I ADD CONSTRAINT %I %s NOT VALID', c.relname, k.conname, pg_get_constraintdef(k.oid))
			FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
			WHERE k.connamespace = $1::text::regnamespace AND k.contype = 'f' ORDER BY c.relname, k.conname`},
		{&p.triggers, `SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
			WHERE c.relnamespace = $1::text::regnamespace AND NOT t.tgisinternal ORDER BY c.relname, t.tgname`},
		// Statistics cannot be copied; gather them for the tables the
		// template had them for.
		{&p.analyze, `SELECT format('{dst}.%I', c.relname) FROM pg_class c
			WHERE c.relnamespace = $1::text::regnamespace AND c.relkind = 'r' AND c.reltuples >= 0 ORDER BY c.relname`},
	}
	for _, s := range steps {
		if err := list(s.dst, s.q); err != nil {
			return fmt.Errorf("reading the template's catalog: %w", err)
		}
	}
	// Definitions printed by the server name the template's schema.
	for _, l := range []*[]string{&p.funcs, &p.indexes, &p.keys, &p.fkeys, &p.triggers} {
		for i, s := range *l {
			(*l)[i] = strings.ReplaceAll(s, src+".", "{dst}.")
		}
	}
	return nil
}

// refuseUnknown fails on objects copyTo does not copy (views, types,
// sequences of their own …), rather than leave them out of every copy.
func (p *pgTemplate) refuseUnknown(ctx context.Context) error {
	var what sql.NullString
	err := p.db.QueryRowContext(ctx, `SELECT string_agg(x, ', ') FROM (
		SELECT format('%s (relkind %s)', c.relname, c.relkind) AS x FROM pg_class c
			WHERE c.relnamespace = $1::text::regnamespace AND c.relkind NOT IN ('r', 'i')
			AND NOT (c.relkind = 'S' AND EXISTS (SELECT FROM pg_depend d
				WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'i'))
		UNION ALL SELECT format('type %s', t.typname) FROM pg_type t
			WHERE t.typnamespace = $1::text::regnamespace AND t.typtype NOT IN ('c', 'b')
		UNION ALL SELECT format('%s (prokind %s)', f.proname, f.prokind) FROM pg_proc f
			WHERE f.pronamespace = $1::text::regnamespace AND f.prokind <> 'f'
		UNION ALL SELECT format('statistics %s', s.stxname) FROM pg_statistic_ext s
			WHERE s.stxnamespace = $1::text::regnamespace) o`, p.schema).Scan(&what)
	if err != nil {
		return err
	}
	if what.Valid {
		return fmt.Errorf("the template holds objects the copy does not know: %s", what.String)
	}
	return nil
}

// copyTo fills the empty schema dst with a copy of the template, in one
// transaction.
func (p *pgTemplate) copyTo(ctx context.Context, dst string) error {
	var b strings.Builder
	// Session-wide, on the template's own connections: they only copy.
	b.WriteString("SET default_statistics_target = 10;\n")
	for _, l := range [][]string{p.funcs, p.tables, p.inserts, p.seqs, p.keys, p.indexes, p.fkeys, p.triggers} {
		for _, s := range l {
			b.WriteString(s)
			b.WriteString(";\n")
		}
	}
	if len(p.analyze) > 0 {
		b.WriteString("ANALYZE " + strings.Join(p.analyze, ", ") + ";\n")
	}
	script := strings.ReplaceAll(b.String(), "{dst}.", dst+".")
	// Without arguments the driver sends the statements as one simple
	// query, which the server runs as one transaction.
	if _, err := p.db.ExecContext(ctx, script); err != nil {
		return fmt.Errorf("copying the template into %s: %w", dst, err)
	}
	return nil
}

// schemaOf returns the search_path of a DSN made by NewSchema.
func schemaOf(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return ""
	}
	return u.Query().Get("search_path")
}
