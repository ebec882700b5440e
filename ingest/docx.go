package ingest

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/lcity/lcity/corpus"
)

// Limits of a Word file: a part that inflates past maxPartBytes (a
// decompression bomb) fails as too-large, XML nested deeper than
// maxXMLDepth as corrupt.
const (
	maxPartBytes = 64 << 20
	maxXMLDepth  = 512
)

// Namespaces of WordprocessingML, transitional and strict.
const (
	wordNS       = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	wordStrictNS = "http://purl.oclc.org/ooxml/wordprocessingml/main"
	mcNS         = "http://schemas.openxmlformats.org/markup-compatibility/2006"
	dcNS         = "http://purl.org/dc/elements/1.1/"
)

func isW(n xml.Name) bool { return n.Space == wordNS || n.Space == wordStrictNS }

// titleLevel is the heading level of the Title style.
const titleLevel = -1

// readDOCX reads a Word file (WordprocessingML, ECMA-376) from its parts:
// word/document.xml for the text, word/styles.xml for which styles are
// headings, word/footnotes.xml and word/endnotes.xml for notes and
// docProps/core.xml for the title. Headers, footers and comments are not
// the document's text and are left out, as are tracked deletions and
// field codes; tracked insertions are read. See the package
// documentation for how paragraphs, headings, tables and notes become
// blocks. A Word file is one page.
func readDOCX(data io.ReaderAt, size int64) (structured, error) {
	zr, err := zip.NewReader(data, size)
	if err != nil {
		return structured{}, fmt.Errorf("%w: not a readable .docx (zip archive): %v", corpus.ErrCorrupt, err)
	}
	parts := map[string]*zip.File{}
	for _, f := range zr.File {
		if _, dup := parts[f.Name]; !dup {
			parts[f.Name] = f
		}
	}
	main, ok := parts["word/document.xml"]
	if !ok {
		return structured{}, fmt.Errorf("%w: a zip archive without word/document.xml, not a Word .docx", corpus.ErrCorrupt)
	}
	r := docxReader{styles: map[string]int{}, noteNum: map[string]int{}}
	if f := parts["word/styles.xml"]; f != nil {
		if err := r.readStyles(f); err != nil {
			return structured{}, err
		}
	}
	body, err := readPart(main)
	if err != nil {
		return structured{}, err
	}
	if err := r.readBody(body); err != nil {
		return structured{}, fmt.Errorf("word/document.xml: %w", err)
	}
	if r.lead != "" {
		r.out = append(r.out, block{kind: paragraph, text: r.lead, page: 1, lastPage: 1})
		r.lead = ""
	}
	notes := map[string]string{}
	for _, name := range []string{"word/footnotes.xml", "word/endnotes.xml"} {
		f := parts[name]
		if f == nil {
			continue
		}
		kind := "f"
		if strings.Contains(name, "endnotes") {
			kind = "e"
		}
		b, err := readPart(f)
		if err != nil {
			return structured{}, err
		}
		if err := readNotes(b, kind, notes); err != nil {
			return structured{}, fmt.Errorf("%s: %w", name, err)
		}
	}
	r.appendNotes(notes)
	st := structured{blocks: r.out, pages: 1, title: r.title}
	if f := parts["docProps/core.xml"]; f != nil {
		if b, err := readPart(f); err == nil {
			if t := coreTitle(b); t != "" {
				st.title = t
			}
		}
	}
	return st, nil
}

// readPart inflates one part of the archive, at most maxPartBytes.
func readPart(f *zip.File) ([]byte, error) {
	if f.UncompressedSize64 > maxPartBytes {
		return nil, fmt.Errorf("%w: %s inflates to %d bytes, limit %d (a decompression bomb?)", corpus.ErrTooLarge, f.Name, f.UncompressedSize64, maxPartBytes)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", corpus.ErrCorrupt, f.Name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, maxPartBytes+1))
	if len(b) > maxPartBytes {
		return nil, fmt.Errorf("%w: %s inflates to more than %d bytes (a decompression bomb?)", corpus.ErrTooLarge, f.Name, maxPartBytes)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", corpus.ErrCorrupt, f.Name, err)
	}
	return b, nil
}

// xmlTokens walks an XML part, calling fn with each token and the local
// names of the open elements (the token's own last for a start element).
// fn returns skip to pass over a start element's content.
func xmlTokens(b []byte, fn func(tok xml.Token, path []xml.Name) (skip bool)) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	var path []xml.Name
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%w: XML: %v", corpus.ErrCorrupt, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			path = append(path, t.Name)
			if len(path) > maxXMLDepth {
				return fmt.Errorf("%w: XML nested deeper than %d elements", corpus.ErrCorrupt, maxXMLDepth)
			}
			if fn(t, path) {
				if err := d.Skip(); err != nil {
					return fmt.Errorf("%w: XML: %v", corpus.ErrCorrupt, err)
				}
				path = path[:len(path)-1]
			}
		case xml.EndElement:
			fn(t, path)
			path = path[:len(path)-1]
		case xml.CharData:
			fn(t, path)
		}
	}
}

