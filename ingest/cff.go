package ingest

import (
	"encoding/binary"
)

// A bare CFF font program (a PDF's FontFile3 of /Subtype /Type1C) carries
// its own encoding: which glyph each code draws, and through the charset
// each glyph's name (Adobe Technical Note #5176, "The Compact Font Format
// Specification"). A simple font without /Encoding, or with /Differences
// over no base, uses that built-in encoding; reading it with
// StandardEncoding instead turns a Greek face's alpha, beta … into Latin
// letters. No maintained Go module reads the encoding and charset of a
// bare CFF (golang.org/x/image/font/sfnt parses CFF only inside an OpenType
// file, for outlines), so cffEncoding reads the few structures it needs.

// cffEncoding returns the glyph text of each of the 256 codes of a bare
// CFF font program by its built-in encoding and glyph names; nil when the
// program is not a readable name-keyed CFF or its encoding is the
// predefined Standard or Expert encoding (StandardEncoding is the default
// anyway). Malformed input gives nil, never a panic.
func cffEncoding(data []byte) *[256]string {
	c := cffReader{b: data}
	if len(data) < 4 || data[0] != 1 {
		return nil
	}
	c.pos = int(data[2])
	if _, ok := c.index(); !ok { // Name INDEX
		return nil
	}
	top, ok := c.index()
	if !ok || len(top) == 0 {
		return nil
	}
	strs, ok := c.index()
	if !ok {
		return nil
	}
	dict := cffDictOf(top[0])
	if _, cid := dict[0x0c1e]; cid { // ROS: CID-keyed, no encoding
		return nil
	}
	encOff, charsetOff, csOff := dict.int(16, 0), dict.int(15, 0), dict.int(17, -1)
	if encOff <= 1 || csOff < 0 {
		return nil
	}
	c.pos = csOff
	nGlyphs, ok := c.card16()
	if !ok || nGlyphs == 0 {
		return nil
	}
	sids := c.charset(charsetOff, nGlyphs)
	if sids == nil {
		return nil
	}
	name := func(sid int) string {
		switch {
		case sid < len(cffStandardStrings):
			return cffStandardStrings[sid]
		case sid-len(cffStandardStrings) < len(strs):
			return string(strs[sid-len(cffStandardStrings)])
		}
		return ""
	}
	var t [256]string
	found := false
	set := func(code int, gid int) {
		if code >= 0 && code < 256 && gid > 0 && gid < len(sids) {
			if s := glyphText(name(sids[gid])); s != "" {
				t[code] = s
				found = true
			}
		}
	}
	c.pos = encOff
	format, ok := c.card8()
	if !ok {
		return nil
	}
	switch format & 0x7f {
	case 0:
		n, _ := c.card8()
		for gid := 1; gid <= n; gid++ {
			code, ok := c.card8()
			if !ok {
				return nil
			}
			set(code, gid)
		}
	case 1:
		n, _ := c.card8()
		gid := 1
		for i := 0; i < n; i++ {
			first, ok1 := c.card8()
			left, ok2 := c.card8()
			if !ok1 || !ok2 {
				return nil
			}
			for code := first; code <= first+left; code++ {
				set(code, gid)
				gid++
			}
		}
	default:
		return nil
	}
	if format&0x80 != 0 { // supplements: more codes for named glyphs
		n, _ := c.card8()
		for i := 0; i < n; i++ {
			code, ok1 := c.card8()
			sid, ok2 := c.card16()
			if !ok1 || !ok2 {
				break
			}
			for gid, s := range sids {
				if s == sid {
					set(code, gid)
					break
				}
			}
		}
	}
	if !found {
		return nil
	}
	return &t
}

// cffReader reads big-endian CFF structures from b at pos; every read
// past the end fails.
type cffReader struct {
	b   []byte
	pos int
}

func (c *cffReader) card8() (int, bool) {
	if c.pos < 0 || c.pos >= len(c.b) {
		return 0, false
	}
	c.pos++
	return int(c.b[c.pos-1]), true
}

func (c *cffReader) card16() (int, bool) {
	if c.pos < 0 || c.pos+2 > len(c.b) {
		return 0, false
	}
	c.pos += 2
	return int(binary.BigEndian.Uint16(c.b[c.pos-2:])), true
}

