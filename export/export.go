// Package export writes an lcity workspace in the formats other tools
// read: a REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA and the
// other QDA programs that implement the exchange standard, the codebooks
// alone as a REFI-QDA codebook (.qdc), and a tidy CSV of coded segments for
// R and pandas.
//
// Choices, where the standard leaves them open:
//
//   - Each codebook is a top-level code that is not codable; its groups
//     and codes sit below it, so that several codebooks stay apart. A
//     code's description holds its lcity ID, its description and its terms.
//   - One document is one TextSource whose plain text is the document's
//     text in the workspace (texts/<doc>.txt), UTF-8 with \n line ends and
//     no byte-order mark, stored as sources/<GUID>.txt.
//   - The codings exported are the reviewed coding (Workspace.Review): the
//     auto-coder's, plus those people added, minus those they rejected.
//   - Each coded passage is one PlainTextSelection over the whole passage
//     (0-based code points, end exclusive) holding one Coding per code; the
//     matched terms and their positions are in the selection's description.
//   - Each city is a Case with the variables region, country and
//     award_year and a SourceRef to each of its documents.
//   - The automatic coder is a User; the workspace's codings and the
//     sources name it. Every person with decisions in the review store is
//     a User too, with their own codings (the codes they added, on a span
//     or the whole passage, or accepted, and have not since rejected or
//     removed) as selections they made, one per coded range, and their
//     memos as Notes referred to by the codings.
//   - GUIDs are name-based UUIDs (version 5) of the lcity IDs, and the
//     archive has fixed timestamps and a fixed entry order, so two exports
//     of the same workspace are byte-identical. No creation dates are
//     written, for the same reason.
package export

import (
	"crypto/sha1"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/workspace"
)

// Reviewed says what the human review did to one exported coding.
type Reviewed struct {
	// Status is "auto" (not reviewed), "accepted" (a person accepted the
	// auto-coder's coding) or "added" (a person added it).
	Status string
	// ByHand says, per evidence of the coding, whether it is a span a
	// person coded (nil: none is).
	ByHand []bool
}

// scan streams the workspace's passages with the codings to export (the
// reviewed coding when ws.Review is set) and what the review did to each
// (nil without a review).
func (ws *Workspace) scan(fn func(p corpus.Passage, cs []corpus.Coding, rev []Reviewed) error) error {
	_, err := workspace.Scan(ws.Dir, true, func(p corpus.Passage, cs []corpus.Coding) error {
		var rev []Reviewed
		if ws.Review != nil {
			cs, rev = ws.Review(p, cs)
		}
		return fn(p, cs, rev)
	})
	return err
}

// namespace is the UUID namespace of lcity's name-based GUIDs (itself a
// random UUID, fixed once).
var namespace = [16]byte{0x6c, 0x63, 0x69, 0x74, 0x79, 0x2d, 0x4e, 0x8e, 0x9a, 0x51, 0x0b, 0x2f, 0x7d, 0x3e, 0x41, 0xa7}

// GUID returns the version-5 (SHA-1, name-based) UUID of name in lcity's
// namespace, as RFC 4122 describes.
func GUID(name string) string {
	h := sha1.New()
	h.Write(namespace[:])
	h.Write([]byte(name))
	sum := h.Sum(nil)
	var u [16]byte
	copy(u[:], sum[:16])
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

// attr escapes s for an XML attribute value (quotes, <, &, and the white
// space characters that attribute normalisation would otherwise change).
func attr(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString("&quot;")
		case '\n':
			b.WriteString("&#10;")
		case '\r':
			b.WriteString("&#13;")
		case '\t':
			b.WriteString("&#9;")
		default:
			xml.EscapeText(&b, []byte(string(r)))
		}
	}
	return b.String()
}

// text escapes s for XML character data, dropping characters XML 1.0
// does not allow.
func text(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || r >= 0x10000 {
			return r
		}
		return -1
	}, s)))
	return b.String()
}

// xmlWriter writes indented XML and keeps the first error.
type xmlWriter struct {
	w     io.Writer
	err   error
	depth int
}

func (x *xmlWriter) line(format string, args ...any) {
	if x.err != nil {
		return
	}
	_, x.err = fmt.Fprintf(x.w, "%s"+format+"\n", append([]any{strings.Repeat("  ", x.depth)}, args...)...)
}

func (x *xmlWriter) open(format string, args ...any) {
	x.line(format, args...)
	x.depth++
}

func (x *xmlWriter) close(tag string) {
	x.depth--
	x.line("</%s>", tag)
}
