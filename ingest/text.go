package ingest

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"

	"github.com/lcity/lcity/corpus"
)

// structured is a document read from a format that marks its structure
// (HTML, Word, Markdown, plain text): its blocks in reading order, each
// with its page, and what the format says about the document.
type structured struct {
	blocks []block
	pages  int    // pages of the file (1 for formats without pages)
	title  string // the document's title, if the format gives one
	url    string // the web page's canonical address
	notes  []string
}

// extractStructured extracts the documents of an input that is not a PDF
// (k from sniff). Entries with pages: take the blocks of those pages (a
// text file's pages are parted by form feeds; a web page or Word file is
// page 1); an entry with outline: fails, as these files have no outline.
// Up to workers chunks of passages are segmented at once (segmentDocs).
func extractStructured(data io.ReaderAt, size int64, in Input, sum string, k kind, workers int) Result {
	res := structuredResult(data, size, in, sum, k)
	segmentDocs(res.Docs, workers)
	return res
}

// structuredResult is extractStructured without the sentence spans.
func structuredResult(data io.ReaderAt, size int64, in Input, sum string, k kind) Result {
	var st structured
	var err error
	extractor := ExtractorText
	switch k {
	case kindDOCX:
		extractor = ExtractorDOCX
		st, err = readDOCX(data, size)
	default:
		raw, rerr := io.ReadAll(io.NewSectionReader(data, 0, size))
		if rerr != nil {
			return failAll(in, sum, fmt.Errorf("%w: %v", corpus.ErrCorrupt, rerr))
		}
		if k == kindHTML {
			extractor = ExtractorHTML
			st, err = readHTML(raw)
		} else {
			st = readText(raw, k == kindMarkdown)
		}
	}
	if err != nil {
		return failAll(in, sum, err)
	}
	res := Result{Input: in, SHA256: sum}
	for _, n := range st.notes {
		res.Notes = append(res.Notes, in.Source+": "+n)
	}
	ranges, notes := splitRanges(in.Entries, nil, st.pages)
	res.Notes = append(res.Notes, notes...)
	for i, e := range in.Entries {
		r := ranges[i]
		if r.err == nil {
			doc := corpus.Document{
				ID: corpus.DocID(e.City, e.Year), City: e.City, Country: e.Country, Region: e.Region,
				Year: e.Year, Publication: e.Publication, Source: in.Source, SHA256: sum,
				FirstPage: r.first, LastPage: r.last, Pages: r.last - r.first + 1, Extractor: extractor,
				Title: st.title, URL: st.url,
			}
			var sel []block
			for _, b := range st.blocks {
				if b.page >= r.first && b.page <= r.last {
					sel = append(sel, b)
				}
			}
			if ps := build(&doc, sel); len(ps) > 0 {
				res.Docs = append(res.Docs, Doc{Document: doc, Passages: ps})
				continue
			}
			r.err = fmt.Errorf("%w: no text found", corpus.ErrNoText)
			if st.pages > 1 {
				r.err = fmt.Errorf("%w: pages %d-%d", corpus.ErrNoText, r.first, r.last)
			}
		}
		detail := r.err.Error()
		if len(in.Entries) > 1 {
			detail = e.City + ": " + detail
		}
		res.Failures = append(res.Failures, corpus.Failure{Source: in.Source, Reason: corpus.Reason(r.err), Detail: detail})
	}
	return res
}

// decodeText turns a text file's bytes into UTF-8: a UTF-16 file with a
// byte-order mark is decoded, a UTF-8 byte-order mark dropped, and a file
// that is not UTF-8 read as Windows-1252 (legacy is true), the encoding
// of old Windows text files and the one browsers assume for legacy
// content; it decodes every byte.
func decodeText(raw []byte) (s string, legacy bool) {
	if bytes.HasPrefix(raw, []byte{0xFF, 0xFE}) || bytes.HasPrefix(raw, []byte{0xFE, 0xFF}) {
		dec := xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM).NewDecoder()
		if out, err := dec.Bytes(raw); err == nil {
			raw = out
		}
	}
	raw = bytes.TrimPrefix(raw, []byte("\xEF\xBB\xBF"))
	if !utf8.Valid(raw) {
		if out, err := charmap.Windows1252.NewDecoder().Bytes(raw); err == nil {
			return string(out), true
		}
		return strings.ToValidUTF8(string(raw), "\uFFFD"), true
	}
	return string(raw), false
}

