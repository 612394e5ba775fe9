package bench

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/gen"
	"github.com/lianxin/lianxin/internal/store/bulk"
)

// BenchmarkGenerateCity measures making the city-scale dataset as
// `lianxin gen` does, streamed part by part into a sink that drops it (the
// load is measured by `lianxin gen`, see README), and the peak Go heap
// sampled meanwhile.
func BenchmarkGenerateCity(b *testing.B) {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			peak.Store(max(peak.Load(), ms.HeapInuse))
			select {
			case <-done:
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()
	for i := 0; i < b.N; i++ {
		var sink dropSink
		sum, err := gen.Stream(gen.Options{Scale: gen.City, Seed: uint64(i), Today: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)}, &sink)
		if err != nil || sum.PartyOrgs < 24000 || sink.parts < 10 {
			b.Fatal(err, sum.PartyOrgs, sink.parts)
		}
	}
	close(done)
	wg.Wait()
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
}

// dropSink takes a generated dataset's parts and keeps none.
type dropSink struct{ parts int }

func (d *dropSink) Base(bulk.Base) error { return nil }

func (d *dropSink) Life(bulk.Life) error {
	d.parts++
	return nil
}
