package coding

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
)

// token is a word of a text: its original form, lower-cased form, stem and
// byte offsets.
type token struct {
	raw, lower, stem string
	start, end       int
}

// isWordRune reports whether r belongs to a word. Apostrophes inside a word
// are kept ("city's"); hyphens split words ("well-being" is two tokens), in
// text and terms alike.
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// tokenize splits s into word tokens with byte offsets relative to s plus
// base. Stems come from the English Snowball stemmer (cached).
func tokenize(s string, base int) []token {
	var toks []token
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			i += n
			continue
		}
		j := i + n
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if isWordRune(r) {
				j += n
				continue
			}
			if (r == '\'' || r == '’') && j+n < len(s) {
				if r2, _ := utf8.DecodeRuneInString(s[j+n:]); unicode.IsLetter(r2) {
					j += n
					continue
				}
			}
			break
		}
		raw := s[i:j]
		lower := strings.ToLower(raw)
		toks = append(toks, token{raw: raw, lower: lower, stem: stem(lower), start: base + i, end: base + j})
		i = j
	}
	return toks
}

// stems caches the Snowball stem of each lower-case word form for the
// life of the process: stemming is pure, so the cache changes no result,
// and a corpus has far fewer distinct words than tokens. It stops growing
// at maxStems entries.
var (
	stems    sync.Map // string → string
	numStems atomic.Int64
)

const maxStems = 1 << 18

func stem(lower string) string {
	if s, ok := stems.Load(lower); ok {
		return s.(string)
	}
	w := strings.ReplaceAll(lower, "’", "'")
	if i := strings.Index(w, "'"); i > 0 && (w[i:] == "'s") {
		w = w[:i]
	}
	s := english.Stem(w, true)
	if numStems.Load() < maxStems {
		if _, loaded := stems.LoadOrStore(strings.Clone(lower), s); !loaded {
			numStems.Add(1)
		}
	}
	return s
}
