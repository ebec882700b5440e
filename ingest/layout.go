package ingest

import (
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// glyph is one shown character with its position, as the PDF library reports it.
type glyph struct {
	s       string
	x, y, w float64
	space   float64 // width of a space in the glyph's font and size (0: unknown)
	size    float64
	bold    bool
	// invisible marks text drawn in render mode 3 or 7 (neither filled
	// nor stroked): the text layer an OCR program lays over a scan.
	invisible bool
	streamSeq int32
	// dx, dy is the direction of the text's baseline on the page (zero
	// for upright text, as is a missing direction).
	dx, dy float64
}

// line is a reconstructed text line of a page.
type line struct {
	text string
	x, y float64 // left edge and baseline (PDF points, y grows upwards)
	x1   float64 // right edge
	// colLeft is the left edge of the column the line is in; colStart
	// marks the first line of a column after the first on its page.
	colLeft  float64
	colStart bool
	// base numbers the baseline the line was cut from; fragments of one
	// baseline that end up in the same column are joined again.
	base int
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
	// undecoded counts glyphs drawn in fonts that gave no text for them.
	undecoded int
}

// orientedLines assembles the lines of a page whose text may run in more
// than one direction (a rotated table, a vertical margin note, a page drawn
// rotated): glyphs are grouped by baseline direction, each group is turned
// upright and assembled on its own, the direction with the most glyphs
// first.
func orientedLines(gs []glyph) []line {
	quarter := func(g glyph) int {
		if g.dy == 0 && g.dx >= 0 { // upright (Atan2 of ±0 and a positive x is ±0)
			return 0
		}
		return int(math.Round(math.Atan2(g.dy, g.dx)/(math.Pi/2))+4) % 4
	}
	upright := true
	for _, g := range gs {
		if quarter(g) != 0 {
			upright = false
			break
		}
	}
	if upright { // the common case: no copies
		return assembleLines(gs)
	}
	var groups [4][]glyph
	for _, g := range gs {
		q := quarter(g)
		switch q {
		case 1: // running up the page
			g.x, g.y = g.y, -g.x
		case 2: // upside down
			g.x, g.y = -g.x, -g.y
		case 3: // running down the page
			g.x, g.y = -g.y, g.x
		}
		groups[q] = append(groups[q], g)
	}
	order := []int{0, 1, 2, 3}
	sort.SliceStable(order, func(i, j int) bool { return len(groups[order[i]]) > len(groups[order[j]]) })
	var lines []line
	for _, q := range order {
		lines = append(lines, assembleLines(groups[q])...)
	}
	return lines
}

// assembleLines groups glyphs into lines by baseline and orders them in
// reading order. Spaces are inserted where the gap between glyphs is wider
// than a fraction of the font size; a PDF that positions every word itself
// (no space characters) still yields separated words. A gap wider than the
// font size splits a baseline into fragments (the columns of a two-column
// page share baselines); orderColumns then reads column by column. Glyphs
// without a width (standard-14 fonts without /Widths) keep their stream
// order.
func assembleLines(gs []glyph) []line {
	if len(gs) == 0 {
		return nil
	}
	// gs is sorted in place and cut into groups that share its array.
	for i := range gs {
		gs[i].streamSeq = int32(i)
	}
	byY := func(a, b glyph) int {
		if a.y > b.y {
			return -1
		}
		if b.y > a.y {
			return 1
		}
		return 0
	}
	if !sortedByY(gs) {
		slices.SortStableFunc(gs, byY)
	}

	// Cluster by baseline: a glyph joins the current line when its baseline
	// is within 40% of the font size of the line's first baseline.
	var groups [][]glyph
	start := 0
	for i := 1; i <= len(gs); i++ {
		if i < len(gs) {
			first := gs[start]
			if math.Abs(first.y-gs[i].y) <= 0.4*fmax(first.size, 1) {
				continue
			}
		}
		groups = append(groups, gs[start:i])
		start = i
	}

	lines := make([]line, 0, len(groups))
	var widths []float64 // scratch for the median glyph width of each line
	for gi, grp := range groups {
		byX := func(a, b glyph) int {
			if a.x != b.x {
				if a.x < b.x {
					return -1
				}
				return 1 // b.x < a.x, or a NaN (sort.SliceStable's less said false)
			}
			return int(a.streamSeq - b.streamSeq)
		}
		if !sortedByX(grp) {
			slices.SortStableFunc(grp, byX)
		}
		start := 0
		for i := 1; i <= len(grp); i++ {
			if i < len(grp) {
				prev, g := grp[i-1], grp[i]
				if prev.w <= 0 || g.x-(prev.x+prev.w) <= gutterGap*fmax(prev.size, 1) {
					continue
				}
			}
			if l, ok := buildLine(grp[start:i], &widths); ok {
				l.base = gi
				lines = append(lines, l)
			}
			start = i
		}
	}
	return orderColumns(lines, 0)
}

// sortedByY tells whether gs is already in the order assembleLines sorts
// it in (y falling) with no NaN y: then a stable sort would leave it as it
// is (most pages draw their lines from the top), and moving the glyphs is
// saved. With a NaN the order is no strict weak order, and only the sort
// itself tells where glyphs end up.
func sortedByY(gs []glyph) bool {
	for i := range gs {
		if math.IsNaN(gs[i].y) || (i > 0 && gs[i].y > gs[i-1].y) {
			return false
		}
	}
	return true
}

// sortedByX is sortedByY for the order of a baseline's glyphs: x rising,
// then stream order.
func sortedByX(gs []glyph) bool {
	for i := range gs {
		if math.IsNaN(gs[i].x) {
			return false
		}
		if i > 0 {
			a, b := gs[i], gs[i-1]
			if a.x < b.x || (a.x == b.x && a.streamSeq < b.streamSeq) {
				return false
			}
		}
	}
	return true
}

// gutterGap is the horizontal gap, in font sizes, that cuts a baseline
// into fragments: wider than a normal word space, narrower than the
// gutter between columns (LaTeX's is one em). Wide spaces of justified text
// cut lines too, but such cuts do not line up into a gutter, and fragments
// of one baseline in the same column are joined again.
const gutterGap = 0.6

// orderColumns puts lines (sorted top to bottom) into reading order. It
// looks for a gutter: an x position with at least 3 lines wholly left of it
// and 3 wholly right of it, side by side on the page, crossed by few lines.
// Lines crossing the gutter (a title over both columns, a footer) cut the
// page into bands; in each band the left column is read before the right.
// Each column is searched for a gutter again, so three columns work too.
func orderColumns(lines []line, depth int) []line {
	left := math.Inf(1)
	for _, l := range lines {
		left = fmin(left, l.x)
	}
	for i := range lines {
		lines[i].colLeft = left
	}
	if depth >= 3 || len(lines) < 6 {
		return joinFragments(lines)
	}
	gx, ok := findGutter(lines)
	if !ok {
		return joinFragments(lines)
	}
	// Lines more than a line above the top of either column (a title over
	// one column, the first lines of a column whose neighbour starts below
	// a figure) are read before the columns, in order from the top.
	top := math.Inf(1)
	for _, side := range []bool{true, false} {
		t := math.Inf(-1)
		for _, ln := range lines {
			if (side && ln.x1 <= gx) || (!side && ln.x >= gx) {
				t = fmax(t, ln.y)
			}
		}
		top = fmin(top, t)
	}
	out := make([]line, 0, len(lines))
	var l, r []line
	flush := func() {
		l = orderColumns(l, depth+1)
		r = orderColumns(r, depth+1)
		if len(r) > 0 && len(l) > 0 {
			r[0].colStart = true
		}
		out = append(append(out, l...), r...)
		l, r = nil, nil
	}
	for _, ln := range lines {
		switch {
		case ln.y > top+1.2*fmax(ln.size, 1):
			flush()
			out = append(out, ln)
		case ln.x1 <= gx:
			l = append(l, ln)
		case ln.x >= gx:
			r = append(r, ln)
		default:
			flush()
			out = append(out, ln)
		}
	}
	flush()
	return out
}

// joinFragments joins consecutive fragments of the same baseline.
func joinFragments(lines []line) []line {
	out := lines[:0]
	for _, l := range lines {
		if n := len(out); n > 0 && out[n-1].base == l.base {
			p := &out[n-1]
			p.text += " " + l.text
			p.x1 = l.x1
			p.bold = p.bold && l.bold
			continue
		}
		out = append(out, l)
	}
	return out
}

func findGutter(lines []line) (float64, bool) {
	best, bestScore := 0.0, 0
	total := 0
	for _, l := range lines {
		total += len(l.text)
	}
	for _, c := range lines {
		gx := c.x1 + 0.5
		var nl, nr, nc, cl, cr int
		lTop, lBot := math.Inf(-1), math.Inf(1)
		rTop, rBot := math.Inf(-1), math.Inf(1)
		for _, ln := range lines {
			switch {
			case ln.x1 <= gx:
				nl++
				cl += len(ln.text)
				lTop, lBot = fmax(lTop, ln.y), fmin(lBot, ln.y)
			case ln.x >= gx:
				nr++
				cr += len(ln.text)
				rTop, rBot = fmax(rTop, ln.y), fmin(rBot, ln.y)
			default:
				nc++
			}
		}
		// Columns hold text on both sides: a list's numbers or a table's
		// first column alone do not make a gutter.
		if nl < 3 || nr < 3 || 4*nc > nl+nr || 5*cl < total || 5*cr < total {
			continue
		}
		// The two sides must stand side by side: their vertical extents
		// overlap by at least half of the shorter one.
		overlap := fmin(lTop, rTop) - fmax(lBot, rBot)
		if overlap < 0.5*fmin(lTop-lBot, rTop-rBot) {
			continue
		}
		score := min(nl, nr) - nc
		if score > bestScore {
			best, bestScore = gx, score
		}
	}
	return best, bestScore > 0
}

func buildLine(grp []glyph, scratch *[]float64) (line, bool) {
	var b strings.Builder
	n := 0
	for _, g := range grp {
		n += len(g.s) + 1
	}
	b.Grow(n)
	// sizes counts the letters of each font size (to the half point); a
	// line has one or a few, so a slice searched in order does.
	var sizesBuf [4]sizeCount
	sizes := sizesBuf[:0]
	bold := true
	visible := 0
	runStart := grp[0].x
	prev := grp[0]
	med := medianWidth(grp, scratch)
	for i, g := range grp {
		if i > 0 {
			size := fmax(prev.size, 1)
			if g.s == prev.s && prev.w > 0 && math.Abs(g.x-prev.x) < 0.2*size && math.Abs(g.y-prev.y) < 0.2*size {
				continue // the same glyph drawn twice (fake bold, a shadow, a field over its label)
			}
			var gap float64
			if prev.w > 0 {
				gap = g.x - (prev.x + prev.w)
				// A font condensed by Tz or by a text matrix scaled less
				// in x than in y (as cairo writes one) sets its words
				// closer: the gap is measured in the em of its width.
				// One stretched wider keeps the em of its height, whose
				// 0.22 is still above a kern (under 0.1 em) while the
				// stretch is below 2.2.
				em := size
				if h := hypot(prev.dx, prev.dy); h > 0 && h < size {
					em = h
				}
				if gap > wordGap(prev, em, med) {
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
		prev = g
		if g.w > 0 {
			// A glyph without a width after this one is measured from
			// its end.
			runStart = g.x + g.w
		}
		b.WriteString(g.s)
		if strings.TrimSpace(g.s) != "" {
			visible++
			sizes = addSize(sizes, math.Round(g.size*2)/2, utf8.RuneCountInString(g.s))
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
	for _, sc := range sizes {
		if sc.n > best || (sc.n == best && sc.size > size) {
			size, best = sc.size, sc.n
		}
	}
	last := grp[len(grp)-1]
	return line{text: text, x: grp[0].x, y: grp[0].y, x1: last.x + fmax(last.w, 0), size: size, bold: bold}, true
}

type sizeCount struct {
	size float64
	n    int
}

// addSize adds n letters of font size to sizes. Sizes are compared as map
// keys are: NaN is never equal, so each NaN has its own entry.
func addSize(sizes []sizeCount, size float64, n int) []sizeCount {
	for i := range sizes {
		if sizes[i].size == size {
			sizes[i].n += n
			return sizes
		}
	}
	return append(sizes, sizeCount{size, n})
}

// wordGap is the smallest gap after glyph prev, in a font size em wide,
// that separates words: 0.22 em, or less in a font with a narrow space (a slide
// export's words stand 0.85 of a 0.23 em space apart): half the font's
// space, but never below a quarter of the line's median glyph width, so
// that kerning inside the words of typeset text (under 0.1 em) does not
// split them; in invisible text, 0.1 em.
func wordGap(prev glyph, size, med float64) float64 {
	t := 0.22 * size
	if prev.space > 0 {
		t = fmin(t, fmax(0.5*prev.space, 0.25*med))
	}
	if prev.invisible {
		// An OCR layer places each word where the scan has it, its
		// glyphs stretched to touch: no kerning to mistake for a space,
		// and word gaps as narrow as the print's (0.1 em, pdftotext's
		// own threshold, is kept between words).
		t = fmin(t, 0.1*size)
	}
	return t
}

// medianWidth is the median width of the visible glyphs of a line that
// have one (0 when none has); scratch is reused between lines.
func medianWidth(grp []glyph, scratch *[]float64) float64 {
	ws := (*scratch)[:0]
	defer func() { *scratch = ws[:0] }()
	for _, g := range grp {
		if g.w > 0 && g.s != " " {
			ws = append(ws, g.w)
		}
	}
	if len(ws) == 0 {
		return 0
	}
	return nth(ws, len(ws)/2)
}

// nth is the k-th smallest of ws (from 0), the value ws[k] has once ws is
// sorted, found by selection (Hoare's partition) instead of a sort; ws
// is reordered and must hold no NaN.
func nth(ws []float64, k int) float64 {
	lo, hi := 0, len(ws)-1
	for lo < hi {
		p := ws[lo+(hi-lo)/2]
		i, j := lo, hi
		for i <= j {
			for ws[i] < p {
				i++
			}
			for ws[j] > p {
				j--
			}
			if i <= j {
				ws[i], ws[j] = ws[j], ws[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return ws[k]
		}
	}
	return ws[k]
}

// cleanASCII tells whether cleanLine would return s as it is: printable
// ASCII, which NFKC keeps, with single spaces between words only.
func cleanASCII(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return s == ""
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' && s[i+1] == ' ' {
			return false
		}
		if c < ' ' || c > '~' {
			return false
		}
	}
	return true
}

// cleanLine normalises a line: NFKC (ligatures, compatibility forms), soft
// hyphens and control characters removed, runs of spaces collapsed.
func cleanLine(s string) string {
	if cleanASCII(s) {
		return s
	}
	return normaliseLine(s)
}

// normaliseLine is cleanLine without its shortcut for clean ASCII.
func normaliseLine(s string) string {
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

// fmax is math.Max with the common case, two ordered different numbers,
// answered by a comparison that inlines; equal numbers (±0) and NaNs go
// to math.Max, so every result is the same.
func fmax(x, y float64) float64 {
	if x > y {
		return x
	}
	if y > x {
		return y
	}
	return math.Max(x, y)
}

// fmin is math.Min as fmax is math.Max.
func fmin(x, y float64) float64 {
	if x < y {
		return x
	}
	if y < x {
		return y
	}
	return math.Min(x, y)
}
