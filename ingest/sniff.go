package ingest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/lcity/lcity/corpus"
)

// kind is the reader a file needs.
type kind int

const (
	kindUnknown kind = iota
	kindPDF
	kindDOCX
	kindHTML
	kindMarkdown
	kindText
)

// sniffLen is how much of a file sniff looks at for magic bytes and
// HTML markers.
const sniffLen = 1024

// sniff picks a file's reader by its content: "%PDF-" in the first KiB
// (bytes before the header are tolerated, as by readers of PDF), a zip
// archive holding word/document.xml, HTML markup, else text when the
// whole file is UTF-8 (or UTF-16 with a byte-order mark) without NUL
// bytes. The extension decides only between Markdown and plain text,
// fails text files that hold data or code (.csv, .json, .xml, .js…), and
// keeps a file named .pdf, .txt or .md with the reader its name promises
// when the content says nothing else (a damaged PDF then fails as corrupt
// with the PDF reader's reason, not as unsupported). Anything else is
// unsupported, with a detail that says what the file seems to be.
func sniff(name string, data io.ReaderAt, size int64) (kind, error) {
	ext := strings.ToLower(path.Ext(name))
	head := make([]byte, min(size, sniffLen))
	n, _ := data.ReadAt(head, 0)
	head = head[:n]
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return kindPDF, nil
	case bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return sniffZip(ext, data, size)
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return kindUnknown, fmt.Errorf("%w: an OLE compound file (a Word 97-2003 .doc or another old Office file); save it as .docx", corpus.ErrUnsupported)
	case bytes.Contains(head, []byte("%PDF-")) && !looksHTML(ext, head):
		return kindPDF, nil
	case looksHTML(ext, head):
		return kindHTML, nil
	}
	if what := binaryKind(head); what != "" {
		return kindUnknown, fmt.Errorf("%w: %s, not PDF, Word .docx, HTML or text (lcity does no OCR)", corpus.ErrUnsupported, what)
	}
	switch ext {
	case ".pdf":
		return kindPDF, nil
	case ".docx":
		return kindUnknown, fmt.Errorf("%w: not a Word .docx file (not a zip archive)", corpus.ErrCorrupt)
	}
	if dataExt[ext] {
		return kindUnknown, fmt.Errorf("%w: a data or program file (%s), not a document to code", corpus.ErrUnsupported, ext)
	}
	textual := ext == ".txt" || ext == ".md" || ext == ".markdown" || ext == ".text"
	if !textual {
		ok, err := isText(data, size)
		if err != nil {
			return kindUnknown, err
		}
		if !ok {
			return kindUnknown, fmt.Errorf("%w: binary data (%s), not PDF, Word .docx, HTML or UTF-8 text", corpus.ErrUnsupported, describeExt(ext))
		}
	}
	if ext == ".md" || ext == ".markdown" {
		return kindMarkdown, nil
	}
	return kindText, nil
}

// dataExt are extensions of text files that hold data or code, not
// prose: read as text they would give passages of numbers and markup.
var dataExt = map[string]bool{
	".csv": true, ".tsv": true, ".json": true, ".jsonl": true, ".xml": true,
	".yaml": true, ".yml": true, ".js": true, ".css": true, ".svg": true,
}

func describeExt(ext string) string {
	if ext == "" {
		return "no file extension"
	}
	return "extension " + ext
}

// sniffZip tells a Word document from other zip archives by its main
// part, word/document.xml (ECMA-376 Part 2 names it through
// _rels/.rels; Word and every other writer put it there).
func sniffZip(ext string, data io.ReaderAt, size int64) (kind, error) {
	zr, err := zip.NewReader(data, size)
	if err != nil {
		if ext == ".docx" {
			return kindUnknown, fmt.Errorf("%w: not a readable .docx (zip archive): %v", corpus.ErrCorrupt, err)
		}
		return kindUnknown, fmt.Errorf("%w: a damaged zip archive: %v", corpus.ErrUnsupported, err)
	}
	var names []string
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			return kindDOCX, nil
		}
		names = append(names, f.Name)
	}
	what := "a zip archive"
	for _, n := range names {
		switch {
		case n == "mimetype" || strings.HasPrefix(n, "META-INF/"):
			what = "an OpenDocument or EPUB file (zip archive); save text documents as .docx"
		case strings.HasPrefix(n, "ppt/"):
			what = "a PowerPoint .pptx file; save it as PDF"
		case strings.HasPrefix(n, "xl/"):
			what = "an Excel .xlsx file"
		}
	}
	if ext == ".docx" {
		return kindUnknown, fmt.Errorf("%w: a zip archive without word/document.xml, not a Word .docx", corpus.ErrCorrupt)
	}
	return kindUnknown, fmt.Errorf("%w: %s without word/document.xml, not a Word .docx", corpus.ErrUnsupported, what)
}

// looksHTML: the file starts (after a byte-order mark and white space)
// with markup, and either its first KiB holds an <html, <head or <body
// tag or a doctype, or its name says HTML.
func looksHTML(ext string, head []byte) bool {
	h := bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	h = bytes.TrimLeft(h, " \t\r\n\f")
	if len(h) == 0 || h[0] != '<' {
		return false
	}
	if ext == ".html" || ext == ".htm" || ext == ".xhtml" {
		return true
	}
	l := bytes.ToLower(h)
	for _, m := range []string{"<!doctype html", "<html", "<head", "<body"} {
		if bytes.Contains(l, []byte(m)) {
			return true
		}
	}
	return false
}

// binaryKind names common binary formats by their magic bytes, or "".
func binaryKind(head []byte) string {
	for _, m := range []struct{ magic, what string }{
		{"\x89PNG\r\n\x1a\n", "a PNG image"},
		{"\xFF\xD8\xFF", "a JPEG image"},
		{"GIF87a", "a GIF image"},
		{"GIF89a", "a GIF image"},
		{"II*\x00", "a TIFF image"},
		{"MM\x00*", "a TIFF image"},
		{"{\\rtf", "an RTF document; save it as .docx"},
		{"\x1F\x8B", "a gzip archive"},
		{"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"},
		{"Rar!", "a RAR archive"},
		{"SQLite format 3\x00", "an SQLite database"},
	} {
		if bytes.HasPrefix(head, []byte(m.magic)) {
			return m.what
		}
	}
	return ""
}

// isText reports whether the whole file is text: UTF-8 without NUL
// bytes, or UTF-16 with a byte-order mark.
func isText(data io.ReaderAt, size int64) (bool, error) {
	raw, err := io.ReadAll(io.NewSectionReader(data, 0, size))
	if err != nil {
		return false, fmt.Errorf("%w: %v", corpus.ErrCorrupt, err)
	}
	if bytes.HasPrefix(raw, []byte{0xFF, 0xFE}) || bytes.HasPrefix(raw, []byte{0xFE, 0xFF}) {
		return true, nil
	}
	return utf8.Valid(raw) && bytes.IndexByte(raw, 0) < 0, nil
}
