package index

import "strings"

// OpeningRunes is how much of a passage a filter-only listing shows.
const OpeningRunes = 300

// Opening is the first OpeningRunes characters of a passage's text, cut at
// a space, with an ellipsis when cut: what a filter-only listing (no words
// searched, so no snippet) shows of each passage.
func Opening(text string) string {
	r := []rune(strings.TrimSpace(text))
	if len(r) <= OpeningRunes {
		return string(r)
	}
	cut := string(r[:OpeningRunes])
	if i := strings.LastIndexByte(cut, ' '); i > OpeningRunes/2 {
		cut = cut[:i]
	}
	return cut + " …"
}
