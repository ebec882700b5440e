//go:build ignore

// gen writes the hostile test PDFs of this folder. Each file reproduces one
// way a PDF can make a reader allocate without bound, loop, recurse or
// delete its own text; README.md lists them. Run from the ingest folder:
//
//	go generate ./ingest
//
// The files are committed; the generator is kept so that they can be
// understood and remade.
package main

import (
	"bytes"
	"compress/zlib"
	"crypto/md5"
	"crypto/rc4"
	"encoding/binary"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	dir := "testdata/hostile"
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	files := map[string][]byte{
		"xref-start-2pow32.pdf":     xrefStart2pow32(),
		"count-9999999999.pdf":      hugeCount(),
		"pagetree-cycle.pdf":        pageTreeCycle(),
		"annots-objstm-10000.pdf":   annotsInObjStm(),
		"xref-wrong-offsets.pdf":    wrongOffsets(),
		"xref-missing.pdf":          missingXref(),
		"xref-and-trailer-none.pdf": noXrefNoTrailer(),
		"xrefstm-size-huge.pdf":     xrefStreamHugeSize(),
		"xref-prev-loop.pdf":        prevLoop(),
		"heading-only.pdf":          headingOnly(),
		"one-line.pdf":              oneLine(),
		"repeated-lines.pdf":        repeatedLines(),
		"bomb-objstm.pdf":           bombObjStm(),
		"deep-nesting-content.pdf":  deepContent(),
		"deep-nesting-annots.pdf":   deepAnnots(),
		"undecodable-font.pdf":      undecodableFont(),
		"no-text.pdf":               noText(),
		"predictor-columns.pdf":     hugeColumns(),
		"annots-objstm-rc4.pdf":     annotsInObjStmEncrypted(),
		"size-too-small.pdf":        sizeTooSmall(),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%-28s %7d bytes\n", name, len(b))
	}
}

// doc is a PDF under construction: objects numbered from 1 in the order
// they are added, written by one of the finishing methods.
type doc struct {
	objs []string // bodies, without "N 0 obj" and "endobj"
}

func (d *doc) add(body string) int {
	d.objs = append(d.objs, body)
	return len(d.objs)
}

// body writes the header and the objects and returns the bytes with the
// offset of each object (index 0 unused).
func (d *doc) body() ([]byte, []int) {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(d.objs)+1)
	for i, o := range d.objs {
		offs[i+1] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	return b.Bytes(), offs
}

// xrefTable is a classic cross-reference section for objects first..,
// each at offs[k] plus shift.
func xrefTable(first int, offs []int, shift int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "xref\n0 1\n0000000000 65535 f \n%d %d\n", first, len(offs)-1)
	for _, o := range offs[1:] {
		fmt.Fprintf(&b, "%010d 00000 n \n", o+shift)
	}
	return b.String()
}

