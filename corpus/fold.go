package corpus

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Fold removes diacritics: "Pécs" → "Pecs". It is used to match city names
// against outline titles and file names. ASCII text, which has no
// diacritics, is returned as it is without running the normaliser (whose
// chain of transformers allocates buffers on every call).
func Fold(s string) string {
	if isASCII(s) {
		return s
	}
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		return s
	}
	return out
}

// MatchKey is the form in which city names and titles are compared:
// folded, lower-cased, punctuation as spaces, spaces collapsed.
func MatchKey(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(Fold(s)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
