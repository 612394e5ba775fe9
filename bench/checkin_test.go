package bench

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/api"
	"github.com/lianxin/lianxin/internal/auth"
	"github.com/lianxin/lianxin/internal/checkin"
	"github.com/lianxin/lianxin/internal/domain/activity"
	"github.com/lianxin/lianxin/internal/store"
)

// Check-ins over HTTP (issue 4): members' sessions POST /api/v1/checkins
// with activity codes, from a load generator on 127.0.0.1, against the
// full server (session, permission, code verification, the member and the
// activity read, one guarded INSERT). The ceiling, in the same run with the
// same load generator: a minimal net/http handler that decodes the same body
// and does one INSERT into the same database.

const (
	loadWorkers       = 32  // concurrent connections of the load generator
	checkinOrgs       = 100 // branches taking part
	membersPerOrg     = 10
	activitiesPerOrg  = 100 // pool: 100 × 10 × 100 = 100,000 distinct check-ins
	checkinPassword   = "Bench@2026pass"
	ceilingTableDDL   = `CREATE TABLE IF NOT EXISTS bench_ceiling (id %s, activity_id BIGINT NOT NULL, member_id BIGINT NOT NULL, at TEXT NOT NULL)`
	ceilingInsertStmt = `INSERT INTO bench_ceiling (activity_id, member_id, at) VALUES (?, ?, ?)`
)

// checkinRig is the server, the members' clients and the pool of check-ins.
type checkinRig struct {
	url     string
	clients []*http.Client // one per member, with its session cookie
	work    []checkinWork
	next    atomic.Int64
	ceiling string // URL of the minimal handler
	stop    func()
}

type checkinWork struct {
	member int // index into clients
	body   []byte
}

var (
	rigs   = map[string]*checkinRig{}
	rigsMu sync.Mutex
)

