package ingest

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/go-pdf/fpdf"

	"github.com/lcity/lcity/corpus"
)

// benchSet is a corpus to extract in a benchmark: its files and inputs.
type benchSet struct {
	name   string
	fsys   fs.FS
	inputs []Input
	bytes  int64
}

// sampleSet is the two books of the embedded sample (17 cities).
func sampleSet(b testing.TB) benchSet {
	c := corpus.Sample()
	set := benchSet{name: "sample", fsys: c.FS, inputs: Inputs(c)}
	for _, in := range set.inputs {
		st, err := fs.Stat(c.FS, in.File)
		if err != nil {
			b.Fatal(err)
		}
		set.bytes += st.Size()
	}
	return set
}

// smallSet is n one-page PDFs of one city each, about 1.3 KB apiece.
func smallSet(b *testing.B, n int) benchSet {
	set := benchSet{name: fmt.Sprintf("small%d", n)}
	fsys := fstest.MapFS{}
	for i := range n {
		p := fpdf.New("P", "mm", "A4", "")
		p.SetCompression(false)
		p.AddPage()
		p.SetFont("Helvetica", "B", 16)
		city := fmt.Sprintf("City %04d", i)
		p.Cell(0, 10, city)
		p.Ln(12)
		p.SetFont("Helvetica", "", 11)
		p.MultiCell(0, 5, city+" runs community learning centres; families learn together in its libraries, and its learning festival celebrates them every year.", "", "L", false)
		var buf bytes.Buffer
		if err := p.Output(&buf); err != nil {
			b.Fatal(err)
		}
		name := fmt.Sprintf("city-%04d.pdf", i)
		fsys[name] = &fstest.MapFile{Data: buf.Bytes()}
		set.bytes += int64(buf.Len())
		set.inputs = append(set.inputs, Input{File: name, Source: name, Entries: []corpus.Entry{{File: name, City: city}}})
	}
	set.fsys = fsys
	return set
}

// BenchmarkSupervised extracts the sample books and 1,000 one-page PDFs
// one file after the other, in process and in a worker process (one,
// started before the timer, as a run keeps its workers from file to
// file): the difference is the cost of supervision per file (sending the
// file, receiving the result). MB/s is input bytes per second;
// worker-peak-MB is the worker's peak RSS. Each file costs one load of
// prose's sentence model (segment), so the small files take about a
// minute per pass on 2 CPUs. Run it with
//
//	go test -run XXX -bench Supervised -count 3 ./ingest
func BenchmarkSupervised(b *testing.B) {
	for _, set := range []benchSet{sampleSet(b), smallSet(b, 1000)} {
		for _, supervised := range []bool{false, true} {
			mode := "in-process"
			if supervised {
				mode = "supervised"
			}
			b.Run(set.name+"/"+mode, func(b *testing.B) {
				var s *Supervisor
				if supervised {
					s = NewSupervisor()
					defer s.Close()
					s.put(mustWorker(b, s))
				}
				b.SetBytes(set.bytes)
				b.ReportAllocs()
				for b.Loop() {
					for _, in := range set.inputs {
						var res Result
						if supervised {
							var err error
							if res, err = s.File(context.Background(), set.fsys, in, Options{}); err != nil {
								b.Fatal(err)
							}
						} else {
							res = File(context.Background(), set.fsys, in, Options{})
						}
						if len(res.Failures) > 0 || len(res.Docs) != len(in.Entries) {
							b.Fatalf("%s: %d docs, failures %v", in.File, len(res.Docs), res.Failures)
						}
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(set.inputs))/1e3, "µs/file")
				if s != nil {
					b.ReportMetric(float64(s.Stats().PeakRSS)/(1<<20), "worker-peak-MB")
				}
			})
		}
	}
}

// BenchmarkWorkerStart starts a worker process, waits for its hello and
// ends it: what a run pays once per worker.
func BenchmarkWorkerStart(b *testing.B) {
	for b.Loop() {
		s := NewSupervisor()
		mustWorker(b, s)
		s.Close()
	}
}

func mustWorker(b *testing.B, s *Supervisor) *worker {
	b.Helper()
	w, err := s.get(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	return w
}
