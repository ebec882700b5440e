package ingest

import (
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// blockKind tells headings from body paragraphs.
type blockKind int

const (
	paragraph blockKind = iota
	heading
)

// block is a heading or a paragraph, from the page where it starts to
// the page where it ends.
type block struct {
	kind     blockKind
	text     string
	page     int
	lastPage int
}

var pageNumberRE = regexp.MustCompile(`^(?i)(page\s*)?[-–—(\[]?\s*([0-9]{1,4}|[ivxlcdm]{1,7})\s*[-–—)\]]?(\s*(of|/)\s*[0-9]{1,4})?$`)

// browserHeaderRE and browserFooterRE match the lines a web browser
// prints at the edges of each page of a saved page, whatever the page
// count (one page has nothing to repeat): the date and time, then the
// page's title ("11/26/26, 3:27 PM Title", Chromium; "26/11/2026, 10:15");
// the page's address with the page counter ("https://… 1/2"), or a local
// file's or a blank page's address alone. A body line never starts with a
// date and a clock time, or is only a file:// address.
var (
	browserHeaderRE = regexp.MustCompile(`^\d{1,2}[./-]\d{1,2}[./-]\d{2,4},? \d{1,2}:\d{2}(:\d{2})?( ?[AaPp]\.? ?[Mm]\.?)?( |$)`)
	browserFooterRE = regexp.MustCompile(`^(file://\S+|about:blank|https?://\S+ \d{1,4} ?/ ?\d{1,4})( \d{1,4} ?/ ?\d{1,4})?$`)
)

// furnitureKey is the form in which candidate running headers and footers
// are compared across pages: digits folded, so "Page 3" equals "Page 4".
func furnitureKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.IsDigit(r):
			if !strings.HasSuffix(b.String(), "#") {
				b.WriteByte('#')
			}
		case unicode.IsLetter(r) || r == '#':
			b.WriteRune(r)
		}
	}
	return b.String()
}

// removeFurniture drops running headers, running footers and page numbers:
// among the first two and last two lines of each page, a line that is a bare
// page number, or a line not larger than body text whose digit-folded form
// recurs at the top or bottom of at least 3 pages and 30% of the pages (of
// both pages of a two-page document) or is a browser's print header or
// footer (browserHeaderRE, browserFooterRE). A page whose every line would
// go keeps those that are not bare page numbers: they are its text, not
// its furniture.
func removeFurniture(pages []page) []page {
	const edge = 2
	st := measure(pages)
	isCandidate := func(l line) bool { return l.size <= st.bodySize*1.05 || st.bodySize == 0 }
	count := map[string]int{}
	for _, p := range pages {
		seen := map[string]bool{}
		for _, i := range edgeIndexes(p.lines, edge) {
			if !isCandidate(p.lines[i]) {
				continue
			}
			k := furnitureKey(p.lines[i].text)
			if k != "" && !seen[k] {
				seen[k] = true
				count[k]++
			}
		}
	}
	min := 3
	if t := int(math.Ceil(0.3 * float64(len(pages)))); t > min {
		min = t
	}
	if len(pages) == 2 {
		// A two-page document (a web page printed by a browser, with its
		// date and title on top and its address at the bottom of each
		// page): a line at the edge of both pages is furniture too.
		min = 2
	}
	out := make([]page, len(pages))
	for pi, p := range pages {
		drop := map[int]bool{}
		for _, i := range edgeIndexes(p.lines, edge) {
			l := p.lines[i]
			if pageNumberRE.MatchString(l.text) || (isCandidate(l) && (count[furnitureKey(l.text)] >= min ||
				browserHeaderRE.MatchString(l.text) || browserFooterRE.MatchString(l.text))) {
				drop[i] = true
			}
		}
		if len(drop) == len(p.lines) {
			// Never the last text of a page: running lines are kept
			// where they are all there is, bare page numbers are not.
			for i, l := range p.lines {
				if !pageNumberRE.MatchString(l.text) {
					delete(drop, i)
				}
			}
		}
		np := page{number: p.number, undecoded: p.undecoded}
		for i, l := range p.lines {
			if !drop[i] {
				np.lines = append(np.lines, l)
			}
		}
		out[pi] = np
	}
	return out
}

