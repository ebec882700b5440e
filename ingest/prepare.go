package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
)

// This file checks a PDF's cross-reference data on the raw bytes before the
// PDF library reads them, and rebuilds it when it is missing, broken or
// would make the library allocate without bound (see the package doc).

// Limits of prepare.
const (
	// maxObjects bounds the object numbers of any file; the PDF library
	// allocates a table entry (about 40 bytes) per object number up to
	// the highest.
	maxObjects = 8 << 20
	// maxXrefSections bounds a chain of /Prev sections.
	maxXrefSections = 64
	// maxStreamDecoded bounds one decoded object or cross-reference
	// stream, maxDecodedTotal all of them in one file.
	maxStreamDecoded = 64 << 20
	maxDecodedTotal  = 256 << 20
)

// objectLimit is the highest object number a file of size bytes may use: one
// object per byte and a little slack, at most maxObjects.
func objectLimit(size int) int64 {
	return min(int64(size)+1024, maxObjects)
}

// objLoc is where an object is: at offset off of the file (stm == 0) or at
// index idx of object stream stm.
type objLoc struct {
	off int64
	gen int64
	stm int64
	idx int64
}

// xrefData is a file's cross-reference data: where each object is and the
// newest trailer dictionary.
type xrefData struct {
	objs    map[int64]objLoc
	trailer rawValue
}

// prepared is what prepare hands on: the bytes the library reads and
// whether the cross-reference data had to be rebuilt.
type prepared struct {
	data     []byte // the file, possibly with its header line patched
	tail     []byte // appended objects and cross-reference stream, or nil
	repaired bool
	why      string // why it was repaired
	// encrypted is set for a file whose trailer names /Encrypt: prepare
	// can neither unpack its object streams nor decode its streams (they
	// are encrypted), so the file is to be decrypted by lcity (decryptPDF,
	// see decrypt.go for why not by the library) and prepared again.
	encrypted bool
}

func (p prepared) size() int64 { return int64(len(p.data) + len(p.tail)) }

// bytes returns the file followed by the tail: the file itself, not a
// copy, when there is no tail.
func (p prepared) bytes() []byte {
	if len(p.tail) == 0 {
		return p.data
	}
	return append(p.data[:len(p.data):len(p.data)], p.tail...)
}

// ReadAt reads the file followed by the tail.
func (p prepared) ReadAt(b []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("negative offset")
	}
	n := 0
	if off < int64(len(p.data)) {
		n = copy(b, p.data[off:])
	}
	if n < len(b) {
		if t := off + int64(n) - int64(len(p.data)); t < int64(len(p.tail)) {
			n += copy(b[n:], p.tail[t:])
		}
	}
	if n < len(b) {
		return n, io.EOF
	}
	return n, nil
}

// errNoCatalog is the failure of a repair that found no document catalog.
var errNoCatalog = errors.New("no cross-reference data and no document catalog found by scanning")

