package ingest

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
)

// fontFixtures are the generated PDFs under testdata/fonts (SOURCES there
// says what each holds).
var fontFixtures = []fixture{
	{"testdata/fonts/type3-a.pdf", func(t *testing.T) []byte { return type3PDF("a", true) }},
	{"testdata/fonts/type3-g.pdf", func(t *testing.T) []byte { return type3PDF("g", true) }},
	{"testdata/fonts/type3-cid.pdf", func(t *testing.T) []byte { return type3PDF("cid", true) }},
	{"testdata/fonts/type3-glyph-index.pdf", func(t *testing.T) []byte { return type3PDF("g", false) }},
	{"testdata/fonts/cid-japan1.pdf", func(t *testing.T) []byte { return cjkPDF(t, "Japan1", "岡山市の学習都市") }},
	{"testdata/fonts/cid-gb1.pdf", func(t *testing.T) []byte { return cjkPDF(t, "GB1", "杭州学习型城市") }},
	{"testdata/fonts/cid-cns1.pdf", func(t *testing.T) []byte { return cjkPDF(t, "CNS1", "學習型城市") }},
	{"testdata/fonts/cid-korea1.pdf", func(t *testing.T) []byte { return cjkPDF(t, "Korea1", "수원 평생학습도시") }},
	{"testdata/fonts/cmap-90ms-rksj-h.pdf", func(t *testing.T) []byte {
		return cmapPDF(t, "90ms-RKSJ-H", "Japan1", encodeWith(t, japanese.ShiftJIS, "岡山市の学習都市 Okayama"))
	}},
	{"testdata/fonts/cmap-gbk-euc-h.pdf", func(t *testing.T) []byte {
		return cmapPDF(t, "GBK-EUC-H", "GB1", encodeWith(t, simplifiedchinese.GBK, "杭州学习型城市"))
	}},
	{"testdata/fonts/cmap-eten-b5-v.pdf", func(t *testing.T) []byte {
		return cmapPDF(t, "ETen-B5-V", "CNS1", encodeWith(t, traditionalchinese.Big5, "學習型城市"))
	}},
	{"testdata/fonts/cmap-kscms-uhc-h.pdf", func(t *testing.T) []byte {
		return cmapPDF(t, "KSCms-UHC-H", "Korea1", encodeWith(t, korean.EUCKR, "수원 평생학습도시"))
	}},
	{"testdata/fonts/cmap-unijis-utf16-h.pdf", func(t *testing.T) []byte {
		return cmapPDF(t, "UniJIS-UTF16-H", "Japan1", encodeWith(t, unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "𠮷野の学習"))
	}},
	{"testdata/fonts/cmap-unigb-ucs2-v.pdf", func(t *testing.T) []byte {
		return cmapPDF(t, "UniGB-UCS2-V", "GB1", encodeWith(t, unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "学习型城市"))
	}},
	{"testdata/fonts/cmap-78-euc-h.pdf", func(t *testing.T) []byte {
		return cmapPDF(t, "78-EUC-H", "Japan1", encodeWith(t, japanese.EUCJP, "学習"))
	}},
	{"testdata/fonts/tounicode-bad-range.pdf", func(t *testing.T) []byte { return badRangePDF() }},
	{"testdata/fonts/word-gaps-slides.pdf", func(t *testing.T) []byte { return slidesPDF() }},
	{"testdata/fonts/word-gaps-kerned.pdf", func(t *testing.T) []byte { return kernedPDF() }},
	{"testdata/fonts/word-gaps-ocr.pdf", func(t *testing.T) []byte { return ocrPDF() }},
	{"testdata/fonts/word-gaps-ligatures.pdf", func(t *testing.T) []byte { return ligaturesPDF() }},
	{"testdata/fonts/cff-builtin-greek.pdf", func(t *testing.T) []byte { return cffGreekPDF() }},
	{"testdata/fonts/slides-cid-truetype.pdf", slideDeckPDF},
}