func wattr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local && (a.Name.Space == "" || isW(a.Name)) {
			return a.Value
		}
	}
	return ""
}

// parentIs tells whether the element below the last of path is a w:local.
func parentIs(path []xml.Name, local string) bool {
	return len(path) >= 2 && isW(path[len(path)-2]) && path[len(path)-2].Local == local
}

var headingStyleRE = regexp.MustCompile(`^(?i)heading\s*([1-9])$`)

// styleLevel is the heading level a style's name or ID says: 1-9, or
// titleLevel for the Title style, or 0.
func styleLevel(name string) int {
	if m := headingStyleRE.FindStringSubmatch(strings.TrimSpace(name)); m != nil {
		return int(m[1][0] - '0')
	}
	if strings.EqualFold(strings.TrimSpace(name), "title") {
		return titleLevel
	}
	return 0
}

// docxReader turns the body of a Word file into blocks.
type docxReader struct {
	styles  map[string]int // paragraph style ID → heading level
	noteNum map[string]int // "f1", "e3" → number in order of reference
	refs    []string       // note keys in order of reference
	blockList
	title string // the first Title paragraph
}

// readStyles records the heading level of each paragraph style: its name
// ("heading 1"… "heading 9", "Title"), else its outline level, else the
// level of the style it is based on.
func (r *docxReader) readStyles(f *zip.File) error {
	b, err := readPart(f)
	if err != nil {
		return err
	}
	type style struct {
		level   int
		hasLvl  bool
		basedOn string
	}
	all := map[string]*style{}
	var cur *style
	err = xmlTokens(b, func(tok xml.Token, path []xml.Name) bool {
		switch t := tok.(type) {
		case xml.StartElement:
			if !isW(t.Name) {
				return false
			}
			switch t.Name.Local {
			case "style":
				cur = nil
				if wattr(t, "type") == "paragraph" {
					cur = &style{}
					all[wattr(t, "styleId")] = cur
					if l := styleLevel(wattr(t, "styleId")); l != 0 {
						cur.level, cur.hasLvl = l, true
					}
				}
			case "name":
				if cur != nil && parentIs(path, "style") {
					if l := styleLevel(wattr(t, "val")); l != 0 {
						cur.level, cur.hasLvl = l, true
					}
				}
			case "basedOn":
				if cur != nil && parentIs(path, "style") {
					cur.basedOn = wattr(t, "val")
				}
			case "outlineLvl":
				if cur != nil && !cur.hasLvl && parentIs(path, "pPr") {
					if v, err := strconv.Atoi(wattr(t, "val")); err == nil && v >= 0 && v < 9 {
						cur.level, cur.hasLvl = v+1, true
					}
				}
			}
		}
		return false
	})
	if err != nil {
		return fmt.Errorf("word/styles.xml: %w", err)
	}
	for id, s := range all {
		for i, at := 0, s; i < 16 && at != nil; i++ {
			if at.hasLvl {
				r.styles[id] = at.level
				break
			}
			at = all[at.basedOn]
		}
	}
	return nil
}

// para is a paragraph being read.
type para struct {
	style   string
	outline int // direct outline level + 1; 10 is body text
	text    strings.Builder
}

func (r *docxReader) level(p *para) int {
	if p.outline > 0 {
		if p.outline >= 10 {
			return 0
		}
		return p.outline
	}
	if l, ok := r.styles[p.style]; ok {
		return l
	}
	return styleLevel(p.style)
}