// edgeIndexes returns the indexes of the lines on the top edge baselines
// and the bottom edge baselines of a page (edge of each), by position:
// on a page read column by column the footer is not the last line read.
func edgeIndexes(lines []line, edge int) []int {
	ys := make([]float64, 0, len(lines))
	for _, l := range lines {
		ys = append(ys, math.Round(l.y))
	}
	sort.Float64s(ys)
	var distinct []float64
	for i, y := range ys {
		if i == 0 || y != ys[i-1] {
			distinct = append(distinct, y)
		}
	}
	keep := map[float64]bool{}
	for i := 0; i < edge && i < len(distinct); i++ {
		keep[distinct[i]] = true
		keep[distinct[len(distinct)-1-i]] = true
	}
	var idx []int
	for i, l := range lines {
		if keep[math.Round(l.y)] {
			idx = append(idx, i)
		}
	}
	return idx
}

// layoutStats are the body text's typical font size and line pitch.
type layoutStats struct {
	bodySize float64
	pitch    float64
}

func measure(pages []page) layoutStats {
	sizes := map[float64]int{}
	for _, p := range pages {
		for _, l := range p.lines {
			sizes[l.size] += utf8.RuneCountInString(l.text)
		}
	}
	var st layoutStats
	best := -1
	for s, n := range sizes {
		if n > best || (n == best && s < st.bodySize) {
			st.bodySize, best = s, n
		}
	}
	var pitches []float64
	for _, p := range pages {
		for i := 1; i < len(p.lines); i++ {
			a, b := p.lines[i-1], p.lines[i]
			if a.size == st.bodySize && b.size == st.bodySize {
				if d := a.y - b.y; d > 0 && d < 4*st.bodySize {
					pitches = append(pitches, d)
				}
			}
		}
	}
	if len(pitches) > 0 {
		// The lower quartile: line gaps inside paragraphs, even where
		// paragraph gaps are as frequent.
		sort.Float64s(pitches)
		st.pitch = pitches[len(pitches)/4]
	}
	if st.pitch == 0 {
		st.pitch = 1.2 * st.bodySize
	}
	return st
}

func (st layoutStats) isHeading(l line) bool {
	if st.bodySize <= 0 {
		return false
	}
	n := utf8.RuneCountInString(l.text)
	if l.size >= 1.15*st.bodySize && n < 200 {
		return true
	}
	return l.bold && n < 100 && !strings.HasSuffix(l.text, ".")
}