// readText reads a plain-text or Markdown file. Form feeds part pages, as
// pdftotext writes them. In Markdown (parsed by goldmark, CommonMark with
// GitHub tables), headings of levels 1-3 start sections, a heading of
// level 4-6 leads into the paragraph after it, list items and table rows
// (cells parted by tabs) are paragraphs of their own, and raw HTML is
// left out. In plain text, paragraphs are parted by blank lines and a
// paragraph of one short title-case line (titleLine) is a heading.
func readText(raw []byte, markdown bool) structured {
	s, legacy := decodeText(raw)
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	chunks := strings.Split(s, "\f")
	st := structured{pages: len(chunks)}
	if legacy {
		st.notes = append(st.notes, "not UTF-8: read as Windows-1252")
	}
	for i, chunk := range chunks {
		if markdown {
			if i == 0 {
				chunk = stripFrontMatter(chunk)
			}
			st.blocks = append(st.blocks, markdownBlocks([]byte(chunk), i+1)...)
		} else {
			st.blocks = append(st.blocks, plainBlocks(chunk, i+1)...)
		}
	}
	return st
}

// stripFrontMatter drops a YAML front-matter block ("---" lines around
// metadata at the very start), as note-taking tools and static site
// generators write it: it is metadata, not text to code.
func stripFrontMatter(s string) string {
	if !strings.HasPrefix(s, "---\n") {
		return s
	}
	end := strings.Index(s[4:], "\n---\n")
	if end < 0 {
		return s
	}
	return s[4+end+5:]
}

func plainBlocks(s string, pageNo int) []block {
	var out []block
	var para []string
	flush := func() {
		if len(para) == 0 {
			return
		}
		if len(para) == 1 && titleLine(para[0]) {
			out = append(out, block{kind: heading, text: cleanLine(para[0]), page: pageNo, lastPage: pageNo})
		} else if t := cleanLine(joinLines(para)); t != "" {
			out = append(out, block{kind: paragraph, text: t, page: pageNo, lastPage: pageNo})
		}
		para = nil
	}
	for _, l := range strings.Split(s, "\n") {
		t := strings.TrimSpace(l)
		if t == "" {
			flush()
			continue
		}
		para = append(para, t)
	}
	flush()
	return out
}

// minorWords may start in lower case in a title-case line.
var minorWords = map[string]bool{
	"a": true, "an": true, "the": true, "and": true, "or": true, "nor": true, "but": true,
	"of": true, "in": true, "on": true, "for": true, "to": true, "with": true, "at": true,
	"by": true, "from": true, "as": true, "into": true, "vs": true, "via": true, "per": true,
	"de": true, "da": true, "do": true, "dos": true, "la": true, "le": true, "del": true,
	"der": true, "und": true, "van": true, "von": true, "y": true, "e": true,
}

