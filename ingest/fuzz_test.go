package ingest

import (
	"bytes"
	"context"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf8"

	"github.com/lcity/lcity/corpus"
)

// FuzzFile feeds arbitrary bytes to the PDF path of File. Whatever the
// bytes, File must return (no panic escapes, nothing hangs past the
// timeout), every entry must end as a document or a failure with a reason
// of the failures.csv vocabulary, and every passage must be the slice of
// its document's text that its offsets name.
func FuzzFile(f *testing.F) {
	for _, s := range samplePDFs(f) {
		data := s.data
		f.Add(data)
		f.Add(data[:len(data)/2])
		f.Add(append([]byte("junk before the header\n"), data...))
	}
	f.Add([]byte("%PDF-1.4\n%%EOF\n"))
	f.Add([]byte("not a pdf at all"))
	// Issue 17's cases: a bare CFF font, a form field drawn from its
	// value, rotated one-line pages.
	f.Add(cffGreekPDF())
	f.Add(formPDF("Ana Müller", ""))
	f.Add(rotatedPDF(2, 90, "0 1 -1 0 300 200", "Learning city"))
	addHostileSeeds(f)
	// Fonts read through predefined CJK CMaps (variable-length codes).
	cmapPDFs, err := filepath.Glob(filepath.Join("testdata", "fonts", "cmap-*.pdf"))
	if err != nil || len(cmapPDFs) == 0 {
		f.Fatalf("testdata/fonts/cmap-*.pdf: %v, %d files", err, len(cmapPDFs))
	}
	for _, p := range cmapPDFs {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	reasons := []string{corpus.ReasonEncrypted, corpus.ReasonCorrupt, corpus.ReasonNoText,
		corpus.ReasonTooLarge, corpus.ReasonTimeout, corpus.ReasonUnsupported, corpus.ReasonUndecodableFont}
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{"in.pdf": {Data: data}}
		in := Input{File: "in.pdf", Source: "in.pdf", Entries: []corpus.Entry{{File: "in.pdf", City: "Cork"}}}
		res := File(context.Background(), fsys, in, Options{Timeout: 5 * time.Second})
		checkResult(t, res, reasons)
	})
}

// checkResult fails t unless res holds a document or a failure, every
// failure has one of reasons and a detail, and every passage is the text
// of its document between its offsets: what the fuzz targets of whole-file
// extraction hold every input to.
func checkResult(t *testing.T, res Result, reasons []string) {
	t.Helper()
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
}

// FuzzParseCMap feeds arbitrary bytes to the ToUnicode CMap parser and the
// content-stream lexer: no panic, no endless loop, lookups of any code
// return valid UTF-8.
func FuzzParseCMap(f *testing.F) {
	f.Add([]byte("1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfchar <41> <0042> endbfchar"))
	f.Add([]byte("2 beginbfrange <0000> <00FF> <0020> <0100> <0102> [<0041> (x)] endbfrange"))
	f.Add([]byte("BT /F1 12 Tf (Hi) Tj [(a) -250 (b)] TJ ET BI /W 1 ID \x00 EI"))
	f.Add([]byte("<<(((\\\\)>>[[[<"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m := parseCMap(data)
		for _, code := range []string{"\x00", "A", "\x00\x41", "\x01\x00", "\xff\xff"} {
			if s, _ := m.lookup(code); !utf8.ValidString(s) {
				t.Fatalf("lookup(%q) = %q, not UTF-8", code, s)
			}
			m.codeLen(code, 1)
		}
		// The content interpreter's lexer (noNumText) cuts the same tokens,
		// its numbers without their text; a keyword is never something
		// strconv.ParseFloat reads as a number (maybeNumber's shortcut),
		// and a number's value is what ParseFloat makes of its text.
		lx, clx := &cmapLexer{b: data}, &cmapLexer{b: data, noNumText: true}
		for i := 0; i <= len(data)+1; i++ {
			tok, ok := lx.next()
			ctok, cok := clx.next()
			if ok != cok || tok.kind != ctok.kind || (tok.kind != tokNumber && tok.s != ctok.s) || len(tok.arr) != len(ctok.arr) {
				t.Fatalf("token %d: %+v, with noNumText %+v", i, tok, ctok)
			}
			if !ok {
				return
			}
			switch tok.kind {
			case tokKeyword:
				if _, err := strconv.ParseFloat(tok.s, 64); err == nil {
					t.Fatalf("keyword %q is a number", tok.s)
				}
			case tokNumber:
				if v, err := strconv.ParseFloat(tok.s, 64); err != nil || math.Float64bits(v) != math.Float64bits(tok.f) || ctok.s != "" ||
					math.Float64bits(ctok.f) != math.Float64bits(tok.f) {
					t.Fatalf("number %q: value %v, with noNumText %+v", tok.s, tok.f, ctok)
				}
			}
			if tok.kind == tokKeyword && tok.s == "BI" {
				lx.skipInlineImage()
				clx.skipInlineImage()
			}
		}
		t.Fatalf("lexer made more tokens than the %d input bytes", len(data))
	})
}

// addHostileSeeds adds the small files of testdata/hostile as seeds.
func addHostileSeeds(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "hostile", "*.pdf"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no hostile seeds: %v", err)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		if len(data) <= 4<<10 {
			f.Add(data)
		}
	}
}

// FuzzRepair feeds arbitrary bytes to prepare, forced to rebuild and not,
// and to the PDF library after it: no panic escapes prepare, its
// cross-reference stream names no object beyond the file's object limit,
// and the prepared bytes open or fail without hanging.
func FuzzRepair(f *testing.F) {
	for _, s := range samplePDFs(f) {
		f.Add(s.data[:min(len(s.data), 8<<10)])
	}
	addHostileSeeds(f)
	f.Add([]byte("%PDF-1.7\n1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\ntrailer<</Root 1 0 R>>\n%%EOF"))
	f.Add([]byte("%PDF-1.7\nxref\n0 1\n0000000000 65535 f \n4294967296 1\n0000000009 00000 n \ntrailer<</Size 2>>\nstartxref\n9\n%%EOF"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, force := range []bool{false, true} {
			p, err := prepare(data, force)
			if err != nil {
				continue
			}
			if p.size() < int64(len(data))-9 {
				t.Fatalf("prepared %d bytes of %d", p.size(), len(data))
			}
			if p.tail != nil {
				all := append(append([]byte{}, p.data...), p.tail...)
				if _, err := readXref(all, objectLimit(len(data))+1); err != nil {
					t.Fatalf("rebuilt cross-reference stream does not read back: %v", err)
				}
			}
		}
		// The library must open the result or fail, not hang or die.
		openPDF(bytes.NewReader(data), int64(len(data)), "")
	})
}

// samplePDF is a file of the embedded sample corpus.
type samplePDF struct {
	name string
	data []byte
}

// samplePDFs reads the files of the embedded sample corpus.
func samplePDFs(tb testing.TB) []samplePDF {
	c := corpus.Sample()
	var out []samplePDF
	for _, in := range Inputs(c) {
		data, err := fs.ReadFile(c.FS, in.File)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, samplePDF{in.File, data})
	}
	return out
}
