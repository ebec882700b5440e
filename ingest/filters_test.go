package ingest

import (
	"bufio"
	"bytes"
	"compress/lzw"
	"compress/zlib"
	"context"
	"encoding/ascii85"
	"encoding/hex"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	tifflzw "golang.org/x/image/tiff/lzw"
)

// TestTextFilters reads a book whose content streams are encoded by each
// filter of the standard that carries text, alone, abbreviated and
// chained, with and without predictors: the text must be the book's. The
// PDF library reads only FlateDecode (with no predictor or PNG Up) and
// ASCII85Decode; before lcity decoded the others itself, such a book gave
// no text at all (found by rewriting ../shared/pdfs with mutool clean -a,
// which writes every stream in ASCIIHex).
func TestTextFilters(t *testing.T) {
	book := bookPDF(t, []string{"Cork", "Espoo"}, 2)
	want, err := PageTexts(context.Background(), bytes.NewReader(book), int64(len(book)), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(strings.Join(want, "")) < 200 {
		t.Fatalf("the book has too little text: %q", want)
	}
	hexEnc := func(b []byte) []byte {
		// Upper case, white space between digits, an odd last digit.
		h := strings.ToUpper(hex.EncodeToString(b))
		var s strings.Builder
		for i := 0; i < len(h); i += 64 {
			s.WriteString(h[i:min(i+64, len(h))])
			s.WriteString("\n ")
		}
		return []byte(s.String() + ">")
	}
	a85 := func(b []byte) []byte {
		out := make([]byte, ascii85.MaxEncodedLen(len(b)))
		return append(append([]byte("<~"), out[:ascii85.Encode(out, b)]...), "~>"...)
	}
	flate := func(b []byte) []byte {
		var w bytes.Buffer
		z := zlib.NewWriter(&w)
		z.Write(b)
		z.Close()
		return w.Bytes()
	}
	lzw0 := func(b []byte) []byte {
		var w bytes.Buffer
		z := lzw.NewWriter(&w, lzw.MSB, 8)
		z.Write(b)
		z.Close()
		return w.Bytes()
	}
	for _, tt := range []struct {
		name, filter string
		encode       func([]byte) []byte
	}{
		{"ASCIIHexDecode", "/ASCIIHexDecode", hexEnc},
		{"AHx", "/AHx", hexEnc},
		{"A85 and Fl, abbreviated", "[/A85 /Fl]", func(b []byte) []byte { return a85(flate(b)) }},
		{"ASCII85Decode over FlateDecode with PNG predictors", "[/ASCII85Decode /FlateDecode] /DecodeParms [null <</Predictor 15 /Columns 7>>]",
			func(b []byte) []byte { return a85(flate(pngRows(b, 7))) }},
		{"FlateDecode with the TIFF predictor", "/FlateDecode /DecodeParms <</Predictor 2 /Columns 5 /Colors 1>>",
			func(b []byte) []byte { return flate(tiffRows(b, 5)) }},
		{"RunLengthDecode", "/RunLengthDecode", runLength},
		{"RL", "/RL", runLength},
		{"LZWDecode, EarlyChange 1", "/LZWDecode", lzwEarly},
		{"LZWDecode, EarlyChange 0", "/LZWDecode /DecodeParms <</EarlyChange 0>>", lzw0},
		{"AHx over LZW", "[/AHx /LZW]", func(b []byte) []byte { return hexEnc(lzwEarly(b)) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pdf := reencodeStreams(t, book, tt.filter, tt.encode)
			got, err := PageTexts(context.Background(), bytes.NewReader(pdf), int64(len(pdf)), 1)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := strings.Join(got, "\f"), strings.Join(want, "\f"); g != w {
				t.Errorf("text:\n%s\nwant:\n%s", g, w)
			}
		})
	}
}

// TestFilterEncoders checks the test's own encoders against the decoders
// of the standard library and golang.org/x/image, on data long enough to
// fill an LZW table twice.
func TestFilterEncoders(t *testing.T) {
	var data []byte
	for i := range 20000 {
		data = append(data, byte(i*7%251), 'a'+byte(i%26), 'x')
	}
	r := tifflzw.NewReader(bytes.NewReader(lzwEarly(data)), tifflzw.MSB, 8)
	if got, err := io.ReadAll(r); err != nil || !bytes.Equal(got, data) {
		t.Errorf("lzwEarly: %d bytes back (err %v), want %d", len(got), err, len(data))
	}
	rl := &runLengthReader{r: bufioReader(runLength(data))}
	if got, err := io.ReadAll(rl); err != nil || !bytes.Equal(got, data) {
		t.Errorf("runLength: %d bytes back (err %v), want %d", len(got), err, len(data))
	}
}

// TestDecoderEdges checks the hand-written decoders on the cases of the
// standard (PDF 32000-1, 7.4.2 and 7.4.5) and on broken data, read one
// byte at a time.
func TestDecoderEdges(t *testing.T) {
	for _, tt := range []struct {
		name, in string
		mk       func(io.Reader) io.Reader
		want     string
		err      bool
	}{
		{"hex", "48 65\n6c6C6f>", hexOf, "Hello", false},
		{"hex, odd digit", "4865 7>", hexOf, "He\x70", false},
		{"hex, no end marker", "4142", hexOf, "AB", false},
		{"hex, data after the end", "41>42", hexOf, "A", false},
		{"hex, bad byte", "41zz", hexOf, "A", true},
		{"run length", "\x02abc\xfdx\x80ignored", rlOf, "abcxxxx", false},
		{"run length, cut short", "\x05ab", rlOf, "ab", false},
		{"run length, cut in a repeat", "\xfd", rlOf, "", false},
		{"a85 markers", "<~87cURD]i,\"Ebo80~>junk", a85Of, "Hello World!", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := io.ReadAll(iotest.OneByteReader(tt.mk(strings.NewReader(tt.in))))
			if string(got) != tt.want || (err != nil) != tt.err {
				t.Errorf("got %q, err %v; want %q, error %v", got, err, tt.want, tt.err)
			}
		})
	}
}