func (c *city) checkinRig(b *testing.B, engine string) *checkinRig {
	rigsMu.Lock()
	defer rigsMu.Unlock()
	if r, ok := rigs[engine]; ok {
		return r
	}
	ctx := context.Background()
	cheap := auth.Params{Memory: 64, Time: 1, Threads: 1}
	hash, err := auth.HashPassword(checkinPassword, cheap)
	if err != nil {
		b.Fatal(err)
	}
	keys, err := checkin.LoadOrCreate(filepath.Join(c.dir, checkin.KeyFileName))
	if err != nil {
		b.Fatal(err)
	}
	clock := func() time.Time { return now }
	srv := &api.Server{Store: c.s, Now: clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "bench",
		Auth: &auth.Service{Store: c.s, Now: clock, Params: cheap}, PasswordParams: cheap, Codes: keys}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	hs := &http.Server{Handler: srv.Handler()}
	go hs.Serve(ln)
	r := &checkinRig{url: "http://" + ln.Addr().String()}

	// Branches with enough members in good standing, and their members.
	rows, err := c.raw.Query(c.bind(`SELECT m.party_org_id, m.id FROM members m JOIN party_orgs p ON p.id = m.party_org_id
		WHERE m.standing = 'registered' AND p.type = 'branch' AND p.status = 'active' ORDER BY m.party_org_id, m.id`))
	if err != nil {
		b.Fatal(err)
	}
	byOrg := map[int64][]int64{}
	var orgs []int64
	for rows.Next() {
		var org, id int64
		if err := rows.Scan(&org, &id); err != nil {
			b.Fatal(err)
		}
		if len(byOrg[org]) == 0 {
			orgs = append(orgs, org)
		}
		byOrg[org] = append(byOrg[org], id)
	}
	rows.Close()
	sys := store.System(now, "bench")
	codes := checkin.ActivityCodes{Keys: keys, Before: 30 * time.Minute, After: 30 * time.Minute}
	taken := 0
	for _, org := range orgs {
		if taken == checkinOrgs {
			break
		}
		if len(byOrg[org]) < membersPerOrg {
			continue
		}
		taken++
		first := len(r.clients)
		for _, id := range byOrg[org][:membersPerOrg] {
			u, err := c.s.Accounts.SetMemberAccount(ctx, sys, id, hash)
			if err != nil {
				b.Fatal(err)
			}
			jar, _ := cookiejar.New(nil)
			cl := &http.Client{Jar: jar, Transport: loadTransport}
			body, _ := json.Marshal(map[string]string{"username": u.Username, "password": checkinPassword})
			resp, err := cl.Post(r.url+"/api/v1/session", "application/json", bytes.NewReader(body))
			if err != nil || resp.StatusCode != 200 {
				b.Fatalf("member login: %v %v", err, resp)
			}
			resp.Body.Close()
			r.clients = append(r.clients, cl)
		}
		for k := 0; k < activitiesPerOrg; k++ {
			a, err := c.s.Life.CreateActivity(ctx, sys, activity.ActivityInput{PartyOrgID: org, Type: activity.ThemeDay, Title: fmt.Sprintf("压测活动%d", k),
				StartsAt: now.Add(-10 * time.Minute), EndsAt: now.Add(2 * time.Hour), Address: "会议室"})
			if err != nil {
				b.Fatal(err)
			}
			code, err := codes.Issue(a.ID, a.StartsAt, a.EndsAt)
			if err != nil {
				b.Fatal(err)
			}
			body, _ := json.Marshal(map[string]string{"code": code.Code})
			for m := first; m < len(r.clients); m++ {
				r.work = append(r.work, checkinWork{member: m, body: body})
			}
		}
	}
	if taken < checkinOrgs {
		b.Fatalf("only %d branches with %d members", taken, membersPerOrg)
	}
	// Interleave the pool so that concurrent requests hit different
	// activities and members, as a city's check-ins do.
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(r.work), func(i, j int) { r.work[i], r.work[j] = r.work[j], r.work[i] })

	// The ceiling: one INSERT per request into the same database.
	ceilingDB, insert := c.ceilingDB(b)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /ceiling", func(w http.ResponseWriter, req *http.Request) {
		var in struct {
			Code string `json:"code"`
		}
		if err := json.NewDecoder(req.Body).Decode(&in); err != nil || in.Code == "" {
			http.Error(w, "bad", 400)
			return
		}
		if _, err := ceilingDB.ExecContext(req.Context(), insert, int64(len(in.Code)), time.Now().UnixNano(), time.Now().UTC().Format(time.RFC3339Nano)); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"ok":true}`))
	})
	cln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	chs := &http.Server{Handler: mux}
	go chs.Serve(cln)
	r.ceiling = "http://" + cln.Addr().String() + "/ceiling"
	r.stop = func() { hs.Close(); chs.Close(); ceilingDB.Close() }
	rigs[engine] = r
	return r
}

// loadTransport keeps a connection per worker open.
var loadTransport = &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 256, IdleConnTimeout: time.Minute}

// ceilingDB opens a writer on the city database the way the store does
// (SQLite: one connection, WAL, synchronous NORMAL, BEGIN IMMEDIATE) and
// creates the ceiling's table.
func (c *city) ceilingDB(b *testing.B) (*sql.DB, string) {
	var db *sql.DB
	var err error
	id := "INTEGER PRIMARY KEY"
	if c.postgres {
		db, err = sql.Open("pgx", c.dsn)
		id = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"
	} else {
		db, err = sql.Open("sqlite", "file:"+filepath.Join(c.dir, "lianxin.db")+
			"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_txlock=immediate")
		db.SetMaxOpenConns(1)
	}
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec(fmt.Sprintf(ceilingTableDDL, id)); err != nil {
		b.Fatal(err)
	}
	return db, c.bind(ceilingInsertStmt)
}

// load sends n requests from loadWorkers workers and returns the wall time
// and every request's latency. body(i) gives the i-th request.
func runLoad(b *testing.B, n int, send func(i int) error) (time.Duration, []time.Duration) {
	lat := make([]time.Duration, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Value
	t0 := time.Now()
	for range loadWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				s := time.Now()
				if err := send(i); err != nil {
					failed.Store(err)
					return
				}
				lat[i] = time.Since(s)
			}
		}()
	}
	wg.Wait()
	wall := time.Since(t0)
	if err, ok := failed.Load().(error); ok {
		b.Fatal(err)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	return wall, lat
}

func post(cl *http.Client, url string, body []byte) error {
	resp, err := cl.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("%s: %d %s", url, resp.StatusCode, b)
	}
	return nil
}

// profileCheckins writes a CPU profile and the allocations of the
// check-ins' load alone (not the city's generation, not the ceiling) when
// LIANXIN_BENCH_CHECKIN_PROFILE names a file prefix: PREFIX-ENGINE-N.cpu and
// .allocs, the latter to read with -base PREFIX-ENGINE-N.allocs0. Not with
// -cpuprofile, which holds the one CPU profiler.
func profileCheckins(b *testing.B, engine string) func() {
	prefix := os.Getenv("LIANXIN_BENCH_CHECKIN_PROFILE")
	if prefix == "" {
		return func() {}
	}
	profileRuns++
	name := fmt.Sprintf("%s-%s-%d", prefix, engine, profileRuns)
	write := func(suffix string, f func(io.Writer) error) {
		out, err := os.Create(name + suffix)
		if err == nil {
			err = f(out)
			if cerr := out.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	allocs := func(w io.Writer) error { return pprof.Lookup("allocs").WriteTo(w, 0) }
	runtime.GC()
	write(".allocs0", allocs)
	cpu, err := os.Create(name + ".cpu")
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		b.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		cpu.Close()
		runtime.GC()
		write(".allocs", allocs)
	}
}

var profileRuns int

// BenchmarkCheckinHTTP reports sustained check-ins per second and the p99
// latency, beside the ceiling measured with the same load. One op is one
// check-in; each is a new attendance (the pool has 100,000).
func BenchmarkCheckinHTTP(b *testing.B) {
	for _, engine := range engines() {
		b.Run(engine, func(b *testing.B) {
			c := load(b, engine)
			r := c.checkinRig(b, engine)
			n := b.N
			start := int(r.next.Add(int64(n))) - n
			if start+n > len(r.work) {
				b.Skipf("check-in pool exhausted (%d used of %d): use a shorter -benchtime", start+n, len(r.work))
			}
			anon := &http.Client{Transport: loadTransport}
			stopProfiles := profileCheckins(b, engine)
			cpu0 := processCPU()
			b.ResetTimer()
			wall, lat := runLoad(b, n, func(i int) error {
				w := r.work[start+i]
				return post(r.clients[w.member], r.url+"/api/v1/checkins", w.body)
			})
			b.StopTimer()
			cpu1 := processCPU()
			stopProfiles()
			cwall, clat := runLoad(b, n, func(i int) error { return post(anon, r.ceiling, r.work[start+i].body) })
			cpu2 := processCPU()
			// The CPU this process spent (server, load generator and, on
			// SQLite, the database) per request: on a machine shared with
			// other work the rates follow the scheduler, this does not.
			cpuPer, ccpuPer := (cpu1-cpu0)/time.Duration(n), (cpu2-cpu1)/time.Duration(n)
			b.ReportMetric(float64(cpuPer.Microseconds()), "cpu-µs/checkin")
			b.ReportMetric(float64(ccpuPer.Microseconds()), "ceiling-cpu-µs")
			rate, crate := float64(n)/wall.Seconds(), float64(n)/cwall.Seconds()
			b.ReportMetric(rate, "checkins/s")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
			b.ReportMetric(crate, "ceiling/s")
			b.ReportMetric(float64(clat[len(clat)*99/100].Microseconds()), "ceiling-p99-µs")
			b.ReportMetric(rate/crate, "of-ceiling")
		})
	}
}
