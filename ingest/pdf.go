package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/ledongthuc/pdf"

	"github.com/lcity/lcity/corpus"
)

// outlineEntry is a bookmark of a PDF with the 1-based page it points at
// (0 when the destination could not be resolved).
type outlineEntry struct {
	title string
	level int
	page  int
}

// pdfFile is an opened PDF.
type pdfFile struct {
	r     *pdf.Reader
	pages int
	ids   map[uint64]int // page object → 1-based page number
	// leaves are the page objects in order, found in one walk of the page
	// tree (the library's Reader.Page walks it from the root per call).
	leaves []pdf.Value
	fonts  map[uint64]*font
	// objs holds objects resolved through key, by object number: the
	// library parses an object from the file at every reference, and
	// every page refers to its page-tree node (in a flat tree one node
	// lists every page: quadratic in pages), its resources and fonts.
	objs map[uint64]pdf.Value
	// glyphBuf is the glyph slice of the last page, reused for the next.
	glyphBuf []glyph
	// repaired tells that the cross-reference data was rebuilt by
	// scanning the file; repairNote says why.
	repaired   bool
	repairNote string
}

// openPDF opens a PDF held in ra. It tolerates two common deviations the
// library rejects: a header of a newer version (%PDF-2.0) and bytes after
// the last %%EOF. The file is read into memory and checked by prepare
// before the library sees it; a file whose cross-reference data is
// missing or broken, or that the library cannot open or finds no pages in,
// is opened again from a rebuilt cross-reference stream (f.repaired).
// An encrypted file is opened with password, else the empty user password
// (decrypt.go); when neither opens it, or its encryption is not supported,
// the error wraps corpus.ErrEncrypted; anything else unreadable gives
// corpus.ErrCorrupt.
func openPDF(ra io.ReaderAt, size int64, password string) (f *pdfFile, err error) {
	defer func() {
		if x := recover(); x != nil {
			f, err = nil, fmt.Errorf("%w: pdf library panic: %v", corpus.ErrCorrupt, x)
		}
	}()
	head := make([]byte, 1024)
	n, _ := ra.ReadAt(head, 0)
	head = head[:n]
	if !bytes.HasPrefix(head, []byte("%PDF-")) {
		if i := bytes.Index(head, []byte("%PDF-")); i < 0 {
			return nil, fmt.Errorf("%w: no %%PDF header", corpus.ErrUnsupported)
		}
	}
	view, size := normalisePDF(ra, size, head)
	data := make([]byte, size)
	if n, err := view.ReadAt(data, 0); int64(n) != size {
		return nil, fmt.Errorf("%w: read: %v", corpus.ErrCorrupt, err)
	}
	p, err := prepare(data, false)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", corpus.ErrCorrupt, err)
	}
	if p.encrypted {
		// Decrypt the whole file here (decrypt.go says why not the
		// library), which also unpacks its object streams, and prepare
		// the plain copy like any file.
		plain, err := decryptPDF(p.data, password)
		if err != nil {
			return nil, err
		}
		data = plain
		repaired, why := p.repaired, p.why
		if p, err = prepare(plain, false); err != nil {
			return nil, fmt.Errorf("%w: %v", corpus.ErrCorrupt, err)
		}
		if repaired && !p.repaired {
			p.repaired, p.why = true, why
		}
	}
	f, err = openPrepared(p)
	if err == nil || p.repaired || errors.Is(err, corpus.ErrEncrypted) {
		return f, err
	}
	p2, err2 := prepare(data, true)
	if err2 != nil {
		return nil, err
	}
	if p2.why == "" {
		p2.why = err.Error()
	}
	if f2, err2 := openPrepared(p2); err2 == nil {
		return f2, nil
	}
	return nil, err
}

