package store

import (
	"context"
	"testing"
)

// ExecForTest runs raw SQL, as someone with direct database access could.
func ExecForTest(ctx context.Context, s *DB, q string) error {
	_, err := s.W.ExecContext(ctx, q)
	return err
}

// DropAuditGuardForTest removes the append-only triggers.
func DropAuditGuardForTest(ctx context.Context, t *testing.T, s *DB) {
	stmts := []string{`DROP TRIGGER audit_events_no_update`, `DROP TRIGGER audit_events_no_delete`}
	if s.D.Postgres() {
		stmts = []string{`DROP TRIGGER audit_events_no_update ON audit_events`}
	}
	for _, q := range stmts {
		if err := ExecForTest(ctx, s, q); err != nil {
			t.Fatal(err)
		}
	}
}

// MaterializedForTest reads an organization's stored coverage columns:
// state, by, since, in scope, the day computed.
func MaterializedForTest(ctx context.Context, s *DB, id int64) (state, by, since string, inScope bool, on string, err error) {
	var in int
	err = s.QueryRow(ctx, `SELECT cov_state, cov_by, COALESCE(cov_since, ''), cov_in_scope, COALESCE(cov_on, '') FROM organizations WHERE id = ?`, id).
		Scan(&state, &by, &since, &in, &on)
	return state, by, since, in == 1, on, err
}

// SignHeadForTest signs a head with the store's audit key, as someone who
// once read a genuine head row could replay it.
func SignHeadForTest(s *DB, seq int64, hash string) string { return s.chain.SignHead(seq, hash) }