// prepare checks data (a whole PDF file) and returns what the PDF library
// may read safely. When the cross-reference data is sound and no object
// lives in an object stream, the file goes as it is. Object streams of an
// unencrypted file are unpacked once into plain objects appended to the
// file (the library would parse a stream again for every object it reads
// from it). When the cross-reference data is missing, inconsistent or out
// of bounds, or force is set, it is rebuilt by scanning the file for
// objects. The result then carries a fresh cross-reference stream of
// lcity's own at its end.
func prepare(data []byte, force bool) (prepared, error) {
	p := prepared{data: data}
	if k := bytes.Index(data[:min(len(data), 1024)], []byte("%PDF-")); k >= 9 {
		// Junk before the header: the library wants the header at byte 0.
		// Overwrite the start (offsets stay; they are checked below).
		p.data = append([]byte("%PDF-1.7\n"), data[9:]...)
		force = true
		p.why = "header not at the start"
	}
	p.data = clampColumns(p.data)
	limit := objectLimit(len(data))
	x, err := readXref(p.data, limit)
	if err == nil && !force {
		err = checkOffsets(p.data, x)
	}
	if err != nil || force {
		if err != nil {
			p.why = err.Error()
		}
		x = scanObjects(p.data, limit)
		p.repaired = true
	}
	_, encrypted := x.trailer.dict["Encrypt"]
	hasStreams := false
	for _, l := range x.objs {
		if l.stm != 0 {
			hasStreams = true
			break
		}
	}
	p.encrypted = encrypted
	decode := !encrypted && mayNeedDecoding(p.data)
	if !p.repaired && !decode && (!hasStreams || encrypted) {
		return p, nil
	}
	var tail bytes.Buffer
	if !encrypted {
		unpackStreams(p.data, x, int64(len(p.data)), &tail)
	}
	if decode {
		decodeForLibrary(p.data, x, int64(len(p.data)), &tail)
	}
	if x.trailer.key("Root").kind != rawRef {
		root, ok := findCatalog(p.data, tail.Bytes(), x)
		if !ok {
			return prepared{}, fmt.Errorf("%w (%s)", errNoCatalog, p.why)
		}
		if x.trailer.dict == nil {
			x.trailer = rawValue{kind: rawDict, dict: map[string]rawValue{}}
		}
		x.trailer.dict["Root"] = rawValue{kind: rawRef, n: root, raw: fmt.Appendf(nil, "%d 0 R", root)}
	}
	writeXrefStream(&tail, x, int64(len(p.data)))
	p.tail = clampColumns(tail.Bytes())
	return p, nil
}

// maxColumns bounds a predictor's /Columns: the PDF library allocates a
// row of that many bytes for a stream it decodes.
const maxColumns = 1 << 16

// clampColumns overwrites each /Columns value above maxColumns with 1
// (padded with blanks, so no offset moves); such a stream is garbage
// anyway. b is copied before the first change.
func clampColumns(b []byte) []byte {
	copied := false
	for i := 0; ; {
		k := bytes.Index(b[i:], []byte("/Columns"))
		if k < 0 {
			return b
		}
		lx := &rawLexer{b: b, i: i + k + len("/Columns")}
		lx.skip()
		start := lx.i
		n, ok := lx.integer()
		i = max(lx.i, i+k+1)
		if !ok || (n >= 0 && n <= maxColumns) {
			continue
		}
		if !copied {
			b, copied = append([]byte(nil), b...), true
		}
		b[start] = '1'
		for j := start + 1; j < lx.i; j++ {
			b[j] = ' '
		}
	}
}

// readXref reads the cross-reference sections from startxref back through
// /Prev, checking every number against limit before it is used.
func readXref(data []byte, limit int64) (xrefData, error) {
	x := xrefData{objs: map[int64]objLoc{}}
	tail := data[max(0, len(data)-1024):]
	k := bytes.LastIndex(tail, []byte("startxref"))
	if k < 0 {
		return x, errors.New("no startxref")
	}
	lx := &rawLexer{b: tail, i: k + len("startxref")}
	off, ok := lx.integer()
	seen := map[int64]bool{}
	for ok {
		if off <= 0 || off >= int64(len(data)) {
			return x, fmt.Errorf("cross-reference section at %d outside the %d-byte file", off, len(data))
		}
		if seen[off] || len(seen) >= maxXrefSections {
			return x, fmt.Errorf("cross-reference sections loop back to offset %d", off)
		}
		seen[off] = true
		lx := &rawLexer{b: data, i: int(off)}
		var trailer rawValue
		var err error
		if lx.keyword("xref") {
			trailer, err = readXrefTable(lx, x.objs, limit)
		} else {
			trailer, err = readXrefStream(data, lx, x.objs, limit)
		}
		if err != nil {
			return x, err
		}
		if x.trailer.dict == nil {
			x.trailer = trailer
			if s := trailer.key("Size"); s.kind != rawInt || s.n < 0 || s.n > limit {
				return x, fmt.Errorf("trailer /Size %s: a %d-byte file holds at most %d objects", s.raw, len(data), limit)
			}
		}
		if hyb := trailer.key("XRefStm"); hyb.kind == rawInt && !seen[hyb.n] && hyb.n > 0 && hyb.n < int64(len(data)) {
			seen[hyb.n] = true
			if _, err := readXrefStream(data, &rawLexer{b: data, i: int(hyb.n)}, x.objs, limit); err != nil {
				return x, err
			}
		}
		prev := trailer.key("Prev")
		off, ok = prev.n, prev.kind == rawInt
	}
	if x.trailer.dict == nil {
		return x, errors.New("no trailer")
	}
	// The library reads no object numbered /Size or above: a file whose
	// table lists more (pdfunite writes such files) would lose them,
	// pages among them, without a word.
	size, top := x.trailer.key("Size").n, int64(-1)
	for n, l := range x.objs {
		if n >= size && l.off != -1 {
			top = max(top, n)
		}
	}
	if top >= 0 {
		return x, fmt.Errorf("trailer /Size %d, but the cross-reference data lists object %d", size, top)
	}
	return x, nil
}

