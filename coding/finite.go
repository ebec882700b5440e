package coding

import (
	"regexp/syntax"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxStrings bounds the strings a regular expression may match for it to
// be compiled into the literal trie; one with more is left to regexp.
const maxStrings = 1024

// maxClass bounds the characters of one character class the literal
// trie spells out.
const maxClass = 128

// foldOutsiders are the characters outside ASCII that case folding makes
// equal to an ASCII letter (ſ to s, the Kelvin sign to k). The literal
// trie compares ASCII case-insensitively byte by byte, which does not see
// them, so a passage holding one is matched by regexp alone.
var foldOutsiders = func() []string {
	var out []string
	for c := 'a'; c <= 'z'; c++ {
		for r := unicode.SimpleFold(c); r != c; r = unicode.SimpleFold(r) {
			if r >= utf8.RuneSelf {
				out = append(out, string(r))
			}
		}
	}
	return out
}()

// foldSafe reports whether a text holds none of foldOutsiders.
func foldSafe(text string) bool {
	for _, s := range foldOutsiders {
		if strings.Contains(text, s) {
			return false
		}
	}
	return true
}

// isFoldOutsider reports whether r is one of foldOutsiders.
func isFoldOutsider(r rune) bool {
	for _, s := range foldOutsiders {
		if r2, _ := utf8.DecodeRuneInString(s); r2 == r {
			return true
		}
	}
	return false
}

// litString is a string of a regular expression's language for the
// literal trie: s, then, when tail is '*' or '+', the longest run of ASCII
// word characters (\w) that follows, of at least one character for '+'.
type litString struct {
	s    string
	tail byte
}

// finiteStrings returns the strings a (simplified) regular expression
// matches, lower-cased, each once, in the order in which Go's regexp
// prefers them: leftmost-first, the order a backtracking matcher tries
// them (a concatenation's choices left to right, an alternation's
// branches in order, a greedy ? before skipping, a lazy ?? after). So at
// a given start the expression's match is the first string of the list
// that the text continues with. A greedy \w* or \w+ may end a string
// (nothing may follow it): with nothing after it to backtrack for, it
// takes the whole run of word characters. ok is false when the language
// is otherwise not finite, has more than maxStrings strings, asserts
// anything (^ $ \b \B), matches any character (.), compares a letter
// case-sensitively or a non-ASCII letter at all: then only regexp can say
// what it matches. Comparing a text lower-cased in ASCII byte by byte
// with these strings is then exact for texts without foldOutsiders.
func finiteStrings(re *syntax.Regexp) (out []litString, ok bool) {
	switch re.Op {
	case syntax.OpEmptyMatch:
		return []litString{{}}, true
	case syntax.OpNoMatch:
		return nil, true
	case syntax.OpLiteral:
		var b strings.Builder
		for _, r := range re.Rune {
			s, ok := literalRune(r, re.Flags&syntax.FoldCase != 0)
			if !ok {
				return nil, false
			}
			b.WriteString(s)
		}
		return []litString{{s: b.String()}}, true
	case syntax.OpCharClass:
		return classStrings(re.Rune)
	case syntax.OpCapture:
		return finiteStrings(re.Sub[0])
	case syntax.OpStar, syntax.OpPlus:
		if re.Flags&syntax.NonGreedy != 0 || re.Sub[0].Op != syntax.OpCharClass || !isWordClass(re.Sub[0].Rune) {
			return nil, false
		}
		if re.Op == syntax.OpStar {
			return []litString{{tail: '*'}}, true
		}
		return []litString{{tail: '+'}}, true
	case syntax.OpQuest:
		sub, ok := finiteStrings(re.Sub[0])
		if !ok {
			return nil, false
		}
		if re.Flags&syntax.NonGreedy != 0 {
			return dedupe(append([]litString{{}}, sub...))
		}
		return dedupe(append(sub, litString{}))
	case syntax.OpAlternate:
		for _, sub := range re.Sub {
			s, ok := finiteStrings(sub)
			if !ok {
				return nil, false
			}
			out = append(out, s...)
			if len(out) > 2*maxStrings {
				return nil, false
			}
		}
		return dedupe(out)
	case syntax.OpConcat:
		out = []litString{{}}
		for _, sub := range re.Sub {
			s, ok := finiteStrings(sub)
			if !ok || len(out)*len(s) > 2*maxStrings {
				return nil, false
			}
			next := make([]litString, 0, len(out)*len(s))
			for _, a := range out {
				for _, b := range s {
					switch {
					case a.tail == 0:
						next = append(next, litString{a.s + b.s, b.tail})
					case b == litString{}:
						next = append(next, a)
					default:
						// Something after a run of word characters: the
						// run may have to give some back.
						return nil, false
					}
				}
			}
			if out, ok = dedupe(next); !ok {
				return nil, false
			}
		}
		return out, true
	}
	// Other repeats, any character, assertions.
	return nil, false
}

// isWordClass reports whether a character class is \w: the ASCII
// letters, digits and _ (with or without the fold outsiders).
func isWordClass(ranges []rune) bool {
	n := 0
	for i := 0; i+1 < len(ranges); i += 2 {
		for r := ranges[i]; r <= ranges[i+1]; r++ {
			if isFoldOutsider(r) {
				continue
			}
			if r >= utf8.RuneSelf || !isASCIIWord(byte(r)) {
				return false
			}
			n++
		}
	}
	return n == 63
}

// isASCIIWord reports whether c is in \w.
func isASCIIWord(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
}

// dedupe keeps the first of equal strings: a later one is never preferred.
func dedupe(ss []litString) ([]litString, bool) {
	seen := make(map[litString]bool, len(ss))
	out := ss[:0]
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out, len(out) <= maxStrings
}

// literalRune is r as the literal trie compares it: an ASCII letter
// lower-cased when it matches either case (fold), any other character
// as itself if it has no other case; ok is false for a letter that must
// match one case only, a non-ASCII letter with other cases, and U+FFFD
// (which regexp also sees in bytes that are not UTF-8).
func literalRune(r rune, fold bool) (string, bool) {
	switch {
	case r == utf8.RuneError:
		return "", false
	case r < utf8.RuneSelf:
		if unicode.IsLetter(r) {
			if !fold {
				return "", false
			}
			return string(unicode.ToLower(r)), true
		}
		return string(r), true
	case unicode.SimpleFold(r) == r:
		return string(r), true
	}
	return "", false
}

// classStrings spells out a character class (ranges lo, hi, …) as the
// one-character strings of literalRune. The fold outsiders are left out:
// texts holding them never reach the literal trie. An ASCII letter must
// be in the class in both cases.
func classStrings(ranges []rune) ([]litString, bool) {
	in := func(r rune) bool {
		for i := 0; i+1 < len(ranges); i += 2 {
			if ranges[i] <= r && r <= ranges[i+1] {
				return true
			}
		}
		return false
	}
	var out []litString
	n := 0
	for i := 0; i+1 < len(ranges); i += 2 {
		for r := ranges[i]; r <= ranges[i+1]; r++ {
			if n++; n > maxClass {
				return nil, false
			}
			if isFoldOutsider(r) {
				continue
			}
			fold := true
			if r < utf8.RuneSelf && unicode.IsLetter(r) {
				fold = in(unicode.ToLower(r)) && in(unicode.ToUpper(r))
			}
			s, ok := literalRune(r, fold)
			if !ok {
				return nil, false
			}
			out = append(out, litString{s: s})
		}
	}
	return dedupe(out)
}
