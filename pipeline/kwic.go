package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lcity/lcity/coding"
	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/workspace"
)

// KWICLine is one keyword-in-context line.
type KWICLine struct {
	PassageID string `json:"passage_id"`
	City      string `json:"city"`
	Region    string `json:"region"`
	Page      int    `json:"page"`
	CodeID    string `json:"code_id,omitempty"`
	Term      string `json:"term,omitempty"`
	Left      string `json:"left"`
	Match     string `json:"match"`
	Right     string `json:"right"`
}

// KWIC returns keyword-in-context lines with width characters of context
// either side, in reading order: passages as passages.jsonl lists them
// (by document ID, then by position in the document), matches by position
// in the passage. When arg is a code ID of the workspace's coding, the
// lines are its evidence in the reviewed coding (codings.csv with the
// review applied: a span coded by hand is a line, a rejected coding is
// none); an argument that names a codebook of the workspace but none of
// its codes ("charter.nope") is the user's error, with the nearest code
// ID. Otherwise arg is a term matched as a codebook term is
// (coding.TermCodebook): whole words and their regular inflections,
// word*, "phrases", /regular expressions/. It holds the workspace's
// Shared lock.
func KWIC(ctx context.Context, out, arg string, width int) ([]KWICLine, error) {
	if strings.TrimSpace(arg) == "" {
		return nil, Usagef("kwic: give a code ID or a term to find")
	}
	l, m, err := openRead(out)
	if err != nil {
		return nil, err
	}
	defer l.Release()
	cbs, err := workspace.RecordedCodebooks(out, m, nil)
	if err != nil {
		return nil, err
	}
	var ids []string
	isCode := false
	for _, cb := range cbs {
		for _, c := range cb.Codes {
			ids = append(ids, c.ID)
			isCode = isCode || c.ID == arg
		}
	}
	var term *coding.Codebook
	if !isCode {
		if prefix, _, ok := strings.Cut(arg, "."); ok && !strings.ContainsAny(arg, " \t*/\"") && slices.ContainsFunc(cbs, func(cb *coding.Codebook) bool { return cb.Name == prefix }) {
			msg := fmt.Sprintf("no code %q in the codebooks of %s", arg, out)
			if s := corpus.Suggest(arg, ids); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			return nil, Usagef("%s; `lcity codebook show %s` lists its codes", msg, prefix)
		}
		if term, err = coding.TermCodebook(arg); err != nil {
			return nil, usage(fmt.Errorf("kwic: %w", err))
		}
	}
	var codeLines, wordLines []KWICLine
	var docID, text string
	rv, err := workspaceReviewer(ctx, &Config{Out: out}, m)
	if err != nil {
		return nil, err
	}
	err = scanReviewed(out, m, rv, func(p corpus.Passage, cs []corpus.Coding) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		for _, cd := range cs {
			if cd.CodeID != arg {
				continue
			}
			if cd.DocID != docID { // passages come grouped by document
				rel := workspace.TextFile(cd.DocID)
				b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(rel)))
				if err != nil {
					return err
				}
				sum := sha256.Sum256(b)
				if err := m.CheckDigest(rel, workspace.Digest{SHA256: hex.EncodeToString(sum[:]), Bytes: int64(len(b))}); err != nil {
					return usage(err)
				}
				docID, text = cd.DocID, string(b)
			}
			for _, ev := range cd.Evidence {
				if ev.End > len(text) || ev.Start > ev.End {
					continue
				}
				l := KWICAt(text, ev.Start, ev.End, width)
				l.PassageID, l.City, l.Region, l.Page, l.CodeID, l.Term = p.ID, p.City, p.Region, p.Page, cd.CodeID, ev.Term
				codeLines = append(codeLines, l)
			}
		}
		if term == nil {
			return nil
		}
		for _, c := range term.Code(p) {
			for _, ev := range c.Evidence {
				s, e := ev.Start-p.Start, ev.End-p.Start // evidence is in document offsets
				if s < 0 || e > len(p.Text) || s > e {
					continue
				}
				l := KWICAt(p.Text, s, e, width)
				l.PassageID, l.City, l.Region, l.Page, l.Term = p.ID, p.City, p.Region, p.Page, arg
				wordLines = append(wordLines, l)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	lines := wordLines
	if isCode {
		lines = codeLines
	}
	return lines, nil
}

// KWICAt cuts width characters of context either side of
// text[start:end], each on one line (runs of white space as one space).
// It reads only a window around the match, so a document with many
// matches costs time in proportion to the matches, not to their number
// times the document's length.
func KWICAt(text string, start, end, width int) KWICLine {
	return KWICLine{Left: leftContext(text, start, width), Match: oneLine(text[start:end]), Right: rightContext(text, end, width)}
}

// leftContext is the last width characters of oneLine(text[:start]).
func leftContext(text string, start, width int) string {
	i := reach(text, start, width, -1)
	rs := []rune(collapse(text[i:start], i == 0))
	if len(rs) > width {
		rs = rs[len(rs)-width:]
	}
	return string(rs)
}

// rightContext is the first width characters of oneLine(text[end:]).
func rightContext(text string, end, width int) string {
	i := reach(text, end, width, +1)
	rs := []rune(oneLine(text[end:i]))
	if len(rs) > width {
		rs = rs[:width]
	}
	return string(rs)
}

// reach walks from byte i of text to the left (dir -1) or right (+1):
// past the white space next to i, which oneLine trims, then over width
// characters and one more, a run of white space counting as one, so that
// the window it ends holds the context uncut. It returns where it stopped.
func reach(text string, i, width, dir int) int {
	next := func(i int) (rune, int, bool) {
		if dir < 0 {
			if i == 0 {
				return 0, 0, false
			}
			r, n := utf8.DecodeLastRuneInString(text[:i])
			return r, -n, true
		}
		if i == len(text) {
			return 0, 0, false
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		return r, n, true
	}
	for {
		r, n, ok := next(i)
		if !ok || !unicode.IsSpace(r) {
			break
		}
		i += n
	}
	for count, space := 0, false; count <= width; {
		r, n, ok := next(i)
		if !ok {
			break
		}
		if sp := unicode.IsSpace(r); !sp || !space {
			count++
		}
		space = unicode.IsSpace(r)
		i += n
	}
	return i
}

// collapse turns runs of white space into one space and trims the end;
// the start too when trimStart is set.
func collapse(s string, trimStart bool) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "")
	}
	first, _ := utf8.DecodeRuneInString(s)
	lead := !trimStart && s != "" && unicode.IsSpace(first)
	out := strings.Join(strings.Fields(s), " ")
	if lead && out != "" {
		out = " " + out
	}
	return out
}

// oneLine puts s on one line: runs of white space become one space, and
// the ends are trimmed.
func oneLine(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "")
	}
	return strings.Join(strings.Fields(s), " ")
}
