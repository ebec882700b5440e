package ingest

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/lcity/lcity/corpus"
)

// browserPrintPDF is a two-page web page as a browser prints it: the date
// and the page title on top of each page, the page's address and the page
// count at the bottom. Its second paragraph runs across the page break in
// the middle of a sentence, and the line that goes on after the break
// starts with a capital ("City Council"). Each line is placed by hand, so
// where the break falls does not depend on the layout engine.
func browserPrintPDF(t *testing.T) []byte {
	t.Helper()
	p := fpdf.New("P", "pt", "A5", "")
	p.SetCreationDate(time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC))
	p.SetCompression(false)
	pages := [][]string{
		{
			"#Learning in Cork",
			"Cork became a learning city in 2002, when its first festival",
			"was held in the libraries and community centres of the city.",
			"",
			"The festival now runs for a week each spring, in every part",
			"of the city, and more than five hundred events are organised by the",
		},
		{
			"City Council and its partners, the university among them.",
			"",
			"Each partner names a person who answers for its part of the",
			"programme, and an annual report lists what was done.",
		},
	}
	for n, lines := range pages {
		p.AddPage()
		p.SetFont("Helvetica", "", 7)
		p.Text(20, 20, "26/11/2026, 10:15")
		p.Text(200, 20, "Cork - print view")
		p.Text(20, 580, "file:///home/researcher/saved/cork.html")
		p.Text(360, 580, fmt.Sprintf("%d/2", n+1))
		y := 70.0
		for _, l := range lines {
			switch {
			case l == "":
				y += 10
				continue
			case strings.HasPrefix(l, "#"):
				p.SetFont("Helvetica", "B", 16)
				p.Text(30, y, l[1:])
				y += 26
				continue
			}
			p.SetFont("Helvetica", "", 10.5)
			p.Text(30, y, l)
			y += 14
		}
	}
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestBrowserPrintOnePage: a web page printed by Chromium on one page
// has nothing to repeat, but its header (date, time, title) and footer
// (address, page counter) are no text of it either; a body line with an
// address or a date stays. Such lines were passages of their own, or the
// first words of the first passage.
func TestBrowserPrintOnePage(t *testing.T) {
	for _, tt := range []struct{ header, footer string }{
		{"11/26/26, 3:27 PM", "file:///home/researcher/saved/cork.html 1/1"},
		{"26.11.2026, 15:27", "https://www.example.org/cities/cork 1/1"},
		{"11/26/26, 3:27 PM", "https://www.example.org/cities/cork 1 / 1"},
	} {
		t.Run(tt.footer, func(t *testing.T) {
			p := fpdf.New("P", "pt", "A5", "")
			p.SetCreationDate(time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC))
			p.AddPage()
			p.SetFont("Helvetica", "", 7)
			p.Text(20, 20, tt.header)
			p.Text(200, 20, "Cork - learning city")
			p.Text(20, 580, tt.footer)
			p.SetFont("Helvetica", "", 10.5)
			body := []string{
				"Cork became a learning city in 2002, when its first festival",
				"was held in the libraries and community centres of the city.",
				"",
				"The programme is at https://www.example.org/festival and the",
				"next festival opens on 1/4/2027, at 10:00 in the city hall.",
			}
			y := 70.0
			for _, l := range body {
				if l != "" {
					p.Text(30, y, l)
				}
				y += 14
			}
			var buf bytes.Buffer
			if err := p.Output(&buf); err != nil {
				t.Fatal(err)
			}
			fsys := fstest.MapFS{"cork.pdf": {Data: buf.Bytes()}}
			res := File(context.Background(), fsys, Input{File: "cork.pdf", Source: "cork.pdf", Entries: []corpus.Entry{{File: "cork.pdf", City: "Cork"}}}, Options{})
			if len(res.Docs) != 1 {
				t.Fatalf("%d documents, failures %+v", len(res.Docs), res.Failures)
			}
			text := res.Docs[0].Text
			for _, furniture := range []string{tt.header, "Cork - learning city", "cities/cork", "1/1", "1 / 1"} {
				if strings.Contains(text, furniture) {
					t.Errorf("text keeps %q of the header or footer:\n%s", furniture, text)
				}
			}
			for _, body := range []string{"Cork became a learning city", "https://www.example.org/festival", "1/4/2027, at 10:00"} {
				if !strings.Contains(text, body) {
					t.Errorf("text lost %q:\n%s", body, text)
				}
			}
		})
	}
}

// TestBrowserPrint: the running header and footer of a two-page document
// are not text of it, and the paragraph cut by the page break is one
// passage, from page 1 to page 2.
func TestBrowserPrint(t *testing.T) {
	fsys := fstest.MapFS{"cork.pdf": {Data: browserPrintPDF(t)}}
	res := File(context.Background(), fsys, Input{File: "cork.pdf", Source: "cork.pdf", Entries: []corpus.Entry{{File: "cork.pdf", City: "Cork"}}}, Options{})
	if len(res.Docs) != 1 {
		t.Fatalf("%d documents, failures %+v", len(res.Docs), res.Failures)
	}
	d := res.Docs[0]
	for _, furniture := range []string{"26/11/2026", "10:15", "print view", "file://", "cork.html", "1/2", "2/2"} {
		if strings.Contains(d.Text, furniture) {
			t.Errorf("text keeps %q of the running header or footer:\n%s", furniture, d.Text)
		}
	}
	var crossing []corpus.Passage
	for _, p := range d.Passages {
		if strings.Contains(p.Text, "more than five hundred") || strings.Contains(p.Text, "City Council") {
			crossing = append(crossing, p)
		}
	}
	want := "The festival now runs for a week each spring, in every part of the city, and more than five hundred events are organised by the City Council and its partners, the university among them."
	if len(crossing) != 1 || crossing[0].Text != want || crossing[0].Page != 1 || crossing[0].LastPage != 2 {
		t.Fatalf("the paragraph across the page break: %+v\nwant one passage %q on pages 1-2", crossing, want)
	}
	for _, p := range d.Passages {
		if p.Start != crossing[0].Start && p.LastPage != p.Page {
			t.Errorf("passage %q: pages %d-%d, want one page", p.Text, p.Page, p.LastPage)
		}
	}
}