// subsection checks one cross-reference subsection's range.
func subsection(start, count, limit int64, size int) error {
	if start < 0 || count < 0 || start > limit || count > limit-start {
		return fmt.Errorf("cross-reference subsection of %d objects from object %d: a %d-byte file holds at most %d objects", count, start, size, limit)
	}
	return nil
}

// readXrefTable reads a classic table after its "xref" keyword, adding the
// entries objs lacks, and returns its trailer.
func readXrefTable(lx *rawLexer, objs map[int64]objLoc, limit int64) (rawValue, error) {
	for {
		if lx.keyword("trailer") {
			d, ok := lx.value(0)
			if !ok || d.kind != rawDict {
				return rawValue{}, errors.New("trailer is not a dictionary")
			}
			return d, nil
		}
		start, ok1 := lx.integer()
		count, ok2 := lx.integer()
		if !ok1 || !ok2 {
			return rawValue{}, errors.New("malformed cross-reference table")
		}
		if err := subsection(start, count, limit, len(lx.b)); err != nil {
			return rawValue{}, err
		}
		// Each entry takes 20 bytes (18 without its line end).
		if count > int64(len(lx.b)-lx.i)/18 {
			return rawValue{}, fmt.Errorf("cross-reference subsection of %d objects longer than the file", count)
		}
		for n := start; n < start+count; n++ {
			off, ok1 := lx.integer()
			gen, ok2 := lx.integer()
			lx.skip()
			kind := lx.word()
			if !ok1 || !ok2 || len(kind) != 1 || (kind[0] != 'n' && kind[0] != 'f') {
				return rawValue{}, fmt.Errorf("malformed cross-reference entry for object %d", n)
			}
			if _, done := objs[n]; done {
				continue
			}
			if kind[0] == 'f' || off == 0 {
				objs[n] = objLoc{off: -1}
				continue
			}
			objs[n] = objLoc{off: off, gen: gen}
		}
	}
}

