package ingest

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/lcity/lcity/corpus"
)

// TestOneEntryBook: a manifest of one entry on a book of three cities
// takes that city's pages (found by its outline entry) with a note, not
// the whole book; a wrong outline: fails naming it.
func TestOneEntryBook(t *testing.T) {
	fsys := fstest.MapFS{"book.pdf": {Data: bookPDF(t, []string{"Cork", "Espoo", "Pécs"}, 2)}}
	file := func(e corpus.Entry) Result {
		e.File = "book.pdf"
		return File(context.Background(), fsys, Input{File: "book.pdf", Source: "book.pdf", Entries: []corpus.Entry{e}}, Options{})
	}
	res := file(corpus.Entry{City: "Espoo"})
	if len(res.Docs) != 1 {
		t.Fatalf("%d documents, failures %+v", len(res.Docs), res.Failures)
	}
	if d := res.Docs[0]; d.FirstPage != 4 || d.LastPage != 5 || strings.Contains(d.Text, "Cork") || strings.Contains(d.Text, "Pécs") {
		t.Errorf("Espoo: pages %d-%d, text %q; want pages 4-5 about Espoo alone", d.FirstPage, d.LastPage, d.Text)
	}
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "Espoo (case study)") {
		t.Errorf("notes = %q, want one naming the outline entry chosen", res.Notes)
	}
	res = file(corpus.Entry{City: "Espoo", Outline: "Helsinki"})
	if len(res.Docs) != 0 || len(res.Failures) != 1 || !strings.Contains(res.Failures[0].Detail, `"Helsinki"`) {
		t.Errorf("wrong outline: %d documents, failures %+v; want one failure naming \"Helsinki\"", len(res.Docs), res.Failures)
	}
}
