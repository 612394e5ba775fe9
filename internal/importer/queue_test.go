package importer

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/accounts"
	"github.com/lianxin/lianxin/internal/store/importjobs"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/store/storetest"
)

// ticking is a clock that moves one second at every reading, so that jobs
// run one after the other finish at distinct times.
func ticking() func() time.Time {
	var n atomic.Int64
	return func() time.Time { return now.Add(time.Duration(n.Add(1)) * time.Second) }
}

func quietRunner(s *stores.Set, dir, instance string) *Runner {
	return &Runner{Store: s, Dir: dir, Now: ticking(), Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Instance: instance}
}

// caller is an account of a district (scope path), by username.
func caller(username, scopePath string) store.Caller {
	c := store.System(now, username)
	c.Scope = store.Scope{Path: scopePath}
	return c
}

// upload writes a small workbook whose rows name a Party org that does not
// exist: the job ends rejected, with an error copy.
func upload(t *testing.T, dir string) string {
	t.Helper()
	src := book(t, OrganizationTemplate, [][]string{orgRow(uscc("510104", 1), "排队测试有限公司", "510104", "不存在的党委")})
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.CreateTemp(dir, "upload-*.tmp")
	if err != nil {
		t.Fatal(err)
	}
	f.Write(b)
	f.Close()
	return f.Name()
}

