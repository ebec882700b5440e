package corpus

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxDetail is the most runes CleanDetail keeps of a failure's detail or a
// note.
const MaxDetail = 400

// CleanDetail makes a message about an input fit for failures.csv, the
// run's notes and a terminal: valid UTF-8 (a bad byte becomes U+FFFD), on
// one line (control characters and runs of white space become one space),
// at most MaxDetail runes (then "…"). Messages quote the input at times:
// the PDF library's panics carry the bytes it choked on, which were
// written as they were, binary and line breaks included.
func CleanDetail(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			clean = false
			break
		}
	}
	if clean && len(s) <= MaxDetail && !strings.Contains(s, "  ") && strings.TrimSpace(s) == s {
		return s
	}
	var b strings.Builder
	n, space := 0, false
	for i := 0; i < len(s) && n < MaxDetail; {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			n++
			space = false
		}
		b.WriteRune(r) // utf8.RuneError for a bad byte: U+FFFD
		n++
		if n == MaxDetail && i < len(s) {
			b.WriteString("…")
		}
	}
	return b.String()
}
