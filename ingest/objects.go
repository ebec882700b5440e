package ingest

import (
	"bytes"
	"strconv"
)

// This file reads the objects of a PDF file without its cross-reference
// table, for decrypt.go: each "N G obj … endobj" found in the bytes is
// parsed into a pval, a stream keeps its raw data, and values can be
// written back in PDF syntax. It is not a general PDF reader (the PDF
// library is); it exists so that an encrypted file can be rewritten
// unencrypted for the library to read.

// pkind is the type of a parsed PDF value.
type pkind uint8

const (
	pNull pkind = iota
	pKeyword
	pNumber
	pName
	pString
	pArray
	pDict
	pRef
)

// pval is a parsed PDF value. A dictionary keeps its entries in order as
// alternating name keys and values in arr.
type pval struct {
	kind pkind
	s    string // number or keyword text, decoded name, string bytes
	arr  []pval
	num  int // reference: object number
	gen  int // reference: generation
}

// key returns the value of a dictionary entry (pNull when absent).
func (v pval) key(k string) pval {
	if v.kind != pDict {
		return pval{}
	}
	for i := 0; i+1 < len(v.arr); i += 2 {
		if v.arr[i].s == k {
			return v.arr[i+1]
		}
	}
	return pval{}
}

// set replaces or adds a dictionary entry.
func (v *pval) set(k string, x pval) {
	for i := 0; i+1 < len(v.arr); i += 2 {
		if v.arr[i].s == k {
			v.arr[i+1] = x
			return
		}
	}
	v.arr = append(v.arr, pval{kind: pName, s: k}, x)
}

// int returns an integer value (0 for anything else).
func (v pval) int() int {
	if v.kind != pNumber {
		return 0
	}
	n, err := strconv.Atoi(v.s)
	if err != nil {
		f, ferr := strconv.ParseFloat(v.s, 64)
		if ferr != nil || f != f || f > 1<<40 || f < -(1<<40) {
			return 0
		}
		return int(f)
	}
	return n
}

func numVal(n int) pval { return pval{kind: pNumber, s: strconv.Itoa(n)} }

// Limits of the object parser: nesting of arrays and dictionaries, and
// elements of one array or dictionary.
const (
	maxObjDepth = 64
	maxObjElems = 1 << 20
)

// objParser parses PDF values from b starting at i.
type objParser struct {
	b []byte
	i int
}

func (p *objParser) skipSpace() {
	for p.i < len(p.b) {
		c := p.b[p.i]
		if c == '%' {
			for p.i < len(p.b) && p.b[p.i] != '\n' && p.b[p.i] != '\r' {
				p.i++
			}
			continue
		}
		if !isPDFSpace(c) {
			return
		}
		p.i++
	}
}

// word reads a run of regular characters.
func (p *objParser) word() string {
	j := p.i
	for j < len(p.b) && !isPDFSpace(p.b[j]) && !isPDFDelim(p.b[j]) {
		j++
	}
	w := string(p.b[p.i:j])
	p.i = j
	return w
}

// value parses one value; ok is false at the end of the input, on a
// closing bracket or on a syntax error.
func (p *objParser) value(depth int) (pval, bool) {
	p.skipSpace()
	if p.i >= len(p.b) || depth > maxObjDepth {
		return pval{}, false
	}
	c := p.b[p.i]
	switch {
	case c == '/':
		p.i++
		return pval{kind: pName, s: decodeName(p.word())}, true
	case c == '(':
		lx := cmapLexer{b: p.b, i: p.i}
		s := lx.literal()
		p.i = lx.i
		return pval{kind: pString, s: s}, true
	case c == '<' && p.i+1 < len(p.b) && p.b[p.i+1] == '<':
		p.i += 2
		return p.container(pDict, ">>", depth)
	case c == '<':
		end := bytes.IndexByte(p.b[p.i:], '>')
		if end < 0 {
			return pval{}, false
		}
		s := hexBytes(p.b[p.i+1 : p.i+end])
		p.i += end + 1
		return pval{kind: pString, s: s}, true
	case c == '[':
		p.i++
		return p.container(pArray, "]", depth)
	case c == ']' || c == '>' || c == ')' || c == '{' || c == '}':
		return pval{}, false
	}
	w := p.word()
	if w == "" {
		return pval{}, false
	}
	if _, err := strconv.ParseFloat(w, 64); err != nil {
		switch w {
		case "null":
			return pval{}, true
		case "obj", "endobj", "stream", "endstream", "trailer", "xref", "startxref":
			// Never inside a value: the value before it is broken, and
			// stopping here keeps a broken value from swallowing the
			// objects after it.
			p.i -= len(w)
			return pval{}, false
		}
		return pval{kind: pKeyword, s: w}, true
	}
	// "N G R" is a reference.
	if n, err := strconv.Atoi(w); err == nil && n >= 0 {
		save := p.i
		p.skipSpace()
		g, gerr := strconv.Atoi(p.word())
		p.skipSpace()
		if gerr == nil && g >= 0 && p.i < len(p.b) && p.b[p.i] == 'R' && (p.i+1 == len(p.b) || isPDFSpace(p.b[p.i+1]) || isPDFDelim(p.b[p.i+1])) {
			p.i++
			return pval{kind: pRef, num: n, gen: g}, true
		}
		p.i = save
	}
	return pval{kind: pNumber, s: w}, true
}