// TestFontFiles extracts each font fixture. Rows marked guard pass on
// the extractor before the font work too; they keep the new rules from
// reaching too far.
func TestFontFiles(t *testing.T) {
	tests := []struct {
		file, want string
		guard      bool
	}{
		{"type3-a.pdf", "Learning cities in Espoo", false},
		{"type3-g.pdf", "Learning cities in Espoo", false},
		{"type3-cid.pdf", "Learning cities in Espoo", false},
		{"type3-glyph-index.pdf", "", true}, // numbers that are not the codes: glyph indices, no text
		{"cid-japan1.pdf", "岡山市の学習都市", false},
		{"cid-gb1.pdf", "杭州学习型城市", false},
		{"cid-cns1.pdf", "學習型城市", false},
		{"cid-korea1.pdf", "수원 평생학습도시", false},
		{"cmap-90ms-rksj-h.pdf", "岡山市の学習都市 Okayama", false},
		{"cmap-gbk-euc-h.pdf", "杭州学习型城市", false},
		{"cmap-eten-b5-v.pdf", "學習型城市", false},
		{"cmap-kscms-uhc-h.pdf", "수원 평생학습도시", false},
		{"cmap-unijis-utf16-h.pdf", "𠮷野の学習", false},
		{"cmap-unigb-ucs2-v.pdf", "学习型城市", false},
		{"cmap-78-euc-h.pdf", "", true}, // a predefined CMap lcity has no table of: no text
		{"tounicode-bad-range.pdf", "learning cities", false},
		{"word-gaps-slides.pdf", "Lifelong learning for all in Melton", false},
		{"word-gaps-kerned.pdf", "Learning cities celebrate", true},
		{"word-gaps-ocr.pdf", "placed underneath the aperture of the lens", false},
		{"word-gaps-ligatures.pdf", "The office of the efficient fluent city", false},
		{"cff-builtin-greek.pdf", "ΠΟΛΗ ΜΑΘΗΣΗΣ", false},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data := readFixture(t, filepath.Join("testdata", "fonts", tt.file))
			texts, err := PageTexts(context.Background(), bytes.NewReader(data), int64(len(data)), 1)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.TrimSpace(strings.Join(texts, "\n")); got != tt.want {
				t.Errorf("PageTexts(%s) = %q, want %q", tt.file, got, tt.want)
			}
		})
	}
}

// type3PDF writes a page in a Type 3 font whose glyphs are named prefix
// and a number: the character code (pdfTeX's bitmap fonts), or, with
// byCode false, an unrelated glyph index. Words are set apart by TJ gaps,
// as pdfTeX does, without space glyphs.
func type3PDF(prefix string, byCode bool) []byte {
	words := []string{"Learning", "cities", "in", "Espoo"}
	var codes []int
	seen := map[int]bool{}
	for _, w := range words {
		for _, c := range []byte(w) {
			if !seen[int(c)] {
				seen[int(c)] = true
				codes = append(codes, int(c))
			}
		}
	}
	sort.Ints(codes)
	var diff, procs, widths strings.Builder
	for i, c := range codes {
		n := c
		if !byCode {
			n = i + 3
		}
		fmt.Fprintf(&diff, " %d /%s%d", c, prefix, n)
		fmt.Fprintf(&procs, " /%s%d 6 0 R", prefix, n)
	}
	first, last := codes[0], codes[len(codes)-1]
	for c := first; c <= last; c++ {
		widths.WriteString(" 500")
	}
	font := []fixtureObj{
		obj(fmt.Sprintf("<</Type /Font /Subtype /Type3 /FontBBox [0 0 500 700] /FontMatrix [0.001 0 0 0.001 0 0] /CharProcs 5 0 R /Encoding <</Type /Encoding /Differences [%s]>> /FirstChar %d /LastChar %d /Widths [%s] /Resources <<>>>>",
			diff.String(), first, last, widths.String())),
		obj("<<" + procs.String() + ">>"),
		stm("", "500 0 0 0 500 700 d1 0 0 500 700 re f"),
	}
	tj := "(" + strings.Join(words, ")-400(") + ")"
	return onePage(font, "BT /F1 12 Tf 72 700 Td ["+tj+"] TJ ET")
}

// cjkCIDs returns the smallest CID of each character of text in an Adobe
// collection, by the embedded CID → Unicode table.
func cjkCIDs(t *testing.T, ordering, text string) []int {
	t.Helper()
	first := map[string]int{}
	for _, r := range cidTables[ordering].load() {
		for k := 0; k < r.n; k++ {
			s := cidTables[ordering].text(r.cid + k)
			if _, ok := first[s]; !ok {
				first[s] = r.cid + k
			}
		}
	}
	var cids []int
	for _, r := range text {
		c, ok := first[string(r)]
		if !ok {
			t.Fatalf("%q has no CID in Adobe-%s", r, ordering)
		}
		cids = append(cids, c)
	}
	return cids
}

