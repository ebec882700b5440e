package ingest

import (
	"bytes"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/ledongthuc/pdf"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// This file turns glyph codes into text. The order follows PDF 32000-1,
// 9.10.2: a font's /ToUnicode CMap first; otherwise, for simple fonts, the
// glyph names of /Differences over a base encoding (the one named, else
// the built-in encoding of an embedded Type 1 font program, else
// StandardEncoding). A Type0 font without /ToUnicode yields text only when
// its codes are UCS-2 or CIDs of an Adobe CJK collection (cjk.go); else its
// codes are glyph IDs, and guessing would put garbage into the corpus.
//
// Glyph names of the families aNN, gNN and cidNN (pdfTeX's bitmap Type 3
// fonts name the glyph of code 97 /a97) carry a number, not a character.
// The number is read as the character code in the font's base encoding
// (StandardEncoding for a Type 3 font) when it is trusted: every such name
// of the font's /Differences stands at the code it names (/a97 at 97).
// When any does not, the numbers are glyph indices of a subset and give no
// text.
//
// A ToUnicode bfrange may vary only in its last byte (PDF 32000-1, 9.10.3):
// a range whose other bytes differ (<00ff> <01ff>) is clipped to the codes
// that share the first code's leading bytes, one whose start is past its
// end is dropped, and of overlapping ranges the later one counts; bfchar
// entries come before every range.

// maxCMapBytes bounds the ToUnicode stream and font program read per font.
const maxCMapBytes = 4 << 20

// cmap is a parsed ToUnicode CMap.
type cmap struct {
	spaces [][2][]byte // codespace ranges, lo and hi of equal length
	chars  map[string]string
	ranges []cmapRange
	// cids are the cidchar and cidrange entries of a CMap that maps codes
	// to CIDs (a Type0 font's embedded /Encoding), by code length.
	cids [5][]cmapRun
}

type cmapRange struct {
	lo, hi []byte
	dst    []string // one text per code, or a single start text
}

// parseCMap reads the codespace ranges, bfchar, bfrange, cidchar and
// cidrange entries of a CMap; anything else in it is skipped.
func parseCMap(data []byte) *cmap {
	m := &cmap{chars: map[string]string{}}
	var stack []cmapToken
	lx := &cmapLexer{b: data}
	for {
		t, ok := lx.next()
		if !ok {
			break
		}
		if t.kind != tokKeyword {
			if len(stack) < 1<<16 {
				stack = append(stack, t)
			}
			continue
		}
		switch t.s {
		case "endcodespacerange":
			for i := 0; i+1 < len(stack); i += 2 {
				lo, hi := stack[i], stack[i+1]
				if lo.kind == tokString && hi.kind == tokString && len(lo.s) == len(hi.s) && len(lo.s) > 0 && len(lo.s) <= 4 {
					m.spaces = append(m.spaces, [2][]byte{[]byte(lo.s), []byte(hi.s)})
				}
			}
		case "endbfchar":
			for i := 0; i+1 < len(stack); i += 2 {
				if stack[i].kind == tokString && stack[i+1].kind == tokString {
					m.chars[stack[i].s] = utf16Text(stack[i+1].s)
				}
			}
		case "endcidchar", "endcidrange":
			step := 3
			if t.s == "endcidchar" {
				step = 2
			}
			for i := 0; i+step-1 < len(stack); i += step {
				lo, hi, cid := stack[i], stack[i], stack[i+step-1]
				if step == 3 {
					hi = stack[i+1]
				}
				if lo.kind != tokString || hi.kind != tokString || cid.kind != tokNumber || len(lo.s) != len(hi.s) ||
					len(lo.s) == 0 || len(lo.s) > 4 || cid.f < 0 || cid.f > 0xffff || lo.s > hi.s {
					continue
				}
				a, b := uint32(codeValue(lo.s)), uint32(codeValue(hi.s))
				m.cids[len(lo.s)] = append(m.cids[len(lo.s)], cmapRun{code: a, n: b - a + 1, cid: uint32(cid.f)})
			}
		case "endbfrange":
			for i := 0; i+2 < len(stack); i += 3 {
				lo, hi, dst := stack[i], stack[i+1], stack[i+2]
				if lo.kind != tokString || hi.kind != tokString || len(lo.s) != len(hi.s) || len(lo.s) == 0 {
					continue
				}
				r := cmapRange{lo: []byte(lo.s), hi: []byte(hi.s)}
				if !clipRange(&r) {
					continue
				}
				switch dst.kind {
				case tokString:
					r.dst = []string{dst.s}
				case tokArray:
					for _, e := range dst.arr {
						if e.kind == tokString {
							r.dst = append(r.dst, e.s)
						}
					}
				default:
					continue
				}
				if len(r.dst) == 0 {
					continue
				}
				m.ranges = append(m.ranges, r)
			}
		}
		stack = stack[:0]
	}
	return m
}

// clipRange makes a bfrange vary in its last byte only: a range whose
// leading bytes differ ends with the last code that shares the first
// code's; a range whose start is past its end is invalid.
func clipRange(r *cmapRange) bool {
	n := len(r.lo)
	if !bytes.Equal(r.lo[:n-1], r.hi[:n-1]) {
		if bytes.Compare(r.lo, r.hi) > 0 {
			return false
		}
		r.hi = append(append([]byte(nil), r.lo[:n-1]...), 0xff)
	}
	return r.lo[n-1] <= r.hi[n-1]
}

// codeLen is the length of the code at the start of s by the codespace
// ranges (each byte within its range), or def when none matches.
func (m *cmap) codeLen(s string, def int) int {
	return codespaceLen(m.spaces, s, def)
}

// codespaceLen is the length of the first codespace range in spaces (lo
// and hi of equal length) that the start of s falls in, byte by byte, or
// def when none does. ToUnicode CMaps and the predefined CJK CMaps share
// it.
func codespaceLen(spaces [][2][]byte, s string, def int) int {
	for _, sp := range spaces {
		n := len(sp[0])
		if n > len(s) {
			continue
		}
		in := true
		for i := 0; i < n; i++ {
			if s[i] < sp[0][i] || s[i] > sp[1][i] {
				in = false
				break
			}
		}
		if in {
			return n
		}
	}
	return def
}

func (m *cmap) lookup(code string) (string, bool) {
	if s, ok := m.chars[code]; ok {
		return s, true
	}
	for i := len(m.ranges) - 1; i >= 0; i-- {
		r := m.ranges[i]
		if len(r.lo) != len(code) || code < string(r.lo) || code > string(r.hi) {
			continue
		}
		off := codeValue(code) - codeValue(string(r.lo))
		if len(r.dst) > 1 || (len(r.dst) == 1 && off == 0) {
			if off < len(r.dst) {
				return utf16Text(r.dst[off]), true
			}
			continue
		}
		// The destination's last UTF-16 unit counts up through the range.
		u := utf16Units(r.dst[0])
		if len(u) == 0 {
			continue
		}
		u[len(u)-1] += uint16(off)
		return string(utf16.Decode(u)), true
	}
	return "", false
}

func codeValue(s string) int {
	v := 0
	for i := 0; i < len(s); i++ {
		v = v<<8 | int(s[i])
	}
	return v
}

func utf16Units(s string) []uint16 {
	u := make([]uint16, 0, len(s)/2)
	for i := 0; i+1 < len(s); i += 2 {
		u = append(u, uint16(s[i])<<8|uint16(s[i+1]))
	}
	return u
}

func utf16Text(s string) string {
	if len(s) == 1 { // a one-byte destination (seen in the wild): a code point
		return string(rune(s[0]))
	}
	return string(utf16.Decode(utf16Units(s)))
}

type tokKind int

const (
	tokKeyword tokKind = iota
	tokString
	tokNumber
	tokName
	tokArray
)

type cmapToken struct {
	kind tokKind
	s    string      // a number's text is left out when the lexer is told (noNumText)
	arr  []cmapToken // elements of an array
	f    float64     // value of a number
}

func (t cmapToken) num() float64 {
	if t.kind != tokNumber || math.IsNaN(t.f) || math.IsInf(t.f, 0) {
		return 0
	}
	return t.f
}

// cmapLexer cuts the PostScript-like syntax of CMaps and Type 1 font
// headers into tokens. Dictionary brackets are dropped.
type cmapLexer struct {
	b     []byte
	i     int
	depth int // arrays open
	// noNumText leaves the text of number tokens out (their value is in
	// f): a content stream's interpreter wants only the value, and most of
	// its tokens are numbers.
	noNumText bool
}

// maxLexDepth bounds nested arrays; deeper brackets are skipped.
const maxLexDepth = 32

func (lx *cmapLexer) next() (cmapToken, bool) {
	b := lx.b
	for lx.i < len(b) {
		c := b[lx.i]
		switch {
		case c == '%':
			for lx.i < len(b) && b[lx.i] != '\n' && b[lx.i] != '\r' {
				lx.i++
			}
		case isPDFSpace(c):
			lx.i++
		case c == '<' && lx.i+1 < len(b) && b[lx.i+1] == '<', c == '>' && lx.i+1 < len(b) && b[lx.i+1] == '>':
			lx.i += 2
		case c == '<':
			end := bytes.IndexByte(b[lx.i:], '>')
			if end < 0 {
				lx.i = len(b)
				return cmapToken{}, false
			}
			s := hexBytes(b[lx.i+1 : lx.i+end])
			lx.i += end + 1
			return cmapToken{kind: tokString, s: s}, true
		case c == '(':
			return cmapToken{kind: tokString, s: lx.literal()}, true
		case c == '[' && lx.depth >= maxLexDepth:
			lx.i++
		case c == '[':
			lx.i++
			lx.depth++
			var arr []cmapToken
			for {
				t, ok := lx.next()
				if !ok || (t.kind == tokKeyword && t.s == "]") {
					break
				}
				if (t.kind == tokString || t.kind == tokNumber) && len(arr) < 1<<16 {
					arr = append(arr, t)
				}
			}
			lx.depth--
			return cmapToken{kind: tokArray, arr: arr}, true
		case c == ']':
			lx.i++
			return cmapToken{kind: tokKeyword, s: "]"}, true
		case c == '/':
			j := lx.i + 1
			for j < len(b) && !isPDFSpace(b[j]) && !isPDFDelim(b[j]) {
				j++
			}
			t := cmapToken{kind: tokName, s: string(b[lx.i+1 : j])}
			lx.i = j
			return t, true
		default:
			j := lx.i
			for j < len(b) && !isPDFSpace(b[j]) && !isPDFDelim(b[j]) {
				j++
			}
			if j == lx.i { // a stray delimiter: skip it
				lx.i++
				continue
			}
			w := b[lx.i:j]
			lx.i = j
			if maybeNumber(w) {
				if v, err := strconv.ParseFloat(string(w), 64); err == nil {
					t := cmapToken{kind: tokNumber, f: v}
					if !lx.noNumText {
						t.s = string(w)
					}
					return t, true
				}
			}
			if op, ok := operators[string(w)]; ok {
				return cmapToken{kind: tokKeyword, s: op}, true
			}
			return cmapToken{kind: tokKeyword, s: string(w)}, true
		}
	}
	return cmapToken{}, false
}

// operators are the content stream operators and the common CMap and
// Type 1 keywords, kept once so that a keyword token allocates nothing.
var operators = func() map[string]string {
	m := map[string]string{}
	for _, op := range strings.Fields(`b B b* B* BDC BI BMC BT BX c cm CS cs d d0 d1 Do DP EI EMC ET EX f F f* G g gs h i ID j J K k l m M MP n q Q re RG rg ri s S SC sc SCN scn sh T* Tc Td TD Tf Tj TJ TL Tm Tr Ts Tw Tz v w W W* y ' "
		begincodespacerange endcodespacerange beginbfchar endbfchar beginbfrange endbfrange begincidrange endcidrange
		begincmap endcmap def dup put readonly array for dict begin end findresource defineresource pop usecmap`) {
		m[op] = op
	}
	return m
}()

// maybeNumber tells whether strconv.ParseFloat could accept w: it
// starts, after a sign, with a digit or a point, or is long enough for
// "inf" or "nan". Keywords fail this cheaply instead of making an error.
func maybeNumber(w []byte) bool {
	if len(w) > 0 && (w[0] == '+' || w[0] == '-') {
		w = w[1:]
	}
	if len(w) == 0 {
		return false
	}
	switch c := w[0]; {
	case c >= '0' && c <= '9', c == '.':
		return true
	case c == 'i', c == 'I', c == 'n', c == 'N':
		return len(w) >= 3
	}
	return false
}

// literal reads the literal string at i, its escapes and ends of line as
// ISO 32000-1, 7.3.4.2 says (TestLiteralEscapes).
func (lx *cmapLexer) literal() string {
	b := lx.b
	lx.i++ // (
	// The common case, no escape and no nested parenthesis, is a copy.
	for j := lx.i; j < len(b); j++ {
		if c := b[j]; c == ')' {
			s := string(b[lx.i:j])
			lx.i = j + 1
			return s
		} else if c == '\\' || c == '(' || c == '\r' {
			break
		}
	}
	var out []byte
	depth := 1
	for lx.i < len(b) {
		c := b[lx.i]
		lx.i++
		switch c {
		case '\\':
			if lx.i < len(b) {
				e := b[lx.i]
				lx.i++
				switch e {
				case 'n':
					out = append(out, '\n')
				case 'r':
					out = append(out, '\r')
				case 't':
					out = append(out, '\t')
				case 'b':
					out = append(out, '\b')
				case 'f':
					out = append(out, '\f')
				case '\r':
					// A backslash before an end of line continues the
					// string on the next line: both are dropped.
					if lx.i < len(b) && b[lx.i] == '\n' {
						lx.i++
					}
				case '\n':
				case '0', '1', '2', '3', '4', '5', '6', '7':
					v := int(e - '0')
					for k := 0; k < 2 && lx.i < len(b) && b[lx.i] >= '0' && b[lx.i] <= '7'; k++ {
						v = v*8 + int(b[lx.i]-'0')
						lx.i++
					}
					out = append(out, byte(v))
				default:
					out = append(out, e)
				}
			}
		case '(':
			depth++
			out = append(out, c)
		case ')':
			depth--
			if depth == 0 {
				return string(out)
			}
			out = append(out, c)
		case '\r':
			// An end of line in a string is one line feed, whatever
			// its bytes (ISO 32000-1, 7.3.4.2).
			if lx.i < len(b) && b[lx.i] == '\n' {
				lx.i++
			}
			out = append(out, '\n')
		default:
			out = append(out, c)
		}
	}
	return string(out)
}

func hexBytes(h []byte) string {
	var out []byte
	var hi byte
	half := false
	for _, c := range h {
		v, ok := hexDigit(c)
		if !ok {
			continue
		}
		if half {
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	if half {
		out = append(out, hi<<4)
	}
	return string(out)
}

func isPDFSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isPDFDelim(c byte) bool {
	return strings.IndexByte("()<>[]{}/%", c) >= 0
}

// skipInlineImage moves past the data of an inline image (BI … ID data
// EI), which may hold any bytes, to the EI that follows a white-space byte
// and is followed by one or by the end.
func (lx *cmapLexer) skipInlineImage() {
	b := lx.b
	id := bytes.Index(b[lx.i:], []byte("ID"))
	if id < 0 {
		lx.i = len(b)
		return
	}
	i := lx.i + id + 3
	for i < len(b) {
		j := bytes.Index(b[i:], []byte("EI"))
		if j < 0 {
			lx.i = len(b)
			return
		}
		at := i + j
		if at > 0 && isPDFSpace(b[at-1]) && (at+2 == len(b) || isPDFSpace(b[at+2])) {
			lx.i = at + 2
			return
		}
		i = at + 2
	}
	lx.i = len(b)
}

// readStream reads at most maxCMapBytes of a stream; a broken stream
// yields what could be read.
func readStream(v pdf.Value) (data []byte) {
	return readStreamLimit(v, maxCMapBytes)
}

func readStreamLimit(v pdf.Value, limit int64) (data []byte) {
	if v.Kind() != pdf.Stream {
		return nil
	}
	defer func() {
		if recover() != nil {
			data = nil
		}
	}()
	rc := v.Reader()
	defer rc.Close()
	data, _ = io.ReadAll(io.LimitReader(rc, limit))
	return data
}

// simpleEncoding returns the text of each of the 256 codes of a simple
// font without /ToUnicode: its /Encoding's base (WinAnsi, MacRoman, else
// the embedded font program's built-in encoding, Type 1 or CFF, else
// StandardEncoding) with the /Differences over it.
func simpleEncoding(fontDict pdf.Value) *[256]string {
	var table [256]string
	enc := fontDict.Key("Encoding")
	base := enc.Name()
	if enc.Kind() == pdf.Dict {
		base = enc.Key("BaseEncoding").Name()
	}
	if pictureFont(fontDict) && enc.Kind() == pdf.Null {
		// Every glyph of a picture font is a mark, not a letter: on
		// slides and in reports, a list's bullet.
		for c := range table {
			table[c] = "•"
		}
		return &table
	}
	switch base {
	case "WinAnsiEncoding":
		fillCharmap(&table, charmap.Windows1252)
	case "MacRomanEncoding":
		fillCharmap(&table, charmap.Macintosh)
	default:
		fd := fontDict.Key("FontDescriptor")
		builtin := type1Encoding(fd.Key("FontFile"))
		if ff := fd.Key("FontFile3"); builtin == nil && ff.Kind() == pdf.Stream && ff.Key("Subtype").Name() == "Type1C" {
			builtin = cffEncoding(readStream(ff))
		}
		if builtin != nil {
			table = *builtin
		} else {
			fillStandard(&table)
		}
	}
	if diff := enc.Key("Differences"); diff.Kind() == pdf.Array {
		base := table
		numbered := map[int]int{} // code → number of its aNN, gNN or cidNN name
		code := -1
		for i := 0; i < diff.Len() && i < 4096; i++ {
			x := diff.Index(i)
			switch x.Kind() {
			case pdf.Integer:
				code = int(x.Int64())
			case pdf.Name:
				if code >= 0 && code < 256 {
					table[code] = glyphText(x.Name())
					if n, ok := numberedGlyph(x.Name()); ok && table[code] == "" {
						numbered[code] = n
					}
					code++
				}
			}
		}
		trusted := len(numbered) > 0
		for c, n := range numbered {
			trusted = trusted && c == n
		}
		for c := range numbered {
			if trusted {
				table[c] = base[c]
			}
		}
	}
	return &table
}

// pictureFont tells a symbolic font of pictures (Wingdings, Webdings):
// its codes stand for no letters, and StandardEncoding would read its
// bullet 0xA7 as "§".
func pictureFont(fontDict pdf.Value) bool {
	name := fontDict.Key("BaseFont").Name()
	if i := strings.IndexByte(name, '+'); i >= 0 {
		name = name[i+1:]
	}
	name = strings.ToLower(name)
	return strings.HasPrefix(name, "wingdings") || strings.HasPrefix(name, "webdings")
}

// numberedGlyph returns the number of a glyph name of the families aNN,
// gNN and cidNN (decimal, up to five digits).
func numberedGlyph(name string) (int, bool) {
	for _, prefix := range []string{"cid", "a", "g"} {
		digits, ok := strings.CutPrefix(name, prefix)
		if !ok || digits == "" || len(digits) > 5 {
			continue
		}
		n, err := strconv.Atoi(digits)
		if err != nil || digits[0] == '+' || digits[0] == '-' {
			return 0, false
		}
		return n, true
	}
	return 0, false
}

func fillCharmap(t *[256]string, cm *charmap.Charmap) {
	for c := 32; c < 256; c++ {
		if r := cm.DecodeByte(byte(c)); r != '\ufffd' {
			t[c] = string(r)
		}
	}
}

// fillStandard fills Adobe StandardEncoding (PDF 32000-1, Annex D): ASCII
// with curly single quotes, and the letters and punctuation of its upper
// half that occur in running text.
func fillStandard(t *[256]string) {
	for c := 32; c < 127; c++ {
		t[c] = string(rune(c))
	}
	t[0x27], t[0x60] = "’", "‘"
	for c, s := range map[int]string{
		0xa1: "¡", 0xa2: "¢", 0xa3: "£", 0xa5: "¥", 0xa7: "§", 0xa9: "'", 0xaa: "“", 0xab: "«",
		0xac: "‹", 0xad: "›", 0xae: "fi", 0xaf: "fl", 0xb1: "–", 0xb2: "†", 0xb3: "‡", 0xb4: "·",
		0xb6: "¶", 0xb7: "•", 0xb8: "‚", 0xb9: "„", 0xba: "”", 0xbb: "»", 0xbc: "…", 0xbd: "‰",
		0xbf: "¿", 0xd0: "—", 0xe1: "Æ", 0xe8: "Ł", 0xe9: "Ø", 0xea: "Œ", 0xf1: "æ", 0xf5: "ı",
		0xf8: "ł", 0xf9: "ø", 0xfa: "œ", 0xfb: "ß",
	} {
		t[c] = s
	}
}

// type1Encoding reads the built-in encoding of an embedded Type 1 font
// program from its clear-text part ("dup 12 /fi put"); nil when the font
// program is absent or uses StandardEncoding.
func type1Encoding(ff pdf.Value) *[256]string {
	if ff.Kind() != pdf.Stream {
		return nil
	}
	data := readStream(ff)
	if n := int(ff.Key("Length1").Int64()); n > 0 && n < len(data) {
		data = data[:n]
	}
	if i := bytes.Index(data, []byte("eexec")); i >= 0 {
		data = data[:i]
	}
	if !bytes.Contains(data, []byte("/Encoding")) || bytes.Contains(data, []byte("StandardEncoding def")) {
		return nil
	}
	var t [256]string
	lx := &cmapLexer{b: data}
	var prev [3]cmapToken
	found := false
	for {
		tok, ok := lx.next()
		if !ok {
			break
		}
		if tok.kind == tokKeyword && tok.s == "put" && prev[0].kind == tokKeyword && prev[0].s == "dup" &&
			prev[1].kind == tokNumber && prev[2].kind == tokName {
			if c, err := strconv.Atoi(prev[1].s); err == nil && c >= 0 && c < 256 {
				t[c] = glyphText(prev[2].s)
				found = true
			}
		}
		prev[0], prev[1], prev[2] = prev[1], prev[2], tok
	}
	if !found {
		return nil
	}
	return &t
}

// glyphText gives the text of a glyph name: Unicode names (uni0041,
// u1F600), letters and digits by their names, common punctuation,
// ligatures, accented letters as letter + accent name (eacute), and
// names with a suffix (a.sc) or joined parts (f_f_i). Unknown names
// (g123, custom subsets) give no text.
func glyphText(name string) string {
	if i := strings.IndexByte(name, '.'); i > 0 {
		name = name[:i]
	}
	if strings.Contains(name, "_") {
		var b strings.Builder
		for _, part := range strings.Split(name, "_") {
			b.WriteString(glyphText(part))
		}
		return b.String()
	}
	if len(name) == 1 {
		c := name[0]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			return name
		}
		return ""
	}
	if s, ok := glyphNames[name]; ok {
		return s
	}
	if name == "" {
		return ""
	}
	if strings.HasPrefix(name, "uni") && len(name) >= 7 && (len(name)-3)%4 == 0 {
		var u []uint16
		for i := 3; i < len(name); i += 4 {
			v, err := strconv.ParseUint(name[i:i+4], 16, 16)
			if err != nil {
				return ""
			}
			u = append(u, uint16(v))
		}
		return string(utf16.Decode(u))
	}
	if name[0] == 'u' && len(name) >= 5 && len(name) <= 7 {
		if v, err := strconv.ParseUint(name[1:], 16, 32); err == nil && v <= 0x10ffff {
			return string(rune(v))
		}
	}
	for accent, mark := range accents {
		if base, ok := strings.CutSuffix(name, accent); ok && len(base) == 1 {
			return norm.NFC.String(glyphText(base) + mark)
		}
	}
	return ""
}

var accents = map[string]string{
	"acute": "\u0301", "grave": "\u0300", "circumflex": "\u0302", "dieresis": "\u0308",
	"tilde": "\u0303", "ring": "\u030a", "cedilla": "\u0327", "caron": "\u030c",
	"macron": "\u0304", "breve": "\u0306", "ogonek": "\u0328", "dotaccent": "\u0307",
	"hungarumlaut": "\u030b", "commaaccent": "\u0326",
}

var glyphNames = map[string]string{
	"zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
	"seven": "7", "eight": "8", "nine": "9", "space": " ", "nbspace": " ", "exclam": "!",
	"quotedbl": "\"", "numbersign": "#", "dollar": "$", "percent": "%", "ampersand": "&",
	"quotesingle": "'", "quoteright": "’", "quoteleft": "‘", "parenleft": "(", "parenright": ")",
	"asterisk": "*", "plus": "+", "comma": ",", "hyphen": "-", "minus": "−", "period": ".",
	"slash": "/", "colon": ":", "semicolon": ";", "less": "<", "equal": "=", "greater": ">",
	"question": "?", "at": "@", "bracketleft": "[", "backslash": "\\", "bracketright": "]",
	"asciicircum": "^", "underscore": "_", "grave": "`", "braceleft": "{", "bar": "|",
	"braceright": "}", "asciitilde": "~", "quotedblleft": "“", "quotedblright": "”",
	"quotesinglbase": "‚", "quotedblbase": "„", "endash": "–", "emdash": "—", "bullet": "•",
	"ellipsis": "…", "dagger": "†", "daggerdbl": "‡", "section": "§", "paragraph": "¶",
	"copyright": "©", "registered": "®", "trademark": "™", "degree": "°", "periodcentered": "·",
	"guillemotleft": "«", "guillemotright": "»", "guilsinglleft": "‹", "guilsinglright": "›",
	"exclamdown": "¡", "questiondown": "¿", "cent": "¢", "sterling": "£", "yen": "¥",
	"Euro": "€", "euro": "€", "multiply": "×", "divide": "÷", "plusminus": "±", "fraction": "⁄",
	"ff": "ff", "fi": "fi", "fl": "fl", "ffi": "ffi", "ffl": "ffl", "germandbls": "ß",
	"ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "oslash": "ø", "Oslash": "Ø", "lslash": "ł",
	"Lslash": "Ł", "dotlessi": "ı", "eth": "ð", "Eth": "Ð", "thorn": "þ", "Thorn": "Þ",
	"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "zeta": "ζ", "eta": "η",
	"theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ",
	"omicron": "ο", "pi": "π", "rho": "ρ", "sigma": "σ", "sigma1": "ς", "tau": "τ", "upsilon": "υ",
	"phi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω", "Alpha": "Α", "Beta": "Β", "Gamma": "Γ",
	"Delta": "Δ", "Epsilon": "Ε", "Zeta": "Ζ", "Eta": "Η", "Theta": "Θ", "Iota": "Ι", "Kappa": "Κ",
	"Lambda": "Λ", "Mu": "Μ", "Nu": "Ν", "Xi": "Ξ", "Omicron": "Ο", "Pi": "Π", "Rho": "Ρ",
	"Sigma": "Σ", "Tau": "Τ", "Upsilon": "Υ", "Phi": "Φ", "Chi": "Χ", "Psi": "Ψ", "Omega": "Ω",
	"ordfeminine": "ª", "ordmasculine": "º", "softhyphen": "", "perthousand": "‰",
	// Mathematical symbols, as TeX's and other math fonts name them.
	"universal": "∀", "existential": "∃", "element": "∈", "notelement": "∉", "emptyset": "∅",
	"union": "∪", "intersection": "∩", "propersubset": "⊂", "propersuperset": "⊃",
	"reflexsubset": "⊆", "reflexsuperset": "⊇", "logicalnot": "¬", "logicaland": "∧",
	"logicalor": "∨", "infinity": "∞", "partialdiff": "∂", "gradient": "∇", "nabla": "∇",
	"radical": "√", "summation": "∑", "product": "∏", "integral": "∫", "notequal": "≠",
	"lessequal": "≤", "greaterequal": "≥", "approxequal": "≈", "equivalence": "≡",
	"similar": "∼", "proportional": "∝", "angle": "∠", "perpendicular": "⊥", "arrowright": "→",
	"arrowleft": "←", "arrowup": "↑", "arrowdown": "↓", "arrowboth": "↔", "arrowdblright": "⇒",
	"arrowdblleft": "⇐", "arrowdblboth": "⇔", "dotmath": "⋅", "circleplus": "⊕",
	"circlemultiply": "⊗", "aleph": "ℵ", "weierstrass": "℘", "Ifraktur": "ℑ", "Rfraktur": "ℜ",
	"therefore": "∴", "mu1": "µ", "florin": "ƒ", "currency": "¤", "brokenbar": "¦",
	"onehalf": "½", "onequarter": "¼", "threequarters": "¾", "onesuperior": "¹",
	"twosuperior": "²", "threesuperior": "³",
	// The Adobe Glyph List's variant Greek letters.
	"phi1": "ϕ", "theta1": "ϑ", "omega1": "ϖ", "Upsilon1": "ϒ",
}