func (p *objParser) container(kind pkind, closing string, depth int) (pval, bool) {
	v := pval{kind: kind}
	for len(v.arr) < maxObjElems {
		p.skipSpace()
		if bytes.HasPrefix(p.b[p.i:], []byte(closing)) {
			p.i += len(closing)
			if kind == pDict && len(v.arr)%2 == 1 {
				v.arr = v.arr[:len(v.arr)-1]
			}
			return v, true
		}
		x, ok := p.value(depth + 1)
		if !ok {
			return v, false
		}
		if kind == pDict && len(v.arr)%2 == 0 && x.kind != pName {
			return v, false
		}
		v.arr = append(v.arr, x)
	}
	return v, false
}

func decodeName(raw string) string {
	if !bytes.ContainsRune([]byte(raw), '#') {
		return raw
	}
	var out []byte
	for i := 0; i < len(raw); i++ {
		if raw[i] == '#' && i+2 < len(raw) {
			if v, err := strconv.ParseUint(raw[i+1:i+3], 16, 8); err == nil {
				out = append(out, byte(v))
				i += 2
				continue
			}
		}
		out = append(out, raw[i])
	}
	return string(out)
}

// pobj is an indirect object found in a file.
type pobj struct {
	num, gen int
	v        pval
	stream   []byte // raw stream data, nil when the object is no stream
	isStream bool
	at, end  int // byte range of the object in the file
}

// scanPlainObjects finds the indirect objects of a PDF file by their
// "N G obj" headers, in file order, skipping over stream data. A first pass
// notes where every header is, so that a stream's indirect /Length can be
// read from an object further on. The number of objects is bounded by the
// file's size.
func scanPlainObjects(data []byte) []pobj {
	heads := map[int]int{} // object number → offset of its last header
	eachHeader(data, 0, func(start, num, _ int) int {
		heads[num] = start
		return -1
	})
	var objs []pobj
	eachHeader(data, 0, func(start, num, gen int) int {
		o, ok := parseObject(data, start, heads)
		if !ok {
			return o.end // where parsing stopped: a broken value is not read again
		}
		o.num, o.gen = num, gen
		objs = append(objs, o)
		return o.end
	})
	return objs
}

// eachHeader calls fn with the start and numbers of every "N G obj" header
// from offset i on; fn returns where to go on looking (right after the
// header when that is further).
func eachHeader(data []byte, i int, fn func(start, num, gen int) int) {
	for {
		j := bytes.Index(data[i:], []byte("obj"))
		if j < 0 {
			return
		}
		at := i + j
		i = at + 3
		start, num, gen, ok := objHeader(data, at)
		if !ok {
			continue
		}
		if next := fn(start, num, gen); next > i {
			i = next
		}
	}
}

// objHeader checks that "obj" at data[at:] ends an "N G obj" header and
// returns the header's start and numbers.
func objHeader(data []byte, at int) (start, num, gen int, ok bool) {
	if e := at + 3; e < len(data) && !isPDFSpace(data[e]) && !isPDFDelim(data[e]) {
		return 0, 0, 0, false
	}
	k := at
	digits := func() (int, bool) {
		for k > 0 && isPDFSpace(data[k-1]) {
			k--
		}
		end := k
		for k > 0 && end-k < 10 && data[k-1] >= '0' && data[k-1] <= '9' {
			k--
		}
		if k == end {
			return 0, false
		}
		n, err := strconv.Atoi(string(data[k:end]))
		return n, err == nil
	}
	if gen, ok = digits(); !ok || k == at {
		return 0, 0, 0, false
	}
	if num, ok = digits(); !ok {
		return 0, 0, 0, false
	}
	if k > 0 && !isPDFSpace(data[k-1]) && !isPDFDelim(data[k-1]) {
		return 0, 0, 0, false
	}
	return k, num, gen, true
}