// blocks rebuilds headings and paragraphs from the lines of pages: a new
// paragraph starts after a vertical gap wider than 1.3 line pitches, at an
// indented first line after a finished sentence, at a bulleted line (its
// bullet dropped), or at a change between heading and body style. A paragraph cut by a page or column break
// continues on the next page or column when its last line did not end a
// sentence and either the next line starts in lower case or the last line
// ran to the right edge of its column and the next line is not indented.
func blocks(pages []page) []block {
	st := measure(pages)
	vocab := newVocabulary(pages)
	// The right edge of each column of body text (by page and left edge):
	// a line that reaches it did not end its paragraph there.
	type colKey struct {
		page int
		left float64
	}
	// A column of one line has no edge but that line's own end.
	right := map[colKey]float64{}
	count := map[colKey]int{}
	for _, p := range pages {
		for _, l := range p.lines {
			if math.Abs(l.size-st.bodySize) <= 0.05*st.bodySize {
				k := colKey{p.number, math.Round(l.colLeft)}
				right[k] = max(right[k], l.x1)
				count[k]++
			}
		}
	}
	full := func(pg int, l line) bool {
		k := colKey{pg, math.Round(l.colLeft)}
		r, ok := right[k]
		return ok && count[k] > 1 && l.x1 > l.x && l.x1 >= r-1.5*st.bodySize
	}
	var out []block
	var cur *block
	var lines []string
	var last line   // the line added last
	lastPage := 0   // and its page
	lastSize := 0.0 // the font size of the paragraph's last substantial line
	flush := func() {
		if cur != nil && len(lines) > 0 {
			cur.text = joinLinesIn(lines, vocab)
			if cur.text != "" {
				out = append(out, *cur)
			}
		}
		cur, lines = nil, nil
	}
	for _, p := range pages {
		var prev *line
		for i := range p.lines {
			l := p.lines[i]
			kind := paragraph
			if st.isHeading(l) {
				kind = heading
			}
			item, bullet := bulletItem(l.text)
			newBlock := cur == nil || cur.kind != kind || l.brk || bullet
			if !newBlock && kind == heading && prev != nil && math.Abs(prev.size-l.size) > 0.1*l.size {
				newBlock = true // a title followed by a smaller heading
			}
			if !newBlock && kind == paragraph && lastSize > 0 && substantial(l.text) && math.Abs(lastSize-l.size) > 0.1*l.size {
				// Body text followed by a code box or a caption; the short
				// lines of superscripts and formula parts do not count.
				newBlock = true
			}
			if !newBlock && (prev == nil || l.colStart) && kind == paragraph {
				// First line of a page or column: continue the paragraph
				// only if it was cut mid-sentence.
				text := lines[len(lines)-1]
				indented := l.x > l.colLeft+1.5*st.bodySize
				newBlock = endsSentence(text) || !(startsLower(l.text) || (full(lastPage, last) && !indented))
			}
			if !newBlock && prev != nil && !l.colStart {
				gap := prev.y - l.y
				switch {
				case gap > 1.3*st.pitch || gap < 0:
					newBlock = true
				case kind == paragraph && l.x > l.colLeft+1.5*st.bodySize && endsSentence(lines[len(lines)-1]):
					newBlock = true
				}
			}
			if newBlock {
				flush()
				cur = &block{kind: kind, page: p.number}
				lastSize = 0
			}
			if bullet {
				lines = append(lines, item)
			} else {
				lines = append(lines, l.text)
			}
			if substantial(l.text) {
				lastSize = l.size
			}
			cur.lastPage = p.number
			prev = &p.lines[i]
			last, lastPage = l, p.number
		}
	}
	flush()
	return out
}

// substantial tells a line of text from the short pieces that stand on
// lines of their own in typeset text (superscripts, parts of formulas):
// at least two words and eight characters.
func substantial(s string) bool {
	return utf8.RuneCountInString(s) >= 8 && strings.Contains(strings.TrimSpace(s), " ")
}

// bulletItem tells a line that starts a bulleted list item (a bullet
// mark and a space, as slides and reports set them) and returns its text
// after the mark: each item is a paragraph of its own, without its bullet.
func bulletItem(s string) (string, bool) {
	for _, b := range []string{"•", "▪", "◦", "●", "■", "‣", "⁃"} {
		if rest, ok := strings.CutPrefix(s, b+" "); ok && strings.TrimSpace(rest) != "" {
			return strings.TrimSpace(rest), true
		}
	}
	return s, false
}

func endsSentence(s string) bool {
	s = strings.TrimRight(s, " \"'”’)")
	return strings.HasSuffix(s, ".") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, ":")
}

func startsLower(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLower(r)
}

// joinLines joins the lines of a paragraph with spaces, mending words
// hyphenated at a line end ("learn-" + "ing" → "learning"; a hyphen before
// an upper-case letter or a digit is kept: "Asia-" + "Pacific"; one after
// a digit too, without a space: "650-" + "year-old" → "650-year-old").
func joinLines(lines []string) string { return joinLinesIn(lines, nil) }

