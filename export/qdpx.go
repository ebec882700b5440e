package export

import (
	"archive/zip"
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lcity/lcity/coding"
	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/workspace"
)

// Workspace is what an export reads: the workspace folder (for texts/,
// passages.jsonl and codings.csv), its documents and the codebooks it was
// coded with.
type Workspace struct {
	Dir string
	// Coders are the people whose own codings the .qdpx carries, each a
	// User (see Coder).
	Coders    []Coder
	Name      string // project name, e.g. the corpus source
	Origin    string // the tool and version, e.g. "lcity 0.1.0"
	Documents []corpus.Document
	Codebooks []*coding.Codebook
	// Review, when set, turns a passage's auto codings (codings.csv) into
	// the codings to export, the reviewed coding, and says what the review
	// did to each one (nil: nothing; all are the auto-coder's).
	Review func(p corpus.Passage, auto []corpus.Coding) ([]corpus.Coding, []Reviewed)
}

// zipTime is the fixed modification time of every archive entry.
var zipTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

const userName = "lcity automatic coder"

func userGUID() string { return GUID("user:lcity") }

// sourceFile is the archive name of a document's plain text.
func sourceFile(docID string) string { return GUID("source:"+docID) + ".txt" }

// WriteQDPX writes ws as a REFI-QDA project archive: project.qde, then
// sources/<GUID>.txt for each document in document order.
func WriteQDPX(w io.Writer, ws *Workspace) error {
	zw := zip.NewWriter(w)
	f, err := zw.CreateHeader(&zip.FileHeader{Name: "project.qde", Method: zip.Deflate, Modified: zipTime})
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	if err := writeProject(bw, ws); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	for _, d := range ws.Documents {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: "sources/" + sourceFile(d.ID), Method: zip.Deflate, Modified: zipTime})
		if err != nil {
			return err
		}
		text, err := os.ReadFile(filepath.Join(ws.Dir, filepath.FromSlash(workspace.TextFile(d.ID))))
		if err != nil {
			return err
		}
		if _, err := f.Write(plainText(text)); err != nil {
			return err
		}
	}
	return zw.Close()
}

// plainText returns text as the standard wants it: UTF-8 with \n line ends
// and no byte-order mark. lcity's texts are already so; this guards files
// edited by hand.
func plainText(b []byte) []byte {
	s := strings.TrimPrefix(string(b), "\ufeff")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return []byte(strings.ToValidUTF8(s, "\uFFFD"))
}

func writeProject(w io.Writer, ws *Workspace) error {
	x := &xmlWriter{w: w}
	x.line(`<?xml version="1.0" encoding="utf-8"?>`)
	x.open(`<Project xmlns="urn:QDA-XML:project:1.0" name="%s" origin="%s" creatingUserGUID="%s">`, attr(ws.Name), attr(ws.Origin), userGUID())
	writeUsers(x, ws)
	x.open("<CodeBook>")
	writeCodes(x, ws.Codebooks)
	x.close("CodeBook")
	writeCases(x, ws.Documents)
	if err := writeSources(x, ws); err != nil {
		return err
	}
	coderNotes(x, docIDs(ws.Documents), coderSelections(ws.Coders))
	x.line("<Description>%s</Description>", text("Exported by "+ws.Origin+" from the workspace of "+ws.Name+
		". Codings were made automatically by lcity's dictionary coder; each selection's description lists the matched terms."))
	x.close("Project")
	return x.err
}

