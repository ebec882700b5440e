package qdpx

import (
	"crypto/sha256"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Match says how a source's text was matched to a document's.
type Match string

// The two ways a source matches a document.
const (
	Exact      Match = "exact"      // the same text
	Whitespace Match = "whitespace" // the same text once runs of white space are one space and the ends trimmed
)

// Normalise returns text with every run of white space (Unicode's, line
// ends included) replaced by one space and none at either end: the form in
// which a source and a document match when their texts differ only in
// spacing and line ends.
func Normalise(text string) string {
	return strings.Join(strings.FieldsFunc(text, unicode.IsSpace), " ")
}

// Key is the SHA-256 of a text, to find documents with the same text
// without keeping all their texts.
func Key(text string) [32]byte { return sha256.Sum256([]byte(text)) }

// Aligner maps code-point positions of a source's text onto byte offsets
// of a document's text that is the same, exactly or after Normalise.
type Aligner struct {
	// per code point boundary of the source: the document's byte offset
	// when the source starts or ends a selection there.
	starts, ends []int
}

// Align returns an Aligner from src to doc when they match as m (Exact or
// Whitespace), or nil when they do not.
func Align(src, doc string, m Match) *Aligner {
	if m == Exact {
		if src != doc {
			return nil
		}
		off := make([]int, 0, utf8.RuneCountInString(doc)+1)
		for i := range doc {
			off = append(off, i)
		}
		off = append(off, len(doc))
		return &Aligner{starts: off, ends: off}
	}
	// The normalised texts are compared rune by rune while both are
	// walked; each source boundary is mapped to the document position of
	// the first normalised rune at or after it (a start) or just after the
	// last normalised rune before it (an end).
	type nrune struct {
		r          rune
		from, to   int // document bytes of the rune (of a run's first white space rune)
		srcCP      int // source code point of the rune
		whitespace bool
	}
	norm := func(text string, byteOffsets bool) []nrune {
		var out []nrune
		cp := 0
		inSpace := false
		for i, r := range text {
			pos := i
			if !byteOffsets {
				pos = cp
			}
			if unicode.IsSpace(r) {
				if !inSpace && len(out) > 0 {
					out = append(out, nrune{r: ' ', from: pos, to: pos + utf8.RuneLen(r), srcCP: pos, whitespace: true})
				}
				inSpace = true
			} else {
				out = append(out, nrune{r: r, from: pos, to: pos + utf8.RuneLen(r), srcCP: pos})
				inSpace = false
			}
			cp++
		}
		if len(out) > 0 && out[len(out)-1].whitespace {
			out = out[:len(out)-1]
		}
		return out
	}
	ns, nd := norm(src, false), norm(doc, true)
	if len(ns) != len(nd) {
		return nil
	}
	for i := range ns {
		if ns[i].r != nd[i].r {
			return nil
		}
	}
	n := utf8.RuneCountInString(src)
	a := &Aligner{starts: make([]int, n+1), ends: make([]int, n+1)}
	j := 0 // first normalised rune whose source position is >= x
	for x := 0; x <= n; x++ {
		for j < len(ns) && ns[j].srcCP < x {
			j++
		}
		if j < len(nd) {
			a.starts[x] = nd[j].from
		} else {
			a.starts[x] = len(doc)
		}
		if j > 0 {
			a.ends[x] = nd[j-1].to
		}
	}
	return a
}

// Len is the source's length in code points.
func (a *Aligner) Len() int { return len(a.starts) - 1 }

// Bytes maps the source selection [start, end) (code points) to the
// document's bytes [from, to); ok is false when the selection does not fit
// the source or covers only white space the document does not have.
func (a *Aligner) Bytes(start, end int) (from, to int, ok bool) {
	if start < 0 || end <= start || end > a.Len() {
		return 0, 0, false
	}
	from, to = a.starts[start], a.ends[end]
	return from, to, from < to
}