// readXrefStream reads a cross-reference stream object at lx, adding the
// entries objs lacks, and returns its dictionary.
func readXrefStream(data []byte, lx *rawLexer, objs map[int64]objLoc, limit int64) (rawValue, error) {
	if _, _, ok := lx.objHeader(); !ok {
		return rawValue{}, errors.New("no cross-reference table or stream at startxref")
	}
	d, ok := lx.value(0)
	if !ok || d.kind != rawDict || d.key("Type").s != "XRef" {
		return rawValue{}, errors.New("cross-reference stream without /Type /XRef")
	}
	size := d.key("Size")
	if size.kind != rawInt {
		return rawValue{}, errors.New("cross-reference stream without /Size")
	}
	if err := subsection(0, size.n, limit, len(data)); err != nil {
		return rawValue{}, fmt.Errorf("cross-reference stream /Size %d: %w", size.n, err)
	}
	var w [3]int
	ws := d.key("W")
	if len(ws.arr) != 3 {
		return rawValue{}, fmt.Errorf("cross-reference stream /W %s", ws.raw)
	}
	for i, v := range ws.arr {
		if v.kind != rawInt || v.n < 0 || v.n > 8 {
			return rawValue{}, fmt.Errorf("cross-reference stream /W %s", ws.raw)
		}
		w[i] = int(v.n)
	}
	index := []rawValue{{kind: rawInt, n: 0}, size}
	if ix := d.key("Index"); ix.kind == rawArray {
		index = ix.arr
	}
	if len(index)%2 != 0 {
		return rawValue{}, fmt.Errorf("cross-reference stream /Index %s", d.key("Index").raw)
	}
	rows := int64(0)
	for i := 0; i < len(index); i += 2 {
		if index[i].kind != rawInt || index[i+1].kind != rawInt {
			return rawValue{}, fmt.Errorf("cross-reference stream /Index %s", d.key("Index").raw)
		}
		if err := subsection(index[i].n, index[i+1].n, limit, len(data)); err != nil {
			return rawValue{}, err
		}
		rows += index[i+1].n
	}
	rowLen := int64(w[0] + w[1] + w[2])
	if rows > limit || rows*rowLen > maxStreamDecoded {
		return rawValue{}, fmt.Errorf("cross-reference stream of %d entries", rows)
	}
	raw, ok := lx.streamData(d, nil)
	if !ok {
		return rawValue{}, errors.New("cross-reference stream without data")
	}
	body, err := decodeStream(d, raw, rows*rowLen+rows)
	if err != nil {
		return rawValue{}, fmt.Errorf("cross-reference stream: %w", err)
	}
	field := func(row []byte, i int) int64 {
		at := 0
		for j := 0; j < i; j++ {
			at += w[j]
		}
		v := int64(0)
		for _, c := range row[at : at+w[i]] {
			v = v<<8 | int64(c)
		}
		return v
	}
	for i := 0; i < len(index); i += 2 {
		for n := index[i].n; n < index[i].n+index[i+1].n; n++ {
			if int64(len(body)) < rowLen {
				return rawValue{}, errors.New("cross-reference stream shorter than its /Index")
			}
			row := body[:rowLen]
			body = body[rowLen:]
			if _, done := objs[n]; done {
				continue
			}
			typ := int64(1)
			if w[0] > 0 {
				typ = field(row, 0)
			}
			switch typ {
			case 1:
				objs[n] = objLoc{off: field(row, 1), gen: field(row, 2)}
			case 2:
				objs[n] = objLoc{stm: field(row, 1), idx: field(row, 2)}
			default:
				objs[n] = objLoc{off: -1}
			}
		}
	}
	return d, nil
}

// checkOffsets checks that each object the table places in the file starts
// there with its "N G obj" header, and that each object stream named is such
// an object.
func checkOffsets(data []byte, x xrefData) error {
	nums := make([]int64, 0, len(x.objs))
	for n := range x.objs {
		nums = append(nums, n)
	}
	sort.Slice(nums, func(i, j int) bool { return nums[i] < nums[j] })
	for _, n := range nums {
		l := x.objs[n]
		if l.off < 0 || n == 0 {
			continue
		}
		if l.stm != 0 {
			s, ok := x.objs[l.stm]
			if !ok || s.stm != 0 || s.off <= 0 {
				return fmt.Errorf("object %d in object stream %d, which is not in the file", n, l.stm)
			}
			continue
		}
		if l.off >= int64(len(data)) {
			return fmt.Errorf("object %d at offset %d beyond the end of the file", n, l.off)
		}
		lx := &rawLexer{b: data, i: int(l.off)}
		num, gen, ok := lx.objHeader()
		if !ok || num != n || gen != l.gen {
			return fmt.Errorf("object %d: its offset %d does not point at \"%d %d obj\"", n, l.off, n, l.gen)
		}
	}
	return nil
}

