package ingest

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/lzw"
	"compress/zlib"
	"encoding/ascii85"
	"fmt"
	"io"

	tifflzw "golang.org/x/image/tiff/lzw"
)

// This file decodes the streams prepare reads itself (object and
// cross-reference streams, and streams in filters the PDF library lacks),
// within limits. The library decodes FlateDecode (with the PNG Up
// predictor only) and ASCII85Decode; the decoders here exist for the rest
// of the standard's text filters, which it answers with a panic (the
// page's text is then lost): ASCIIHexDecode, LZWDecode (by
// golang.org/x/image/tiff/lzw, whose code-width change one code early is
// PDF's default /EarlyChange 1, or compress/lzw for /EarlyChange 0),
// RunLengthDecode, the abbreviated names, and every predictor.

// decodeStream undoes a stream's filters (see decodeStart) and gives at
// most limit bytes; more is an error.
func decodeStream(d rawValue, raw []byte, limit int64) ([]byte, error) {
	out, err := decodeStart(d, raw, limit+1)
	if int64(len(out)) > limit {
		return nil, fmt.Errorf("stream decodes to more than %d bytes", limit)
	}
	return out, err
}

// decodeStart decodes the first n bytes of a stream (fewer if it is
// shorter), decompressing no more than that needs. What decoded before a
// corrupt end is kept. The filters are those of textFilters; an image
// filter or an unknown one is an error.
func decodeStart(d rawValue, raw []byte, n int64) ([]byte, error) {
	filters := []rawValue{d.key("Filter")}
	parms := []rawValue{d.key("DecodeParms")}
	if f := d.key("Filter"); f.kind == rawArray {
		filters = f.arr
		parms = d.key("DecodeParms").arr
	}
	if len(filters) > 4 {
		return nil, fmt.Errorf("%d filters", len(filters))
	}
	var r io.Reader = bytes.NewReader(raw)
	for i, f := range filters {
		var p rawValue
		if i < len(parms) {
			p = parms[i]
		}
		var err error
		switch f.s {
		case "":
			if f.kind != rawNull {
				return nil, fmt.Errorf("filter %s", f.raw)
			}
		case "ASCIIHexDecode", "AHx":
			r = &hexReader{r: bufio.NewReader(r)}
		case "ASCII85Decode", "A85":
			r = ascii85.NewDecoder(&a85Cleaner{r: bufio.NewReader(r)})
		case "RunLengthDecode", "RL":
			r = &runLengthReader{r: bufio.NewReader(r)}
		case "FlateDecode", "Fl":
			r, err = predicted(inflater(r), p)
		case "LZWDecode", "LZW":
			if e := p.key("EarlyChange"); e.kind == rawInt && e.n == 0 {
				r, err = predicted(lzw.NewReader(r, lzw.MSB, 8), p)
			} else {
				r, err = predicted(tifflzw.NewReader(r, tifflzw.MSB, 8), p)
			}
		default:
			return nil, fmt.Errorf("filter /%s", f.s)
		}
		if err != nil {
			return nil, err
		}
	}
	return readSome(r, n)
}

// textFilters are the filters decodeStart undoes, by full and abbreviated
// name; libraryFilters those the PDF library undoes itself (FlateDecode
// only with no predictor or PNG Up, ASCII85Decode only without
// parameters; see needsDecoding).
var (
	textFilters = map[string]bool{"FlateDecode": true, "Fl": true, "ASCIIHexDecode": true, "AHx": true,
		"ASCII85Decode": true, "A85": true, "LZWDecode": true, "LZW": true, "RunLengthDecode": true, "RL": true}
	libraryFilters = map[string]bool{"FlateDecode": true, "ASCII85Decode": true}
)

// needsDecoding tells whether a stream with dictionary d must be decoded
// by decodeStart because the PDF library cannot: every filter is one
// decodeStart knows, and one of them the library does not (or not with
// its parameters).
func needsDecoding(d rawValue) bool {
	filters := []rawValue{d.key("Filter")}
	parms := []rawValue{d.key("DecodeParms")}
	if f := d.key("Filter"); f.kind == rawArray {
		filters = f.arr
		parms = d.key("DecodeParms").arr
	}
	need := false
	for i, f := range filters {
		if f.kind == rawNull && len(filters) == 1 {
			return false
		}
		if f.kind != rawName || !textFilters[f.s] {
			return false // an image filter: not text, left to the library
		}
		var p rawValue
		if i < len(parms) {
			p = parms[i]
		}
		pred := p.key("Predictor")
		switch {
		case !libraryFilters[f.s]:
			need = true
		case f.s == "ASCII85Decode" && p.kind == rawDict && len(p.dict) > 0:
			need = true
		case f.s == "FlateDecode" && pred.kind == rawInt && pred.n > 1 && pred.n != 12:
			need = true
		}
	}
	return need
}

// hexReader decodes ASCIIHexDecode: pairs of hexadecimal digits, white
// space ignored, up to ">"; an odd last digit is followed by 0.
type hexReader struct {
	r    *bufio.Reader
	done bool
}

func (h *hexReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) && !h.done {
		var digits [2]byte
		k := 0
		for k < 2 {
			c, err := h.r.ReadByte()
			if err != nil || c == '>' {
				h.done = true
				break
			}
			if v, ok := hexDigit(c); ok {
				digits[k] = v
				k++
			} else if !isWhite(c) {
				return n, fmt.Errorf("ASCIIHexDecode: byte %q", c)
			}
		}
		if k > 0 {
			p[n] = digits[0]<<4 | digits[1]
			n++
		}
	}
	if n == 0 && h.done {
		return 0, io.EOF
	}
	return n, nil
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// a85Cleaner hands encoding/ascii85 the data of an ASCII85Decode stream:
// up to its end marker "~>", without the optional "<~" before it.
type a85Cleaner struct {
	r     *bufio.Reader
	start bool
	done  bool
}

