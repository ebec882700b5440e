package ingest

import (
	"bytes"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
	_ "unsafe" // go:linkname below

	_ "github.com/jdkato/prose/v2" // the segmenter linked below lives there
	"gopkg.in/neurosnap/sentences.v1"
	"gopkg.in/neurosnap/sentences.v1/data"
)

// newProseTokenizer is prose/v2's own constructor of its sentence
// segmenter: the Punkt tokenizer of gopkg.in/neurosnap/sentences.v1 set up
// with the given model and prose's rules for quotes, ellipses and
// abbreviations (with nil it loads the English model itself).
// prose.NewDocument builds it for every document, which decodes the 400 KB
// Punkt model from JSON each time (13–50 ms); prose exports no way to build
// it once, so it is linked here by name. prose/v2 v2.0.0 is pinned in
// go.mod; a release that renamed the function or changed its signature
// would fail to link, and one that changed its result is caught by
// TestSegmenterMatchesProse and FuzzSegmenterMatchesProse, which compare
// with prose.NewDocument.
//
//go:linkname newProseTokenizer github.com/jdkato/prose/v2.newSentenceTokenizer
func newProseTokenizer(s *sentences.Storage) (*sentences.DefaultSentenceTokenizer, error)

// punktModelAsset is where prose's segmenter finds its English model.
const punktModelAsset = "data/english.json"

// sharedSegmenter is built on first use and shared by every goroutine of
// the process: the Punkt tokenizer only reads its model while it
// tokenizes (each call makes its own tokens), which TestSegmenterConcurrent
// checks under -race.
var sharedSegmenter = sync.OnceValue(func() *sentences.DefaultSentenceTokenizer {
	var model *sentences.Storage
	if b, err := data.Asset(punktModelAsset); err == nil {
		model, _ = decodePunktModel(b)
	}
	// A nil model makes prose load it the slow way, through
	// encoding/json; that is also where a missing asset is reported.
	t, err := newProseTokenizer(model)
	if err != nil {
		panic("ingest: prose's sentence model: " + err.Error())
	}
	return t
})

// sentenceTexts splits text into sentences exactly as
// prose.NewDocument(text).Sentences() does (each sentence's text with the
// surrounding space trimmed), without reloading the model. It is safe for
// concurrent use.
func sentenceTexts(text string) []string {
	toks := sharedSegmenter().Tokenize(text)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = strings.TrimSpace(t.Text)
	}
	return out
}

// decodePunktModel reads a Punkt model as sentences.LoadTraining does, for
// the one shape such models have: an object of four objects of string keys
// and integer values. sentences.LoadTraining goes through encoding/json's
// reflection and growing maps, which took 23 ms of CPU for the English
// model, once in every process that segments (each supervised worker);
// this reads it in a few. On anything else it returns ok false and the
// caller falls back to the library, so the model is never misread: the
// result equals LoadTraining's wherever ok is true (TestDecodePunktModel,
// FuzzDecodePunktModel).
func decodePunktModel(b []byte) (s *sentences.Storage, ok bool) {
	// The keys are cut from one copy of the whole text rather than
	// allocated one by one: they are most of it.
	d := modelDecoder{b: b, s: string(b)}
	s = &sentences.Storage{}
	sets := map[string]*sentences.SetString{
		"AbbrevTypes":  &s.AbbrevTypes,
		"Collocations": &s.Collocations,
		"SentStarters": &s.SentStarters,
		"OrthoContext": &s.OrthoContext,
	}
	if !d.byte('{') {
		return nil, false
	}
	if d.peek('}') {
		d.i++
		return s, d.end()
	}
	for {
		name, ok := d.str()
		if !ok || !d.byte(':') {
			return nil, false
		}
		set, known := sets[name]
		if !known {
			return nil, false
		}
		m, ok := d.object()
		if !ok {
			return nil, false
		}
		*set = m
		if d.byte(',') {
			continue
		}
		if d.byte('}') {
			return s, d.end()
		}
		return nil, false
	}
}

// modelDecoder reads the JSON of a Punkt model from b at i.
type modelDecoder struct {
	b []byte
	s string // b as a string
	i int
}

func (d *modelDecoder) space() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// peek reports whether the next byte after space is c, without taking it.
func (d *modelDecoder) peek(c byte) bool {
	d.space()
	return d.i < len(d.b) && d.b[d.i] == c
}

// byte takes c, after space, when it comes next.
func (d *modelDecoder) byte(c byte) bool {
	if d.peek(c) {
		d.i++
		return true
	}
	return false
}

// end reports whether only space is left.
func (d *modelDecoder) end() bool {
	d.space()
	return d.i == len(d.b)
}

// object reads {"key": int, ...} into a map sized for it.
func (d *modelDecoder) object() (sentences.SetString, bool) {
	if !d.byte('{') {
		return nil, false
	}
	m := make(sentences.SetString, d.countEntries())
	if d.byte('}') {
		return m, true
	}
	for {
		k, ok := d.str()
		if !ok || !d.byte(':') {
			return nil, false
		}
		v, ok := d.int()
		if !ok {
			return nil, false
		}
		m[k] = v
		if d.byte(',') {
			continue
		}
		if d.byte('}') {
			return m, true
		}
		return nil, false
	}
}

// countEntries estimates the entries of the object whose '{' was just
// read: its colons up to the first '}'. Keys holding ':' or '}' only make
// the map's size hint wrong, never the result.
func (d *modelDecoder) countEntries() int {
	rest := d.b[d.i:]
	if end := bytes.IndexByte(rest, '}'); end >= 0 {
		rest = rest[:end]
	}
	return bytes.Count(rest, []byte{':'})
}

// str reads a JSON string without escapes or control characters whose
// bytes are valid UTF-8: the keys of a Punkt model. Any other string sends
// the whole model to the library, which reads escapes and replaces invalid
// bytes.
func (d *modelDecoder) str() (string, bool) {
	if !d.byte('"') {
		return "", false
	}
	n := bytes.IndexByte(d.b[d.i:], '"')
	if n < 0 {
		return "", false
	}
	s := d.s[d.i : d.i+n]
	d.i += n + 1
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\\' || c < 0x20 {
			return "", false
		}
	}
	return s, utf8.ValidString(s)
}

// int reads a JSON integer that fits in an int: an optional minus, then
// digits with no leading zero; fractions and exponents go to the library.
func (d *modelDecoder) int() (int, bool) {
	d.space()
	start := d.i
	if d.i < len(d.b) && d.b[d.i] == '-' {
		d.i++
	}
	digits := d.i
	for d.i < len(d.b) && d.b[d.i] >= '0' && d.b[d.i] <= '9' {
		d.i++
	}
	if d.i == digits || (d.b[digits] == '0' && d.i-digits > 1) {
		return 0, false
	}
	if d.i < len(d.b) && (d.b[d.i] == '.' || d.b[d.i] == 'e' || d.b[d.i] == 'E') {
		return 0, false
	}
	n, err := strconv.Atoi(d.s[start:d.i])
	return n, err == nil
}
