package ingest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/lcity/lcity/corpus"
)

// bookPDF writes a small compilation: a title page and one chapter per
// city with a bookmark, a running header and page numbers.
func bookPDF(t testing.TB, cities []string, pagesPerCity int) []byte {
	t.Helper()
	who := []string{"Families and older people", "Migrants and young adults", "Workers and employers"}
	partners := []string{"universities", "libraries", "businesses"}
	p := fpdf.New("P", "mm", "A4", "")
	p.SetCatalogSort(true)
	p.SetCreationDate(time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC))
	tr := p.UnicodeTranslatorFromDescriptor("")
	p.SetHeaderFunc(func() {
		p.SetFont("Helvetica", "I", 8)
		p.CellFormat(0, 5, "Test Book of Learning Cities", "", 1, "C", false, 0, "")
	})
	p.SetFooterFunc(func() {
		p.SetY(-14)
		p.SetFont("Helvetica", "", 8)
		p.CellFormat(0, 5, fmt.Sprint(p.PageNo()), "", 0, "C", false, 0, "")
	})
	p.AddPage()
	p.SetFont("Helvetica", "B", 20)
	p.Cell(0, 10, "Foreword")
	p.Bookmark("Foreword", 0, -1)
	for _, c := range cities {
		for k := 0; k < pagesPerCity; k++ {
			p.AddPage()
			if k == 0 {
				p.Bookmark(tr(c+" (case study)"), 0, -1)
				p.SetFont("Helvetica", "B", 18)
				p.MultiCell(0, 9, tr(c), "", "L", false)
				p.SetFont("Helvetica", "B", 13)
				p.MultiCell(0, 7, "Introduction and motives", "", "L", false)
			}
			p.SetFont("Helvetica", "", 10.5)
			p.MultiCell(0, 5, tr(fmt.Sprintf("%s runs community learning centres on page %d. %s learn together in the libraries of %s, and the learning festival of %s celebrates them every year.", c, k+1, who[k%len(who)], c, c)), "", "L", false)
			p.Ln(3)
			p.MultiCell(0, 5, tr(fmt.Sprintf("A second paragraph about %s and its partnerships with %s.", c, partners[k%len(partners)])), "", "L", false)
		}
	}
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestFileSplitsBookByOutline(t *testing.T) {
	cities := []string{"Melton", "Pécs", "Câmara de Lobos"}
	fsys := fstest.MapFS{"book.pdf": {Data: bookPDF(t, cities, 2)}}
	in := Input{File: "book.pdf", Source: "book.pdf"}
	for _, c := range cities {
		in.Entries = append(in.Entries, corpus.Entry{File: "book.pdf", City: c, Region: corpus.RegionEurope, Year: 2017})
	}
	res := File(context.Background(), fsys, in, Options{})
	if len(res.Failures) != 0 {
		t.Fatalf("failures: %+v", res.Failures)
	}
	if len(res.Docs) != 3 {
		t.Fatalf("got %d documents, want 3", len(res.Docs))
	}
	for i, d := range res.Docs {
		if d.City != cities[i] {
			t.Errorf("doc %d city %q, want %q", i, d.City, cities[i])
		}
		if wantFirst := 2 + 2*i; d.FirstPage != wantFirst || d.LastPage != wantFirst+1 {
			t.Errorf("%s: pages %d-%d, want %d-%d", d.City, d.FirstPage, d.LastPage, wantFirst, wantFirst+1)
		}
		if strings.Contains(d.Text, "Test Book of Learning Cities") {
			t.Errorf("%s: running header left in text", d.City)
		}
		if len(d.Passages) != 4 {
			t.Errorf("%s: %d passages, want 4: %q", d.City, len(d.Passages), d.Text)
		}
		for _, p := range d.Passages {
			if d.Text[p.Start:p.End] != p.Text {
				t.Errorf("%s: passage offsets do not match text", p.ID)
			}
			if p.Section != "Introduction and motives" {
				t.Errorf("%s: section %q", p.ID, p.Section)
			}
			if !strings.Contains(p.Text, cities[i]) {
				t.Errorf("%s: passage %q does not name its city", p.ID, p.Text)
			}
		}
		if got := d.Passages[2].Page; got != d.FirstPage+1 {
			t.Errorf("%s: third passage on page %d, want %d", d.City, got, d.FirstPage+1)
		}
	}
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "Foreword") {
		t.Errorf("notes = %q, want the unmatched Foreword", res.Notes)
	}
}

func TestFileFailures(t *testing.T) {
	book := bookPDF(t, []string{"Cork"}, 1)
	tests := []struct {
		name   string
		file   string
		data   []byte // nil: the file is not there
		opt    Options
		reason string
	}{
		{"missing from the folder", "gone.pdf", nil, Options{}, corpus.ReasonMissing},
		{"truncated", "cut.pdf", book[:len(book)/2], Options{}, corpus.ReasonCorrupt},
		{"not a pdf", "fake.pdf", []byte("this is not a PDF at all"), Options{}, corpus.ReasonUnsupported},
		{"too large", "big.pdf", book, Options{MaxBytes: 100}, corpus.ReasonTooLarge},
		{"unsupported type", "scan.tiff", []byte("II*\x00"), Options{}, corpus.ReasonUnsupported},
		{"empty text", "empty.txt", []byte("\n\n  \n"), Options{}, corpus.ReasonNoText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			if tt.data != nil {
				fsys[tt.file] = &fstest.MapFile{Data: tt.data}
			}
			in := Input{File: tt.file, Source: tt.file, Entries: []corpus.Entry{{File: tt.file, City: "Cork"}}}
			res := File(context.Background(), fsys, in, tt.opt)
			if len(res.Docs) != 0 || len(res.Failures) != 1 {
				t.Fatalf("File(%s) = %d docs, failures %+v; want 1 failure", tt.file, len(res.Docs), res.Failures)
			}
			if got := res.Failures[0].Reason; got != tt.reason {
				t.Errorf("reason = %q (%s), want %q", got, res.Failures[0].Detail, tt.reason)
			}
		})
	}
}

