package corpus

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// PassageHashLen is the number of lower-case hexadecimal digits of a
// passage ID's text hash (40 bits: two different texts of one document
// share them with a chance of about n²/2⁴¹ for n passages).
const PassageHashLen = 10

// IdentityText is the form of a passage's text its ID is derived from. It
// keeps what a reader would call the content and drops what extraction and
// cleaning choices move around:
//
//   - Unicode compatibility normalisation (NFKC): ligatures (ﬁ → fi),
//     no-break and other spaces, full-width forms, composed and decomposed
//     accents are one form;
//   - typographic quotes are the ASCII ones (‘’‛′ → ', “”„‟″ → "), and the
//     Unicode hyphens U+2010 and U+2011 are "-";
//   - soft hyphens (U+00AD), zero-width spaces (U+200B), word joiners
//     (U+2060), byte order marks (U+FEFF) and control characters are
//     removed;
//   - all white space is removed, so a line break, a doubled space, a word
//     split by a glyph gap ("func tion") or glued ("ofthe") is no change;
//   - a hyphen between two letters is removed, so a word hyphenated at a
//     line end reads the same mended ("learning"), not mended ("learn-
//     ing") or kept ("Asia-Pacific" and "AsiaPacific" are one form).
//
// Case, letters, digits, other punctuation and their order are kept: any
// change of them is a change of the passage.
func IdentityText(text string) string {
	text = norm.NFKC.String(text)
	buf := make([]byte, 0, len(text))
	for _, r := range text {
		switch r {
		case '\u00ad', '\u200b', '\u2060', '\ufeff':
			continue
		case '‘', '’', '‛', '′':
			r = '\''
		case '“', '”', '„', '‟', '″':
			r = '"'
		case '\u2010', '\u2011':
			r = '-'
		}
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			continue
		}
		buf = utf8.AppendRune(buf, r)
	}
	// Compose what the removals brought together before the hyphens are
	// judged, and again after, so that the result is its own identity text.
	buf = nfc(buf)
	out := make([]byte, 0, len(buf))
	prev := utf8.RuneError
	for i := 0; i < len(buf); {
		r, n := utf8.DecodeRune(buf[i:])
		if r == '-' && unicode.IsLetter(prev) {
			if next, _ := utf8.DecodeRune(buf[i+n:]); unicode.IsLetter(next) {
				prev = r
				i += n
				continue
			}
		}
		out = append(out, buf[i:i+n]...)
		prev = r
		i += n
	}
	return string(nfc(out))
}

// nfc composes b unless it is already in NFC (as text without combining
// marks or conjoining jamo always is).
func nfc(b []byte) []byte {
	if norm.NFC.IsNormal(b) {
		return b
	}
	return norm.NFC.Bytes(b)
}

// PassageID is the ID of the n-th passage (counting from 1, in reading
// order) of document docID whose text has the identity hash hash (see
// PassageIDs): "<doc-id>-<hash>" for the first, "<doc-id>-<hash>-<n>" for
// the next ones.
func PassageID(docID, hash string, n int) string {
	if n <= 1 {
		return docID + "-" + hash
	}
	return docID + "-" + hash + "-" + strconv.Itoa(n)
}

// PassageHash is the first PassageHashLen lower-case hexadecimal digits
// of the SHA-256 of IdentityText(text).
func PassageHash(text string) string {
	sum := sha256.Sum256([]byte(IdentityText(text)))
	return hex.EncodeToString(sum[:])[:PassageHashLen]
}

// PassageIDs gives the passages of one document their IDs, in reading
// order. A passage's ID is derived from its document and its text, never
// from its position, so re-extracting a document, adding passages to it
// or changing how its text is cleaned leaves every passage whose
// IdentityText is unchanged with its ID:
//
//	<doc-id>-<first 10 hex digits of SHA-256(IdentityText(text))>
//
// and, when that is already taken in the document (the same text again, or
// in a very rare case another text with the same 10 digits), the
// occurrence number in reading order is appended: "-2", "-3", … so IDs
// are unique within the document. An ID is made of the document ID's
// characters, "-", digits and a–f, so it is a valid Bleve document ID,
// CSV field, file name part and URL path segment whenever the document
// ID is.
type PassageIDs struct {
	doc  string
	seen map[string]int
}

// NewPassageIDs starts the IDs of document docID.
func NewPassageIDs(docID string) *PassageIDs {
	return &PassageIDs{doc: docID, seen: map[string]int{}}
}

// Next returns the ID of the document's next passage in reading order.
func (ids *PassageIDs) Next(text string) string {
	h := PassageHash(text)
	ids.seen[h]++
	return PassageID(ids.doc, h, ids.seen[h])
}
