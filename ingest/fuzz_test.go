package ingest

import (
	"context"
	"io/fs"
	"slices"
	"testing"
	"testing/fstest"
	"time"

	"github.com/lcity/lcity/corpus"
)

// FuzzFile feeds arbitrary bytes to the PDF path of File. Whatever the
// bytes, File must return (no panic escapes, nothing hangs past the
// timeout), every entry must end as a document or a failure with a reason
// of the failures.csv vocabulary, and every passage must be the slice of
// its document's text that its offsets name.
func FuzzFile(f *testing.F) {
	c := corpus.Sample()
	for _, in := range Inputs(c) {
		data, err := fs.ReadFile(c.FS, in.File)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		f.Add(data[:len(data)/2])
		f.Add(append([]byte("junk before the header\n"), data...))
	}
	f.Add([]byte("%PDF-1.4\n%%EOF\n"))
	f.Add([]byte("not a pdf at all"))
	reasons := []string{corpus.ReasonEncrypted, corpus.ReasonCorrupt, corpus.ReasonNoText,
		corpus.ReasonTooLarge, corpus.ReasonTimeout, corpus.ReasonUnsupported}
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{"in.pdf": {Data: data}}
		in := Input{File: "in.pdf", Source: "in.pdf", Entries: []corpus.Entry{{File: "in.pdf", City: "Cork"}}}
		res := File(context.Background(), fsys, in, Options{Timeout: 5 * time.Second})
		if len(res.Docs)+len(res.Failures) == 0 {
			t.Fatal("neither a document nor a failure")
		}
		for _, fl := range res.Failures {
			if !slices.Contains(reasons, fl.Reason) || fl.Detail == "" {
				t.Fatalf("failure %+v: reason outside the vocabulary or no detail", fl)
			}
		}
		for _, d := range res.Docs {
			for _, p := range d.Passages {
				if p.Start < 0 || p.End > len(d.Text) || p.Start > p.End || d.Text[p.Start:p.End] != p.Text {
					t.Fatalf("passage %s [%d:%d] does not match its document text", p.ID, p.Start, p.End)
				}
			}
		}
	})
}
