package ingest

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/internal/testenv"
)

func TestFallbackPdftotext(t *testing.T) {
	testenv.Tool(t, "pdftotext", "poppler-utils")
	book := bookPDF(t, []string{"Cork"}, 2)
	// A wrong startxref offset: the Go parser gives up, pdftotext rebuilds
	// the cross-reference table.
	i := bytes.LastIndex(book, []byte("startxref"))
	broken := append(append([]byte{}, book[:i]...), "startxref\n12\n%%EOF\n"...)
	fsys := fstest.MapFS{"cork.pdf": {Data: broken}}
	in := Input{File: "cork.pdf", Source: "cork.pdf", Entries: []corpus.Entry{{File: "cork.pdf", City: "Cork"}}}

	res := File(context.Background(), fsys, in, Options{})
	if len(res.Failures) != 1 || res.Failures[0].Reason != corpus.ReasonCorrupt {
		t.Fatalf("without fallback: failures %+v, want one corrupt", res.Failures)
	}
	res = File(context.Background(), fsys, in, Options{Fallback: FallbackPdftotext})
	if len(res.Docs) != 1 || len(res.Failures) != 0 {
		t.Fatalf("with fallback: %d docs, failures %+v", len(res.Docs), res.Failures)
	}
	d := res.Docs[0]
	if !strings.HasPrefix(d.Extractor, "pdftotext") {
		t.Errorf("extractor %q, want pdftotext", d.Extractor)
	}
	text := d.Text
	if !strings.Contains(text, "community learning centres") || strings.Contains(text, "Test Book of Learning Cities") {
		t.Errorf("text lacks the body or keeps the running header:\n%s", text)
	}
	for _, p := range d.Passages {
		if d.Text[p.Start:p.End] != p.Text {
			t.Errorf("passage %s offsets wrong", p.ID)
		}
	}
}

func TestCheckFallback(t *testing.T) {
	if err := CheckFallback(""); err != nil {
		t.Errorf("no fallback: %v", err)
	}
	if err := CheckFallback("xpdf"); err == nil {
		t.Error("unknown fallback accepted")
	}
}