// classic finishes d with a correct cross-reference table.
func (d *doc) classic() []byte {
	b, offs := d.body()
	start := len(b)
	b = append(b, xrefTable(1, offs, 0)...)
	b = append(b, fmt.Sprintf("trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(d.objs)+1, start)...)
	return b
}

func stream(dict, data string) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

func deflate(data []byte) []byte {
	var b bytes.Buffer
	w, _ := zlib.NewWriterLevel(&b, zlib.BestCompression)
	w.Write(data)
	w.Close()
	return b.Bytes()
}

func flateStream(dict string, data []byte, times int) string {
	filters := strings.TrimSpace(strings.Repeat("/FlateDecode ", times))
	for i := 0; i < times; i++ {
		data = deflate(data)
	}
	return stream(dict+" /Filter ["+filters+"]", string(data))
}

// text is a content stream that shows each line at 12 pt Helvetica (font
// resource /F1) from the top of a letter page down.
func text(lines ...string) string {
	var b strings.Builder
	b.WriteString("BT /F1 12 Tf 72 720 Td 14 TL\n")
	for _, l := range lines {
		fmt.Fprintf(&b, "(%s) '\n", l)
	}
	b.WriteString("ET")
	return b.String()
}

const helvetica = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"

// onePage adds the usual objects 1 to 5 (catalog, pages, page, font,
// content) of a one-page document; extra goes into the page dictionary and
// pages into the page-tree root.
func onePage(content, extra, pages string) *doc {
	d := &doc{}
	d.add("<< /Type /Catalog /Pages 2 0 R >>")
	d.add("<< /Type /Pages /Kids [3 0 R] /Count 1 " + pages + ">>")
	d.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R " + extra + ">>")
	d.add(helvetica)
	d.add(stream("", content))
	return d
}

func xrefStart2pow32() []byte {
	d := onePage(text("Subsection repair keeps this sentence readable."), "", "")
	b, offs := d.body()
	start := len(b)
	b = append(b, xrefTable(1<<32, offs, 0)...)
	b = append(b, fmt.Sprintf("trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", start)...)
	return b
}

func hugeCount() []byte {
	d := onePage(text("An absurd page count hides a single page."), "", "")
	d.objs[1] = "<< /Type /Pages /Kids [3 0 R] /Count 9999999999 >>"
	return d.classic()
}

func pageTreeCycle() []byte {
	d := onePage(text("A page tree that loops back still has this page."), "", "")
	d.objs[1] = "<< /Type /Pages /Kids [6 0 R 3 0 R] /Count 2 >>"
	d.add("<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 5 >>")
	return d.classic()
}

// objStm is an object stream holding bodies as objects first, first+1, …
// after pad bytes of blanks, compressed times times.
func objStm(first int, bodies []string, pad, times int) string {
	all, hlen := objStmData(first, bodies, pad)
	dict := fmt.Sprintf("/Type /ObjStm /N %d /First %d", len(bodies), hlen)
	if times == 0 {
		return stream(dict, string(all))
	}
	return flateStream(dict, all, times)
}

// objStmData is the decoded data of an object stream and its /First.
func objStmData(first int, bodies []string, pad int) ([]byte, int) {
	var head, data strings.Builder
	for i, o := range bodies {
		fmt.Fprintf(&head, "%d %d ", first+i, pad+data.Len())
		data.WriteString(o)
		data.WriteByte('\n')
	}
	var all bytes.Buffer
	all.WriteString(head.String())
	all.Write(bytes.Repeat([]byte{' '}, pad))
	all.WriteString(data.String())
	return all.Bytes(), head.Len()
}

// xrefStream finishes d with a compressed cross-reference stream. Objects
// from..to-1 live in the object stream that is object to (their bodies in
// d are not written); size, if not "", replaces the stream's /Size.
func (d *doc) xrefStream(from, to int, size string) []byte {
	return d.xrefStreamWith(from, to, size, "")
}

// xrefStreamWith is xrefStream with extra entries for the stream's
// dictionary (the trailer).
func (d *doc) xrefStreamWith(from, to int, size, extra string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(d.objs)+1)
	for i, o := range d.objs {
		n := i + 1
		if n >= from && n < to {
			continue
		}
		offs[n] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", n, o)
	}
	xrefObj := len(d.objs) + 1
	var rows bytes.Buffer
	row := func(t byte, a, c int) {
		rows.Write([]byte{t, byte(a >> 24), byte(a >> 16), byte(a >> 8), byte(a), byte(c >> 8), byte(c)})
	}
	row(0, 0, 65535)
	for n := 1; n < xrefObj; n++ {
		if n >= from && n < to {
			row(2, to, n-from)
		} else {
			row(1, offs[n], 0)
		}
	}
	start := b.Len()
	row(1, start, 0)
	if size == "" {
		size = fmt.Sprint(xrefObj + 1)
	}
	data := deflate(rows.Bytes())
	fmt.Fprintf(&b, "%d 0 obj\n<< /Type /XRef /Size %s /Index [0 %d] /W [1 4 2] /Root 1 0 R %s/Filter /FlateDecode /Length %d >>\nstream\n",
		xrefObj, size, xrefObj+1, extra, len(data))
	b.Write(data)
	fmt.Fprintf(&b, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", start)
	return b.Bytes()
}

// stmDoc is a one-page document whose page has /Annots 6 0 R, where
// object 6 and the bodies after it live in an object stream built by mk.
func stmDoc(content string, bodies []string, mk func(first int, bodies []string) string) []byte {
	d := onePage(content, "/Annots 6 0 R ", "")
	for range bodies {
		d.objs = append(d.objs, "") // not written: they live in the stream
	}
	stm := len(d.objs) + 1
	d.add(mk(6, bodies))
	return d.xrefStream(6, stm, "")
}

// annotBodies is the /Annots array of n annotations (objects 7 on) and
// the annotations.
func annotBodies(n int) []string {
	var refs strings.Builder
	refs.WriteString("[")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&refs, "%d 0 R ", 7+i)
	}
	refs.WriteString("]")
	bodies := []string{refs.String()}
	for i := 0; i < n; i++ {
		bodies = append(bodies, "<</Type/Annot/Subtype/Link/Rect[0 0 1 1]>>")
	}
	return bodies
}

func annotsInObjStm() []byte {
	return stmDoc(text("Ten thousand annotations share one object stream."), annotBodies(10000),
		func(first int, bodies []string) string { return objStm(first, bodies, 0, 1) })
}