func hexOf(r io.Reader) io.Reader { return &hexReader{r: bufioReader2(r)} }
func rlOf(r io.Reader) io.Reader  { return &runLengthReader{r: bufioReader2(r)} }
func a85Of(r io.Reader) io.Reader { return ascii85.NewDecoder(&a85Cleaner{r: bufioReader2(r)}) }

// pngRows encodes b as rows of cols bytes, each with a PNG filter byte,
// cycling through the five filters (None, Sub, Up, Average, Paeth).
func pngRows(b []byte, cols int) []byte {
	var out []byte
	prev := make([]byte, cols)
	for r := 0; r*cols < len(b); r++ {
		row := make([]byte, cols)
		copy(row, b[r*cols:min((r+1)*cols, len(b))])
		typ := byte(r % 5)
		out = append(out, typ)
		for i := range row {
			var left, upLeft byte
			if i > 0 {
				left, upLeft = row[i-1], prev[i-1]
			}
			up := prev[i]
			var pred byte
			switch typ {
			case 1:
				pred = left
			case 2:
				pred = up
			case 3:
				pred = byte((int(left) + int(up)) / 2)
			case 4:
				pred = paeth(left, up, upLeft)
			}
			out = append(out, row[i]-pred)
		}
		prev = row
	}
	return out
}

// tiffRows encodes b with TIFF predictor 2 in rows of cols one-byte
// pixels; the last row is padded with spaces.
func tiffRows(b []byte, cols int) []byte {
	for len(b)%cols != 0 {
		b = append(b, ' ')
	}
	out := make([]byte, len(b))
	for i := range b {
		if i%cols == 0 {
			out[i] = b[i]
		} else {
			out[i] = b[i] - b[i-1]
		}
	}
	return out
}

// runLength encodes b with RunLengthDecode's runs: repeats of three or
// more bytes as one, the rest copied, then the end marker.
func runLength(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); {
		j := i
		for j < len(b) && j-i < 128 && b[j] == b[i] {
			j++
		}
		if j-i >= 3 {
			out = append(out, byte(257-(j-i)), b[i])
			i = j
			continue
		}
		j = i
		for j < len(b) && j-i < 128 && !(j+2 < len(b) && b[j] == b[j+1] && b[j] == b[j+2]) {
			j++
		}
		if j == i {
			j++
		}
		out = append(out, byte(j-i-1))
		out = append(out, b[i:j]...)
		i = j
	}
	return append(out, 128)
}

