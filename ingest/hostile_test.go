package ingest

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf8"

	"github.com/lcity/lcity/corpus"
)

//go:generate go run testdata/hostile/gen.go

// hostileTimeout bounds each hostile file; every file here is read in well
// under a second (without the race detector), so a row that hits it has
// hung.
const hostileTimeout = 30 * time.Second * raceSlowdown

// TestHostile runs each file of testdata/hostile (README.md there says
// what each reproduces) through File and checks its outcome: a document
// holding the given words (and whether its cross-reference data was
// rebuilt), or a failure with the given reason.
func TestHostile(t *testing.T) {
	tests := []struct {
		file     string
		words    []string // a document with these words, or
		reason   string   // a failure with this reason
		repaired bool
	}{
		{file: "xref-start-2pow32.pdf", words: []string{"subsection", "readable"}, repaired: true},
		{file: "xrefstm-size-huge.pdf", words: []string{"ten", "billion"}, repaired: true},
		{file: "xref-prev-loop.pdf", words: []string{"previous", "itself"}, repaired: true},
		{file: "xref-wrong-offsets.pdf", words: []string{"shifted", "scanning"}, repaired: true},
		{file: "xref-missing.pdf", words: []string{"without", "rebuilt"}, repaired: true},
		{file: "xref-and-trailer-none.pdf", words: []string{"neither", "catalog"}, repaired: true},
		{file: "size-too-small.pdf", words: []string{"first", "merged", "second", "beyond"}, repaired: true},
		{file: "count-9999999999.pdf", words: []string{"absurd", "single"}},
		{file: "pagetree-cycle.pdf", words: []string{"loops", "page"}},
		{file: "annots-objstm-10000.pdf", words: []string{"thousand", "annotations"}},
		{file: "annots-objstm-rc4.pdf", words: []string{"encrypted", "annotations", "stream"}},
		{file: "bomb-objstm.pdf", words: []string{"decompression", "bomb"}},
		{file: "deep-nesting-content.pdf", words: []string{"brackets", "nested"}},
		{file: "deep-nesting-annots.pdf", words: []string{"deeply", "page"}},
		{file: "heading-only.pdf", words: []string{"yearbook", "limerick"}},
		{file: "one-line.pdf", words: []string{"festival", "programme"}},
		{file: "repeated-lines.pdf", words: []string{"swansea", "learning", "city"}},
		{file: "predictor-columns.pdf", words: []string{"predictor", "memory"}},
		{file: "undecodable-font.pdf", reason: corpus.ReasonUndecodableFont},
		{file: "no-text.pdf", reason: corpus.ReasonNoText},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "hostile", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			res := hostileFile(t, data)
			checkHostile(t, res, tt.words, tt.reason, tt.repaired)
		})
	}
}

// hostileFile runs File on data as the one entry "Cork", failing the test
// when File does not return within hostileTimeout plus a margin (it is
// meant to stop itself at the timeout).
func hostileFile(t *testing.T, data []byte) Result {
	t.Helper()
	fsys := fstest.MapFS{"in.pdf": {Data: data}}
	in := Input{File: "in.pdf", Source: "in.pdf", Entries: []corpus.Entry{{File: "in.pdf", City: "Cork"}}}
	done := make(chan Result, 1)
	go func() { done <- File(context.Background(), fsys, in, Options{Timeout: hostileTimeout}) }()
	select {
	case res := <-done:
		return res
	case <-time.After(hostileTimeout + 10*time.Second):
		t.Fatalf("File did not return within %s", hostileTimeout+10*time.Second)
		return Result{}
	}
}

func checkHostile(t *testing.T, res Result, words []string, reason string, repaired bool) {
	t.Helper()
	if reason != "" {
		if len(res.Failures) != 1 || res.Failures[0].Reason != reason {
			t.Fatalf("failures %+v, want one %s", res.Failures, reason)
		}
		return
	}
	if len(res.Docs) != 1 {
		t.Fatalf("%d documents, failures %+v; want one document", len(res.Docs), res.Failures)
	}
	d := res.Docs[0]
	got := strings.Join(Words(d.Text), " ")
	for _, w := range words {
		if !strings.Contains(" "+got+" ", " "+w+" ") {
			t.Errorf("text %q lacks %q", d.Text, w)
		}
	}
	if d.Repaired != repaired {
		t.Errorf("repaired = %v, want %v", d.Repaired, repaired)
	}
	if len(d.Passages) == 0 {
		t.Error("no passages")
	}
}

// TestRepairBrokenStartxref is the broken file the pdftotext fallback was
// once needed for: a wrong startxref offset. lcity now rebuilds its
// cross-reference table itself.
func TestRepairBrokenStartxref(t *testing.T) {
	book := bookPDF(t, []string{"Cork"}, 2)
	i := bytes.LastIndex(book, []byte("startxref"))
	broken := append(append([]byte{}, book[:i]...), "startxref\n12\n%%EOF\n"...)
	res := hostileFile(t, broken)
	checkHostile(t, res, []string{"community", "learning", "centres"}, "", true)
	if strings.Contains(res.Docs[0].Text, "Test Book of Learning Cities") {
		t.Errorf("running header kept:\n%s", res.Docs[0].Text)
	}
}

// TestFailureDetailsOneLine cuts real PDFs short, as an interrupted
// download does, and checks that every failure's detail and every note is
// one line of valid UTF-8: the PDF library's panics quote the bytes they
// choke on, and those went into failures.csv as they were (binary, line
// breaks and all).
func TestFailureDetailsOneLine(t *testing.T) {
	var inputs [][]byte
	for _, f := range append(sharedPDFs(t), "testdata/fonts/word-gaps-ocr.pdf", "testdata/fonts/type3-a.pdf") {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, pct := range []int{10, 50, 90} {
			inputs = append(inputs, data[:len(data)*pct/100])
		}
	}
	for i, data := range inputs {
		res := hostileFile(t, data)
		for _, f := range res.Failures {
			if !utf8.ValidString(f.Detail) || strings.ContainsAny(f.Detail, "\n\r\x00") {
				t.Errorf("input %d: detail %q", i, f.Detail)
			}
		}
		for _, n := range res.Notes {
			if !utf8.ValidString(n) || strings.ContainsAny(n, "\n\r\x00") {
				t.Errorf("input %d: note %q", i, n)
			}
		}
	}
	t.Logf("%d cut files", len(inputs))
}
