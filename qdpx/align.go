package qdpx

import (
	"crypto/sha256"
	"math"
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
	// when the source starts or ends a selection there (int32: texts are
	// far below 2 GiB, Limits see to it, and the tables take half the
	// memory).
	starts, ends []int32
}

// Align returns an Aligner from src to doc when they match as m (Exact or
// Whitespace), or nil when they do not.
func Align(src, doc string, m Match) *Aligner {
	if len(src) > math.MaxInt32 || len(doc) > math.MaxInt32 {
		return nil
	}
	if m == Exact {
		if src != doc {
			return nil
		}
		off := make([]int32, 0, utf8.RuneCountInString(doc)+1)
		for i := range doc {
			off = append(off, int32(i))
		}
		off = append(off, int32(len(doc)))
		return &Aligner{starts: off, ends: off}
	}
	// The normalised texts are compared rune by rune while both are
	// walked; each source boundary x is mapped to the document position
	// of the first normalised rune at or after it (a start) or just after
	// the last normalised rune before it (an end).
	n := utf8.RuneCountInString(src)
	a := &Aligner{starts: make([]int32, n+1), ends: make([]int32, n+1)}
	is, id := normIter{text: src}, normIter{text: doc}
	x, prevEnd := 0, 0
	for {
		rs, okS := is.next()
		rd, okD := id.next()
		if okS != okD {
			return nil
		}
		if !okS {
			break
		}
		if rs.r != rd.r {
			return nil
		}
		for ; x <= rs.cp; x++ {
			a.starts[x], a.ends[x] = int32(rd.from), int32(prevEnd)
		}
		prevEnd = rd.to
	}
	for ; x <= n; x++ {
		a.starts[x], a.ends[x] = int32(len(doc)), int32(prevEnd)
	}
	return a
}

// nrune is a rune of a normalised text: its code point position and its
// bytes [from, to) in the text (for a space, those of the first rune of
// the white space run it stands for).
type nrune struct {
	r            rune
	cp, from, to int
}

// normIter walks a text as Normalise sees it: each rune that is not white
// space, and one space for each run of white space between two of them.
type normIter struct {
	text       string
	i, cp      int
	started    bool
	pending    nrune // a rune held back behind the space before it
	hasPending bool
}

func (it *normIter) next() (nrune, bool) {
	if it.hasPending {
		it.hasPending = false
		return it.pending, true
	}
	var space nrune
	inSpace := false
	for it.i < len(it.text) {
		r, size := utf8.DecodeRuneInString(it.text[it.i:])
		cur := nrune{r, it.cp, it.i, it.i + size}
		it.i += size
		it.cp++
		if unicode.IsSpace(r) {
			if !inSpace {
				space, inSpace = nrune{' ', cur.cp, cur.from, cur.to}, true
			}
			continue
		}
		if inSpace && it.started {
			it.pending, it.hasPending = cur, true
			return space, true
		}
		it.started = true
		return cur, true
	}
	return nrune{}, false
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
	from, to = int(a.starts[start]), int(a.ends[end])
	return from, to, from < to
}
