package export

import (
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/workspace"
)

// CSVHeader is the header of the tidy export: one row per coded segment
// (each match of a code's term in a passage, and for a coding a model made
// without a term match, the whole passage with the rule "model"). Offsets
// are into the document's text (texts/<doc_id>.txt), in bytes and in code
// points, start inclusive and end exclusive; code_path is
// codebook/group/code by label; rule is the codebook's term, or "human" for
// a span a person coded; source is dictionary, model, both or human (a
// person added the code) and confidence the model's probability (empty
// without a model). The rows are the reviewed coding (Workspace.Review):
// status is auto (not reviewed), accepted (a person accepted the
// auto-coder's coding) or added (a person added it); rejected and removed
// codings are not exported.
var CSVHeader = []string{"doc_id", "city", "country", "region", "year", "page", "section", "passage_id",
	"code_id", "code_path", "rule", "matched", "start_byte", "end_byte", "start_char", "end_char", "source", "confidence", "status"}

// WriteCSV writes the tidy CSV of ws's coded segments, in passage order.
func WriteCSV(w io.Writer, ws *Workspace) error {
	docs := map[string]corpus.Document{}
	for _, d := range ws.Documents {
		docs[d.ID] = d
	}
	paths := map[string]string{}
	for _, cb := range ws.Codebooks {
		label := map[string]string{}
		for _, c := range cb.Codes {
			label[c.ID] = c.Label
		}
		for _, c := range cb.Codes {
			parts := []string{cb.Title}
			if c.Parent != "" {
				parts = append(parts, label[c.Parent])
			}
			paths[c.ID] = strings.Join(append(parts, c.Label), "/")
		}
	}
	cw := csv.NewWriter(w)
	cw.Write(CSVHeader)
	var docID, txt string
	// Character offsets are counted from a mark that only moves forward
	// through the document (passages come in document order), so a long
	// document with many matches is not counted from its start each time.
	markByte, markChar := 0, 0
	err := ws.scan(func(p corpus.Passage, cs []corpus.Coding, rev []Reviewed) error {
		if len(cs) == 0 {
			return nil
		}
		if p.DocID != docID {
			raw, err := os.ReadFile(filepath.Join(ws.Dir, filepath.FromSlash(workspace.TextFile(p.DocID))))
			if err != nil {
				return err
			}
			docID, txt = p.DocID, string(raw)
			markByte, markChar = 0, 0
		}
		if p.Start >= markByte && p.Start <= len(txt) {
			markChar += utf8.RuneCountInString(txt[markByte:p.Start])
			markByte = p.Start
		}
		d := docs[p.DocID]
		for i, c := range cs {
			st, byHand := "auto", []bool(nil)
			if rev != nil {
				st, byHand = rev[i].Status, rev[i].ByHand
			}
			conf := ""
			if c.Confidence != nil {
				conf = strconv.FormatFloat(*c.Confidence, 'f', 6, 64)
			}
			if len(c.Evidence) == 0 && p.Start >= markByte && p.End <= len(txt) {
				ec := markChar + utf8.RuneCountInString(txt[p.Start:p.End])
				cw.Write([]string{p.DocID, p.City, d.Country, p.Region, strconv.Itoa(d.Year), strconv.Itoa(p.Page), p.Section, p.ID,
					c.CodeID, paths[c.CodeID], "model", "",
					strconv.Itoa(p.Start), strconv.Itoa(p.End), strconv.Itoa(markChar), strconv.Itoa(ec), c.From(), conf, st})
			}
			for k, e := range c.Evidence {
				if e.Start < 0 || e.End > len(txt) || e.Start > e.End {
					continue
				}
				var sc int
				if e.Start >= markByte {
					sc = markChar + utf8.RuneCountInString(txt[markByte:e.Start])
				} else {
					sc = utf8.RuneCountInString(txt[:e.Start])
				}
				ec := sc + utf8.RuneCountInString(txt[e.Start:e.End])
				rule := e.Term
				if c.Source == corpus.SourceHuman || (k < len(byHand) && byHand[k]) {
					rule = corpus.SourceHuman
				}
				cw.Write([]string{p.DocID, p.City, d.Country, p.Region, strconv.Itoa(d.Year), strconv.Itoa(p.Page), p.Section, p.ID,
					c.CodeID, paths[c.CodeID], rule, txt[e.Start:e.End],
					strconv.Itoa(e.Start), strconv.Itoa(e.End), strconv.Itoa(sc), strconv.Itoa(ec), c.From(), conf, st})
			}
		}
		return cw.Error()
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}