// cjkPDF writes a page in a CID font of an Adobe CJK collection with the
// Identity-H encoding and no /ToUnicode (not embedded, as PDFs that rely
// on the reader's CJK fonts are).
func cjkPDF(t *testing.T, ordering, text string) []byte {
	var hex strings.Builder
	for _, c := range cjkCIDs(t, ordering, text) {
		fmt.Fprintf(&hex, "%04X", c)
	}
	font := []fixtureObj{
		obj("<</Type /Font /Subtype /Type0 /BaseFont /TestCJK /Encoding /Identity-H /DescendantFonts [5 0 R]>>"),
		obj(fmt.Sprintf("<</Type /Font /Subtype /CIDFontType0 /BaseFont /TestCJK /CIDSystemInfo <</Registry (Adobe) /Ordering (%s) /Supplement 2>> /FontDescriptor 6 0 R /DW 1000>>", ordering)),
		obj("<</Type /FontDescriptor /FontName /TestCJK /Flags 4 /FontBBox [0 -120 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80>>"),
	}
	return onePage(font, "BT /F1 12 Tf 72 700 Td <"+hex.String()+"> Tj ET")
}

// encodeWith encodes text in a legacy CJK encoding (or UTF-16BE) of
// x/text, independently of lcity's tables.
func encodeWith(t *testing.T, enc encoding.Encoding, text string) []byte {
	t.Helper()
	b, err := enc.NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatalf("encode %q: %v", text, err)
	}
	return b
}

// cmapPDF writes a page in a CID font of an Adobe CJK collection whose
// /Encoding is the predefined CMap cmapName, showing the bytes codes, no
// /ToUnicode, not embedded.
func cmapPDF(t *testing.T, cmapName, ordering string, codes []byte) []byte {
	font := []fixtureObj{
		obj("<</Type /Font /Subtype /Type0 /BaseFont /TestCJK /Encoding /" + cmapName + " /DescendantFonts [5 0 R]>>"),
		obj(fmt.Sprintf("<</Type /Font /Subtype /CIDFontType0 /BaseFont /TestCJK /CIDSystemInfo <</Registry (Adobe) /Ordering (%s) /Supplement 2>> /FontDescriptor 6 0 R /DW 1000 /W [1 95 500 231 326 500]>>", ordering)),
		obj("<</Type /FontDescriptor /FontName /TestCJK /Flags 4 /FontBBox [0 -120 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80>>"),
	}
	return onePage(font, fmt.Sprintf("BT /F1 12 Tf 72 700 Td <%X> Tj ET", codes))
}

// badRangePDF writes a page in a two-byte font whose ToUnicode CMap starts
// with a bfrange that crosses its last byte (<00ff> <01ff>) and one whose
// start is past its end; the valid entries after them must count.
func badRangePDF() []byte {
	cmap := `/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def
/CMapName /Test-UCS def /CMapType 2 def
1 begincodespacerange <0000> <FFFF> endcodespacerange
3 beginbfrange
<00ff> <01ff> <0041>
<0140> <0120> <0058>
<0100> <0119> <0061>
endbfrange
1 beginbfchar
<0120> <0020>
endbfchar
endcmap CMapName currentdict /CMap defineresource pop end end`
	var hex strings.Builder
	for _, c := range "learning cities" {
		code := 0x0120
		if c != ' ' {
			code = 0x0100 + int(c-'a')
		}
		fmt.Fprintf(&hex, "%04X", code)
	}
	font := []fixtureObj{
		obj("<</Type /Font /Subtype /Type0 /BaseFont /TestSans /Encoding /Identity-H /DescendantFonts [5 0 R] /ToUnicode 6 0 R>>"),
		obj("<</Type /Font /Subtype /CIDFontType2 /BaseFont /TestSans /CIDSystemInfo <</Registry (Adobe) /Ordering (Identity) /Supplement 0>> /DW 500>>"),
		stm("", cmap),
	}
	return onePage(font, "BT /F1 12 Tf 72 700 Td <"+hex.String()+"> Tj ET")
}

