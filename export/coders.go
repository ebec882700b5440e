package export

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"unicode/utf8"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/workspace"
)

// Coder is a person whose own coding the .qdpx export carries beside the
// workspace's coding: a User of the project and, for each of their
// codings, a selection they made.
type Coder struct {
	Name    string
	Codings []CoderCoding
}

// CoderCoding is one code a coder gave a passage, or a span of it: Start
// and End are byte offsets into the document's text.
type CoderCoding struct {
	DocID, PassageID, CodeID string
	Start, End               int
	Memo                     string
}

func coderGUID(name string) string { return GUID("user:coder:" + name) }

// writeUsers writes the automatic coder and each coder, in name order.
func writeUsers(x *xmlWriter, ws *Workspace) {
	x.open("<Users>")
	x.line(`<User guid="%s" name="%s" id="lcity"/>`, userGUID(), attr(userName))
	names := make([]string, 0, len(ws.Coders))
	for _, c := range ws.Coders {
		names = append(names, c.Name)
	}
	slices.Sort(names)
	for _, n := range slices.Compact(names) {
		x.line(`<User guid="%s" name="%s" id="%s"/>`, coderGUID(n), attr(n), attr(n))
	}
	x.close("Users")
}

// coderSelection is the selections of one coder on one range of a
// document: one PlainTextSelection with a Coding per code.
type coderSelection struct {
	coder, passage string
	start, end     int // bytes
	codes          []string
	memos          map[string]string // by code
}

// coderSelections groups the coders' codings of each document into
// selections, ordered by position, then coder.
func coderSelections(coders []Coder) map[string][]*coderSelection {
	type key struct {
		doc, coder, passage string
		start, end          int
	}
	by := map[key]*coderSelection{}
	out := map[string][]*coderSelection{}
	for _, c := range coders {
		for _, k := range c.Codings {
			id := key{k.DocID, c.Name, k.PassageID, k.Start, k.End}
			s := by[id]
			if s == nil {
				s = &coderSelection{coder: c.Name, passage: k.PassageID, start: k.Start, end: k.End, memos: map[string]string{}}
				by[id] = s
				out[k.DocID] = append(out[k.DocID], s)
			}
			s.codes = append(s.codes, k.CodeID)
			if k.Memo != "" {
				s.memos[k.CodeID] = k.Memo
			}
		}
	}
	for _, ss := range out {
		slices.SortFunc(ss, func(a, b *coderSelection) int {
			return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.end, b.end), cmp.Compare(a.coder, b.coder))
		})
		for _, s := range ss {
			slices.Sort(s.codes)
			s.codes = slices.Compact(s.codes)
		}
	}
	return out
}

// id names a coder's selection in its GUIDs.
func (s *coderSelection) id() string {
	return fmt.Sprintf("%s:%s:%d:%d", s.coder, s.passage, s.start, s.end)
}

// writeCoderSelections writes the coders' selections of one document;
// a coding with a memo refers to a Note holding it (coderNotes).
func writeCoderSelections(x *xmlWriter, ws *Workspace, docID string, sels []*coderSelection) error {
	if len(sels) == 0 {
		return nil
	}
	raw, err := os.ReadFile(filepath.Join(ws.Dir, filepath.FromSlash(workspace.TextFile(docID))))
	if err != nil {
		return err
	}
	txt := string(raw)
	for _, s := range sels {
		if s.start < 0 || s.end > len(txt) || s.start >= s.end || !utf8.RuneStart(txt[s.start]) || (s.end < len(txt) && !utf8.RuneStart(txt[s.end])) {
			return fmt.Errorf("coder %s's coding of %s: bytes %d-%d outside %s's text", s.coder, s.passage, s.start, s.end, docID)
		}
		start := utf8.RuneCountInString(txt[:s.start])
		end := start + utf8.RuneCountInString(txt[s.start:s.end])
		user := coderGUID(s.coder)
		x.open(`<PlainTextSelection guid="%s" name="%s" startPosition="%d" endPosition="%d" creatingUser="%s">`,
			GUID("coder-selection:"+s.id()), attr(fmt.Sprintf("%s, coded by %s", s.passage, s.coder)), start, end, user)
		for _, code := range s.codes {
			x.open(`<Coding guid="%s" creatingUser="%s">`, GUID("coder-coding:"+s.id()+":"+code), user)
			x.line(`<CodeRef targetGUID="%s"/>`, GUID("code:"+code))
			if s.memos[code] != "" {
				x.line(`<NoteRef targetGUID="%s"/>`, GUID("coder-note:"+s.id()+":"+code))
			}
			x.close("Coding")
		}
		x.close("PlainTextSelection")
	}
	return x.err
}

// coderNotes writes the coders' memos as the project's Notes, in the
// order of their selections.
func coderNotes(x *xmlWriter, docs []string, sels map[string][]*coderSelection) {
	first := true
	for _, d := range docs {
		for _, s := range sels[d] {
			for _, code := range s.codes {
				memo := s.memos[code]
				if memo == "" {
					continue
				}
				if first {
					x.open("<Notes>")
					first = false
				}
				x.open(`<Note guid="%s" name="%s" creatingUser="%s">`, GUID("coder-note:"+s.id()+":"+code),
					attr(fmt.Sprintf("%s's memo on %s, %s", s.coder, s.passage, code)), coderGUID(s.coder))
				x.line("<PlainTextContent>%s</PlainTextContent>", text(memo))
				x.close("Note")
			}
		}
	}
	if !first {
		x.close("Notes")
	}
}

func docIDs(docs []corpus.Document) []string {
	ids := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	return ids
}
