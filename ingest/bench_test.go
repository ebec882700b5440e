package ingest

import (
	"context"
	"io/fs"
	"testing"

	"github.com/lcity/lcity/corpus"
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
	for b.Loop() {
		res := File(context.Background(), c.FS, in, Options{})
		if len(res.Failures) > 0 || len(res.Docs) != len(in.Entries) {
			b.Fatalf("%d docs, failures %v", len(res.Docs), res.Failures)
		}
	}
}