// annotsInObjStmEncrypted is annotsInObjStm encrypted with 128-bit RC4
// (revision 3) and the empty password: the content stream and the object
// stream are encrypted, which keeps lcity from unpacking the stream.
func annotsInObjStmEncrypted() []byte {
	id := []byte("lcity-hostile-01")
	// Algorithm 3 (owner password empty, so the user password's padding).
	ok := md5Sum(passwordPad)
	for i := 0; i < 50; i++ {
		ok = md5Sum(ok)
	}
	own := rc4Rounds(ok, passwordPad)
	// Algorithm 2.
	perms := int32(-4)
	var kb []byte
	kb = append(kb, passwordPad...)
	kb = append(kb, own...)
	kb = binary.LittleEndian.AppendUint32(kb, uint32(perms))
	kb = append(kb, id...)
	key := md5Sum(kb)
	for i := 0; i < 50; i++ {
		key = md5Sum(key)
	}
	// Algorithm 5.
	user := append(rc4Rounds(key, md5Sum(append(append([]byte{}, passwordPad...), id...))), make([]byte, 16)...)
	objKey := func(n int) []byte {
		return md5Sum(append(append([]byte{}, key...), byte(n), byte(n>>8), byte(n>>16), 0, 0))
	}
	const n = 10000
	d := onePage("", "/Annots 6 0 R ", "")
	d.objs[4] = stream("", string(rc4Apply(objKey(5), []byte(text("Encrypted annotations are left in their stream.")))))
	bodies := annotBodies(n)
	for range bodies {
		d.objs = append(d.objs, "")
	}
	stm := len(d.objs) + 1
	data, hlen := objStmData(6, bodies, 0)
	d.add(stream(fmt.Sprintf("/Type /ObjStm /N %d /First %d /Filter /FlateDecode", len(bodies), hlen), string(rc4Apply(objKey(stm), deflate(data)))))
	enc := d.add(fmt.Sprintf("<< /Filter /Standard /V 2 /R 3 /Length 128 /O <%x> /U <%x> /P %d >>", own, user, perms))
	return d.xrefStreamWith(6, stm, "", fmt.Sprintf("/Encrypt %d 0 R /ID [<%x> <%x>] ", enc, id, id))
}

// passwordPad is the padding of PDF 32000-1, 7.6.3.3, Algorithm 2.
var passwordPad = []byte{
	0x28, 0xbf, 0x4e, 0x5e, 0x4e, 0x75, 0x8a, 0x41, 0x64, 0x00, 0x4e, 0x56, 0xff, 0xfa, 0x01, 0x08,
	0x2e, 0x2e, 0x00, 0xb6, 0xd0, 0x68, 0x3e, 0x80, 0x2f, 0x0c, 0xa9, 0xfe, 0x64, 0x53, 0x69, 0x7a,
}

func md5Sum(b []byte) []byte {
	s := md5.Sum(b)
	return s[:]
}

// rc4Rounds encrypts data with key, then 19 times more with key XOR i.
func rc4Rounds(key, data []byte) []byte {
	out := rc4Apply(key, data)
	for i := 1; i <= 19; i++ {
		k := append([]byte{}, key...)
		for j := range k {
			k[j] ^= byte(i)
		}
		out = rc4Apply(k, out)
	}
	return out
}

func rc4Apply(key, data []byte) []byte {
	c, err := rc4.NewCipher(key)
	if err != nil {
		log.Fatal(err)
	}
	out := make([]byte, len(data))
	c.XORKeyStream(out, data)
	return out
}

func wrongOffsets() []byte {
	d := onePage(text("Shifted offsets are found again by scanning."), "", "")
	b, offs := d.body()
	start := len(b)
	b = append(b, xrefTable(1, offs, 7)...)
	b = append(b, fmt.Sprintf("trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", start)...)
	return b
}

func missingXref() []byte {
	d := onePage(text("A file without a cross-reference table is rebuilt."), "", "")
	b, _ := d.body()
	return append(b, "trailer\n<< /Size 6 /Root 1 0 R >>\n%%EOF\n"...)
}

func noXrefNoTrailer() []byte {
	d := onePage(text("Neither table nor trailer: the catalog is found."), "", "")
	b, _ := d.body()
	return append(b, "%%EOF\n"...)
}

func xrefStreamHugeSize() []byte {
	d := onePage(text("A cross-reference stream claims ten billion objects."), "", "")
	return d.xrefStream(0, 0, "9999999999")
}

// sizeTooSmall is a two-page document whose trailer /Size stops short of
// the second page's objects, which the table lists (pdfunite writes such
// files): the library reads no object numbered /Size or above.
func sizeTooSmall() []byte {
	d := onePage(text("The first page of a merged report."), "", "")
	d.objs[1] = "<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>"
	d.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 7 0 R >>")
	d.add(stream("", text("The second page lies beyond the trailer size.")))
	b, offs := d.body()
	start := len(b)
	b = append(b, xrefTable(1, offs, 0)...)
	b = append(b, fmt.Sprintf("trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", start)...)
	return b
}