// openPrepared opens prepared bytes with the PDF library and finds the
// pages by walking the page tree (its /Count is not trusted).
func openPrepared(p prepared) (*pdfFile, error) {
	r, err := pdf.NewReader(p, p.size())
	if err != nil {
		if errors.Is(err, pdf.ErrInvalidPassword) || strings.Contains(strings.ToLower(err.Error()), "encrypt") {
			return nil, fmt.Errorf("%w: %v", corpus.ErrEncrypted, err)
		}
		return nil, fmt.Errorf("%w: %v", corpus.ErrCorrupt, err)
	}
	f := &pdfFile{r: r, fonts: map[uint64]*font{}, objs: map[uint64]pdf.Value{}, repaired: p.repaired, repairNote: p.why}
	f.ids, f.leaves = pageTree(r.Trailer().Key("Root").Key("Pages"))
	f.pages = len(f.leaves)
	if f.pages == 0 {
		return nil, fmt.Errorf("%w: no pages", corpus.ErrCorrupt)
	}
	return f, nil
}

// normalisePDF presents a view of the file the PDF library accepts: the
// first line rewritten to %PDF-1.7 when it names another version, and the
// file cut after its last %%EOF marker when garbage follows it.
func normalisePDF(ra io.ReaderAt, size int64, head []byte) (io.ReaderAt, int64) {
	tailLen := int64(4096)
	if tailLen > size {
		tailLen = size
	}
	tail := make([]byte, tailLen)
	n, _ := ra.ReadAt(tail, size-tailLen)
	tail = tail[:n]
	if i := bytes.LastIndex(tail, []byte("%%EOF")); i >= 0 {
		end := size - tailLen + int64(i) + 5
		if end < size {
			size = end
		}
	}
	v := &pdfView{ra: ra, size: size}
	// The library wants exactly "%PDF-1.x" (x in 0..7) and a line end at
	// byte 8. Rewrite the header line in place (keeping every offset) when
	// it names another version or has trailing blanks.
	if bytes.HasPrefix(head, []byte("%PDF-")) {
		eol := bytes.IndexAny(head, "\r\n")
		okVersion := len(head) > 7 && head[5] == '1' && head[6] == '.' && head[7] >= '0' && head[7] <= '7'
		switch {
		case eol == 8 && !okVersion:
			v.patch = []byte("%PDF-1.7")
		case eol > 8:
			v.patch = append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte(" "), eol-9)...)
		}
	}
	return v, size
}

// pdfView is a ReaderAt over the first size bytes of ra with an optional
// patch over the first bytes.
type pdfView struct {
	ra    io.ReaderAt
	size  int64
	patch []byte
}

func (v *pdfView) ReadAt(p []byte, off int64) (int, error) {
	if off >= v.size {
		return 0, io.EOF
	}
	want := len(p)
	if int64(want) > v.size-off {
		p = p[:v.size-off]
	}
	n, err := v.ra.ReadAt(p, off)
	if off < int64(len(v.patch)) {
		copy(p[:n], v.patch[off:])
	}
	if n < want && err == nil {
		err = io.EOF
	}
	return n, err
}

// objID returns the object number and generation of an indirect value. The
// PDF library does not export them; the page a bookmark points at can only be
// identified by its object, so they are read by reflection.
func objID(v pdf.Value) uint64 {
	rv := reflect.ValueOf(v).FieldByName("ptr")
	if !rv.IsValid() {
		return 0
	}
	id, gen := rv.FieldByName("id"), rv.FieldByName("gen")
	if !id.IsValid() || !gen.IsValid() {
		return 0
	}
	return id.Uint()<<16 | gen.Uint()
}

// maxPages bounds the pages of one file.
const maxPages = 1 << 20

// pageTree walks the page tree, numbers the page objects in order and
// returns them. A node met twice (a cycle, or a shared subtree) is walked
// once, the depth is bounded, and the walk stops at maxPages leaves.
func pageTree(root pdf.Value) (map[uint64]int, []pdf.Value) {
	ids := map[uint64]int{}
	var leaves []pdf.Value
	seen := map[uint64]bool{}
	n := 0
	var walk func(v pdf.Value, depth int)
	walk = func(v pdf.Value, depth int) {
		if depth > 64 || v.Kind() != pdf.Dict || len(leaves) >= maxPages {
			return
		}
		id := objID(v)
		if id != 0 {
			if seen[id] {
				return
			}
			seen[id] = true
		}
		kids := v.Key("Kids")
		if v.Key("Type").Name() == "Pages" || kids.Kind() == pdf.Array {
			for i := 0; i < kids.Len(); i++ {
				walk(kids.Index(i), depth+1)
			}
			return
		}
		n++
		leaves = append(leaves, v)
		if id != 0 {
			ids[id] = n
		}
	}
	walk(root, 0)
	return ids, leaves
}

