package ingest

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"
	"golang.org/x/text/encoding/charmap"
)

// This file interprets page content streams into positioned glyphs. The
// PDF library's own Page.Content re-reads a font's /Widths array from the
// file for every glyph (most of the extraction time on real PDFs), takes
// one byte per glyph in two-byte (CID) fonts, ignores word spacing, text in
// form XObjects and form-field appearances, and decodes the end of every TJ
// array as a glyph. Here fonts are decoded once per file, glyph codes are cut
// by the font's code length, and the text matrix is followed through form
// XObjects, so rotated text keeps its direction.

// mat is an affine transformation [a b c d e f] as in PDF: a point (x, y)
// maps to (a·x + c·y + e, b·x + d·y + f).
type mat [6]float64

var identity = mat{1, 0, 0, 1, 0, 0}

// then returns the transformation m followed by n.
func (m mat) then(n mat) mat {
	return mat{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

// advance is mat{1, 0, 0, 1, tx, 0}.then(n), the move of a text matrix
// along its baseline, with the products by the constant 1s left out and
// those by the 0s kept: the same result, bit for bit, for less work.
func advance(tx float64, n mat) mat {
	return mat{
		n[0] + 0*n[2], n[1] + 0*n[3],
		0*n[0] + n[2], 0*n[1] + n[3],
		tx*n[0] + 0*n[2] + n[4], tx*n[1] + 0*n[3] + n[5],
	}
}

// renderMatrix is the text rendering matrix of the next glyph,
// mat{Tfs·Th, 0, 0, Tfs, 0, Ts}.then(tm).then(ctm), the first product
// written out as in advance.
func renderMatrix(g *textState) mat {
	a, d, n := g.size*g.scale, g.size, g.tm
	t := mat{
		a*n[0] + 0*n[2], a*n[1] + 0*n[3],
		0*n[0] + d*n[2], 0*n[1] + d*n[3],
		0*n[0] + g.rise*n[2] + n[4], 0*n[1] + g.rise*n[3] + n[5],
	}
	return t.then(g.ctm)
}

func (m mat) apply(x, y float64) (float64, float64) {
	return m[0]*x + m[2]*y + m[4], m[1]*x + m[3]*y + m[5]
}

func matOf(v pdf.Value) (mat, bool) {
	if v.Kind() != pdf.Array || v.Len() != 6 {
		return identity, false
	}
	var m mat
	for i := range m {
		m[i] = v.Index(i).Float64()
		if math.IsNaN(m[i]) || math.IsInf(m[i], 0) {
			return identity, false
		}
	}
	return m, true
}

// font is what text extraction needs of a font dictionary.
type font struct {
	name    string
	bold    bool
	codeLen int               // bytes per glyph code: 2 for Type0 fonts, else 1
	first   int               // FirstChar of a simple font
	widths  []float64         // simple font widths, glyph space units
	missing float64           // a simple font's width of codes beyond widths (/MissingWidth)
	cidW    map[int]float64   // Type0 widths by CID
	dw      float64           // Type0 default width
	scale   float64           // glyph space to text space (0.001, or a Type3 FontMatrix)
	toUni   *cmap             // the /ToUnicode CMap, if any
	simple  *[256]string      // text of each code of a simple font
	ucs2    bool              // Type0 font whose codes are UTF-16 (Uni…-UCS2-H, -UTF16-V…: unicodeCMap)
	pcmap   *predefinedCMap   // Type0 font whose codes are read by a predefined CJK CMap (cjk.go)
	cids    *cidTable         // Type0 font whose codes are CIDs of an Adobe CJK collection
	glyphs  *glyphRunes       // Type0 TrueType font read by its embedded program's cmap
	cmapLen bool              // Type0 font whose code lengths follow the CMap's codespace
	decoded map[string]string // code → text, filled as codes appear
	// byteText and byteDone hold the text of one-byte codes, the codes of
	// every simple font, as they appear (decoded holds longer codes).
	byteText [256]string
	byteDone [256]bool
	space    float64 // width of the font's space glyph, glyph space units (0: none)
}

// maxFontCodes bounds the decode cache of one font.
const maxFontCodes = 1 << 16

func loadFont(v pdf.Value) *font {
	f := &font{codeLen: 1, scale: 0.001, decoded: map[string]string{}}
	base := v.Key("BaseFont").Name()
	if i := strings.IndexByte(base, '+'); i >= 0 {
		base = base[i+1:]
	}
	f.name = base
	f.bold = strings.Contains(strings.ToLower(base), "bold")
	if tu := v.Key("ToUnicode"); tu.Kind() == pdf.Stream {
		f.toUni = parseCMap(readStream(tu))
	}
	switch v.Key("Subtype").Name() {
	case "Type0":
		f.codeLen = 2
		enc := v.Key("Encoding").Name()
		f.ucs2 = strings.HasSuffix(enc, "UCS2-H") || unicodeCMap(enc)
		if !f.ucs2 && enc != "Identity-H" && enc != "Identity-V" {
			f.pcmap = predefinedCMapFor(enc)
		}
		f.cmapLen = enc != "Identity-H" && f.toUni != nil && len(f.toUni.spaces) > 0
		f.dw = 1000
		desc := v.Key("DescendantFonts").Index(0)
		if dw := desc.Key("DW"); dw.Kind() == pdf.Integer || dw.Kind() == pdf.Real {
			f.dw = dw.Float64()
		}
		f.cidW = cidWidths(desc.Key("W"))
		if enc == "Identity-H" || enc == "Identity-V" {
			f.cids = collectionCIDs(desc)
			if f.toUni == nil && f.cids == nil {
				f.glyphs = embeddedGlyphs(desc)
			}
		}
		if e := v.Key("Encoding"); e.Kind() == pdf.Stream {
			// The font's own CMap (Ghostscript writes one-byte
			// codes so): its codes give CIDs, whose text is the
			// collection's, else the embedded program's.
			if m := embeddedCMap(readStream(e)); m != nil {
				// The CMap's CIDs are those of its collection even in
				// an embedded TrueType font (Ghostscript embeds a
				// predefined CMap so, the program's glyphs in CID
				// order), unlike an Identity-H font's (collectionCIDs).
				si := e.Key("CIDSystemInfo")
				if si.Kind() != pdf.Dict {
					si = desc.Key("CIDSystemInfo")
				}
				m.cids = cidTableFor(nameOrString(si.Key("Registry")), nameOrString(si.Key("Ordering")))
				f.pcmap = m
				if f.toUni == nil && m.cids == nil {
					f.glyphs = embeddedGlyphs(desc)
				}
				if f.toUni == nil && m.cids == nil && f.glyphs == nil && oneByteCodes(m.spaces) {
					// Nothing names the glyphs: the codes are those of
					// the simple font Ghostscript converted (its
					// pdfwrite keeps them, in a OneByteIdentityH CMap),
					// read as WinAnsiEncoding, as pdftotext reads them
					// (Latin-1).
					var t [256]string
					fillCharmap(&t, charmap.Windows1252)
					f.simple = &t
				}
			}
		}
		if fd := desc.Key("FontDescriptor"); !fd.IsNull() {
			f.bold = f.bold || fd.Key("FontWeight").Float64() >= 600
		}
	case "Type3":
		if m, ok := matOf(v.Key("FontMatrix")); ok {
			f.scale = m[0]
		}
		fallthrough
	default:
		f.first = int(v.Key("FirstChar").Int64())
		ws := v.Key("Widths")
		n := ws.Len()
		if n > 256 {
			n = 256
		}
		f.widths = make([]float64, n)
		for i := 0; i < n; i++ {
			f.widths[i] = ws.Index(i).Float64()
		}
		f.simple = simpleEncoding(v)
		if mw := v.Key("FontDescriptor").Key("MissingWidth"); n > 0 && (mw.Kind() == pdf.Integer || mw.Kind() == pdf.Real) {
			f.missing = max(mw.Float64(), 0)
		}
		if n == 0 {
			if ws := standardWidths(base, f.simple); ws != nil {
				f.first, f.widths = 0, ws
			}
		}
	}
	f.space = f.spaceWidth()
	return f
}

// spaceWidth is the width of the font's space glyph: code 32 of a simple
// font that reads it as a space, else the first code whose text is a space
// (by the encoding or, for a Type0 font, by /ToUnicode); 0 when the font
// has none or does not give its width.
func (f *font) spaceWidth() float64 {
	if f.simple != nil {
		if f.simple[' '] == " " {
			return f.width(" ")
		}
		for c, s := range f.simple {
			if s == " " {
				return f.width(string(rune(c)))
			}
		}
		return 0
	}
	if f.toUni == nil {
		return 0
	}
	var codes []string
	for code, s := range f.toUni.chars {
		if s == " " && len(code) == f.codeLen {
			codes = append(codes, code)
		}
	}
	if len(codes) == 0 {
		return 0
	}
	slices.Sort(codes)
	return f.width(codes[0])
}

// oneByteCodes tells whether every codespace range is of one-byte codes.
func oneByteCodes(spaces [][2][]byte) bool {
	for _, sp := range spaces {
		if len(sp[0]) != 1 {
			return false
		}
	}
	return len(spaces) > 0
}

// collectionCIDs returns the CID → Unicode table of a descendant CID font
// whose /CIDSystemInfo names an Adobe CJK collection, unless it is a
// TrueType font embedded with an identity /CIDToGIDMap (cjk.go).
func collectionCIDs(desc pdf.Value) *cidTable {
	if desc.Key("Subtype").Name() == "CIDFontType2" && !desc.Key("FontDescriptor").Key("FontFile2").IsNull() &&
		desc.Key("CIDToGIDMap").Kind() != pdf.Stream {
		return nil
	}
	si := desc.Key("CIDSystemInfo")
	return cidTableFor(nameOrString(si.Key("Registry")), nameOrString(si.Key("Ordering")))
}

// embeddedGlyphs reads the cmap of the TrueType program embedded in a
// CIDFontType2 descendant font (truetype.go); nil for other fonts.
func embeddedGlyphs(desc pdf.Value) *glyphRunes {
	ff := desc.Key("FontDescriptor").Key("FontFile2")
	if desc.Key("Subtype").Name() != "CIDFontType2" || ff.Kind() != pdf.Stream {
		return nil
	}
	var cidToGID []byte
	if m := desc.Key("CIDToGIDMap"); m.Kind() == pdf.Stream {
		if cidToGID = readStream(m); len(cidToGID) < 2 {
			return nil
		}
	}
	return newGlyphRunes(readStream(ff), cidToGID)
}

func nameOrString(v pdf.Value) string {
	if v.Kind() == pdf.Name {
		return v.Name()
	}
	return v.RawString()
}

// cidWidths reads a Type0 /W array: "c [w1 w2 …]" and "cfirst clast w".
func cidWidths(w pdf.Value) map[int]float64 {
	out := map[int]float64{}
	n := w.Len()
	for i := 0; i < n; {
		c := w.Index(i)
		if c.Kind() != pdf.Integer || i+1 >= n {
			break
		}
		next := w.Index(i + 1)
		if next.Kind() == pdf.Array {
			start := int(c.Int64())
			for j := 0; j < next.Len() && len(out) < maxFontCodes; j++ {
				out[start+j] = next.Index(j).Float64()
			}
			i += 2
			continue
		}
		if i+2 >= n {
			break
		}
		lo, hi, wd := int(c.Int64()), int(next.Int64()), w.Index(i+2).Float64()
		for cid := lo; cid <= hi && len(out) < maxFontCodes; cid++ {
			out[cid] = wd
		}
		i += 3
	}
	return out
}

// width is the advance of a glyph code in glyph space units: a simple
// font's code beyond its /Widths has the descriptor's /MissingWidth (0
// when the font does not say).
func (f *font) width(code string) float64 {
	if f.codeLen == 2 {
		cid := 0
		for i := 0; i < len(code); i++ {
			cid = cid<<8 | int(code[i])
		}
		if f.pcmap != nil {
			cid, _ = f.pcmap.cid(code)
		}
		if w, ok := f.cidW[cid]; ok {
			return w
		}
		return f.dw
	}
	i := int(code[0]) - f.first
	if i < 0 || i >= len(f.widths) {
		return f.missing
	}
	return f.widths[i]
}

// decode returns the text of one glyph code: by /ToUnicode, else by the
// simple font's encoding, else as UCS-2; "" when the font does not tell.
func (f *font) decode(code string) string {
	if len(code) == 1 && f.byteDone[code[0]] {
		return f.byteText[code[0]]
	}
	if s, ok := f.decoded[code]; ok {
		return s
	}
	var s string
	found := false
	if f.toUni != nil {
		s, found = f.toUni.lookup(code)
	}
	switch {
	case found:
	case f.simple != nil:
		s = f.simple[code[0]]
	case f.ucs2:
		s = utf16Text(code)
	case f.pcmap != nil:
		s = f.pcmap.text(code)
		if cid, ok := f.pcmap.cid(code); ok && s == "" && f.glyphs != nil {
			s = f.glyphs.lookup(cid)
		}
	case f.cids != nil:
		s = f.cids.text(codeValue(code))
	case f.glyphs != nil:
		s = f.glyphs.lookup(codeValue(code))
	}
	s = strings.ReplaceAll(s, "\ufffd", "")
	if len(code) == 1 {
		f.byteText[code[0]], f.byteDone[code[0]] = s, true
		return s
	}
	if len(f.decoded) < maxFontCodes {
		f.decoded[code] = s
	}
	return s
}

// nextCode is the length of the glyph code at the start of s.
func (f *font) nextCode(s string) int {
	switch {
	case f.pcmap != nil:
		return f.pcmap.codeLen(s)
	case f.ucs2:
		return utf16CodeLen(s)
	}
	if f.cmapLen {
		return f.toUni.codeLen(s, f.codeLen)
	}
	return f.codeLen
}

// textState is the part of the graphics state that text showing uses.
type textState struct {
	ctm                  mat
	font                 *font
	size                 float64 // Tfs
	charSpace, wordSpace float64 // Tc, Tw
	scale                float64 // Th
	leading, rise        float64 // TL, Ts
	render               int     // Tr
	tm, tlm              mat
}

// interpreter collects the glyphs of one page.
type interpreter struct {
	f      *pdfFile
	glyphs []glyph
	depth  int
	seen   map[uint64]bool // form XObjects on the current call path
	limit  int             // glyphs a page may have
	ops    int             // operators interpreted on the page, forms included
	// undecoded counts glyphs shown in a font that gave no text for them.
	undecoded int
}

// maxOpsPerPage bounds the operators of one page, its forms and
// appearance streams included (forms drawn many times multiply).
const maxOpsPerPage = 1 << 22

// maxGlyphsPerPage bounds the memory one page may take.
const maxGlyphsPerPage = 1 << 20

// pageGlyphs interprets page pg's content stream and the appearance
// streams of its form fields and free-text annotations.
func (f *pdfFile) pageGlyphs(pg pdf.Page) (gs []glyph, undecoded int) {
	// The glyph buffer is reused from page to page: lines keep no glyphs.
	in := &interpreter{f: f, seen: map[uint64]bool{}, limit: maxGlyphsPerPage, glyphs: f.glyphBuf[:0]}
	defer func() { f.glyphBuf = in.glyphs[:0] }()
	res := f.inherited(pg.V, "Resources")
	in.run(pg.V.Key("Contents"), res, identity)
	in.annotations(pg.V, res)
	box, ok := f.pageBox(pg.V)
	return visible(in.glyphs, box, ok), in.undecoded
}

// annotations interprets the appearance streams of the form fields and
// free-text annotations of page pg. An annotation the PDF library cannot
// read (it panics) ends them, not the page.
func (in *interpreter) annotations(pg, res pdf.Value) {
	defer func() { recover() }()
	annots := pg.Key("Annots")
	for i := 0; i < annots.Len() && i < 10000; i++ {
		a := annots.Index(i)
		switch a.Key("Subtype").Name() {
		case "Widget", "FreeText":
		default:
			continue
		}
		if a.Key("F").Int64()&2 != 0 { // hidden
			continue
		}
		ap := a.Key("AP").Key("N")
		if ap.Kind() == pdf.Dict && ap.Key("Subtype").Name() != "Form" {
			// An appearance per state (check boxes): the current one.
			ap = ap.Key(a.Key("AS").Name())
		}
		before := len(in.glyphs)
		if ap.Kind() == pdf.Stream {
			in.form(ap, res, annotationMatrix(a, ap))
		}
		if len(in.glyphs) == before {
			in.fieldValue(a)
		}
	}
}

// fieldValue places the value of a filled-in text field whose appearance
// shows no text: a form saved with /NeedAppearances leaves drawing its
// values to the viewer, as pdftotext and every viewer do. The value is
// put on the field's rectangle in the size of its /DA (default
// appearance), as one run of text.
func (in *interpreter) fieldValue(a pdf.Value) {
	if fieldKey(a, "FT").Name() != "Tx" || len(in.glyphs) >= in.limit {
		return
	}
	v := fieldKey(a, "V")
	if v.Kind() != pdf.String {
		return
	}
	text := strings.Join(strings.Fields(v.Text()), " ")
	r := a.Key("Rect")
	if text == "" || r.Len() != 4 {
		return
	}
	x0, y0 := math.Min(r.Index(0).Float64(), r.Index(2).Float64()), math.Min(r.Index(1).Float64(), r.Index(3).Float64())
	h := math.Abs(r.Index(3).Float64() - r.Index(1).Float64())
	size := daFontSize(fieldKey(a, "DA").RawString())
	if size <= 0 || size > 4*h { // 0 Tf: sized to fit
		size = math.Min(0.7*h, 12)
	}
	if size <= 0 {
		return
	}
	in.glyphs = append(in.glyphs, glyph{
		s: text, x: x0 + 2, y: y0 + math.Max((h-size)/2, 0) + 0.2*size, size: size,
		w: 0.5 * size * float64(utf8.RuneCountInString(text)), space: 0.25 * size,
	})
}

// fieldKey is a form field's entry, inherited from its parent fields.
func fieldKey(a pdf.Value, key string) pdf.Value {
	for depth := 0; depth < 32 && a.Kind() == pdf.Dict; depth++ {
		if v := a.Key(key); !v.IsNull() {
			return v
		}
		a = a.Key("Parent")
	}
	return pdf.Value{}
}

// daFontSize is the font size of a default appearance string
// ("0.3 g /F3 11 Tf"): the number before Tf, 0 when there is none.
func daFontSize(da string) float64 {
	f := strings.Fields(da)
	for i := 1; i < len(f); i++ {
		if f[i] == "Tf" {
			if n, err := strconv.ParseFloat(f[i-1], 64); err == nil && n > 0 && n < 1000 {
				return n
			}
		}
	}
	return 0
}

// pageBox is the visible area of a page: its CropBox, else its MediaBox
// (both inherited through the page tree), as x0, y0, x1, y1.
func (f *pdfFile) pageBox(pg pdf.Value) (box [4]float64, ok bool) {
	for _, key := range []string{"CropBox", "MediaBox"} {
		v := pg
		for depth := 0; depth < 32 && v.Kind() == pdf.Dict; depth++ {
			if b := v.Key(key); b.Kind() == pdf.Array && b.Len() == 4 {
				x0, y0, x1, y1 := b.Index(0).Float64(), b.Index(1).Float64(), b.Index(2).Float64(), b.Index(3).Float64()
				return [4]float64{math.Min(x0, x1), math.Min(y0, y1), math.Max(x0, x1), math.Max(y0, y1)}, x1 != x0 && y1 != y0
			}
			v = f.key(v, "Parent")
		}
	}
	return box, false
}

// visible drops glyphs whose origin lies outside the page's visible area
// (with a margin of one point): a reader never sees them, and pdftotext
// drops them too.
func visible(gs []glyph, box [4]float64, ok bool) []glyph {
	if !ok {
		return gs
	}
	out := gs[:0]
	for _, g := range gs {
		if g.x >= box[0]-1 && g.x <= box[2]+1 && g.y >= box[1]-1 && g.y <= box[3]+1 {
			out = append(out, g)
		}
	}
	return out
}

// annotationMatrix maps an appearance stream onto its annotation's
// rectangle (PDF 32000-1, 12.5.5): the form's bounding box, transformed by
// its matrix, is scaled and moved onto /Rect.
func annotationMatrix(a, ap pdf.Value) mat {
	r, bb := a.Key("Rect"), ap.Key("BBox")
	if r.Len() != 4 || bb.Len() != 4 {
		return identity
	}
	m, _ := matOf(ap.Key("Matrix"))
	xs, ys := make([]float64, 0, 4), make([]float64, 0, 4)
	for _, c := range [][2]int{{0, 1}, {2, 1}, {0, 3}, {2, 3}} {
		x, y := m.apply(bb.Index(c[0]).Float64(), bb.Index(c[1]).Float64())
		xs, ys = append(xs, x), append(ys, y)
	}
	minX, maxX, minY, maxY := minMax(xs)[0], minMax(xs)[1], minMax(ys)[0], minMax(ys)[1]
	rx0, ry0 := math.Min(r.Index(0).Float64(), r.Index(2).Float64()), math.Min(r.Index(1).Float64(), r.Index(3).Float64())
	rx1, ry1 := math.Max(r.Index(0).Float64(), r.Index(2).Float64()), math.Max(r.Index(1).Float64(), r.Index(3).Float64())
	sx, sy := 1.0, 1.0
	if maxX > minX {
		sx = (rx1 - rx0) / (maxX - minX)
	}
	if maxY > minY {
		sy = (ry1 - ry0) / (maxY - minY)
	}
	// The form's own Matrix is applied by form(); A maps its result to Rect.
	a2 := mat{sx, 0, 0, sy, rx0 - minX*sx, ry0 - minY*sy}
	return a2
}

func minMax(v []float64) [2]float64 {
	lo, hi := v[0], v[0]
	for _, x := range v[1:] {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	return [2]float64{lo, hi}
}

// form interprets a form XObject drawn with the current transformation ctm.
func (in *interpreter) form(x, parentRes pdf.Value, ctm mat) {
	id := objID(x)
	if in.depth >= 12 || (id != 0 && in.seen[id]) {
		return
	}
	if id != 0 {
		in.seen[id] = true
		defer delete(in.seen, id)
	}
	in.depth++
	defer func() { in.depth-- }()
	if m, ok := matOf(x.Key("Matrix")); ok {
		ctm = m.then(ctm)
	}
	res := x.Key("Resources")
	if res.IsNull() {
		res = parentRes
	}
	in.run(x, res, ctm)
}

// maxContentBytes bounds the content stream of one page or form.
const maxContentBytes = 64 << 20

// contentBytes reads a content stream, or the streams of an array joined
// by line ends.
func contentBytes(strm pdf.Value) []byte {
	if strm.Kind() == pdf.Stream {
		return readStreamLimit(strm, maxContentBytes)
	}
	var out []byte
	for i := 0; i < strm.Len() && len(out) < maxContentBytes; i++ {
		out = append(out, readStreamLimit(strm.Index(i), maxContentBytes-int64(len(out)))...)
		out = append(out, '\n')
	}
	return out
}

// run interprets one content stream (or an array of them). Inline images
// are skipped whole, so their binary data cannot derail the text after them.
func (in *interpreter) run(strm, res pdf.Value, ctm mat) {
	if strm.Kind() != pdf.Stream && strm.Kind() != pdf.Array {
		return
	}
	g := textState{ctm: ctm, scale: 1, tm: identity, tlm: identity}
	var stack []textState
	fonts := in.f.key(res, "Font")
	byName := map[string]*font{} // resolving a font resource parses it from the file
	lx := &cmapLexer{b: contentBytes(strm), noNumText: true}
	var args []cmapToken
	for {
		t, ok := lx.next()
		if !ok {
			return
		}
		if t.kind != tokKeyword {
			if len(args) < 64 {
				args = append(args, t)
			}
			continue
		}
		if in.ops++; in.ops > maxOpsPerPage {
			return
		}
		op := t.s
		num := func(i int) float64 {
			if i >= len(args) {
				return 0
			}
			return args[i].num()
		}
		switch op {
		case "BI":
			lx.skipInlineImage()
		case "q":
			if len(stack) < 256 {
				stack = append(stack, g)
			}
		case "Q":
			if k := len(stack); k > 0 {
				g = stack[k-1]
				stack = stack[:k-1]
			}
		case "cm":
			if len(args) == 6 {
				g.ctm = mat{num(0), num(1), num(2), num(3), num(4), num(5)}.then(g.ctm)
			}
		case "BT":
			g.tm, g.tlm = identity, identity
		case "Tc":
			g.charSpace = num(0)
		case "Tw":
			g.wordSpace = num(0)
		case "Tz":
			g.scale = num(0) / 100
		case "Tr":
			g.render = int(num(0))
		case "TL":
			g.leading = num(0)
		case "Ts":
			g.rise = num(0)
		case "Tf":
			if len(args) == 2 && args[0].kind == tokName {
				ft, ok := byName[args[0].s]
				if !ok {
					ft = in.f.font(in.f.key(fonts, args[0].s))
					byName[args[0].s] = ft
				}
				g.font = ft
				g.size = num(1)
			}
		case "Td", "TD":
			if len(args) == 2 {
				if op == "TD" {
					g.leading = -num(1)
				}
				g.tlm = mat{1, 0, 0, 1, num(0), num(1)}.then(g.tlm)
				g.tm = g.tlm
			}
		case "Tm":
			if len(args) == 6 {
				g.tm = mat{num(0), num(1), num(2), num(3), num(4), num(5)}
				g.tlm = g.tm
			}
		case "T*":
			g.tlm = mat{1, 0, 0, 1, 0, -g.leading}.then(g.tlm)
			g.tm = g.tlm
		case "Tj", "'", "\"":
			if len(args) == 0 || args[len(args)-1].kind != tokString {
				break
			}
			if op != "Tj" {
				if op == "\"" && len(args) == 3 {
					g.wordSpace, g.charSpace = num(0), num(1)
				}
				g.tlm = mat{1, 0, 0, 1, 0, -g.leading}.then(g.tlm)
				g.tm = g.tlm
			}
			in.show(&g, args[len(args)-1].s)
		case "TJ":
			if len(args) == 0 {
				break
			}
			for _, x := range args[len(args)-1].arr {
				if x.kind == tokString {
					in.show(&g, x.s)
					continue
				}
				tx := -x.num() / 1000 * g.size * g.scale
				g.tm = advance(tx, g.tm)
			}
		case "Do":
			if len(args) == 1 && args[0].kind == tokName {
				x := in.f.key(in.f.key(res, "XObject"), args[0].s)
				if x.Key("Subtype").Name() == "Form" {
					in.form(x, res, g.ctm)
				}
			}
		}
		args = args[:0]
	}
}

// show places the glyphs of string s and advances the text matrix.
func (in *interpreter) show(g *textState, s string) {
	f := g.font
	if f == nil {
		return
	}
	for i := 0; i < len(s); {
		n := f.nextCode(s[i:])
		if i+n > len(s) {
			break
		}
		code := s[i : i+n]
		i += n
		w0 := f.width(code) * f.scale
		trm := renderMatrix(g)
		text := f.decode(code)
		if text == "" {
			in.undecoded++
		}
		if text != "" && len(in.glyphs) < in.limit {
			x, y := trm[4], trm[5]
			size := hypot(trm[2], trm[3])
			adv := hypot(trm[0], trm[1])
			in.glyphs = append(in.glyphs, glyph{
				s: text, x: x, y: y, size: size,
				w:     w0 * adv,
				space: f.space * f.scale * adv,
				dx:    trm[0], dy: trm[1],
				bold:      f.bold,
				invisible: g.render == 3 || g.render == 7,
			})
		}
		tx := w0*g.size + g.charSpace
		if n == 1 && code == " " {
			tx += g.wordSpace
		}
		g.tm = advance(tx*g.scale, g.tm)
	}
}

// hypot is math.Hypot(a, b), without its work when the text is upright
// (one of the two is 0, the other is the result, exactly as math.Hypot
// computes it).
func hypot(a, b float64) float64 {
	switch {
	case b == 0 && !math.IsNaN(a):
		return math.Abs(a)
	case a == 0 && !math.IsNaN(b):
		return math.Abs(b)
	}
	return math.Hypot(a, b)
}

// font returns the decoded font of a font dictionary, loading it once per
// file.
func (f *pdfFile) font(v pdf.Value) *font {
	if v.Kind() != pdf.Dict {
		return nil
	}
	id := objID(v)
	if id != 0 {
		if ft, ok := f.fonts[id]; ok {
			return ft
		}
	}
	ft := loadFont(v)
	if id != 0 {
		f.fonts[id] = ft
	}
	return ft
}
