package ingest

import (
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/internal/testenv"
)

func TestFallbackPdftotext(t *testing.T) {
	testenv.Tool(t, "pdftotext", "poppler-utils")
	book := bookPDF(t, []string{"Cork"}, 2)
	// Content streams behind the Crypt filter (with no encryption, the
	// identity), which lcity does not read: the Go extractor finds no
	// text, pdftotext reads it. The streams' new lengths also break the
	// cross-reference offsets, which lcity rebuilds.
	fsys := fstest.MapFS{"cork.pdf": {Data: reencodeStreams(t, book, "/Crypt", func(b []byte) []byte { return b })}}
	in := Input{File: "cork.pdf", Source: "cork.pdf", Entries: []corpus.Entry{{File: "cork.pdf", City: "Cork"}}}

	res := File(context.Background(), fsys, in, Options{})
	if len(res.Failures) != 1 || res.Failures[0].Reason != corpus.ReasonNoText {
		t.Fatalf("without fallback: failures %+v, want one no-text-layer", res.Failures)
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

// reencodeStreams rewrites each FlateDecode stream of pdf (as bookPDF
// writes them) decoded and then encoded by encode, under /Filter filter.
func reencodeStreams(t *testing.T, pdf []byte, filter string, encode func([]byte) []byte) []byte {
	t.Helper()
	re := regexp.MustCompile(`<</Filter /FlateDecode /Length (\d+)>>\nstream\n`)
	var out []byte
	for {
		m := re.FindSubmatchIndex(pdf)
		if m == nil {
			return append(out, pdf...)
		}
		n, _ := strconv.Atoi(string(pdf[m[2]:m[3]]))
		zr, err := zlib.NewReader(bytes.NewReader(pdf[m[1] : m[1]+n]))
		if err != nil {
			t.Fatal(err)
		}
		plain, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		enc := encode(plain)
		out = append(out, pdf[:m[0]]...)
		out = fmt.Appendf(out, "<</Filter %s /Length %d>>\nstream\n%s", filter, len(enc), enc)
		pdf = pdf[m[1]+n:]
	}
}