// outline returns the bookmarks in document order with their levels and
// target pages. Destinations may be explicit arrays, GoTo actions or named
// destinations (old-style /Dests dictionary or the /Names name tree).
func (f *pdfFile) outline() (entries []outlineEntry) {
	defer func() {
		if recover() != nil {
			entries = nil
		}
	}()
	root := f.r.Trailer().Key("Root")
	seen := map[uint64]bool{}
	var walk func(v pdf.Value, level int)
	walk = func(v pdf.Value, level int) {
		for item := v.Key("First"); item.Kind() == pdf.Dict && len(entries) < 100000; item = item.Key("Next") {
			if id := objID(item); id != 0 {
				if seen[id] {
					return
				}
				seen[id] = true
			}
			title := cleanLine(outlineTitle(item.Key("Title")))
			dest := item.Key("Dest")
			if dest.IsNull() {
				if a := item.Key("A"); a.Key("S").Name() == "GoTo" {
					dest = a.Key("D")
				}
			}
			entries = append(entries, outlineEntry{title: title, level: level, page: f.destPage(root, dest, 0)})
			if level < 32 {
				walk(item, level+1)
			}
		}
	}
	walk(root.Key("Outlines"), 0)
	return entries
}

func outlineTitle(v pdf.Value) string {
	raw := v.RawString()
	if strings.HasPrefix(raw, "\xfe\xff") {
		return v.Text()
	}
	// PDFDocEncoding agrees with Latin-1 for the letters that matter here.
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		b.WriteRune(rune(raw[i]))
	}
	return b.String()
}

func (f *pdfFile) destPage(root, dest pdf.Value, depth int) int {
	if depth > 8 {
		return 0
	}
	switch dest.Kind() {
	case pdf.Array:
		if dest.Len() == 0 {
			return 0
		}
		p := dest.Index(0)
		switch p.Kind() {
		case pdf.Dict:
			return f.ids[objID(p)]
		case pdf.Integer:
			if n := int(p.Int64()) + 1; n >= 1 && n <= f.pages {
				return n
			}
		}
	case pdf.Dict:
		return f.destPage(root, dest.Key("D"), depth+1)
	case pdf.Name, pdf.String:
		name := dest.RawString()
		if dest.Kind() == pdf.Name {
			name = dest.Name()
		}
		if d := root.Key("Dests").Key(name); !d.IsNull() {
			return f.destPage(root, d, depth+1)
		}
		if d := lookupNameTree(root.Key("Names").Key("Dests"), name, 0); !d.IsNull() {
			return f.destPage(root, d, depth+1)
		}
	}
	return 0
}

func lookupNameTree(node pdf.Value, name string, depth int) pdf.Value {
	if node.Kind() != pdf.Dict || depth > 32 {
		return pdf.Value{}
	}
	names := node.Key("Names")
	for i := 0; i+1 < names.Len(); i += 2 {
		if names.Index(i).RawString() == name {
			return names.Index(i + 1)
		}
	}
	kids := node.Key("Kids")
	for i := 0; i < kids.Len(); i++ {
		kid := kids.Index(i)
		if lim := kid.Key("Limits"); lim.Len() == 2 {
			if name < lim.Index(0).RawString() || name > lim.Index(1).RawString() {
				continue
			}
		}
		if v := lookupNameTree(kid, name, depth+1); !v.IsNull() {
			return v
		}
	}
	return pdf.Value{}
}

// page extracts the text lines of page n (1-based). A panic inside the PDF
// library becomes an error for this page.
func (f *pdfFile) page(ctx context.Context, n int) (p page, err error) {
	defer func() {
		if x := recover(); x != nil {
			err = fmt.Errorf("%w: page %d: pdf library panic: %v", corpus.ErrCorrupt, n, x)
		}
	}()
	if err := ctx.Err(); err != nil {
		return page{}, err
	}
	if n < 1 || n > len(f.leaves) {
		return page{number: n}, nil
	}
	pg := pdf.Page{V: f.leaves[n-1]}
	if pg.V.IsNull() {
		return page{number: n}, nil
	}
	gs, undecoded := f.pageGlyphs(pg)
	return page{number: n, lines: orientedLines(gs), undecoded: undecoded}, nil
}