func (c *cffReader) offset(size int) (int, bool) {
	if c.pos < 0 || c.pos+size > len(c.b) {
		return 0, false
	}
	v := 0
	for _, x := range c.b[c.pos : c.pos+size] {
		v = v<<8 | int(x)
	}
	c.pos += size
	return v, true
}

// index reads an INDEX and returns its items.
func (c *cffReader) index() ([][]byte, bool) {
	count, ok := c.card16()
	if !ok {
		return nil, false
	}
	if count == 0 {
		return nil, true
	}
	size, ok := c.card8()
	if !ok || size < 1 || size > 4 || c.pos+(count+1)*size > len(c.b) {
		return nil, false
	}
	offs := make([]int, count+1)
	for i := range offs {
		offs[i], _ = c.offset(size)
	}
	base := c.pos - 1
	items := make([][]byte, count)
	for i := range items {
		s, e := base+offs[i], base+offs[i+1]
		if offs[i] < 1 || s > e || e > len(c.b) {
			return nil, false
		}
		items[i] = c.b[s:e]
	}
	c.pos = base + offs[count]
	return items, true
}

// charset returns the SID of each of the n glyphs (glyph 0 is .notdef):
// a predefined charset for offsets 0-2 (ISOAdobe, where glyph i has SID
// i; the expert ones are not read), else the charset at off.
func (c *cffReader) charset(off, n int) []int {
	sids := make([]int, n)
	if off == 0 {
		for i := range sids {
			sids[i] = i
		}
		return sids
	}
	if off <= 2 {
		return nil
	}
	c.pos = off
	format, ok := c.card8()
	if !ok {
		return nil
	}
	switch format {
	case 0:
		for gid := 1; gid < n; gid++ {
			if sids[gid], ok = c.card16(); !ok {
				return nil
			}
		}
	case 1, 2:
		for gid := 1; gid < n; {
			first, ok1 := c.card16()
			var left int
			var ok2 bool
			if format == 1 {
				left, ok2 = c.card8()
			} else {
				left, ok2 = c.card16()
			}
			if !ok1 || !ok2 {
				return nil
			}
			for sid := first; sid <= first+left && gid < n; sid++ {
				sids[gid] = sid
				gid++
			}
		}
	default:
		return nil
	}
	return sids
}

// cffDict is a Top DICT: each operator (two-byte ones as 0x0c00|b1) with
// its operands.
type cffDict map[int][]float64

func (d cffDict) int(op, def int) int {
	if v := d[op]; len(v) > 0 && v[0] >= 0 && v[0] < 1<<30 {
		return int(v[0])
	}
	return def
}

// cffDictOf reads a DICT's operands and operators; reals are skipped
// (kept as 0), as none of the operators read here takes one.
func cffDictOf(b []byte) cffDict {
	d := cffDict{}
	var ops []float64
	for i := 0; i < len(b); {
		b0 := int(b[i])
		switch {
		case b0 <= 21:
			op := b0
			i++
			if b0 == 12 {
				if i >= len(b) {
					return d
				}
				op = 0x0c00 | int(b[i])
				i++
			}
			d[op] = ops
			ops = nil
		case b0 == 28:
			if i+3 > len(b) {
				return d
			}
			ops = append(ops, float64(int16(binary.BigEndian.Uint16(b[i+1:]))))
			i += 3
		case b0 == 29:
			if i+5 > len(b) {
				return d
			}
			ops = append(ops, float64(int32(binary.BigEndian.Uint32(b[i+1:]))))
			i += 5
		case b0 == 30:
			i++
			for i < len(b) && b[i]&0x0f != 0x0f && b[i]>>4 != 0x0f {
				i++
			}
			i++
			ops = append(ops, 0)
		case b0 >= 32 && b0 <= 246:
			ops = append(ops, float64(b0-139))
			i++
		case b0 >= 247 && b0 <= 254:
			if i+2 > len(b) {
				return d
			}
			v := (b0-247)*256 + int(b[i+1]) + 108
			if b0 >= 251 {
				v = -(b0-251)*256 - int(b[i+1]) - 108
			}
			ops = append(ops, float64(v))
			i += 2
		default: // reserved
			i++
		}
	}
	return d
}
