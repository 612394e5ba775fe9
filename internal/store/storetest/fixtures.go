package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/stores"
)

// Now is the store tests' clock: the day the generated city is "today".
var Now = time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)

// Ptr returns a pointer to v (the inputs' optional fields).
func Ptr[T any](v T) *T { return &v }

// Sys is the system caller at Now.
func Sys() store.Caller { return store.System(Now, "test") }

// Tree builds root → a → a1 → a1x, a → a2 and root → b (work committees,
// industry committees and a branch in 锦江区); it returns their ids by name.
func Tree(t testing.TB, s *stores.Set) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	ids := map[string]int64{}
	mk := func(name, parent, typ string) {
		var pid *int64
		if parent != "" {
			pid = Ptr(ids[parent])
		}
		o, err := s.Registry.CreatePartyOrg(ctx, Sys(), pid, domain.PartyOrgInput{Name: Ptr(name), Type: Ptr(typ), Region: Ptr("510104")})
		if err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
		ids[name] = o.ID
	}
	mk("root", "", "work_committee")
	mk("a", "root", "work_committee")
	mk("b", "root", "work_committee")
	mk("a1", "a", "industry_committee")
	mk("a2", "a", "industry_committee")
	mk("a1x", "a1", "branch")
	return ids
}

// RawExec runs one statement on the writer as it is, as someone with
// direct database access could, and returns its error (tests of what the
// database refuses).
func RawExec(ctx context.Context, db *store.DB, q string) error {
	_, err := db.W.ExecContext(ctx, q)
	return err
}

// DropAuditGuard removes the audit trail's append-only triggers.
func DropAuditGuard(ctx context.Context, t testing.TB, db *store.DB) {
	t.Helper()
	stmts := []string{`DROP TRIGGER audit_events_no_update`, `DROP TRIGGER audit_events_no_delete`}
	if db.D.Postgres() {
		stmts = []string{`DROP TRIGGER audit_events_no_update ON audit_events`}
	}
	for _, q := range stmts {
		if err := RawExec(ctx, db, q); err != nil {
			t.Fatal(err)
		}
	}
}

// QueryInts reads one row of n integers.
func QueryInts(ctx context.Context, db *store.DB, q string, n int) ([]int64, error) {
	out := make([]int64, n)
	ptrs := make([]any, n)
	for i := range out {
		ptrs[i] = &out[i]
	}
	err := db.QueryRow(ctx, q).Scan(ptrs...)
	return out, err
}

// QueryString reads one text value.
func QueryString(ctx context.Context, db *store.DB, q string, args ...any) (string, error) {
	var v string
	err := db.QueryRow(ctx, q, args...).Scan(&v)
	return v, err
}

// QueryBytes reads one binary value.
func QueryBytes(ctx context.Context, db *store.DB, q string, args ...any) ([]byte, error) {
	var v []byte
	err := db.QueryRow(ctx, q, args...).Scan(&v)
	return v, err
}

// Materialized reads an organization's stored coverage columns: state,
// by, since, in scope, the day computed.
func Materialized(ctx context.Context, db *store.DB, id int64) (state, by, since string, inScope bool, on string, err error) {
	var in int
	err = db.QueryRow(ctx, `SELECT cov_state, cov_by, COALESCE(cov_since, ''), cov_in_scope, COALESCE(cov_on, '') FROM organizations WHERE id = ?`, id).
		Scan(&state, &by, &since, &in, &on)
	return state, by, since, in == 1, on, err
}

// CreateLoginChallenge adds a pending login without replacing the
// account's others (two instances racing, each with its own).
func CreateLoginChallenge(ctx context.Context, db *store.DB, hash string, userID int64, now time.Time) error {
	_, err := db.W.ExecContext(ctx, db.D.Rebind(`INSERT INTO login_challenges (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`),
		hash, userID, store.TS(now), store.TS(now.Add(time.Minute)))
	return err
}