// extractPages extracts pages nums (1-based, any order) with up to
// workers goroutines, returning each page's result and error at the index
// of its number. Each goroutine works on its own copy of f's caches (fonts
// fill their decode tables as codes appear, and the object cache grows),
// so a font used on pages read by two goroutines is loaded twice; the
// text of a page depends only on the file, never on which goroutine read
// it or on what a cache held before, so the output is the same for any
// worker count (TestPagesParallel). A panic fails its page alone.
func (f *pdfFile) extractPages(ctx context.Context, nums []int, workers int) ([]page, []error) {
	pages := make([]page, len(nums))
	errs := make([]error, len(nums))
	workers = min(workers, len(nums))
	if workers <= 1 {
		for i, n := range nums {
			pages[i], errs[i] = f.page(ctx, n)
			if errs[i] != nil && ctx.Err() != nil {
				break
			}
		}
		return pages, errs
	}
	// Each goroutine reads the pages of its own copy of f, made before
	// any goroutine uses f; page turns a panic into its error.
	files := make(chan *pdfFile, workers)
	files <- f
	for range workers - 1 {
		files <- f.forWorker()
	}
	parallel(len(nums), workers, func(i int) {
		wf := <-files
		pages[i], errs[i] = wf.page(ctx, nums[i])
		files <- wf
	})
	return pages, errs
}

// forWorker is a copy of f with caches of its own, for a goroutine of
// extractPages: the PDF library's Reader is not changed after it is
// opened, and its bytes are read with ReadAt only.
func (f *pdfFile) forWorker() *pdfFile {
	c := *f
	c.fonts = map[uint64]*font{}
	c.objs = map[uint64]pdf.Value{}
	c.glyphBuf = nil
	return &c
}

// inherited returns key of a page dictionary or of its nearest ancestor
// that has it, following at most 32 /Parent links (the library's
// Page.Resources follows them without end, and a /Parent may loop).
func (f *pdfFile) inherited(v pdf.Value, key string) pdf.Value {
	for depth := 0; depth < 32 && v.Kind() == pdf.Dict; depth++ {
		if x := f.key(v, key); !x.IsNull() {
			return x
		}
		v = f.key(v, "Parent")
	}
	return pdf.Value{}
}

// maxCachedObjs bounds the objects key keeps per file.
const maxCachedObjs = 1 << 16

// key is v.Key(k), an indirect object resolved once per file: resolving
// reads the same bytes every time, so the value is the same.
func (f *pdfFile) key(v pdf.Value, k string) pdf.Value {
	id := refID(v, k)
	if id == 0 {
		return v.Key(k)
	}
	if x, ok := f.objs[id]; ok {
		return x
	}
	x := v.Key(k)
	if len(f.objs) < maxCachedObjs {
		f.objs[id] = x
	}
	return x
}

// refID is the object number and generation of the indirect reference
// under key in dictionary v, without resolving it (0 when the entry is
// missing or direct). Like objID, it reads the library's unexported value
// by reflection.
func refID(v pdf.Value, key string) uint64 {
	d := reflect.ValueOf(v).FieldByName("data")
	if d.Kind() == reflect.Interface {
		d = d.Elem()
	}
	if d.Kind() != reflect.Map || d.Type().Key().Kind() != reflect.String {
		return 0
	}
	x := d.MapIndex(reflect.ValueOf(key).Convert(d.Type().Key()))
	if x.Kind() == reflect.Interface {
		x = x.Elem()
	}
	if x.Kind() != reflect.Struct || x.Type().Name() != "objptr" {
		return 0
	}
	id, gen := x.FieldByName("id"), x.FieldByName("gen")
	if !id.IsValid() || !gen.IsValid() {
		return 0
	}
	return id.Uint()<<16 | gen.Uint()
}
