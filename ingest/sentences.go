package ingest

import (
	"strings"
	"sync"
	_ "unsafe" // go:linkname below

	_ "github.com/jdkato/prose/v2" // the segmenter linked below lives there
	"gopkg.in/neurosnap/sentences.v1"
)

// proseSegmenter has the layout of prose/v2's unexported
// punktSentenceTokenizer: one pointer to the Punkt tokenizer of
// gopkg.in/neurosnap/sentences.v1, set up with prose's English model and
// its rules for quotes, ellipses and abbreviations.
type proseSegmenter struct {
	tokenizer *sentences.DefaultSentenceTokenizer
}

// newProseSegmenter is prose/v2's own constructor of its sentence
// segmenter. prose.NewDocument calls it for every document, which decodes
// the 400 KB Punkt model from JSON each time (13–50 ms); prose exports no
// way to build it once, so it is linked here by name. prose/v2 v2.0.0 is
// pinned in go.mod; a release that renamed the function would fail to link,
// and one that changed its result is caught by TestSegmenterMatchesProse
// and FuzzSegmenterMatchesProse, which compare with prose.NewDocument.
//
//go:linkname newProseSegmenter github.com/jdkato/prose/v2.newPunktSentenceTokenizer
func newProseSegmenter() *proseSegmenter

// sharedSegmenter is built on first use and shared by every goroutine of
// the process: the Punkt tokenizer only reads its model while it
// tokenizes (each call makes its own tokens), which TestSegmenterConcurrent
// checks under -race.
var sharedSegmenter = sync.OnceValue(newProseSegmenter)

// sentenceTexts splits text into sentences exactly as
// prose.NewDocument(text).Sentences() does (each sentence's text with the
// surrounding space trimmed), without reloading the model. It is safe for
// concurrent use.
func sentenceTexts(text string) []string {
	toks := sharedSegmenter().tokenizer.Tokenize(text)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = strings.TrimSpace(t.Text)
	}
	return out
}
