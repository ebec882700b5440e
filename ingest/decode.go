package ingest

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/zlib"
	"fmt"
	"io"
)

// This file decodes the streams prepare reads itself (object and
// cross-reference streams), within limits.

// decodeStream undoes a stream's filters (FlateDecode, with or without a
// PNG predictor; none) and gives at most limit bytes; more is an error.
func decodeStream(d rawValue, raw []byte, limit int64) ([]byte, error) {
	out, err := decodeStart(d, raw, limit+1)
	if int64(len(out)) > limit {
		return nil, fmt.Errorf("stream decodes to more than %d bytes", limit)
	}
	return out, err
}

// decodeStart decodes the first n bytes of a stream (fewer if it is
// shorter), decompressing no more than that needs. What decoded before a
// corrupt end is kept.
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
		switch f.s {
		case "":
			if f.kind != rawNull {
				return nil, fmt.Errorf("filter %s", f.raw)
			}
		case "FlateDecode", "Fl":
			r = inflater(r)
			if pred := p.key("Predictor"); pred.kind == rawInt && pred.n > 1 {
				// A predictor works on whole rows: decode this stage
				// within the overall bound, then undo it.
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
				r = bytes.NewReader(b)
			}
		default:
			return nil, fmt.Errorf("filter /%s", f.s)
		}
	}
	return readSome(r, n)
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
	if pred.n < 10 {
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
