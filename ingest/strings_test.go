package ingest

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestLiteralEscapes checks that literal strings are read by the escapes
// of ISO 32000-1, 7.3.4.2. qpdf --qdf and PyMuPDF's clean save write
// control codes as \b and \f; these were read as the letters b and f, so
// a font whose codes 8 and 12 are "p" and "l" gave "isbum dofor" for
// "ipsum dolor".
func TestLiteralEscapes(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`(plain)`, "plain"},
		{`(\n\r\t\b\f)`, "\n\r\t\b\f"},
		{`(\(\)\\)`, `()\`},
		{`(\101\60\0053)`, "A0\x053"},
		{"(one\\\ntwo)", "onetwo"},
		{"(one\\\r\ntwo)", "onetwo"},
		{"(one\\\rtwo)", "onetwo"},
		{"(a\rb)", "a\nb"},
		{"(a\r\nb)", "a\nb"},
		{"(a\nb)", "a\nb"},
		{`(nested (paren) ok)`, "nested (paren) ok"},
		{`(\q)`, "q"}, // an unknown escape: the backslash is dropped
		{`(open`, "open"},
	} {
		lx := cmapLexer{b: []byte(tt.in)}
		if got := lx.literal(); got != tt.want {
			t.Errorf("literal(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestControlCodesInStrings reads a page whose font maps the codes that
// have escapes of their own (8 \b, 9 \t, 10 \n, 12 \f, 13 \r) to
// letters, as a subset font numbering its glyphs from 1 does, with the
// codes written as qpdf writes them.
func TestControlCodesInStrings(t *testing.T) {
	cmap := "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n" +
		"1 begincodespacerange <00> <FF> endcodespacerange\n" +
		"6 beginbfchar <08> <0070> <09> <0069> <0A> <0073> <0C> <006C> <0D> <0075> <0E> <006D> endbfchar\n" +
		"1 beginbfrange <41> <5A> <0041> endbfrange\n" +
		"endcmap CMapName currentdict /CMap defineresource pop end end"
	font := []fixtureObj{
		obj("<</Type /Font /Subtype /TrueType /BaseFont /AAAAAA+Sub /FirstChar 0 /LastChar 255 /Widths 6 0 R /ToUnicode 5 0 R>>"),
		stm("", cmap),
		obj("[" + strings.Repeat("500 ", 256) + "]"),
	}
	// "ipsum" is \t \b \n \r \016; "LUM" continues on a second line.
	data := onePage(font, "BT /F1 12 Tf 72 700 Td (\\t\\b\\n\\r\\016 \\fLU\\\nM) Tj ET")
	texts, err := PageTexts(context.Background(), bytes.NewReader(data), int64(len(data)), 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(strings.Join(texts, "")); got != "ipsum lLUM" {
		t.Errorf("text %q, want %q", got, "ipsum lLUM")
	}
}

// TestCondensedWordGaps reads words set apart by TJ gaps, without space
// glyphs, in a font condensed to 60 % by Tz and by a text matrix scaled
// less in x than in y (as pdftocairo writes every page): the gaps, a
// quarter of the font's width of an em, are under 0.22 of its height and
// were read as no gap ("Learningcities").
func TestCondensedWordGaps(t *testing.T) {
	// A subset font: lower-case letters only, so no space width to go by.
	font := []fixtureObj{obj("<</Type /Font /Subtype /Type1 /BaseFont /AAAAAA+Sub /FirstChar 97 /LastChar 122 /Widths [" +
		strings.Repeat("500 ", 26) + "] /Encoding /WinAnsiEncoding>>")}
	tj := "[(learning)-250(cities)-250(in)-250(espoo)] TJ"
	for _, tt := range []struct{ name, content string }{
		{"Tz 60", "BT /F1 12 Tf 60 Tz 72 700 Td " + tj + " ET"},
		{"text matrix", "BT /F1 1 Tf 7.2 0 0 12 72 700 Tm " + tj + " ET"},
		{"upright, for contrast", "BT /F1 12 Tf 72 700 Td [(learning)-300(cities)-300(in)-300(espoo)] TJ ET"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := onePage(font, tt.content)
			texts, err := PageTexts(context.Background(), bytes.NewReader(data), int64(len(data)), 1)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := strings.TrimSpace(strings.Join(texts, "")), "learning cities in espoo"; got != want {
				t.Errorf("text %q, want %q", got, want)
			}
		})
	}
}

// TestEmbeddedEncodingCMap reads Type0 fonts whose /Encoding is a CMap
// stream of their own, which maps one-byte codes to CIDs, without
// /ToUnicode: Ghostscript's pdfwrite writes a simple TrueType font so
// (OneByteIdentityH), and a CMap may map codes into an Adobe collection.
// Such fonts gave no text at all (the codes were read two bytes at a time
// and as CIDs of nothing).
func TestEmbeddedEncodingCMap(t *testing.T) {
	cmapOf := func(ordering, ranges string) string {
		return "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n" +
			"/CIDSystemInfo 3 dict dup begin /Registry (Adobe) def /Ordering (" + ordering + ") def /Supplement 0 def end def\n" +
			"/CMapName /OneByteIdentityH def /CMapType 1 def\n" +
			"1 begincodespacerange <00> <FF> endcodespacerange\n" + ranges +
			"endcmap CMapName currentdict /CMap defineresource pop end end"
	}
	for _, tt := range []struct {
		name, ordering, ranges, content, want string
		embedded                              bool // a TrueType program with an identity /CIDToGIDMap
	}{
		{"OneByteIdentityH, codes read as WinAnsi", "Identity", "1 begincidrange <00> <FF> 0 endcidrange\n",
			"(Learning city \\223Espoo\\224)", "Learning city \u201cEspoo\u201d", false},
		{"codes to Adobe-Japan1 CIDs", "Japan1", "2 begincidrange <20> <20> 1 <41> <5A> 34 endcidrange\n1 begincidchar <61> 34 endcidchar\n",
			"(ESPOO aCITY)", "ESPOO ACITY", false},
		// Ghostscript embeds a predefined CMap (here a piece of one) and
		// a TrueType program whose glyphs are in CID order: the CIDs are
		// still the collection's.
		{"codes to Adobe-Japan1 CIDs, TrueType embedded", "Japan1", "1 begincidrange <01> <1A> 34 endcidrange\n",
			"(\\005\\023\\020\\017\\017)", "ESPOO", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			font := []fixtureObj{
				obj("<</Type /Font /Subtype /Type0 /BaseFont /AAAAAA+Sans /Encoding 5 0 R /DescendantFonts [6 0 R]>>"),
				stm("/Type /CMap /CMapName /OneByteIdentityH", cmapOf(tt.ordering, tt.ranges)),
				obj("<</Type /Font /Subtype /CIDFontType2 /BaseFont /AAAAAA+Sans /CIDSystemInfo <</Registry (Adobe) /Ordering (" + tt.ordering + ") /Supplement 0>> /DW 500>>"),
			}
			if tt.embedded {
				font[2] = obj("<</Type /Font /Subtype /CIDFontType2 /BaseFont /AAAAAA+Sans /CIDSystemInfo <</Registry (Adobe) /Ordering (" + tt.ordering + ") /Supplement 0>> /DW 500 /CIDToGIDMap /Identity /FontDescriptor 7 0 R>>")
				font = append(font, obj("<</Type /FontDescriptor /FontName /AAAAAA+Sans /Flags 4 /FontFile2 8 0 R>>"), stm("", "not a font program"))
			}
			data := onePage(font, "BT /F1 12 Tf 72 700 Td "+tt.content+" Tj ET")
			texts, err := PageTexts(context.Background(), bytes.NewReader(data), int64(len(data)), 1)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.TrimSpace(strings.Join(texts, "")); got != tt.want {
				t.Errorf("text %q, want %q", got, tt.want)
			}
		})
	}
}