// TestRunnerServesDistrictsInTurn: a district that queued three files and a
// district that queued one after them — the second district's file runs
// second, not last, and inside the first district the two accounts
// alternate. Every upload is removed once its job has ended; the error
// copies stay.
func TestRunnerServesDistrictsInTurn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		dir := t.TempDir()
		r := quietRunner(s, dir, "web1")
		r.Quota = domain.ImportQuota{PerAccount: 10}
		names := map[int64]string{}
		for _, sub := range []struct{ name, user, path string }{
			{"jj-a1", "jinjiang", "/1/5/"}, {"jj-a2", "jinjiang", "/1/5/"}, {"jj-b1", "jinjiang.branch", "/1/5/9/"}, {"qy-1", "qingyang", "/1/6/"},
		} {
			j, err := r.Submit(caller(sub.user, sub.path), KindOrganizations, sub.name+".xlsx", false, upload(t, dir))
			if err != nil {
				t.Fatal(err)
			}
			names[j.ID] = sub.name
		}
		// Nothing runs before Start: the queue is whole when the turns begin.
		r.Start(t.Context())
		r.Wait()
		jobs, err := s.ImportJobs.ListImportJobs(t.Context(), store.ScopeAll, 10)
		if err != nil {
			t.Fatal(err)
		}
		sort.Slice(jobs, func(i, k int) bool { return jobs[i].FinishedAt < jobs[k].FinishedAt })
		var order []string
		for _, j := range jobs {
			order = append(order, names[j.ID])
			if j.Status != importjobs.ImportRejected || !j.HasErrorCopy {
				t.Errorf("%s: %s %q", names[j.ID], j.Status, j.Message)
			}
			if _, err := os.Stat(filepath.Join(dir, itoa(j.ID), uploadName)); !os.IsNotExist(err) {
				t.Errorf("%s: upload kept after the job ended: %v", names[j.ID], err)
			}
			if _, err := os.Stat(filepath.Join(dir, itoa(j.ID), errorCopyName)); err != nil {
				t.Errorf("%s: error copy: %v", names[j.ID], err)
			}
		}
		if got := strings.Join(order, " "); got != "jj-a1 qy-1 jj-b1 jj-a2" {
			t.Fatalf("order %s, want jj-a1 qy-1 jj-b1 jj-a2 (FIFO would run qy-1 last)", got)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// account creates a user (bound to a new root Party org) for the jobs'
// user_id, and returns it as a caller of a district's scope.
func account(t *testing.T, s *stores.Set, username, scopePath string) store.Caller {
	t.Helper()
	ctx := context.Background()
	name, typ, region := "测试党委 "+username, "work_committee", "510104"
	o, err := s.Registry.CreatePartyOrg(ctx, store.System(now, "test"), nil, domain.PartyOrgInput{Name: &name, Type: &typ, Region: &region})
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.Accounts.CreateUser(ctx, store.System(now, "test"), accounts.NewUser{Username: username, DisplayName: username, PartyOrgID: o.ID,
		Roles: []domain.Role{domain.RoleDistrictStaff}, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	c := caller(username, scopePath)
	c.Actor = audit.Actor{UserID: u.ID, Username: username}
	return c
}

// TestQueueBoundsHoldAcrossInstances: two instances on one database take
// uploads of one account at the same time; no more than the account's
// bound are admitted in all, and the space bound counts both instances'
// uploads. A refused upload leaves no job and its file is the caller's to
// remove.
func TestQueueBoundsHoldAcrossInstances(t *testing.T) {
	for _, eng := range storetest.Engines() {
		t.Run(eng, func(t *testing.T) {
			a, b := storetest.OpenTwice(t, eng)
			dirA, dirB := t.TempDir(), t.TempDir()
			ra, rb := quietRunner(a, dirA, "web1"), quietRunner(b, dirB, "web2")
			for _, r := range []*Runner{ra, rb} {
				r.Quota = domain.ImportQuota{PerAccount: 2, MaxBytes: 1 << 30}
			}
			u := account(t, a, "jinjiang", "/1/5/")
			var wg sync.WaitGroup
			var admitted, busy atomic.Int32
			for i := 0; i < 6; i++ {
				r, dir := ra, dirA
				if i%2 == 1 {
					r, dir = rb, dirB
				}
				tmp := upload(t, dir)
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := r.Submit(u, KindOrganizations, "f.xlsx", false, tmp)
					var be *domain.LimitError
					switch {
					case err == nil:
						admitted.Add(1)
					case errors.As(err, &be) && be.Limit == domain.LimitRate:
						busy.Add(1)
					default:
						t.Errorf("submit: %v", err)
					}
				}()
			}
			wg.Wait()
			if admitted.Load() != 2 || busy.Load() != 4 {
				t.Fatalf("admitted %d, refused %d; want 2 and 4", admitted.Load(), busy.Load())
			}
			// Space: both queued uploads count, whichever instance holds them.
			load, err := b.ImportJobs.ImportLoad(t.Context(), 0)
			if err != nil || load.Bytes <= 0 {
				t.Fatalf("load %+v %v", load, err)
			}
			rb.Quota.MaxBytes = load.Bytes + 10
			other := caller("qingyang", "/1/6/")
			if _, err := rb.Submit(other, KindOrganizations, "g.xlsx", false, upload(t, dirB)); !isStorage(err) {
				t.Fatalf("space bound not applied: %v", err)
			}
			ra.Start(t.Context())
			rb.Start(t.Context())
			ra.Wait()
			rb.Wait()
			if load, _ := a.ImportJobs.ImportLoad(t.Context(), u.Actor.UserID); load.Account != 0 || load.Bytes != 0 {
				t.Fatalf("finished jobs still counted: %+v", load)
			}
		})
	}
}

func isStorage(err error) bool {
	var be *domain.LimitError
	return errors.As(err, &be) && be.Limit == domain.LimitStorage
}

// TestLeftBehindJobsFail: a restarting instance fails its own unfinished
// jobs, not another live instance's; a job whose instance stopped touching
// it is failed by any instance's keep-alive, and so leaves its account's
// place in the queue.
func TestLeftBehindJobsFail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		mk := func(instance string, at time.Time) int64 {
			j, err := s.ImportJobs.CreateImportJob(ctx, store.System(at, "x"), importjobs.NewImportJob{Kind: KindOrganizations, FileName: "a.xlsx", Instance: instance})
			if err != nil {
				t.Fatal(err)
			}
			return j.ID
		}
		mine, theirs, stale := mk("web1", now), mk("web2", now), mk("web3", now.Add(-StaleAfter-time.Minute))
		r := &Runner{Store: s, Dir: t.TempDir(), Now: func() time.Time { return now }, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Instance: "web1"}
		if err := r.Recover(ctx); err != nil {
			t.Fatal(err)
		}
		status := func(id int64) string {
			j, err := s.ImportJobs.GetImportJob(ctx, store.ScopeAll, id)
			if err != nil {
				t.Fatal(err)
			}
			return j.Status
		}
		if status(mine) != importjobs.ImportFailed || status(theirs) != importjobs.ImportQueued || status(stale) != importjobs.ImportFailed {
			t.Fatalf("after web1's restart: mine %s, web2's %s, stopped web3's %s", status(mine), status(theirs), status(stale))
		}
		// web2 stops touching its job; web1's keep-alive fails it once stale.
		r.Now = func() time.Time { return now.Add(StaleAfter - time.Second) }
		r.keepAlive(ctx)
		if status(theirs) != importjobs.ImportQueued {
			t.Fatal("a job failed before it was stale")
		}
		r.Now = func() time.Time { return now.Add(StaleAfter + time.Second) }
		r.keepAlive(ctx)
		if status(theirs) != importjobs.ImportFailed {
			t.Fatal("a stopped instance's job still queued")
		}
		// A live instance's touch keeps its job.
		live := mk("web1", now)
		r.Now = func() time.Time { return now.Add(2 * StaleAfter) }
		if err := s.ImportJobs.TouchImportJobs(ctx, "web1", now.Add(2*StaleAfter-time.Minute)); err != nil {
			t.Fatal(err)
		}
		r.keepAlive(ctx)
		if status(live) != importjobs.ImportQueued {
			t.Fatal("a touched job was failed")
		}
	})
}
