//go:build unix

package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/lcity/lcity/internal/testenv"
)

// BenchmarkIngestSupervision ingests the embedded sample (two books, 17
// cities) into a new workspace per iteration, in process (`lcity ingest
// --in-process`) and supervised (the default: the run starts its worker
// processes, here this test binary, and ends them): the difference is what
// supervision costs a run, worker start-ups included. cpu-ms/op is the
// CPU time (user and system) of this process and of its ended children,
// the workers, per ingest: less sensitive to a shared machine's load than
// the wall-clock time. -count interleaves
// the two, which keeps a shared machine's load from favouring either. Run
// it with
//
//	go test -run XXX -bench IngestSupervision -count 10 ./pipeline
func BenchmarkIngestSupervision(b *testing.B) {
	for _, mode := range []struct {
		name      string
		inProcess bool
	}{{"in-process", true}, {"supervised", false}} {
		b.Run(mode.name, func(b *testing.B) {
			root := b.TempDir()
			i := 0
			cpu0, _ := testenv.CPUTimeWithChildren()
			for b.Loop() {
				out := filepath.Join(root, strconv.Itoa(i))
				i++
				cfg := testConfig(out)
				cfg.Ingest.InProcess = mode.inProcess
				if _, err := Ingest(context.Background(), cfg); err != nil {
					b.Fatal(err)
				}
				if err := os.RemoveAll(out); err != nil {
					b.Fatal(err)
				}
			}
			cpu1, _ := testenv.CPUTimeWithChildren()
			b.ReportMetric(float64((cpu1-cpu0).Microseconds())/1e3/float64(b.N), "cpu-ms/op")
		})
	}
}