// titleLine tells a plain-text heading: at most 80 characters and 12
// words, no closing sentence punctuation (. , ; : !), and every word
// starting with a letter in upper case, except short function words
// ("Learning Festivals in the Harbour Districts", "2. Partnerships",
// "LIFELONG LEARNING FOR ALL"); the first such word must be upper case.
func titleLine(s string) bool {
	if utf8.RuneCountInString(s) > 80 {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(s)
	if strings.ContainsRune(".,;:!", last) {
		return false
	}
	words := strings.Fields(s)
	if len(words) == 0 || len(words) > 12 {
		return false
	}
	capital := 0
	for _, w := range words {
		w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsLetter(r) {
			continue
		}
		if unicode.IsUpper(r) || unicode.IsTitle(r) {
			capital++
			continue
		}
		if capital == 0 || !minorWords[strings.ToLower(w)] {
			return false
		}
	}
	return capital > 0
}

var markdownParser = goldmark.New(goldmark.WithExtensions(extension.Table))

func markdownBlocks(src []byte, pageNo int) []block {
	doc := markdownParser.Parser().Parse(text.NewReader(src))
	var out []block
	lead := ""
	add := func(k blockKind, t string) {
		t = cleanLine(t)
		if t == "" {
			return
		}
		if k == paragraph && lead != "" {
			t, lead = lead+" "+t, ""
		}
		out = append(out, block{kind: k, text: t, page: pageNo, lastPage: pageNo})
	}
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		switch n := n.(type) {
		case *ast.Heading:
			t := cleanLine(mdInline(n, src))
			if n.Level > 3 {
				if t != "" {
					lead = strings.TrimSpace(lead + " " + leadIn(t))
				}
				return
			}
			add(heading, t)
			return
		case *ast.Paragraph, *ast.TextBlock:
			add(paragraph, joinLines(strings.Split(mdInline(n, src), "\n")))
			return
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			var b strings.Builder
			lines := n.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				b.Write(seg.Value(src))
				b.WriteByte(' ')
			}
			add(paragraph, b.String())
			return
		case *ast.HTMLBlock, *ast.ThematicBreak:
			return
		case *east.TableHeader, *east.TableRow:
			var cells []string
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				cells = append(cells, cleanLine(mdInline(c, src)))
			}
			if row := tableRow(cells); row != "" {
				if lead != "" {
					row, lead = lead+" "+row, ""
				}
				out = append(out, block{kind: paragraph, text: row, page: pageNo, lastPage: pageNo})
			}
			return
		}
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			walk(c)
		}
	}
	walk(doc)
	if lead != "" {
		out = append(out, block{kind: paragraph, text: lead, page: pageNo, lastPage: pageNo})
	}
	return out
}

// leadIn is a minor heading as it leads into the paragraph after it:
// followed by a full stop unless it ends in punctuation.
func leadIn(t string) string {
	last, _ := utf8.DecodeLastRuneInString(t)
	if unicode.IsPunct(last) {
		return t
	}
	return t + "."
}

// tableRow joins a table row's cells with tabs; an empty row is "".
func tableRow(cells []string) string {
	for _, c := range cells {
		if c != "" {
			return strings.Join(cells, "\t")
		}
	}
	return ""
}

// mdInline is the text of a Markdown node's inline content: links and
// images by their text, code spans by their code, line breaks as "\n"
// (for joinLines to mend words hyphenated at a line end), raw HTML left
// out.
func mdInline(n ast.Node, src []byte) string {
	var b strings.Builder
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		switch n := n.(type) {
		case *ast.Text:
			b.Write(n.Segment.Value(src))
			if n.SoftLineBreak() || n.HardLineBreak() {
				b.WriteByte('\n')
			}
			return
		case *ast.String:
			b.Write(n.Value)
			return
		case *ast.AutoLink:
			b.Write(n.Label(src))
			return
		case *ast.RawHTML:
			return
		}
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// textPages turns pdftotext's output into pages (split at form feeds)
// of one line per paragraph, for the layout analysis of blocks. With
// markdown, lines starting with # are headings. Text and Markdown files
// are read by readText instead.
func textPages(s string, markdown bool) []page {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var pages []page
	for i, chunk := range strings.Split(s, "\f") {
		p := page{number: i + 1}
		y := 0.0
		var para []string
		flush := func() {
			if len(para) > 0 {
				p.lines = append(p.lines, line{text: cleanLine(joinLines(para)), y: y, size: 10, brk: true})
				y -= 30
				para = nil
			}
		}
		for _, l := range strings.Split(chunk, "\n") {
			t := strings.TrimSpace(l)
			switch {
			case t == "":
				flush()
			case markdown && strings.HasPrefix(t, "#"):
				flush()
				h := cleanLine(strings.TrimLeft(t, "# "))
				if h != "" {
					p.lines = append(p.lines, line{text: h, y: y, size: 14, bold: true, brk: true})
					y -= 30
				}
			default:
				para = append(para, t)
			}
		}
		flush()
		pages = append(pages, p)
	}
	return pages
}
