package review

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkRecord measures Record on a store in a temporary folder, one
// fsync per decision (synchronous=FULL): decisions per second and the
// latency of one Record (p50, p99), with one writer and with 8 writing at
// once, as 8 browser tabs would.
//
//	go test ./review -run '^$' -bench Record -benchtime 2000x
func BenchmarkRecord(b *testing.B) {
	b.Run("writers=1", func(b *testing.B) {
		s, _ := openTemp(b)
		var lat []time.Duration
		i := 0
		for b.Loop() {
			t0 := time.Now()
			if _, err := s.Record(context.Background(), benchDecision(0, i)); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(t0))
			i++
		}
		report(b, lat)
	})
	b.Run("writers=8", func(b *testing.B) {
		s, _ := openTemp(b)
		const writers = 8
		// RunParallel starts parallelism × GOMAXPROCS goroutines.
		b.SetParallelism((writers + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
		var (
			mu   sync.Mutex
			lat  []time.Duration
			next atomic.Int64
		)
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			w := int(next.Add(1))
			var own []time.Duration
			for i := 0; pb.Next(); i++ {
				t0 := time.Now()
				if _, err := s.Record(context.Background(), benchDecision(w, i)); err != nil {
					b.Error(err)
					return
				}
				own = append(own, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, own...)
			mu.Unlock()
		})
		b.ReportMetric(float64(next.Load()), "writers")
		report(b, lat)
	})
}

func benchDecision(w, i int) Decision {
	return Decision{Coder: fmt.Sprintf("coder%d", w), PassageID: fmt.Sprintf("espoo-%04x", i%4096),
		CodeID: "charter.inclusion", Action: Add, Span: &Span{i % 40, i%40 + 12}, Memo: "benchmark"}
}

// report adds decisions/s and the p50 and p99 latency in milliseconds.
func report(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	b.ReportMetric(float64(len(lat))/b.Elapsed().Seconds(), "decisions/s")
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
}