// scanObjects rebuilds the cross-reference data from the objects found in
// the file (the last definition of an object number wins, as incremental
// updates append), the objects of the object streams among them, and the
// last trailer: a classic trailer dictionary or a cross-reference stream's.
func scanObjects(data []byte, limit int64) xrefData {
	x := xrefData{objs: map[int64]objLoc{}}
	var trailers []rawValue
	var stms []int64
	// next finds the next occurrence of word at or after i, remembering it
	// so that the file is searched once for each word.
	type found struct{ at int }
	nextObj, nextTrailer := found{-2}, found{-2}
	next := func(f *found, word string, i int) int {
		if f.at != -1 && f.at < i {
			f.at = -1
			if k := bytes.Index(data[i:], []byte(word)); k >= 0 {
				f.at = i + k
			}
		}
		return f.at
	}
	for i := 0; i < len(data); {
		k := next(&nextObj, "obj", i)
		t := next(&nextTrailer, "trailer", i)
		if k < 0 && t < 0 {
			break
		}
		if t >= 0 && (k < 0 || t < k) {
			lx := &rawLexer{b: data, i: t + len("trailer")}
			if d, ok := lx.value(0); ok && d.kind == rawDict {
				trailers = append(trailers, d)
				i = lx.i
				continue
			}
			i = t + len("trailer")
			continue
		}
		at := k
		i = at + 3
		start, ok := headerStart(data, at)
		if !ok {
			continue
		}
		lx := &rawLexer{b: data, i: start}
		num, gen, ok := lx.objHeader()
		if !ok || num == 0 || num > limit {
			continue
		}
		x.objs[num] = objLoc{off: int64(start), gen: gen}
		d, ok := lx.value(0)
		if !ok {
			continue
		}
		i = lx.i
		if d.kind != rawDict {
			continue
		}
		switch d.key("Type").s {
		case "XRef":
			trailers = append(trailers, d)
		case "ObjStm":
			stms = append(stms, num)
		}
		if _, ok := lx.streamData(d, nil); ok {
			i = lx.i
		}
	}
	for j := len(trailers) - 1; j >= 0; j-- {
		if r := trailers[j].key("Root"); r.kind == rawRef {
			if _, ok := x.objs[r.n]; ok || j == 0 {
				x.trailer = trailers[j]
				break
			}
		}
	}
	if x.trailer.dict == nil && len(trailers) > 0 {
		x.trailer = trailers[len(trailers)-1]
	}
	// Objects of the object streams that no plain definition overrides.
	for _, s := range stms {
		hdr, _, ok := objStmHeader(data, x, s)
		if !ok {
			continue
		}
		for idx, h := range hdr {
			if _, plain := x.objs[h.num]; !plain && h.num > 0 && h.num <= limit {
				x.objs[h.num] = objLoc{stm: s, idx: int64(idx)}
			}
		}
	}
	return x
}

// headerStart finds the start of an "N G obj" header whose keyword is at
// at: two integers before it, the first preceded by a line start, a
// delimiter or white space.
func headerStart(data []byte, at int) (int, bool) {
	if at+3 < len(data) && !isWhite(data[at+3]) && !isDelim(data[at+3]) {
		return 0, false
	}
	j := at
	for f := 0; f < 2; f++ {
		k := j
		for k > 0 && isWhite(data[k-1]) {
			k--
		}
		if k == j {
			return 0, false
		}
		e := k
		for k > 0 && data[k-1] >= '0' && data[k-1] <= '9' && e-k < 10 {
			k--
		}
		if k == e {
			return 0, false
		}
		j = k
	}
	if j > 0 && !isWhite(data[j-1]) && !isDelim(data[j-1]) {
		return 0, false
	}
	return j, true
}