// writeCodes writes the codebooks as a code tree: codebook, group, code.
func writeCodes(x *xmlWriter, cbs []*coding.Codebook) {
	x.open("<Codes>")
	for _, cb := range cbs {
		x.open(`<Code guid="%s" name="%s" isCodable="false">`, GUID("codebook:"+cb.Name), attr(cb.Name+": "+cb.Title))
		desc := cb.Description
		if desc == "" {
			desc = cb.Title
		}
		x.line("<Description>%s</Description>", text(fmt.Sprintf("lcity codebook %s (%s), SHA-256 %s. %s", cb.Name, cb.Source, cb.SHA256, desc)))
		children := map[string][]corpus.Code{}
		for _, c := range cb.Codes {
			children[c.Parent] = append(children[c.Parent], c)
		}
		var write func(c corpus.Code)
		write = func(c corpus.Code) {
			colour := ""
			if c.Colour != "" {
				colour = fmt.Sprintf(` color="%s"`, attr(c.Colour))
			}
			x.open(`<Code guid="%s" name="%s" isCodable="%t"%s>`, GUID("code:"+c.ID), attr(c.Label), !c.Group, colour)
			x.line("<Description>%s</Description>", text(codeDescription(c)))
			for _, k := range children[c.ID] {
				write(k)
			}
			x.close("Code")
		}
		for _, c := range children[""] {
			write(c)
		}
		x.close("Code")
	}
	x.close("Codes")
}

func codeDescription(c corpus.Code) string {
	var b strings.Builder
	b.WriteString(c.ID)
	if c.Description != "" {
		b.WriteString(": " + c.Description)
	}
	if len(c.Terms) > 0 {
		b.WriteString(" Terms: " + strings.Join(c.Terms, "; ") + ".")
	}
	return b.String()
}

// writeCases writes the variables and one case per city.
func writeCases(x *xmlWriter, docs []corpus.Document) {
	vars := []struct{ name, typ, desc string }{
		{"region", "Text", "Europe, Asia-Pacific or unknown"},
		{"country", "Text", "country of the city"},
		{"award_year", "Integer", "year of the UNESCO Learning City Award, 0 if unknown"},
	}
	x.open("<Variables>")
	for _, v := range vars {
		x.open(`<Variable guid="%s" name="%s" typeOfVariable="%s">`, GUID("variable:"+v.name), v.name, v.typ)
		x.line("<Description>%s</Description>", text(v.desc))
		x.close("Variable")
	}
	x.close("Variables")
	type city struct {
		name, region, country string
		year                  int
		docs                  []string
	}
	by := map[string]*city{}
	var names []string
	for _, d := range docs {
		c, ok := by[d.City]
		if !ok {
			c = &city{name: d.City, region: d.Region, country: d.Country}
			by[d.City] = c
			names = append(names, d.City)
		}
		if d.Year > c.year {
			c.year = d.Year
		}
		c.docs = append(c.docs, d.ID)
	}
	sort.Strings(names)
	if len(names) == 0 {
		return
	}
	x.open("<Cases>")
	for _, n := range names {
		c := by[n]
		x.open(`<Case guid="%s" name="%s">`, GUID("case:"+n), attr(n))
		for _, v := range []struct{ name, value string }{{"region", c.region}, {"country", c.country}} {
			x.open("<VariableValue>")
			x.line(`<VariableRef targetGUID="%s"/>`, GUID("variable:"+v.name))
			x.line("<TextValue>%s</TextValue>", text(v.value))
			x.close("VariableValue")
		}
		x.open("<VariableValue>")
		x.line(`<VariableRef targetGUID="%s"/>`, GUID("variable:award_year"))
		x.line("<IntegerValue>%d</IntegerValue>", c.year)
		x.close("VariableValue")
		for _, id := range c.docs {
			x.line(`<SourceRef targetGUID="%s"/>`, GUID("source:"+id))
		}
		x.close("Case")
	}
	x.close("Cases")
}

