package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// A login flood against the real binary (issue 11, finding 6): `lianxin
// gen --scale small` into a fresh directory, then `lianxin serve` on a free
// port of 127.0.0.1, three times, each a fresh process so that its peak RSS
// (VmHWM) is its own:
//
//   - alone: the real user (jinjiang, from 127.0.0.2) logs in once a second;
//   - flood: the same, while 100 concurrent clients on 127.0.0.1 post
//     logins with made-up usernames as fast as they are answered;
//   - spread: the same flood, each client on its own address 127.0.1.x, so
//     that the per-address limit does not apply and only the hash gate
//     protects the server.
//
//	go test -run '^$' -bench LoginFlood -benchtime 1x -timeout 20m ./bench
//
// LIANXIN_BENCH_FLOOD_SECONDS sets the length of each flood (default 30).

const (
	floodClients  = 100
	floodPassword = "Bench@2026pass"
)

func BenchmarkLoginFlood(b *testing.B) {
	if runtime.GOOS != "linux" {
		b.Skip("needs Linux: loopback addresses beyond 127.0.0.1 and /proc")
	}
	seconds := 30
	if v, err := strconv.Atoi(os.Getenv("LIANXIN_BENCH_FLOOD_SECONDS")); err == nil && v > 0 {
		seconds = v
	}
	dir := b.TempDir()
	bin := filepath.Join(dir, "lianxin")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/lianxin").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	data := filepath.Join(dir, "data")
	gen := exec.Command(bin, "gen", "--data", data, "--scale", "small")
	gen.Env = benchEnv()
	if out, err := gen.CombinedOutput(); err != nil {
		b.Fatalf("gen: %v\n%s", err, out)
	}
	for i := 0; i < b.N; i++ {
		alone := floodRun(b, bin, data, seconds/2, "")
		flood := floodRun(b, bin, data, seconds, "same")
		spread := floodRun(b, bin, data, seconds, "spread")
		for _, r := range []struct {
			name string
			f    floodResult
		}{{"alone", alone}, {"flood", flood}, {"spread", spread}} {
			b.Logf("%-6s real login p50 %s max %s (%d of %d answered 200, others %v); server peak RSS %d MB; flood answers %v",
				r.name, r.f.p50, r.f.max, r.f.ok, len(r.f.real), r.f.realOther, r.f.peakRSS>>20, r.f.flood)
		}
		b.ReportMetric(ms(alone.p50), "alone-p50-ms")
		b.ReportMetric(ms(alone.max), "alone-max-ms")
		b.ReportMetric(float64(alone.peakRSS>>20), "alone-rss-MB")
		b.ReportMetric(ms(flood.p50), "flood-p50-ms")
		b.ReportMetric(ms(flood.max), "flood-max-ms")
		b.ReportMetric(float64(flood.peakRSS>>20), "flood-rss-MB")
		b.ReportMetric(ms(spread.p50), "spread-p50-ms")
		b.ReportMetric(ms(spread.max), "spread-max-ms")
		b.ReportMetric(float64(spread.peakRSS>>20), "spread-rss-MB")
		b.ReportMetric(float64(spread.ok)/float64(max(1, len(spread.real))), "spread-real-ok")
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// benchEnv is the environment of the child processes: the demo password,
// and no database or address of the caller's.
func benchEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "LIANXIN_") {
			env = append(env, kv)
		}
	}
	return append(env, "LIANXIN_DEMO_PASSWORD="+floodPassword)
}

type floodResult struct {
	real      []time.Duration // the real user's answers, whatever their status
	ok        int             // of which 200
	realOther map[int]int     // the real user's other statuses
	p50, max  time.Duration
	flood     map[int]int // the flood's answers by status (0: no answer)
	peakRSS   int64       // VmHWM of the server, bytes
}

var servingURL = regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+)`)

// floodRun starts the server, runs the real user for seconds (and the
// flood, unless mode is ""), reads the server's peak RSS and stops it.
func floodRun(b *testing.B, bin, data string, seconds int, mode string) floodResult {
	b.Helper()
	cmd := exec.Command(bin, "serve", "--data", data, "--addr", "127.0.0.1:0")
	cmd.Env = benchEnv()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
		}
	}()
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			if m := servingURL.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case urls <- m[1]:
				default:
				}
			}
		}
	}()
	var base string
	select {
	case base = <-urls:
	case <-time.After(60 * time.Second):
		b.Fatal("the server did not start")
	}

	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(seconds)*time.Second)
	defer cancel()
	res := floodResult{flood: map[int]int{}, realOther: map[int]int{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	if mode != "" {
		var n atomic.Int64
		for i := 0; i < floodClients; i++ {
			local := "127.0.0.1"
			if mode == "spread" {
				local = fmt.Sprintf("127.0.1.%d", i+1)
			}
			c := clientFrom(local)
			wg.Add(1)
			go func() {
				defer wg.Done()
				for ctx.Err() == nil {
					k := n.Add(1)
					body := fmt.Sprintf(`{"username":"bogus%d-%x","password":"Guess%d@%x"}`, k, rand.Uint32(), k, rand.Uint32())
					status, _ := postLogin(ctx, c, base, body)
					mu.Lock()
					res.flood[status]++
					mu.Unlock()
				}
			}()
		}
	}
	// The real user: once a second from 127.0.0.2.
	real := clientFrom("127.0.0.2")
	body, _ := json.Marshal(map[string]string{"username": "jinjiang", "password": floodPassword})
	tick := time.NewTicker(time.Second)
	for ctx.Err() == nil {
		start := time.Now()
		// Each login is given 30 s whatever the flood's deadline.
		status, err := postLogin(context.Background(), real, base, string(body))
		d := time.Since(start)
		if err != nil {
			b.Logf("real login: %v", err)
		}
		res.real = append(res.real, d)
		if status == 200 {
			res.ok++
		} else {
			res.realOther[status]++
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
		}
	}
	tick.Stop()
	wg.Wait()
	res.peakRSS = vmHWM(b, cmd.Process.Pid)
	sorted := slices.Clone(res.real)
	slices.Sort(sorted)
	if len(sorted) > 0 {
		res.p50, res.max = sorted[len(sorted)/2], sorted[len(sorted)-1]
	}
	return res
}

// clientFrom is an HTTP client whose connections leave from local.
func clientFrom(local string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}, Timeout: 10 * time.Second}
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 30 * time.Second,
		Transport: &http.Transport{DialContext: d.DialContext, MaxIdleConnsPerHost: 4, IdleConnTimeout: time.Minute}}
}

// postLogin posts a login and drains the answer; status 0 means none.
func postLogin(ctx context.Context, c *http.Client, base, body string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, "POST", base+"/api/v1/session", bytes.NewReader([]byte(body)))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var sink bytes.Buffer
	sink.ReadFrom(resp.Body)
	return resp.StatusCode, nil
}

// vmHWM reads a process's peak resident set size.
func vmHWM(b *testing.B, pid int) int64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	b.Fatal("no VmHWM in /proc status")
	return 0
}