// stmEntry is an object of an object stream: its number and its bytes'
// offset relative to the stream's /First.
type stmEntry struct {
	num, off int64
}

// objStmHeader decodes object stream s and reads its table of objects. It
// returns the entries and the decoded data from /First on.
func objStmHeader(data []byte, x xrefData, s int64) ([]stmEntry, []byte, bool) {
	l, ok := x.objs[s]
	if !ok || l.stm != 0 || l.off <= 0 || l.off >= int64(len(data)) {
		return nil, nil, false
	}
	lx := &rawLexer{b: data, i: int(l.off)}
	if _, _, ok := lx.objHeader(); !ok {
		return nil, nil, false
	}
	d, ok := lx.value(0)
	if !ok || d.kind != rawDict || d.key("Type").s != "ObjStm" {
		return nil, nil, false
	}
	n, first := d.key("N"), d.key("First")
	if n.kind != rawInt || first.kind != rawInt || n.n < 0 || first.n < 0 || n.n > objectLimit(len(data)) {
		return nil, nil, false
	}
	raw, ok := lx.streamData(d, func(r rawValue) int64 { return directLength(data, x, r) })
	if !ok {
		return nil, nil, false
	}
	// The table first: an object placed beyond what a stream may decode
	// to (a decompression bomb) refuses the stream before it is inflated.
	if first.n > maxStreamDecoded {
		return nil, nil, false
	}
	head, err := decodeStart(d, raw, first.n)
	if err != nil || int64(len(head)) < first.n {
		return nil, nil, false
	}
	hl := &rawLexer{b: head}
	hdr := make([]stmEntry, 0, min(n.n, first.n/4+1))
	for i := int64(0); i < n.n; i++ {
		num, ok1 := hl.integer()
		off, ok2 := hl.integer()
		if !ok1 || !ok2 {
			break
		}
		if off < 0 || off > maxStreamDecoded-first.n {
			return nil, nil, false
		}
		hdr = append(hdr, stmEntry{num: num, off: off})
	}
	body, err := decodeStream(d, raw, maxStreamDecoded)
	if err != nil {
		return nil, nil, false
	}
	body = body[first.n:]
	for i, h := range hdr {
		if h.off > int64(len(body)) {
			hdr = hdr[:i]
			break
		}
	}
	return hdr, body, true
}

// directLength resolves an indirect /Length: the integer object r names.
func directLength(data []byte, x xrefData, r rawValue) int64 {
	l, ok := x.objs[r.n]
	if !ok || l.stm != 0 || l.off <= 0 || l.off >= int64(len(data)) {
		return -1
	}
	lx := &rawLexer{b: data, i: int(l.off)}
	if _, _, ok := lx.objHeader(); !ok {
		return -1
	}
	n, ok := lx.integer()
	if !ok {
		return -1
	}
	return n
}

// unpackStreams writes the objects of x's object streams to tail as plain
// objects, as if tail followed the file at base, and points x at them. Each
// stream is decoded once; objects of streams that cannot be decoded within
// the limits are dropped (they read as null).
func unpackStreams(data []byte, x xrefData, base int64, tail *bytes.Buffer) {
	byStm := map[int64][]int64{}
	for n, l := range x.objs {
		if l.stm != 0 {
			byStm[l.stm] = append(byStm[l.stm], n)
		}
	}
	stms := make([]int64, 0, len(byStm))
	for s := range byStm {
		stms = append(stms, s)
	}
	sort.Slice(stms, func(i, j int) bool { return stms[i] < stms[j] })
	budget := int64(maxDecodedTotal)
	for _, s := range stms {
		nums := byStm[s]
		sort.Slice(nums, func(i, j int) bool { return nums[i] < nums[j] })
		var hdr []stmEntry
		var body []byte
		ok := budget > 0
		if ok {
			hdr, body, ok = objStmHeader(data, x, s)
			budget -= int64(len(body))
		}
		for _, n := range nums {
			l := x.objs[n]
			if !ok || l.idx < 0 || l.idx >= int64(len(hdr)) || hdr[l.idx].num != n {
				delete(x.objs, n)
				continue
			}
			end := int64(len(body))
			if l.idx+1 < int64(len(hdr)) && hdr[l.idx+1].off >= hdr[l.idx].off {
				end = hdr[l.idx+1].off
			}
			obj := body[hdr[l.idx].off:end]
			if nestedDeeper(obj, maxNesting) {
				obj = []byte("null")
			}
			x.objs[n] = objLoc{off: base + int64(tail.Len())}
			fmt.Fprintf(tail, "%d 0 obj\n", n)
			tail.Write(obj)
			tail.WriteString("\nendobj\n")
		}
	}
}