func prevLoop() []byte {
	d := onePage(text("A previous section that points at itself."), "", "")
	b, offs := d.body()
	start := len(b)
	b = append(b, xrefTable(1, offs, 0)...)
	b = append(b, fmt.Sprintf("trailer\n<< /Size 6 /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n", start, start)...)
	return b
}

func headingOnly() []byte {
	d := onePage("BT /F1 24 Tf 72 700 Td (Learning City Yearbook) Tj ET\nBT /F2 14 Tf 72 660 Td (Lifelong Learning in Limerick) Tj ET", "", "")
	d.objs[2] = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R /F2 6 0 R >> >> /Contents 5 0 R >>"
	d.objs[3] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"
	d.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
	return d.classic()
}

func oneLine() []byte {
	d := onePage(text("Festival of Learning Programme"), "", "")
	d.objs[3] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"
	return d.classic()
}

func repeatedLines() []byte {
	d := &doc{}
	d.add("<< /Type /Catalog /Pages 2 0 R >>")
	d.add("<< /Type /Pages /Kids [5 0 R 6 0 R 7 0 R 8 0 R] /Count 4 >>")
	d.add(helvetica)
	d.add(stream("", text("Swansea learning city")))
	for i := 0; i < 4; i++ {
		d.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>")
	}
	return d.classic()
}

// bombObjStm is sixteen pages whose /Annots is the one object of a bomb
// object stream: a reader that inflates the stream for each read does so
// sixteen times.
func bombObjStm() []byte {
	const pad = 2 << 30 // blanks before the one object: 2 GiB
	const pages = 16
	d := onePage(text("A decompression bomb sits beside this text."), "/Annots 6 0 R ", "")
	d.add("") // object 6 lives in the stream, object 7
	d.add(bombStm(6, "[]", pad))
	kids := "3 0 R"
	for i := 1; i < pages; i++ {
		kids += fmt.Sprintf(" %d 0 R", d.add(d.objs[2]))
	}
	d.objs[1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids, pages)
	return d.xrefStream(6, 7, "")
}

// bombStm is an object stream whose one object starts pad blanks in,
// compressed twice so that it takes a few kilobytes.
func bombStm(first int, body string, pad int) string {
	head := fmt.Sprintf("%d %d ", first, pad)
	var inner bytes.Buffer
	w, _ := zlib.NewWriterLevel(&inner, zlib.BestCompression)
	w.Write([]byte(head))
	blank := bytes.Repeat([]byte{' '}, 1<<20)
	for i := 0; i < pad>>20; i++ {
		w.Write(blank)
	}
	w.Write([]byte(body))
	w.Close()
	outer := deflate(inner.Bytes())
	return stream(fmt.Sprintf("/Type /ObjStm /N 1 /First %d /Filter [/FlateDecode /FlateDecode]", len(head)), string(outer))
}

func deepContent() []byte {
	const depth = 20 << 20
	content := []byte(text("Brackets nested twenty million deep follow."))
	content = append(content, '\n')
	content = append(content, bytes.Repeat([]byte{'['}, depth)...)
	d := onePage("", "", "")
	d.objs[4] = flateStream("", content, 2)
	return d.classic()
}

func deepAnnots() []byte {
	const depth = 1 << 20
	deep := strings.Repeat("[", depth) + strings.Repeat("]", depth)
	return stmDoc(text("Deeply nested annotations do not cost the page."), []string{deep},
		func(first int, bodies []string) string { return objStm(first, bodies, 0, 2) })
}

func undecodableFont() []byte {
	d := onePage("BT /F1 12 Tf 72 700 Td <0012001300140015> Tj ET", "", "")
	d.objs[3] = "<< /Type /Font /Subtype /Type0 /BaseFont /AAAAAA+Unknown /Encoding /Identity-H /DescendantFonts [6 0 R] >>"
	d.add("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /AAAAAA+Unknown /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 500 >>")
	return d.classic()
}

func noText() []byte {
	return onePage("0 0 m 300 300 l S", "", "").classic()
}

// hugeColumns has a second content stream whose PNG predictor claims
// 9,999,999,999 columns: the PDF library allocates a row that wide.
func hugeColumns() []byte {
	d := onePage(text("A predictor row wider than memory is refused."), "", "")
	d.objs[2] = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents [5 0 R 6 0 R] >>"
	row := append([]byte{2}, []byte("BT ET")...)
	d.add(stream("/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 9999999999 >>", string(deflate(row))))
	return d.classic()
}
