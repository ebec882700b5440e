package ingest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/lcity/lcity/corpus"
)

// rotatedPDF writes pages whose only text is one line, the same on every
// page, drawn with text matrix tm on pages with the /Rotate given: what a
// landscape table or a scanned-sideways form gives, and what furniture
// removal would take for a running header.
func rotatedPDF(pages int, rotate int, tm, line string) []byte {
	kids := make([]string, pages)
	for i := range kids {
		kids[i] = fmt.Sprintf("%d 0 R", 4+i)
	}
	objs := []fixtureObj{
		obj("<</Type /Catalog /Pages 2 0 R>>"),
		obj(fmt.Sprintf("<</Type /Pages /Kids [%s] /Count %d>>", strings.Join(kids, " "), pages)),
		obj("<</Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding>>"),
	}
	for i := range pages {
		objs = append(objs, obj(fmt.Sprintf("<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Rotate %d /Resources <</Font <</F1 3 0 R>>>> /Contents %d 0 R>>", rotate, 4+pages+i)))
	}
	for range pages {
		objs = append(objs, stm("", fmt.Sprintf("BT /F1 14 Tf %s Tm (%s) Tj ET", tm, line)))
	}
	return fixturePDF(objs)
}

// TestRotatedOneLinePages checks that a document whose only text is one
// rotated line per page, the same on every page, is a document with that
// line, not a no-text-layer failure; with --fallback pdftotext the
// built-in extractor's reading still stands (the fallback is for files it
// cannot read).
func TestRotatedOneLinePages(t *testing.T) {
	const line = "Learning city of Espoo"
	tests := []struct {
		name   string
		rotate int
		tm     string
	}{
		{"text turned 90 degrees", 0, "0 1 -1 0 300 200"},
		{"text turned 270 degrees", 0, "0 -1 1 0 300 700"},
		{"upside down", 0, "-1 0 0 -1 500 400"},
		{"page /Rotate 90", 90, "1 0 0 1 72 400"},
	}
	for _, tt := range tests {
		for _, fb := range []string{"", FallbackPdftotext} {
			t.Run(tt.name+" fallback="+fb, func(t *testing.T) {
				data := rotatedPDF(3, tt.rotate, tt.tm, line)
				fsys := fstest.MapFS{"r.pdf": {Data: data}}
				in := Input{File: "r.pdf", Source: "r.pdf", Entries: []corpus.Entry{{File: "r.pdf", City: "Espoo"}}}
				res := File(context.Background(), fsys, in, Options{Fallback: fb})
				if len(res.Docs) != 1 {
					t.Fatalf("File = %d docs, failures %+v; want 1 doc", len(res.Docs), res.Failures)
				}
				d := res.Docs[0]
				if d.Extractor != ExtractorPDF {
					t.Errorf("extractor %q, want %q", d.Extractor, ExtractorPDF)
				}
				if len(d.Passages) == 0 || d.Passages[0].Text != line {
					t.Errorf("passages %+v, want %q first", d.Passages, line)
				}
			})
		}
	}
}