// filterMarks are the bytes of a file that may have a stream the PDF
// library cannot decode (needsDecoding): the names of filters it lacks, in
// full or abbreviated (followed by a delimiter: "/Fl" also begins
// "/FlateDecode"), and predictors.
var filterMarks = []string{"/ASCIIHexDecode", "/LZWDecode", "/RunLengthDecode", "/AHx", "/A85", "/LZW", "/RL", "/Fl", "/Predictor"}

// mayNeedDecoding tells whether data has one of filterMarks as a whole
// name, a /Predictor other than 12 (the library's one): only then is
// every stream's dictionary read (decodeForLibrary).
func mayNeedDecoding(data []byte) bool {
	for _, m := range filterMarks {
		for i := 0; ; {
			k := bytes.Index(data[i:], []byte(m))
			if k < 0 {
				break
			}
			i += k + len(m)
			if i < len(data) && !isWhite(data[i]) && !isDelim(data[i]) {
				continue // a longer name
			}
			if m != "/Predictor" {
				return true
			}
			lx := &rawLexer{b: data, i: i}
			if n, ok := lx.integer(); ok && n > 1 && n != 12 {
				return true
			}
		}
	}
	return false
}

// decodeForLibrary appends to tail (which follows data at base) a decoded
// copy of each stream object of data whose filters the PDF library cannot
// undo (needsDecoding), without /Filter and /DecodeParms, and points x at
// the copies. Within maxStreamDecoded each and maxDecodedTotal in all; a
// stream that does not decode is left as it is.
func decodeForLibrary(data []byte, x xrefData, base int64, tail *bytes.Buffer) {
	nums := make([]int64, 0, len(x.objs))
	for n, l := range x.objs {
		if l.stm == 0 && l.off > 0 && l.off < int64(len(data)) {
			nums = append(nums, n)
		}
	}
	sort.Slice(nums, func(i, j int) bool { return nums[i] < nums[j] })
	budget := int64(maxDecodedTotal)
	for _, n := range nums {
		l := x.objs[n]
		lx := &rawLexer{b: data, i: int(l.off)}
		if _, _, ok := lx.objHeader(); !ok {
			continue
		}
		d, ok := lx.value(0)
		if !ok || d.kind != rawDict || !needsDecoding(d) {
			continue
		}
		raw, ok := lx.streamData(d, func(r rawValue) int64 { return directLength(data, x, r) })
		if !ok || budget <= 0 {
			continue
		}
		plain, err := decodeStream(d, raw, min(maxStreamDecoded, budget))
		if err != nil {
			continue
		}
		budget -= int64(len(plain))
		keys := make([]string, 0, len(d.dict))
		plainKeys := true
		for k := range d.dict {
			if k != "Filter" && k != "DecodeParms" && k != "Length" {
				keys = append(keys, k)
			}
			for i := 0; i < len(k); i++ {
				plainKeys = plainKeys && k[i] > ' ' && k[i] < 0x7f && k[i] != '#' && !isDelim(k[i])
			}
		}
		if !plainKeys {
			continue // a key to write escaped: not worth it
		}
		sort.Strings(keys)
		x.objs[n] = objLoc{off: base + int64(tail.Len()), gen: l.gen}
		fmt.Fprintf(tail, "%d %d obj\n<<", n, l.gen)
		for _, k := range keys {
			fmt.Fprintf(tail, "/%s %s\n", k, d.dict[k].raw)
		}
		fmt.Fprintf(tail, "/Length %d>>\nstream\n", len(plain))
		tail.Write(plain)
		tail.WriteString("\nendstream\nendobj\n")
	}
}

