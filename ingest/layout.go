package ingest

import (
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// glyph is one shown character with its position, as the PDF library reports it.
type glyph struct {
	s         string
	x, y, w   float64
	size      float64
	bold      bool
	streamSeq int
}

// line is a reconstructed text line of a page.
type line struct {
	text string
	x, y float64 // left edge and baseline (PDF points, y grows upwards)
	size float64 // dominant font size
	bold bool    // every visible glyph in a bold face
	// brk marks a line known to start a new block (text files: one line
	// per paragraph), whatever the geometry says.
	brk bool
}

// page is the text of one page as lines in reading order.
type page struct {
	number int
	lines  []line
}

// assembleLines groups glyphs into lines by baseline and orders them top to
// bottom, left to right. Spaces are inserted where the gap between glyphs is
// wider than a fraction of the font size; a PDF that positions every word
// itself (no space characters) still yields separated words. Glyphs without
// a width (standard-14 fonts without /Widths) keep their stream order.
func assembleLines(gs []glyph) []line {
	if len(gs) == 0 {
		return nil
	}
	for i := range gs {
		gs[i].streamSeq = i
	}
	sorted := make([]glyph, len(gs))
	copy(sorted, gs)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].y > sorted[j].y })

	// Cluster by baseline: a glyph joins the current line when its baseline
	// is within 40% of the font size of the line's first baseline.
	var groups [][]glyph
	for _, g := range sorted {
		n := len(groups)
		if n > 0 {
			first := groups[n-1][0]
			tol := 0.4 * math.Max(first.size, 1)
			if math.Abs(first.y-g.y) <= tol {
				groups[n-1] = append(groups[n-1], g)
				continue
			}
		}
		groups = append(groups, []glyph{g})
	}

	lines := make([]line, 0, len(groups))
	for _, grp := range groups {
		sort.SliceStable(grp, func(i, j int) bool {
			if grp[i].x != grp[j].x {
				return grp[i].x < grp[j].x
			}
			return grp[i].streamSeq < grp[j].streamSeq
		})
		if l, ok := buildLine(grp); ok {
			lines = append(lines, l)
		}
	}
	return lines
}

func buildLine(grp []glyph) (line, bool) {
	var b strings.Builder
	sizes := map[float64]int{}
	bold := true
	visible := 0
	runStart := grp[0].x
	for i, g := range grp {
		if i > 0 {
			prev := grp[i-1]
			size := math.Max(prev.size, 1)
			var gap float64
			if prev.w > 0 {
				gap = g.x - (prev.x + prev.w)
				if gap > 0.22*size {
					b.WriteByte(' ')
				}
			} else if g.x != prev.x {
				// A new positioned run after glyphs without widths: a
				// space unless the move is a small kerning adjustment.
				if g.x-runStart > 1.0*size {
					b.WriteByte(' ')
				}
				runStart = g.x
			}
		}
		b.WriteString(g.s)
		if strings.TrimSpace(g.s) != "" {
			visible++
			sizes[math.Round(g.size*2)/2] += utf8.RuneCountInString(g.s)
			if !g.bold {
				bold = false
			}
		}
	}
	text := cleanLine(b.String())
	if text == "" || visible == 0 {
		return line{}, false
	}
	var size float64
	best := -1
	for s, n := range sizes {
		if n > best || (n == best && s > size) {
			size, best = s, n
		}
	}
	return line{text: text, x: grp[0].x, y: grp[0].y, size: size, bold: bold}, true
}

// cleanLine normalises a line: NFKC (ligatures, compatibility forms), soft
// hyphens and control characters removed, runs of spaces collapsed.
func cleanLine(s string) string {
	s = norm.NFKC.String(s)
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case r == '\u00ad' || r == '\ufeff' || r == '\u200b':
			continue
		case unicode.IsSpace(r):
			space = true
			continue
		case unicode.IsControl(r) || r == utf8.RuneError:
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}
