package ingest

import (
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"

	"github.com/lcity/lcity/corpus"
)

// slideLines are the slides of slideDeckPDF: a title, bulleted lines and
// a code box.
var slideLines = [][]string{
	{"Lifelong learning in Melton", "Libraries open in the evening", "Courses for older residents", "Volunteers teach digital skills", "CODE:go run ./cmd/lcity"},
	{"What the city measured", "Enrolments in community courses", "Hours of volunteer teaching", "CODE:lcity run --corpus cities"},
}

// slideDeckPDF writes slides (16:9 pages) as PowerPoint exports them:
// body text in an embedded TrueType font used as a CID font (Type0,
// Identity-H, CIDToGIDMap /Identity, so codes are glyph indices) with no
// /ToUnicode, each bulleted line after a bullet in a symbolic TrueType
// font (Wingdings' code 0xA7, no encoding), and code boxes in a simple
// Courier font. Only the embedded font's own cmap says which character
// each glyph is, as poppler reads it. The font is Go Regular
// (golang.org/x/image/font/gofont, BSD licence).
func slideDeckPDF(t *testing.T) []byte {
	f, err := sfnt.Parse(goregular.TTF)
	if err != nil {
		t.Fatal(err)
	}
	var buf sfnt.Buffer
	gids := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			g, err := f.GlyphIndex(&buf, r)
			if err != nil || g == 0 {
				t.Fatalf("Go Regular has no glyph for %q", r)
			}
			fmt.Fprintf(&b, "%04X", int(g))
		}
		return b.String()
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(goregular.TTF)
	zw.Close()

	n := len(slideLines)
	// Objects: 1 catalog, 2 pages, 3.. pages, then fonts, then contents.
	fontObj := 3 + n
	kids := make([]string, n)
	for i := range kids {
		kids[i] = fmt.Sprintf("%d 0 R", 3+i)
	}
	objs := []fixtureObj{
		obj("<</Type /Catalog /Pages 2 0 R>>"),
		obj(fmt.Sprintf("<</Type /Pages /Kids [%s] /Count %d>>", strings.Join(kids, " "), n)),
	}
	res := fmt.Sprintf("<</Font <</F1 %d 0 R /F2 %d 0 R /F3 %d 0 R>>>>", fontObj, fontObj+4, fontObj+6)
	for i := range n {
		objs = append(objs, obj(fmt.Sprintf("<</Type /Page /Parent 2 0 R /MediaBox [0 0 960 540] /Resources %s /Contents %d 0 R>>", res, fontObj+7+i)))
	}
	objs = append(objs,
		obj(fmt.Sprintf("<</Type /Font /Subtype /Type0 /BaseFont /ABCDEF+GoRegular /Encoding /Identity-H /DescendantFonts [%d 0 R]>>", fontObj+1)),
		obj(fmt.Sprintf("<</Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+GoRegular /CIDSystemInfo <</Registry (Adobe) /Ordering (Identity) /Supplement 0>> /FontDescriptor %d 0 R /CIDToGIDMap /Identity /DW 550>>", fontObj+2)),
		obj(fmt.Sprintf("<</Type /FontDescriptor /FontName /ABCDEF+GoRegular /Flags 32 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 /FontFile2 %d 0 R>>", fontObj+3)),
		stm(fmt.Sprintf("/Filter /FlateDecode /Length1 %d", len(goregular.TTF)), z.String()),
		obj(fmt.Sprintf("<</Type /Font /Subtype /TrueType /BaseFont /Wingdings-Regular /FirstChar 167 /LastChar 167 /Widths [500] /FontDescriptor %d 0 R>>", fontObj+5)),
		obj("<</Type /FontDescriptor /FontName /Wingdings-Regular /Flags 4 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80>>"),
		obj("<</Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding>>"),
	)
	for _, slide := range slideLines {
		var c strings.Builder
		y := 460.0
		for j, l := range slide {
			switch code, ok := strings.CutPrefix(l, "CODE:"); {
			case ok:
				fmt.Fprintf(&c, "BT /F3 18 Tf 1 0 0 1 80 %.0f Tm (%s) Tj ET\n", y, code)
			case j == 0:
				fmt.Fprintf(&c, "BT /F1 40 Tf 1 0 0 1 60 %.0f Tm <%s> Tj ET\n", y, gids(l))
			default:
				fmt.Fprintf(&c, "BT /F2 24 Tf 1 0 0 1 60 %.0f Tm <A7> Tj ET\n", y)
				fmt.Fprintf(&c, "BT /F1 24 Tf 1 0 0 1 90 %.0f Tm <%s> Tj ET\n", y, gids(l))
			}
			y -= 60
		}
		objs = append(objs, stm("", c.String()))
	}
	return fixturePDF(objs)
}

// TestSlideDeck checks that the text of slides set in an embedded CID
// TrueType font without /ToUnicode is read through the font's cmap: each
// title becomes the section of its slide, each bulleted line a passage
// without its bullet, and the code box a passage of its own.
func TestSlideDeck(t *testing.T) {
	data := readFixture(t, "testdata/fonts/slides-cid-truetype.pdf")
	fsys := fstest.MapFS{"deck.pdf": {Data: data}}
	in := Input{File: "deck.pdf", Source: "deck.pdf", Entries: []corpus.Entry{{File: "deck.pdf", City: "Melton"}}}
	res := File(context.Background(), fsys, in, Options{})
	if len(res.Docs) != 1 {
		t.Fatalf("File(deck.pdf) = %d docs, failures %+v; want 1 doc", len(res.Docs), res.Failures)
	}
	var want, got []string
	for i, slide := range slideLines {
		for _, l := range slide[1:] {
			want = append(want, fmt.Sprintf("%d %s: %s", i+1, slide[0], strings.TrimPrefix(l, "CODE:")))
		}
	}
	for _, p := range res.Docs[0].Passages {
		got = append(got, fmt.Sprintf("%d %s: %s", p.Page, p.Section, p.Text))
	}
	if g, w := strings.Join(got, "\n"), strings.Join(want, "\n"); g != w {
		t.Errorf("passages of deck.pdf:\n%s\nwant:\n%s", g, w)
	}
}

func TestBulletItem(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"• Libraries open late", "Libraries open late", true},
		{"▪ Courses", "Courses", true},
		{"•", "•", false},
		{"•Libraries", "•Libraries", false},
		{"Libraries • open", "Libraries • open", false},
		{"- a dash is not a bullet here", "- a dash is not a bullet here", false},
	}
	for _, tt := range tests {
		if got, ok := bulletItem(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("bulletItem(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestGlyphRunesCIDToGIDMap(t *testing.T) {
	f, err := sfnt.Parse(goregular.TTF)
	if err != nil {
		t.Fatal(err)
	}
	var buf sfnt.Buffer
	gA, _ := f.GlyphIndex(&buf, 'A')
	// CID 0 → glyph 0, CID 1 → the glyph of A.
	m := []byte{0, 0, byte(gA >> 8), byte(gA)}
	g := newGlyphRunes(goregular.TTF, m)
	if g == nil {
		t.Fatal("newGlyphRunes(Go Regular) = nil")
	}
	for _, tt := range []struct {
		cid  int
		want string
	}{{1, "A"}, {0, ""}, {2, ""}, {-1, ""}} {
		if got := g.lookup(tt.cid); got != tt.want {
			t.Errorf("lookup(%d) = %q, want %q", tt.cid, got, tt.want)
		}
	}
	if newGlyphRunes([]byte("not a font"), nil) != nil {
		t.Error("newGlyphRunes(garbage) != nil")
	}
}