// writeSources writes one TextSource per document with a selection per
// coded passage, streaming the workspace's passages and codings.
func writeSources(x *xmlWriter, ws *Workspace) error {
	if len(ws.Documents) == 0 {
		return nil
	}
	type selection struct {
		p  corpus.Passage
		cs []corpus.Coding
	}
	perDoc := map[string][]selection{}
	// The coded passages are collected first, without their text (the
	// XML lists documents in ws.Documents order, the files may differ);
	// each document's text is then read when its source is written.
	err := ws.scan(func(p corpus.Passage, cs []corpus.Coding, _ []Reviewed) error {
		if len(cs) > 0 {
			p.Text, p.Sentences = "", nil
			perDoc[p.DocID] = append(perDoc[p.DocID], selection{p, cs})
		}
		return nil
	})
	if err != nil {
		return err
	}
	x.open("<Sources>")
	user := userGUID()
	coderSels := coderSelections(ws.Coders)
	for _, d := range ws.Documents {
		x.open(`<TextSource guid="%s" name="%s" plainTextPath="internal://%s" creatingUser="%s">`,
			GUID("source:"+d.ID), attr(d.ID), sourceFile(d.ID), user)
		x.line("<Description>%s</Description>", text(fmt.Sprintf("%s, %s (%s), award year %d. %s, pages %d-%d, from %s (SHA-256 %s), extracted by %s.",
			d.City, d.Country, d.Region, d.Year, d.Publication, d.FirstPage, d.LastPage, d.Source, d.SHA256, d.Extractor)))
		sels := perDoc[d.ID]
		if len(sels) > 0 {
			raw, err := os.ReadFile(filepath.Join(ws.Dir, filepath.FromSlash(workspace.TextFile(d.ID))))
			if err != nil {
				return err
			}
			txt := string(raw)
			// Code points are counted from a mark that moves forward with
			// the passages, not from the start for each one.
			markByte, markChar := 0, 0
			for _, s := range sels {
				if s.p.Start < 0 || s.p.End > len(txt) || s.p.Start > s.p.End {
					return fmt.Errorf("passage %s: offsets %d-%d outside %s's text", s.p.ID, s.p.Start, s.p.End, d.ID)
				}
				if s.p.Start < markByte {
					markByte, markChar = 0, 0
				}
				markChar += utf8.RuneCountInString(txt[markByte:s.p.Start])
				markByte = s.p.Start
				start := markChar
				end := start + utf8.RuneCountInString(txt[s.p.Start:s.p.End])
				x.open(`<PlainTextSelection guid="%s" name="%s" startPosition="%d" endPosition="%d" creatingUser="%s">`,
					GUID("selection:"+s.p.ID), attr(fmt.Sprintf("%s, p. %d, %s", s.p.ID, s.p.Page, s.p.Section)), start, end, user)
				var desc []string
				for _, c := range s.cs {
					var terms []string
					for _, e := range c.Evidence {
						terms = append(terms, fmt.Sprintf("%s (%q)", e.Term, safeSlice(txt, e.Start, e.End)))
					}
					d := fmt.Sprintf("%s: %s", c.CodeID, strings.Join(terms, ", "))
					if c.Confidence != nil {
						d += fmt.Sprintf(" [%s, model probability %.2f]", c.From(), *c.Confidence)
					}
					desc = append(desc, d)
				}
				x.line("<Description>%s</Description>", text(strings.Join(desc, "; ")))
				for _, c := range s.cs {
					x.open(`<Coding guid="%s" creatingUser="%s">`, GUID("coding:"+s.p.ID+":"+c.CodeID), user)
					x.line(`<CodeRef targetGUID="%s"/>`, GUID("code:"+c.CodeID))
					x.close("Coding")
				}
				x.close("PlainTextSelection")
			}
		}
		if err := writeCoderSelections(x, ws, d.ID, coderSels[d.ID]); err != nil {
			return err
		}
		x.close("TextSource")
		delete(perDoc, d.ID)
	}
	x.close("Sources")
	return x.err
}

func safeSlice(s string, a, b int) string {
	if a < 0 || b > len(s) || a > b {
		return ""
	}
	return s[a:b]
}

// WriteQDC writes the codebooks alone as a REFI-QDA codebook (.qdc).
func WriteQDC(w io.Writer, cbs []*coding.Codebook, origin string) error {
	x := &xmlWriter{w: w}
	x.line(`<?xml version="1.0" encoding="utf-8"?>`)
	x.open(`<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="%s">`, attr(origin))
	writeCodes(x, cbs)
	x.close("CodeBook")
	return x.err
}