func TestFileText(t *testing.T) {
	md := "# Okayama\n\n## Making learning accessible\n\nThe kominkan are community learning centres.\nThey serve every district.\n\nA second para-\ngraph.\n"
	fsys := fstest.MapFS{"okayama.md": {Data: []byte(md)}}
	in := Input{File: "okayama.md", Source: "okayama.md", Entries: []corpus.Entry{{File: "okayama.md", City: "Okayama"}}}
	res := File(context.Background(), fsys, in, Options{})
	if len(res.Docs) != 1 {
		t.Fatalf("docs %d failures %+v", len(res.Docs), res.Failures)
	}
	d := res.Docs[0]
	if len(d.Passages) != 2 || d.Passages[0].Text != "The kominkan are community learning centres. They serve every district." || d.Passages[1].Text != "A second paragraph." {
		t.Fatalf("passages = %+v", d.Passages)
	}
	if d.Passages[0].Section != "Making learning accessible" || d.Extractor != ExtractorText {
		t.Errorf("section %q extractor %q", d.Passages[0].Section, d.Extractor)
	}
}

// TestSharedPDFs ingests every real-world PDF in ../shared/pdfs (skipped
// when the folder is absent, failed under CI): each file must end as
// documents or as a failure with a reason of the fixed vocabulary, never
// both, and never panic.
func TestSharedPDFs(t *testing.T) {
	files := sharedPDFs(t)
	dir := filepath.Dir(files[0])
	reasons := map[string]bool{corpus.ReasonEncrypted: true, corpus.ReasonCorrupt: true, corpus.ReasonNoText: true,
		corpus.ReasonTooLarge: true, corpus.ReasonTimeout: true, corpus.ReasonUnsupported: true,
		corpus.ReasonUndecodableFont: true}
	fsys := os.DirFS(dir)
	counts := map[string]int{}
	for _, f := range files {
		name := filepath.Base(f)
		in := Input{File: name, Source: f, Entries: []corpus.Entry{{File: name, City: corpus.CityFromFile(name)}}}
		res := File(context.Background(), fsys, in, Options{Timeout: time.Minute})
		switch {
		case len(res.Docs)+len(res.Failures) != 1:
			t.Errorf("%s: %d docs and %d failures, want exactly one of them", name, len(res.Docs), len(res.Failures))
		case len(res.Failures) == 1:
			if !reasons[res.Failures[0].Reason] {
				t.Errorf("%s: reason %q not in the vocabulary", name, res.Failures[0].Reason)
			}
			counts[res.Failures[0].Reason]++
			t.Logf("%s: %s: %s", name, res.Failures[0].Reason, res.Failures[0].Detail)
		default:
			counts["ok"]++
			d := res.Docs[0]
			for _, p := range d.Passages {
				if d.Text[p.Start:p.End] != p.Text {
					t.Errorf("%s: passage %s offsets wrong", name, p.ID)
				}
			}
		}
		if name == "libreoffice-writer-password.pdf" && (len(res.Failures) != 1 || res.Failures[0].Reason != corpus.ReasonEncrypted) {
			t.Errorf("%s: want an encrypted failure, got %+v", name, res.Failures)
		}
	}
	t.Logf("outcomes: %v", counts)
}

// TestRefID checks that refID reads the object a /Parent reference names
// without resolving it: the same object the library resolves, and 0 for a
// missing key or a direct value.
func TestRefID(t *testing.T) {
	data := bookPDF(t, []string{"Melton", "Espoo"}, 2)
	f, err := openPDF(bytes.NewReader(data), int64(len(data)), "")
	if err != nil {
		t.Fatal(err)
	}
	for i, leaf := range f.leaves {
		tests := []struct {
			key  string
			want uint64
		}{
			{"Parent", objID(leaf.Key("Parent"))},
			{"NoSuchKey", 0},
			{"MediaBox", 0}, // fpdf writes each page's box as a direct array
		}
		for _, tt := range tests {
			if got := refID(leaf, tt.key); got != tt.want {
				t.Errorf("page %d: refID(%q) = %d, want %d", i+1, tt.key, got, tt.want)
			}
		}
		if refID(leaf, "Parent") == 0 {
			t.Errorf("page %d: refID(Parent) = 0, want the page tree node", i+1)
		}
		if got, want := objID(f.key(leaf, "Parent")), objID(leaf.Key("Parent")); got != want {
			t.Errorf("page %d: parent = object %d, want %d", i+1, got, want)
		}
	}
	if len(f.objs) != 1 {
		t.Errorf("%d page-tree nodes cached, want the one node of fpdf's flat tree", len(f.objs))
	}
}
