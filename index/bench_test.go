package index

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/lcity/lcity/coding"
	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/ingest"
	"github.com/lcity/lcity/internal/testenv"
)

// benchCorpus is the sample's passages, copied under new IDs and city
// names until there are at least n, with their codes from the built-in
// codebooks.
func benchCorpus(tb testing.TB, n int) ([]corpus.Passage, map[string][]string) {
	tb.Helper()
	c := corpus.Sample()
	var sample []corpus.Passage
	for _, in := range ingest.Inputs(c) {
		res := ingest.File(context.Background(), c.FS, in, ingest.Options{})
		if len(res.Failures) > 0 {
			tb.Fatalf("sample %s: %v", in.File, res.Failures)
		}
		for _, d := range res.Docs {
			sample = append(sample, d.Passages...)
		}
	}
	cbs, err := coding.LoadAll(coding.Builtin())
	if err != nil {
		tb.Fatal(err)
	}
	var ps []corpus.Passage
	codes := map[string][]string{}
	for copyN := 0; len(ps) < n; copyN++ {
		for _, p := range sample {
			p.ID = fmt.Sprintf("%s-c%d", p.ID, copyN)
			p.DocID = fmt.Sprintf("%s-c%d", p.DocID, copyN)
			p.City = fmt.Sprintf("%s %d", p.City, copyN)
			ps = append(ps, p)
			for _, cb := range cbs {
				for _, cd := range cb.Code(p) {
					codes[p.ID] = append(codes[p.ID], cd.CodeID)
				}
			}
		}
	}
	return ps, codes
}

// bareIndex indexes docs into a new Bleve index at path with mapping m in
// batches of BatchSize: a plain bleve.New and Batch loop, with nothing of
// lcity's Writer around it.
func bareIndex(tb testing.TB, path string, m mapping.IndexMapping, ids []string, docs []any) {
	idx, err := bleve.New(path, m)
	if err != nil {
		tb.Fatal(err)
	}
	b := idx.NewBatch()
	for i, d := range docs {
		if err := b.Index(ids[i], d); err != nil {
			tb.Fatal(err)
		}
		if b.Size() >= BatchSize {
			if err := idx.Batch(b); err != nil {
				tb.Fatal(err)
			}
			b.Reset()
		}
	}
	if err := idx.Batch(b); err != nil {
		tb.Fatal(err)
	}
	if err := idx.Close(); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkBuild indexes the same passages three ways in one run:
// lcity's Build; bare Bleve (bleve.New and a Batch loop) with lcity's
// mapping and documents, which is the goal's yardstick (Build at most
// 1.1× its time); and bare Bleve with its default mapping and three
// fields (text, city, region), which is what scripts/bench.sh's
// barebleve times. MB/s is passage text bytes per second.
//
//	go test ./index -run XXX -bench BenchmarkBuild -benchtime 2x -count 3
func BenchmarkBuild(b *testing.B) {
	ps, codes := benchCorpus(b, 6000)
	var size int64
	ids := make([]string, len(ps))
	same := make([]any, len(ps))
	plain := make([]any, len(ps))
	for i, p := range ps {
		size += int64(len(p.Text))
		ids[i] = p.ID
		same[i] = newPassageDoc(p, codes[p.ID])
		plain[i] = map[string]any{"text": p.Text, "city": p.City, "region": p.Region}
	}
	// report adds passages/s and the process's CPU time per op (user +
	// system, Bleve's background merging included), which a loaded
	// machine disturbs less than wall time.
	var cpu0 time.Duration
	start := func(b *testing.B) { cpu0, _ = testenv.CPUTime() }
	report := func(b *testing.B) {
		b.SetBytes(size)
		b.ReportMetric(float64(len(ps))*float64(b.N)/b.Elapsed().Seconds(), "passages/s")
		cpu1, _ := testenv.CPUTime()
		b.ReportMetric(float64((cpu1-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
	}
	run := 0
	dir := func(b *testing.B) string {
		run++
		return filepath.Join(b.TempDir(), strconv.Itoa(run), DirName)
	}
	b.Run("lcity", func(b *testing.B) {
		b.ReportAllocs()
		start(b)
		for b.Loop() {
			if err := Build(context.Background(), dir(b), ps, codes); err != nil {
				b.Fatal(err)
			}
		}
		report(b)
	})
	b.Run("bleve-same-mapping", func(b *testing.B) {
		b.ReportAllocs()
		start(b)
		for b.Loop() {
			m, err := newMapping()
			if err != nil {
				b.Fatal(err)
			}
			bareIndex(b, dir(b), m, ids, same)
		}
		report(b)
	})
	b.Run("bleve-default-mapping", func(b *testing.B) {
		b.ReportAllocs()
		start(b)
		for b.Loop() {
			bareIndex(b, dir(b), bleve.NewIndexMapping(), ids, plain)
		}
		report(b)
	})
}