func (r *docxReader) readBody(b []byte) error {
	var paras []*para
	tables := 0        // open tables
	var cells []string // cells of the outermost table's current row
	var cell []string  // paragraphs of its current cell
	inText := false    // inside a w:t
	return xmlTokens(b, func(tok xml.Token, path []xml.Name) bool {
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Space == mcNS && t.Name.Local == "Fallback" {
				return true // the same content as mc:Choice, for older readers
			}
			if !isW(t.Name) {
				return false
			}
			var cur *para
			if len(paras) > 0 {
				cur = paras[len(paras)-1]
			}
			switch t.Name.Local {
			case "p":
				paras = append(paras, &para{})
			case "pStyle":
				if cur != nil && parentIs(path, "pPr") {
					cur.style = wattr(t, "val")
				}
			case "outlineLvl":
				if cur != nil && parentIs(path, "pPr") {
					if v, err := strconv.Atoi(wattr(t, "val")); err == nil && v >= 0 && v <= 9 {
						cur.outline = v + 1
					}
				}
			case "moveFrom", "del", "instrText", "delText", "rPr", "sectPr", "tblPr", "trPr", "tcPr":
				return true
			case "t":
				inText = true
			case "tab", "br", "cr":
				if cur != nil && parentIs(path, "r") {
					cur.text.WriteByte(' ')
				}
			case "noBreakHyphen":
				if cur != nil {
					cur.text.WriteByte('-')
				}
			case "footnoteReference", "endnoteReference":
				if cur != nil {
					key := t.Name.Local[:1] + wattr(t, "id")
					n, ok := r.noteNum[key]
					if !ok {
						n = len(r.refs) + 1
						r.noteNum[key] = n
						r.refs = append(r.refs, key)
					}
					fmt.Fprintf(&cur.text, "[%d]", n)
				}
			case "tbl":
				tables++
			case "tr":
				if tables == 1 {
					cells = nil
				}
			case "tc":
				if tables == 1 {
					cell = nil
				}
			}
		case xml.CharData:
			if inText && len(paras) > 0 {
				paras[len(paras)-1].text.Write(t)
			}
		case xml.EndElement:
			if !isW(t.Name) {
				return false
			}
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				if len(paras) == 0 {
					return false
				}
				p := paras[len(paras)-1]
				paras = paras[:len(paras)-1]
				text := cleanLine(p.text.String())
				switch lvl := r.level(p); {
				case tables > 0:
					if text != "" {
						cell = append(cell, text)
					}
				case lvl == titleLevel:
					if r.title == "" {
						r.title = text
					}
					r.add(heading, text)
				case lvl >= 1 && lvl <= 3:
					r.add(heading, text)
				case lvl > 3:
					if text != "" {
						r.lead = strings.TrimSpace(r.lead + " " + leadIn(text))
					}
				default:
					r.add(paragraph, text)
				}
			case "tc":
				if tables == 1 {
					cells = append(cells, strings.Join(cell, " "))
				}
			case "tr":
				if tables == 1 {
					if row := tableRow(cells); row != "" {
						if r.lead != "" {
							row, r.lead = r.lead+" "+row, ""
						}
						r.out = append(r.out, block{kind: paragraph, text: row, page: 1, lastPage: 1})
					}
				}
			case "tbl":
				tables--
			}
		}
		return false
	})
}

// readNotes reads the text of the footnotes or endnotes of a part into
// notes, keyed by kind ("f" or "e") and ID; separators are left out.
func readNotes(b []byte, kind string, notes map[string]string) error {
	var cur *strings.Builder
	key := ""
	inText := false
	return xmlTokens(b, func(tok xml.Token, path []xml.Name) bool {
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Space == mcNS && t.Name.Local == "Fallback" {
				return true
			}
			if !isW(t.Name) {
				return false
			}
			switch t.Name.Local {
			case "footnote", "endnote":
				cur, key = nil, ""
				if typ := wattr(t, "type"); typ == "" || typ == "normal" {
					cur, key = &strings.Builder{}, kind+wattr(t, "id")
				}
			case "moveFrom", "del", "instrText", "delText":
				return true
			case "t":
				inText = true
			case "tab", "br", "cr":
				if cur != nil {
					cur.WriteByte(' ')
				}
			}
		case xml.CharData:
			if inText && cur != nil {
				cur.Write(t)
			}
		case xml.EndElement:
			if !isW(t.Name) {
				return false
			}
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				if cur != nil {
					cur.WriteByte(' ')
				}
			case "footnote", "endnote":
				if cur != nil {
					notes[key] = cleanLine(cur.String())
				}
				cur = nil
			}
		}
		return false
	})
}

// appendNotes adds the notes the text refers to after the text, under a
// heading "Notes", each a paragraph "[n] text" numbered in order of
// reference (footnotes and endnotes in one sequence).
func (r *docxReader) appendNotes(notes map[string]string) {
	type note struct {
		n    int
		text string
	}
	var ns []note
	for _, key := range r.refs {
		if t := notes[key]; t != "" {
			ns = append(ns, note{r.noteNum[key], t})
		}
	}
	if len(ns) == 0 {
		return
	}
	sort.Slice(ns, func(i, j int) bool { return ns[i].n < ns[j].n })
	r.add(heading, "Notes")
	for _, n := range ns {
		r.add(paragraph, fmt.Sprintf("[%d] %s", n.n, n.text))
	}
}

// coreTitle is the dc:title of docProps/core.xml.
func coreTitle(b []byte) string {
	var title strings.Builder
	in := false
	xmlTokens(b, func(tok xml.Token, path []xml.Name) bool {
		switch t := tok.(type) {
		case xml.StartElement:
			in = t.Name.Space == dcNS && t.Name.Local == "title"
		case xml.EndElement:
			in = false
		case xml.CharData:
			if in {
				title.Write(t)
			}
		}
		return false
	})
	return cleanLine(title.String())
}