func (c *a85Cleaner) Read(p []byte) (int, error) {
	if !c.start {
		c.start = true
		if b, err := c.r.Peek(2); err == nil && string(b) == "<~" {
			c.r.Discard(2)
		}
	}
	n := 0
	for n < len(p) && !c.done {
		b, err := c.r.ReadByte()
		if err != nil || b == '~' {
			c.done = true
			break
		}
		p[n] = b
		n++
	}
	if n == 0 && c.done {
		return 0, io.EOF
	}
	return n, nil
}

// runLengthReader decodes RunLengthDecode: a length byte L, then L+1
// bytes to copy (L < 128) or one byte to repeat 257-L times (L > 128); 128
// ends the data.
type runLengthReader struct {
	r    *bufio.Reader
	rep  byte
	left int  // bytes of the current run still to give
	lit  bool // the run is copied, not repeated
	done bool
}

func (rl *runLengthReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if rl.left == 0 {
			if rl.done {
				break
			}
			l, err := rl.r.ReadByte()
			if err != nil || l == 128 {
				rl.done = true
				break
			}
			if l < 128 {
				rl.left, rl.lit = int(l)+1, true
			} else {
				b, err := rl.r.ReadByte()
				if err != nil {
					rl.done = true
					break
				}
				rl.left, rl.lit, rl.rep = 257-int(l), false, b
			}
		}
		if rl.lit {
			b, err := rl.r.ReadByte()
			if err != nil {
				rl.done, rl.left = true, 0
				break
			}
			p[n] = b
		} else {
			p[n] = rl.rep
		}
		n++
		rl.left--
	}
	if n == 0 && rl.done {
		return 0, io.EOF
	}
	return n, nil
}

// predicted undoes the predictor of parameters p, if any, on what r
// gives. A predictor works on whole rows: the stage is decoded within the
// overall bound first.
func predicted(r io.Reader, p rawValue) (io.Reader, error) {
	if pred := p.key("Predictor"); pred.kind != rawInt || pred.n <= 1 {
		return r, nil
	}
	b, err := readSome(r, maxStreamDecoded+1)
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > maxStreamDecoded {
		return nil, fmt.Errorf("stream decodes to more than %d bytes", int64(maxStreamDecoded))
	}
	if b, err = unpredict(b, p); err != nil {
		return nil, err
	}
	return bytes.NewReader(b), nil
}

// readSome reads up to n bytes of r; an error after some bytes ends the
// data without failing.
func readSome(r io.Reader, n int64) ([]byte, error) {
	out, err := io.ReadAll(io.LimitReader(r, n))
	if err != nil && len(out) == 0 {
		return nil, err
	}
	return out, nil
}

// inflater decompresses zlib data, or raw deflate data when the zlib
// header is missing.
func inflater(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if h, err := br.Peek(2); err == nil && h[0]&0x0f == 8 && (int(h[0])<<8|int(h[1]))%31 == 0 {
		if zr, err := zlib.NewReader(br); err == nil {
			return zr
		}
	}
	return flate.NewReader(br)
}

// unpredict undoes a PNG predictor (PDF 32000-1, 7.4.4.4) given in p.
func unpredict(b []byte, p rawValue) ([]byte, error) {
	pred := p.key("Predictor")
	if pred.kind != rawInt || pred.n <= 1 {
		return b, nil
	}
	if pred.n != 2 && pred.n < 10 {
		return nil, fmt.Errorf("predictor %d", pred.n)
	}
	cols, colors, bpc := int64(1), int64(1), int64(8)
	if c := p.key("Columns"); c.kind == rawInt {
		cols = c.n
	}
	if c := p.key("Colors"); c.kind == rawInt {
		colors = c.n
	}
	if c := p.key("BitsPerComponent"); c.kind == rawInt {
		bpc = c.n
	}
	if cols < 1 || cols > 1<<16 || colors < 1 || colors > 32 || bpc < 1 || bpc > 16 {
		return nil, fmt.Errorf("predictor parameters %s", p.raw)
	}
	bpp := int((colors*bpc + 7) / 8)
	rowLen := int((cols*colors*bpc + 7) / 8)
	if pred.n == 2 {
		// TIFF predictor 2: each byte the difference from the one a
		// pixel before, for 8-bit components (others are images).
		if bpc != 8 {
			return nil, fmt.Errorf("TIFF predictor with %d bits per component", bpc)
		}
		out := append([]byte(nil), b...)
		for i := range out {
			if i%rowLen >= bpp {
				out[i] += out[i-bpp]
			}
		}
		return out, nil
	}
	prev := make([]byte, rowLen)
	out := make([]byte, 0, len(b))
	for len(b) > rowLen {
		typ, row := b[0], b[1:rowLen+1]
		b = b[rowLen+1:]
		cur := make([]byte, rowLen)
		for i := range row {
			var left, upLeft byte
			if i >= bpp {
				left, upLeft = cur[i-bpp], prev[i-bpp]
			}
			up := prev[i]
			switch typ {
			case 0:
				cur[i] = row[i]
			case 1:
				cur[i] = row[i] + left
			case 2:
				cur[i] = row[i] + up
			case 3:
				cur[i] = row[i] + byte((int(left)+int(up))/2)
			case 4:
				cur[i] = row[i] + paeth(left, up, upLeft)
			default:
				return nil, fmt.Errorf("PNG row filter %d", typ)
			}
		}
		out = append(out, cur...)
		prev = cur
	}
	return out, nil
}

func paeth(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	switch {
	case pa <= pb && pa <= pc:
		return a
	case pb <= pc:
		return b
	}
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
