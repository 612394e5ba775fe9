package app

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/stores"
)

// checkpointEvery is how often the server anchors the audit chain in its log.
const checkpointEvery = time.Hour

// auditWatch anchors the audit chain outside the database: a signed
// checkpoint line in the server's log at start, every hour and at shutdown
// (`lianxin audit verify --checkpoints LOG` checks them), and a warning when
// the chain is found broken. At start only the chain's end is checked (a
// few rows); the whole chain is walked in the background, so that a city's
// trail does not delay the start.
type auditWatch struct {
	s   *stores.Set
	log *slog.Logger
	now func() time.Time
	wg  sync.WaitGroup
}

// start checks the end, logs the first checkpoint and starts the full walk
// and the hourly checkpoints; they stop with ctx (call wait after).
func (w *auditWatch) start(ctx context.Context) {
	w.checkpoint(ctx)
	w.wg.Add(2)
	go func() {
		defer w.wg.Done()
		start := time.Now()
		res, err := w.s.VerifyAudit(ctx)
		switch {
		case err != nil:
			if ctx.Err() == nil {
				w.log.Error("audit chain verification failed to run", "err", err)
			}
		case !res.OK:
			w.broken(res)
		default:
			w.log.Info("audit chain verified", "records", res.Checked, "took", time.Since(start).Round(time.Millisecond))
		}
	}()
	go func() {
		defer w.wg.Done()
		t := time.NewTicker(checkpointEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				w.checkpoint(ctx)
			}
		}
	}()
}

// checkpoint logs a signed checkpoint of the chain's end, or the break
// that prevents one (a broken end is never signed).
func (w *auditWatch) checkpoint(ctx context.Context) {
	cp, res, err := w.s.AuditCheckpoint(ctx, w.now())
	switch {
	case err != nil:
		if ctx.Err() == nil {
			w.log.Error("audit checkpoint", "err", err)
		}
	case !res.OK:
		w.broken(res)
	default:
		w.log.Info(audit.CheckpointMsg, cp.LogAttrs()...)
	}
}

func (w *auditWatch) broken(res store.VerifyResult) {
	w.log.Error("audit chain broken: run lianxin audit verify", "broken_id", res.BrokenID, "reason", res.Reason)
}

// stop waits for the background work, then logs the last checkpoint.
func (w *auditWatch) stop() {
	w.wg.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	w.checkpoint(ctx)
}