// widthsFrom gives /Widths for codes 32-122 from a table of codes 32-126,
// with the space's width replaced.
func widthsFrom(table *[95]int, space int) string {
	var b strings.Builder
	for c := 32; c <= 122; c++ {
		w := table[c-32]
		if c == 32 {
			w = space
		}
		fmt.Fprintf(&b, " %d", w)
	}
	return b.String()
}

// slidesPDF writes a line as a slide export does: each word placed on its
// own, no space glyphs, the gaps 0.85 of the font's narrow space (226/1000
// em, as in Calibri).
func slidesPDF() []byte {
	font := []fixtureObj{obj("<</Type /Font /Subtype /TrueType /BaseFont /TestSlides /Encoding /WinAnsiEncoding /FirstChar 32 /LastChar 122 /Widths [" + widthsFrom(&helvetica, 226) + "]>>")}
	tj := "(" + strings.Join([]string{"Lifelong", "learning", "for", "all", "in", "Melton"}, ")-192(") + ")"
	return onePage(font, "BT /F1 24 Tf 72 700 Td ["+tj+"] TJ ET")
}

// kernedPDF writes typeset text: kerning inside words (up to 0.09 em) and
// word spaces of a quarter em, as TeX's TJ arrays have them.
func kernedPDF() []byte {
	font := []fixtureObj{obj("<</Type /Font /Subtype /Type1 /BaseFont /TestSerif /Encoding /WinAnsiEncoding /FirstChar 32 /LastChar 122 /Widths [" + widthsFrom(&times, 250) + "]>>")}
	return onePage(font, "BT /F1 10 Tf 72 700 Td [(Le)-60(arn)-90(ing)-250(ci)-80(ties)-250(cel)-90(e)-70(brate)] TJ ET")
}

// ocrPDF writes a line as an OCR program lays its invisible text over a
// scan (render mode 3): a glyph-less font whose glyphs are all half an em
// wide, each word placed on its own and stretched (Tz) to the width of the
// word in the image, no space glyphs, the words 0.15 em apart.
func ocrPDF() []byte {
	var widths strings.Builder
	for c := 32; c <= 122; c++ {
		widths.WriteString(" 500")
	}
	font := []fixtureObj{obj("<</Type /Font /Subtype /Type1 /BaseFont /TestGlyphLess /Encoding /WinAnsiEncoding /FirstChar 32 /LastChar 122 /Widths [" + widths.String() + "]>>")}
	var c strings.Builder
	c.WriteString("BT 3 Tr /F1 20 Tf\n")
	x := 72.0
	for i, w := range []string{"placed", "underneath", "the", "aperture", "of", "the", "lens"} {
		tz := []float64{92, 104, 97, 110}[i%4]
		fmt.Fprintf(&c, "1 0 0 1 %.2f 700 Tm %.0f Tz (%s) Tj\n", x, tz, w)
		x += float64(len(w))*0.5*20*tz/100 + 0.15*20
	}
	c.WriteString("ET")
	return onePage(font, c.String())
}

// ligaturesPDF writes typeset text with ligature glyphs (Th, ffi, fl) at
// codes beyond the font's /Widths, whose advance is the descriptor's
// /MissingWidth, and kerning after them, as a book's subset font can have
// it.
func ligaturesPDF() []byte {
	font := []fixtureObj{
		obj("<</Type /Font /Subtype /Type1 /BaseFont /TestBook /FirstChar 32 /LastChar 122 /Widths [" + widthsFrom(&times, 250) + "] " +
			"/Encoding <</Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [1 /T_h /f_f_i /f_l]>> /FontDescriptor 5 0 R>>"),
		obj("<</Type /FontDescriptor /FontName /TestBook /Flags 34 /FontBBox [0 -200 1000 800] /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /MissingWidth 556>>"),
	}
	return onePage(font, "BT /F1 10 Tf 72 700 Td [<01> -18 (e) -250 (o) <02> -12 (ce) -250 (of) -250 (the) -250 (e) <02> (cient) -250 <03> -10 (uent) -250 (city)] TJ ET")
}