// header moves past an "N G obj" header.
func (p *objParser) header() bool {
	p.word()
	p.skipSpace()
	p.word()
	p.skipSpace()
	return p.word() == "obj"
}

// parseObject parses the indirect object whose header starts at start.
func parseObject(data []byte, start int, heads map[int]int) (pobj, bool) {
	p := &objParser{b: data, i: start}
	if !p.header() {
		return pobj{}, false
	}
	v, ok := p.value(0)
	if !ok {
		return pobj{end: p.i}, false
	}
	o := pobj{v: v, at: start}
	p.skipSpace()
	if v.kind == pDict && bytes.HasPrefix(data[p.i:], []byte("stream")) {
		p.i += len("stream")
		if p.i < len(data) && data[p.i] == '\r' {
			p.i++
		}
		if p.i < len(data) && data[p.i] == '\n' {
			p.i++
		}
		o.isStream = true
		o.stream, p.i = streamData(data, p.i, streamLength(data, v.key("Length"), heads))
	}
	p.skipSpace()
	if bytes.HasPrefix(data[p.i:], []byte("endobj")) {
		p.i += len("endobj")
	}
	o.end = p.i
	return o, true
}

// streamLength is the value of a stream's /Length, read from the object it
// refers to when indirect; -1 when unknown.
func streamLength(data []byte, l pval, heads map[int]int) int {
	if l.kind == pRef {
		at, ok := heads[l.num]
		if !ok {
			return -1
		}
		p := &objParser{b: data, i: at}
		if !p.header() {
			return -1
		}
		l, _ = p.value(maxObjDepth)
	}
	if l.kind != pNumber {
		return -1
	}
	return l.int()
}

// streamData returns the data of a stream starting at from and the offset
// after "endstream": by the declared length when "endstream" follows it,
// else up to the next "endstream" (line end before it removed).
func streamData(data []byte, from, length int) ([]byte, int) {
	if length >= 0 && length <= len(data)-from {
		rest := data[from+length:]
		k := 0
		for k < len(rest) && isPDFSpace(rest[k]) {
			k++
		}
		if bytes.HasPrefix(rest[k:], []byte("endstream")) {
			return data[from : from+length], from + length + k + len("endstream")
		}
	}
	j := bytes.Index(data[from:], []byte("endstream"))
	if j < 0 {
		return data[from:], len(data)
	}
	end := from + j
	if end > from && data[end-1] == '\n' {
		end--
	}
	if end > from && data[end-1] == '\r' {
		end--
	}
	return data[from:end], from + j + len("endstream")
}

// writeVal writes v in PDF syntax; strings are written as hex strings.
func writeVal(b *bytes.Buffer, v pval) {
	switch v.kind {
	case pNull:
		b.WriteString("null")
	case pKeyword, pNumber:
		b.WriteString(v.s)
	case pName:
		b.WriteByte('/')
		for i := 0; i < len(v.s); i++ {
			c := v.s[i]
			if c <= ' ' || c >= 0x7f || c == '#' || isPDFDelim(c) {
				b.WriteString("#")
				b.WriteString(strconv.FormatUint(uint64(c)|0x100, 16)[1:])
				continue
			}
			b.WriteByte(c)
		}
	case pString:
		b.WriteByte('<')
		for i := 0; i < len(v.s); i++ {
			b.WriteString(strconv.FormatUint(uint64(v.s[i])|0x100, 16)[1:])
		}
		b.WriteByte('>')
	case pArray, pDict:
		open, closing := "[", "]"
		if v.kind == pDict {
			open, closing = "<<", ">>"
		}
		b.WriteString(open)
		for i, x := range v.arr {
			if i > 0 {
				b.WriteByte(' ')
			}
			writeVal(b, x)
		}
		b.WriteString(closing)
	case pRef:
		b.WriteString(strconv.Itoa(v.num))
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(v.gen))
		b.WriteString(" R")
	}
}
