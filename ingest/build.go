package ingest

import (
	"strings"
	"unicode"

	"github.com/lcity/lcity/corpus"
)

// build assembles a document's text from its blocks (headings and
// paragraphs joined by blank lines) and cuts one passage per paragraph.
// Each passage's section is the most recent heading; its Start and End are
// byte offsets into doc.Text. Passages are in reading order; each one's ID
// comes from the document and the passage's text (corpus.PassageIDs), not
// from its position.
//
// A document whose text is all headings (a title page, a one-line
// document) has its headings as passages: it is a document, not one
// without text.
func build(doc *corpus.Document, bs []block) []corpus.Passage {
	if !hasParagraph(bs) {
		bs = append([]block(nil), bs...)
		for i := range bs {
			bs[i].kind = paragraph
		}
	}
	var text strings.Builder
	var passages []corpus.Passage
	ids := corpus.NewPassageIDs(doc.ID)
	section := ""
	for _, b := range bs {
		if text.Len() > 0 {
			text.WriteString("\n\n")
		}
		start := text.Len()
		text.WriteString(b.text)
		if b.kind == heading {
			section = b.text
			continue
		}
		passages = append(passages, corpus.Passage{
			ID:      ids.Next(b.text),
			DocID:   doc.ID,
			City:    doc.City,
			Region:  doc.Region,
			Year:    doc.Year,
			Page:    b.page,
			Section: section,
			Start:   start,
			End:     text.Len(),
			Words:   countWords(b.text),
			Text:    b.text,
		})
		passages[len(passages)-1].LastPage = max(b.lastPage, b.page)
	}
	doc.Text = text.String()
	doc.Passages = len(passages)
	doc.Words = 0
	for _, p := range passages {
		doc.Words += p.Words
	}
	return passages
}

func hasParagraph(bs []block) bool {
	for _, b := range bs {
		if b.kind == paragraph {
			return true
		}
	}
	return false
}

// segmentChunk is how many passages of a document prose's segmenter reads
// in one run.
const segmentChunk = 256

// segmentDocs fills in the sentence spans of the passages of docs with
// prose's segmenter, run over each document's passages segmentChunk at a
// time, up to workers runs at once. The chunks are fixed by position, not
// by the worker count, so the spans are the same for any count. The
// segmenter decides a sentence end by the token after it, so a passage
// read in another chunk than its successor (the last of a document, or of
// a chunk) may end in one sentence more; on the sample, ../shared/pdfs and
// a generated 1,000-page book, 2 of 13,158 passages were cut so when each
// passage was read alone, and a chunk holds 256 of them. A panic in the
// segmenter fails the input, as before (parallel raises it again).
func segmentDocs(docs []Doc, workers int) {
	type chunk struct{ doc, from, to int }
	var chunks []chunk
	for i, d := range docs {
		for a := 0; a < len(d.Passages); a += segmentChunk {
			chunks = append(chunks, chunk{i, a, min(a+segmentChunk, len(d.Passages))})
		}
	}
	parallel(len(chunks), workers, func(i int) {
		c := chunks[i]
		segment(docs[c.doc].Passages[c.from:c.to])
	})
}

// countWords counts runs of letters or digits.
func countWords(s string) int {
	n := 0
	in := false
	for _, r := range s {
		w := unicode.IsLetter(r) || unicode.IsDigit(r)
		if w && !in {
			n++
		}
		in = w
	}
	return n
}

// segment fills in each passage's sentence spans (offsets into its
// document's text) with prose's sentence segmenter, run once over all the
// passages joined by blank lines. The segmenter is built once per process
// (sentences.go).
func segment(passages []corpus.Passage) {
	if len(passages) == 0 {
		return
	}
	var joined strings.Builder
	for i, p := range passages {
		if i > 0 {
			joined.WriteString("\n\n")
		}
		joined.WriteString(p.Text)
	}
	// Map each sentence back onto the passages by searching forward, and
	// cut sentences at passage boundaries.
	pi, off := 0, 0 // current passage and offset within its text
	for _, s := range sentenceTexts(joined.String()) {
		rest := s
		for rest != "" && pi < len(passages) {
			p := &passages[pi]
			pt := p.Text[off:]
			lead := len(pt) - len(strings.TrimLeft(pt, " \n"))
			pt = pt[lead:]
			off += lead
			if pt == "" {
				pi, off = pi+1, 0
				continue
			}
			n := commonPrefix(pt, rest)
			if n == 0 {
				// The segmenter changed the text; give up on exact spans
				// and fall back to whole-passage sentences for the rest.
				pi = len(passages)
				break
			}
			p.Sentences = append(p.Sentences, corpus.Span{Start: p.Start + off, End: p.Start + off + n})
			off += n
			rest = strings.TrimLeft(rest[n:], " \n")
			if off >= len(p.Text) {
				pi, off = pi+1, 0
			}
		}
	}
	for i := range passages {
		if len(passages[i].Sentences) == 0 {
			passages[i].Sentences = []corpus.Span{{Start: passages[i].Start, End: passages[i].End}}
		}
	}
}

// commonPrefix returns the length of the longest common prefix of a and b
// that ends at a rune boundary, treating whitespace runs as equal.
func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	for n > 0 && n < len(a) && (a[n]&0xC0) == 0x80 {
		n--
	}
	return n
}
