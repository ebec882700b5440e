package ingest

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"testing"
	"testing/fstest"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/internal/testenv"
)

// BenchmarkSampleBook measures extraction, cleaning, splitting and
// passage building of the embedded 2017 sample book (10 cities); MB/s is
// PDF bytes per second.
func BenchmarkSampleBook(b *testing.B) {
	c := corpus.Sample()
	var in Input
	for _, i := range Inputs(c) {
		if len(i.Entries) > len(in.Entries) {
			in = i
		}
	}
	st, err := fs.Stat(c.FS, in.File)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ReportAllocs()
	testenv.CPULoop(b, func() {
		res := File(context.Background(), c.FS, in, Options{})
		if len(res.Failures) > 0 || len(res.Docs) != len(in.Entries) {
			b.Fatalf("%d docs, failures %v", len(res.Docs), res.Failures)
		}
	})
}

// BenchmarkBook500 extracts a generated 500-page compilation (50 cities of
// 10 pages, running headers, page numbers, an outline) as one book split
// by its outline: the size of a real UIL volume and more. MB/s is PDF
// bytes per second; pages/s is reported too.
func BenchmarkBook500(b *testing.B) { benchBook500(b, 1) }

// BenchmarkBook500Parallel is BenchmarkBook500 with the pages read by one
// goroutine per CPU (Options.PageWorkers), as a run of one book does:
// time/op falls, cpu-ns/op shows what the extra font loading costs.
func BenchmarkBook500Parallel(b *testing.B) { benchBook500(b, runtime.GOMAXPROCS(0)) }

func benchBook500(b *testing.B, pageWorkers int) {
	cities := make([]string, 50)
	entries := make([]corpus.Entry, 50)
	for i := range cities {
		cities[i] = fmt.Sprintf("City %02d", i+1)
		entries[i] = corpus.Entry{File: "book.pdf", City: cities[i]}
	}
	pdf := bookPDF(b, cities, 10)
	fsys := fstest.MapFS{"book.pdf": {Data: pdf}}
	in := Input{File: "book.pdf", Source: "book.pdf", Entries: entries}
	b.SetBytes(int64(len(pdf)))
	b.ReportAllocs()
	b.ResetTimer()
	testenv.CPULoop(b, func() {
		res := File(context.Background(), fsys, in, Options{PageWorkers: pageWorkers})
		if len(res.Docs) != len(cities) {
			b.Fatalf("%d docs, failures %v", len(res.Docs), res.Failures)
		}
	})
	b.ReportMetric(float64(b.N)*501/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkPrepare measures the checks lcity makes on a PDF's raw bytes
// before the PDF library reads it (prepare), on each sample PDF: "check"
// is the path every file takes (cross-reference data read and checked,
// object streams unpacked), "repair" the rebuild by scanning the whole
// file that a broken file takes. MB/s is PDF bytes per second.
func BenchmarkPrepare(b *testing.B) {
	for _, s := range samplePDFs(b) {
		data := s.data
		for _, mode := range []struct {
			name  string
			force bool
		}{{"check", false}, {"repair", true}} {
			b.Run(s.name+"/"+mode.name, func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := prepare(data, mode.force); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkAssembleLines measures line assembly (baselines, word gaps,
// columns) of a dense two-column page of 2 × 50 lines without space
// glyphs; MB/s is bytes of glyph text per second.
func BenchmarkAssembleLines(b *testing.B) {
	var page []glyph
	n := 0
	for i := 0; i < 50; i++ {
		for _, x := range []float64{40, 310} {
			line := glyphs("Learning cities share their festivals and their libraries", x, 800-14*float64(i), 4.5, 10, true)
			for k := range line {
				line[k].space = 2.5
			}
			page = append(page, line...)
			n += len(line)
		}
	}
	gs := make([]glyph, len(page))
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		copy(gs, page)
		if lines := assembleLines(gs); len(lines) != 100 {
			b.Fatalf("%d lines, want 100", len(lines))
		}
	}
}

// BenchmarkDecryptPDF measures rewriting an AES-256 fixture unencrypted
// (object scan, key derivation with the R6 hash, decryption); MB/s is
// bytes of the encrypted file per second.
func BenchmarkDecryptPDF(b *testing.B) {
	data, err := os.ReadFile("testdata/encrypted/aes-256-user.pdf")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decryptPDF(data, fixtureUser); err != nil {
			b.Fatal(err)
		}
	}
}