// cffIndex writes a CFF INDEX of items with 2-byte offsets.
func cffIndex(items ...[]byte) []byte {
	if len(items) == 0 {
		return []byte{0, 0}
	}
	b := []byte{byte(len(items) >> 8), byte(len(items)), 2}
	off := 1
	b = append(b, byte(off>>8), byte(off))
	for _, it := range items {
		off += len(it)
		b = append(b, byte(off>>8), byte(off))
	}
	for _, it := range items {
		b = append(b, it...)
	}
	return b
}

// cffInt writes a DICT operand in its 5-byte form, so that a DICT's
// size does not depend on the offsets in it.
func cffInt(v int) []byte { return []byte{29, byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)} }

// greekCFF assembles a bare CFF font program (Type 1C) whose glyphs carry
// Adobe glyph names (space, then Greek capitals) and whose built-in
// encoding puts them at the Latin codes of a Symbol-style layout (P for
// Pi, Q for Theta): charset format 0, encoding format 0 with one
// supplement (code 'C' also draws Sigma). Every glyph is an empty
// outline.
func greekCFF() []byte {
	glyphs := []struct {
		name string
		code byte
	}{{"space", ' '}, {"Pi", 'P'}, {"Omicron", 'O'}, {"Lambda", 'L'}, {"Eta", 'H'}, {"Mu", 'M'}, {"Alpha", 'A'}, {"Theta", 'Q'}, {"Sigma", 'S'}}
	var strs [][]byte
	var charset = []byte{0}
	encoding := []byte{0x80, byte(len(glyphs))}
	var charstrings [][]byte
	charstrings = append(charstrings, []byte{14}) // .notdef: endchar
	sigma := 0
	for _, g := range glyphs {
		sid := 1 // space is a standard string
		if g.name != "space" {
			sid = 391 + len(strs)
			strs = append(strs, []byte(g.name))
		}
		if g.name == "Sigma" {
			sigma = sid
		}
		charset = append(charset, byte(sid>>8), byte(sid))
		encoding = append(encoding, g.code)
		charstrings = append(charstrings, []byte{14})
	}
	encoding = append(encoding, 1, 'C', byte(sigma>>8), byte(sigma))
	private := []byte{139, 20} // defaultWidthX 0

	head := []byte{1, 0, 4, 2}
	name := cffIndex([]byte("TestGreek"))
	stringIndex := cffIndex(strs...)
	globalSubrs := cffIndex()
	topSize := len(cffIndex(make([]byte, 5*5+4))) // five operands, four operators
	start := len(head) + len(name) + topSize + len(stringIndex) + len(globalSubrs)
	charsetOff := start
	encodingOff := charsetOff + len(charset)
	charstringsOff := encodingOff + len(encoding)
	charstringIndex := cffIndex(charstrings...)
	privateOff := charstringsOff + len(charstringIndex)
	var top []byte
	top = append(append(top, cffInt(charsetOff)...), 15)
	top = append(append(top, cffInt(encodingOff)...), 16)
	top = append(append(top, cffInt(charstringsOff)...), 17)
	top = append(append(append(top, cffInt(len(private))...), cffInt(privateOff)...), 18)
	var b []byte
	for _, part := range [][]byte{head, name, cffIndex(top), stringIndex, globalSubrs, charset, encoding, charstringIndex, private} {
		b = append(b, part...)
	}
	return b
}

// cffGreekPDF writes a page in a simple font whose embedded program is
// greekCFF, with no /Encoding and no /ToUnicode: only the font program's
// built-in encoding and glyph names say that "POLH MAQHSHC" is Greek.
func cffGreekPDF() []byte {
	cff := greekCFF()
	var widths strings.Builder
	for c := 32; c <= 90; c++ {
		widths.WriteString(" 600")
	}
	font := []fixtureObj{
		obj("<</Type /Font /Subtype /Type1 /BaseFont /ABCDEF+TestGreek /FirstChar 32 /LastChar 90 /Widths [" + widths.String() + "] /FontDescriptor 5 0 R>>"),
		obj("<</Type /FontDescriptor /FontName /ABCDEF+TestGreek /Flags 4 /FontBBox [0 -200 1000 800] /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 /FontFile3 6 0 R>>"),
		stm("/Subtype /Type1C", string(cff)),
	}
	return onePage(font, "BT /F1 12 Tf 72 700 Td (POLH MAQHSHC) Tj ET")
}