// lzwEarly encodes b as LZWDecode does by default (/EarlyChange 1): codes
// of 9 to 12 bits, most significant bit first, a clear code (256) first
// and whenever the table is full, the code width growing one code before
// the table needs it, and the end code (257) last.
func lzwEarly(b []byte) []byte {
	var out []byte
	var acc uint32
	var bits uint
	width := uint(9)
	put := func(code int) {
		acc = acc<<width | uint32(code)
		bits += width
		for bits >= 8 {
			out = append(out, byte(acc>>(bits-8)))
			bits -= 8
		}
	}
	table := map[string]int{}
	next := 258
	reset := func() {
		clear(table)
		next, width = 258, 9
	}
	code := func(s string) int {
		if len(s) == 1 {
			return int(s[0])
		}
		return table[s]
	}
	put(256)
	prefix := ""
	for _, c := range b {
		s := prefix + string([]byte{c})
		if _, ok := table[s]; ok || len(s) == 1 {
			prefix = s
			continue
		}
		put(code(prefix))
		table[s] = next
		next++
		if next+1 > 1<<width && width < 12 {
			width++
		}
		if next >= 4094 {
			put(256)
			reset()
		}
		prefix = string([]byte{c})
	}
	if prefix != "" {
		put(code(prefix))
	}
	put(257)
	if bits > 0 {
		out = append(out, byte(acc<<(8-bits)))
	}
	return out
}

func bufioReader(b []byte) *bufio.Reader     { return bufio.NewReader(bytes.NewReader(b)) }
func bufioReader2(r io.Reader) *bufio.Reader { return bufio.NewReader(r) }

// FuzzDecodeStream feeds arbitrary stream data under every text filter
// and predictor to decodeStart, and arbitrary CMaps to embeddedCMap: they
// must return within their bounds, never panic, and the CMap's runs must
// be sorted and apart, as cid's binary search needs.
func FuzzDecodeStream(f *testing.F) {
	f.Add([]byte("48656c6c6f>"), uint8(0), []byte("1 begincodespacerange <00> <FF> endcodespacerange 1 begincidrange <00> <FF> 0 endcidrange"))
	f.Add([]byte("\x02abc\xfdx\x80"), uint8(3), []byte("2 begincidrange <41> <5A> 34 <30> <45> 7 endcidrange 1 begincidchar <20> 1 endcidchar"))
	f.Add(lzwEarly([]byte("BT /F1 12 Tf (learning) Tj ET")), uint8(4), []byte(""))
	f.Add([]byte("<~87cURD]i,\"Ebo80~>"), uint8(2), []byte("begincidrange <0000> <FFFF> 65535 endcidrange"))
	filters := []string{"/AHx", "/RL", "/A85", "/LZW", "[/AHx /LZW]", "/Fl /DecodeParms <</Predictor 12 /Columns 4>>",
		"/LZW /DecodeParms <</Predictor 2 /Columns 3 /EarlyChange 0>>", "[/A85 /Fl] /DecodeParms [null <</Predictor 15 /Columns 9999999>>]"}
	f.Fuzz(func(t *testing.T, data []byte, which uint8, cmapData []byte) {
		dict := "<</Filter " + filters[int(which)%len(filters)] + ">>"
		d, ok := (&rawLexer{b: []byte(dict)}).value(0)
		if !ok {
			t.Fatalf("test dictionary %s does not parse", dict)
		}
		if out, err := decodeStream(d, data, 1<<20); err == nil && len(out) > 1<<20 {
			t.Fatalf("%d bytes decoded, limit %d", len(out), 1<<20)
		}
		if m := embeddedCMap(cmapData); m != nil {
			for n, runs := range m.runs {
				for i := 1; i < len(runs); i++ {
					if runs[i].code < runs[i-1].code+runs[i-1].n {
						t.Fatalf("runs of length %d overlap: %+v", n, runs)
					}
				}
			}
			m.cid("\x41")
			m.cid("\x00\x41")
		}
	})
}
