package coding

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
)

// token is a word of a text: its original form, lower-cased form, word
// (lower-cased, ’ as ', a final possessive 's removed: what a plain term
// word is compared with), stem and byte offsets.
type token struct {
	raw, lower, word, stem string
	start, end             int
}

// isWordRune reports whether r belongs to a word. Apostrophes inside a word
// are kept ("city's"); hyphens split words ("well-being" is two tokens), in
// text and terms alike.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// tokenize splits s into word tokens with byte offsets relative to s plus
// base. With stems, each token has its English Snowball stem (cached);
// without, its stem is empty.
func tokenize(s string, base int, stems bool) []token {
	return tokenizeInto(make([]token, 0, len(s)/6+1), s, base, stems) // about one word in six bytes of prose
}

// tokenizeInto is tokenize appending to toks.
func tokenizeInto(toks []token, s string, base int, stems bool) []token {
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
		t := token{raw: raw, lower: lower, word: wordKey(lower), start: base + i, end: base + j}
		if stems {
			t.stem = stem(lower)
		}
		toks = append(toks, t)
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
	s := english.Stem(wordKey(lower), true)
	if numStems.Load() < maxStems {
		if _, loaded := stems.LoadOrStore(strings.Clone(lower), s); !loaded {
			numStems.Add(1)
		}
	}
	return s
}

// wordKey is a lower-cased word with ’ written ' and a final possessive 's
// removed ("city’s" → "city"), the form plain term words are compared on.
func wordKey(lower string) string {
	if strings.IndexByte(lower, '\'') < 0 && !strings.Contains(lower, "’") {
		return lower
	}
	w := strings.ReplaceAll(lower, "’", "'")
	if i := strings.Index(w, "'"); i > 0 && w[i:] == "'s" {
		w = w[:i]
	}
	return w
}

// inflects reports whether word (a wordKey) is the term word w itself or
// one of its regular plurals: w+s; w+es after s, x, z, ch, sh or o; and
// w with a final consonant+y made +ies. forms lists the same set.
func inflects(word, w string) bool {
	if !strings.HasPrefix(word, w[:len(w)-1]) {
		return false
	}
	switch len(word) - len(w) {
	case 0:
		return word == w
	case 1:
		return word[len(w)-1] == w[len(w)-1] && word[len(w)] == 's'
	case 2:
		if word[len(w)-1] == w[len(w)-1] && word[len(w):] == "es" && takesES(w) {
			return true
		}
		return consonantY(w) && word[len(w)-1:] == "ies"
	}
	return false
}

// forms lists the word forms a plain term word w matches (see inflects),
// to index a term under each.
func forms(w string) []string {
	out := []string{w, w + "s"}
	if takesES(w) {
		out = append(out, w+"es")
	}
	if consonantY(w) {
		out = append(out, w[:len(w)-1]+"ies")
	}
	return out
}

// takesES reports whether the plural of w is regularly w+es.
func takesES(w string) bool {
	for _, end := range []string{"s", "x", "z", "ch", "sh", "o"} {
		if strings.HasSuffix(w, end) {
			return true
		}
	}
	return false
}

// consonantY reports whether w ends in a consonant and y (city → cities).
func consonantY(w string) bool {
	n := len(w)
	if n < 2 || w[n-1] != 'y' {
		return false
	}
	c := w[n-2]
	return c >= 'a' && c <= 'z' && !strings.ContainsRune("aeiouy", rune(c))
}