// maxNesting bounds the nesting of arrays and dictionaries in an unpacked
// object; a deeper object is replaced by null (the PDF library would give
// up on it with a panic, losing the page that refers to it).
const maxNesting = 256

// nestedDeeper tells whether arrays and dictionaries in b nest deeper than
// limit (strings and comments skipped).
func nestedDeeper(b []byte, limit int) bool {
	depth := 0
	lx := &rawLexer{b: b}
	for lx.i < len(b) {
		switch c := b[lx.i]; {
		case c == '(':
			lx.literalEnd()
			continue
		case c == '%':
			lx.skip()
			continue
		case c == '[' || (c == '<' && lx.i+1 < len(b) && b[lx.i+1] == '<'):
			if depth++; depth > limit {
				return true
			}
			if c == '<' {
				lx.i++
			}
		case c == ']' || (c == '>' && lx.i+1 < len(b) && b[lx.i+1] == '>'):
			depth--
			if c == '>' {
				lx.i++
			}
		}
		lx.i++
	}
	return false
}

// findCatalog returns the number of the last object that is a dictionary of
// /Type /Catalog, in the file or in tail (unpacked objects).
func findCatalog(data, tail []byte, x xrefData) (int64, bool) {
	best, bestOff := int64(0), int64(-1)
	for n, l := range x.objs {
		if l.stm != 0 || l.off <= 0 {
			continue
		}
		b, at := data, l.off
		if at >= int64(len(data)) {
			b, at = tail, at-int64(len(data))
		}
		if at >= int64(len(b)) {
			continue
		}
		lx := &rawLexer{b: b, i: int(at)}
		if _, _, ok := lx.objHeader(); !ok {
			continue
		}
		if d, ok := lx.value(0); ok && d.key("Type").s == "Catalog" && l.off > bestOff {
			best, bestOff = n, l.off
		}
	}
	return best, bestOff >= 0
}

// writeXrefStream appends to tail (which follows the file at base) a
// cross-reference stream for x, uncompressed, with x's trailer entries, and
// the startxref that points at it.
func writeXrefStream(tail *bytes.Buffer, x xrefData, base int64) {
	top := int64(0)
	for n := range x.objs {
		top = max(top, n)
	}
	self := top + 1
	start := base + int64(tail.Len())
	var rows bytes.Buffer
	put := func(t byte, a, c int64) {
		rows.Write([]byte{t, byte(a >> 32), byte(a >> 24), byte(a >> 16), byte(a >> 8), byte(a), byte(c >> 8), byte(c)})
	}
	for n := int64(0); n <= self; n++ {
		l, ok := x.objs[n]
		switch {
		case n == self:
			put(1, start, 0)
		case !ok || n == 0 || (l.stm == 0 && l.off <= 0):
			put(0, 0, 65535*b2i(n == 0))
		case l.stm != 0:
			put(2, l.stm, l.idx)
		default:
			put(1, l.off, l.gen)
		}
	}
	fmt.Fprintf(tail, "%d 0 obj\n<< /Type /XRef /Size %d /W [1 5 2] /Length %d", self, self+1, rows.Len())
	for _, k := range []string{"Root", "Info", "ID", "Encrypt"} {
		if v, ok := x.trailer.dict[k]; ok && len(v.raw) > 0 {
			fmt.Fprintf(tail, " /%s %s", k, v.raw)
		}
	}
	tail.WriteString(" >>\nstream\n")
	tail.Write(rows.Bytes())
	fmt.Fprintf(tail, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", start)
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
