package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/store/storetest"
)

func mustExec(t *testing.T, s *stores.Set, qs ...string) {
	t.Helper()
	for _, q := range qs {
		if err := storetest.RawExec(context.Background(), s.DB, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// truncateTo deletes the records after seq and points the head at seq, as
// the owner of the database could (finding 10).
func truncateTo(t *testing.T, s *stores.Set, seq string) {
	t.Helper()
	storetest.DropAuditGuard(context.Background(), t, s.DB)
	mustExec(t, s, `DELETE FROM audit_events WHERE id > `+seq,
		`UPDATE audit_head SET seq = `+seq+`, hash = (SELECT hash FROM audit_events WHERE id = `+seq+`) WHERE id = 1`)
}

// TestAuditTruncationIsDetected: deleting the newest records and pointing
// the head at the new last one fails verification, and later writes do not
// heal the head.
func TestAuditTruncationIsDetected(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		storetest.Tree(t, s)
		if res, err := s.VerifyAudit(ctx); err != nil || !res.OK || res.Checked != 6 {
			t.Fatalf("untouched: %+v %v", res, err)
		}
		truncateTo(t, s, "4")
		res, err := s.VerifyAudit(ctx)
		if err != nil || res.OK || res.BrokenID != 4 || !strings.Contains(res.Reason, "末端") {
			t.Fatalf("after truncation: %+v %v", res, err)
		}
		// The server keeps writing; the head stays unsigned.
		for i := 0; i < 3; i++ {
			if err := s.Audit(ctx, audit.New(now, audit.Actor{Username: "x"}, audit.ActionLoginFailed, "user", "", audit.ResultFailure)); err != nil {
				t.Fatal(err)
			}
		}
		if res, err := s.VerifyAudit(ctx); err != nil || res.OK || res.BrokenID != 7 {
			t.Fatalf("after more writes: %+v %v", res, err)
		}
	})
}

// TestAuditHeadCheckAndCheckpoints: the cheap check at start agrees with
// the full walk; checkpoints catch a replayed older head, which the keyed
// head alone cannot.
func TestAuditHeadCheckAndCheckpoints(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		// A fresh trail: the migration signed the empty head.
		res, h, err := s.CheckAuditHead(ctx)
		if err != nil || !res.OK || h.Seq != 0 {
			t.Fatalf("empty trail: %+v %+v %v", res, h, err)
		}
		cp0, res, err := s.AuditCheckpoint(ctx, now)
		if err != nil || !res.OK || cp0.Seq != 0 {
			t.Fatalf("empty checkpoint: %+v %+v %v", cp0, res, err)
		}
		storetest.Tree(t, s)
		cp6, res, err := s.AuditCheckpoint(ctx, now)
		if err != nil || !res.OK || cp6.Seq != 6 || cp6.Hash == "" {
			t.Fatalf("checkpoint: %+v %+v %v", cp6, res, err)
		}
		if bad, err := s.CheckAuditCheckpoints(ctx, []audit.Checkpoint{cp0, cp6}); err != nil || len(bad) != 0 {
			t.Fatalf("good checkpoints: %v %v", bad, err)
		}
		forged := cp6
		forged.Seq, forged.Hash = 5, "00"
		bad, err := s.CheckAuditCheckpoints(ctx, []audit.Checkpoint{forged})
		if err != nil || len(bad) != 1 || !strings.Contains(bad[0], "签名不符") {
			t.Fatalf("forged: %v %v", bad, err)
		}

		// An attacker who kept an older genuine head (seq 4) replays it
		// after deleting records 5 and 6: the keyed head verifies, the
		// checkpoint does not.
		evs, _, err := s.ListAudit(ctx, store.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var hash4 string
		for _, e := range evs {
			if e.ID == 4 {
				hash4 = e.Hash
			}
		}
		truncateTo(t, s, "4")
		if res, _, err := s.CheckAuditHead(ctx); err != nil || res.OK || res.BrokenID != 4 {
			t.Fatalf("head check after truncation: %+v %v", res, err)
		}
		if _, res, err := s.AuditCheckpoint(ctx, now); err != nil || res.OK {
			t.Fatalf("a checkpoint was signed over a forged head: %+v %v", res, err)
		}
		mustExec(t, s, `UPDATE audit_head SET mac = '`+store.SignHeadForTest(s.DB, 4, hash4)+`' WHERE id = 1`)
		if res, err := s.VerifyAudit(ctx); err != nil || !res.OK {
			t.Fatalf("replayed head: %+v %v", res, err)
		}
		bad, err = s.CheckAuditCheckpoints(ctx, []audit.Checkpoint{cp0, cp6})
		if err != nil || len(bad) != 1 || !strings.Contains(bad[0], "记录 6") || !strings.Contains(bad[0], "短于检查点") {
			t.Fatalf("truncation below a checkpoint: %v %v", bad, err)
		}
		// Records 5 and 6 written back by hand, without the key: the hash
		// at the checkpoint's record differs.
		mustExec(t, s, `INSERT INTO audit_events (id, at, action, result, prev_hash, hash) VALUES (5, 'x', 'login', 'success', '', 'h5'), (6, 'x', 'login', 'success', 'h5', 'h6')`)
		bad, err = s.CheckAuditCheckpoints(ctx, []audit.Checkpoint{cp6})
		if err != nil || len(bad) != 1 || !strings.Contains(bad[0], "哈希与检查点不符") {
			t.Fatalf("different hash: %v %v", bad, err)
		}
	})
}

// TestMigrationSignsAnExistingHead: a deployment upgraded to the keyed head
// keeps verifying, and appends keep the head signed.
func TestMigrationSignsAnExistingHead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		storetest.Tree(t, s)
		mustExec(t, s, `ALTER TABLE audit_head DROP COLUMN mac`, `DELETE FROM schema_migrations WHERE version = 15`)
		if n, err := s.Migrate(ctx, now); err != nil || n != 1 {
			t.Fatalf("migrate: %d %v", n, err)
		}
		if err := s.Audit(ctx, audit.New(now, audit.Actor{Username: "x"}, audit.ActionLogout, "", "", audit.ResultSuccess)); err != nil {
			t.Fatal(err)
		}
		if res, err := s.VerifyAudit(ctx); err != nil || !res.OK || res.Checked != 7 {
			t.Fatalf("%+v %v", res, err)
		}
	})
}
