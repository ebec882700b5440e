package corpus

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Fold removes diacritics: "Pécs" → "Pecs". It is used to match city names
// against outline titles and file names.
func Fold(s string) string {
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