// joinLinesIn is joinLines with the vocabulary of the document (nil for
// none) to tell a compound broken at its hyphen from a word hyphenated
// at a syllable: see vocabulary.keepHyphen.
func joinLinesIn(lines []string, v *vocabulary) string {
	var b strings.Builder
	for i, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if b.Len() > 0 {
			s := b.String()
			hyphen := strings.HasSuffix(s, "-") && len(s) > 1
			switch {
			case hyphen && isLetterBefore(s) && startsLower(l):
				if !v.keepHyphen(s, l) {
					b.Reset()
					b.WriteString(strings.TrimSuffix(s, "-"))
				}
			case hyphen && i > 0 && isLetterBefore(s) && startsUpperOrDigit(l):
			case hyphen && isDigitBefore(s) && (startsLower(l) || startsUpperOrDigit(l)):
			default:
				b.WriteByte(' ')
			}
		}
		b.WriteString(l)
	}
	return b.String()
}

// vocabulary is what a document's own text says about hyphens: the words
// it uses whole and the hyphenated compounds it writes within a line.
// Fragments at a line-end hyphen and the start of the line after one are
// left out: they may be halves of words.
// It is collected on its first use: most pages break no word at a
// line end.
type vocabulary struct {
	pages     []page
	words     map[string]bool
	compounds map[string]bool
}

// newVocabulary returns the vocabulary of pages, collected when first
// asked.
func newVocabulary(pages []page) *vocabulary { return &vocabulary{pages: pages} }

// collect fills the vocabulary from its pages, once.
func (v *vocabulary) collect() {
	if v.words != nil {
		return
	}
	v.words, v.compounds = map[string]bool{}, map[string]bool{}
	pages := v.pages
	afterHyphen := false
	for _, p := range pages {
		for _, l := range p.lines {
			toks := strings.Fields(l.text)
			for i, t := range toks {
				if (i == 0 && afterHyphen) || (i == len(toks)-1 && strings.HasSuffix(t, "-")) {
					continue
				}
				t = strings.ToLower(strings.TrimFunc(t, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }))
				if t == "" {
					continue
				}
				if strings.Contains(t, "-") {
					v.compounds[t] = true
					for _, part := range strings.Split(t, "-") {
						v.words[part] = true
					}
					continue
				}
				v.words[t] = true
			}
			afterHyphen = strings.HasSuffix(strings.TrimSpace(l.text), "-")
		}
	}
}

// keepHyphen decides a word broken at a line-end hyphen, s ending in the
// first part and the hyphen, l starting with the second part: the hyphen
// stays when the document writes the hyphenated form elsewhere, or when it
// uses both parts (of three letters or more) as words and never the two
// run together ("world-" + "class" → "world-class"); otherwise the word
// is joined ("commu-" + "nity" → "community").
func (v *vocabulary) keepHyphen(s, l string) bool {
	if v == nil {
		return false
	}
	a := strings.TrimSuffix(s, "-")
	if k := strings.LastIndexFunc(a, func(r rune) bool { return !unicode.IsLetter(r) }); k >= 0 {
		_, n := utf8.DecodeRuneInString(a[k:])
		a = a[k+n:]
	}
	bEnd := strings.IndexFunc(l, func(r rune) bool { return !unicode.IsLetter(r) })
	if bEnd < 0 {
		bEnd = len(l)
	}
	a, b := strings.ToLower(a), strings.ToLower(l[:bEnd])
	if a == "" || b == "" {
		return false
	}
	v.collect()
	switch {
	case v.compounds[a+"-"+b] || (bEnd < len(l) && l[bEnd] == '-' && v.compounds[a+"-"+strings.ToLower(firstToken(l))]):
		return true
	case v.words[a+b]:
		return false
	}
	// Parts of one or two letters ("in-", "be-", "co-") are more often
	// syllables than words.
	return utf8.RuneCountInString(a) >= 3 && utf8.RuneCountInString(b) >= 3 && v.words[a] && v.words[b]
}

// firstToken is l up to its first space or punctuation other than a
// hyphen.
func firstToken(l string) string {
	if k := strings.IndexFunc(l, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' }); k >= 0 {
		return l[:k]
	}
	return l
}

func isDigitBefore(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(strings.TrimSuffix(s, "-"))
	return unicode.IsDigit(r)
}

func isLetterBefore(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(strings.TrimSuffix(s, "-"))
	return unicode.IsLetter(r)
}

func startsUpperOrDigit(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}
