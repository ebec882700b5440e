package web

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lcity/lcity/coding"
	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/review"
	"github.com/lcity/lcity/workspace"
)

// codeInfo is what the review pages show of a code.
type codeInfo struct {
	ID, Label, Colour string
}

// Name is the code's label, or its ID when it has none.
func (c codeInfo) Name() string {
	if c.Label != "" {
		return c.Label
	}
	return c.ID
}

// Swatch is the CSS of the code's colour swatch in a legend.
func (c codeInfo) Swatch() template.CSS {
	return template.CSS("background:" + c.Colour)
}

var hexColour = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// paletteColour is the colour of the i-th code without one of its own:
// hues a golden angle apart, so neighbouring codes differ.
func paletteColour(i int) string {
	h := math.Mod(float64(i)*137.508, 360)
	// Three lightnesses in turn, so that more colours are told apart than
	// hues alone allow.
	s, l := 0.65, [3]float64{0.48, 0.32, 0.66}[i%3]
	c := (1 - math.Abs(2*l-1)) * s
	x := c * (1 - math.Abs(math.Mod(h/60, 2)-1))
	m := l - c/2
	var r, g, b float64
	switch {
	case h < 60:
		r, g, b = c, x, 0
	case h < 120:
		r, g, b = x, c, 0
	case h < 180:
		r, g, b = 0, c, x
	case h < 240:
		r, g, b = 0, x, c
	case h < 300:
		r, g, b = x, 0, c
	default:
		r, g, b = c, 0, x
	}
	v := func(f float64) int { return int(math.Round((f + m) * 255)) }
	return fmt.Sprintf("#%02x%02x%02x", v(r), v(g), v(b))
}

// minColourDistance is how far apart (colourDistance) two codes' colours
// must be when the palette allows it.
const minColourDistance = 80

// colourDistance is the "redmean" approximation of how different two
// #rrggbb colours look: 0 for the same colour, about 765 for black and white.
func colourDistance(a, b string) float64 {
	var ra, ga, ba, rb, gb, bb int
	fmt.Sscanf(a, "#%02x%02x%02x", &ra, &ga, &ba)
	fmt.Sscanf(b, "#%02x%02x%02x", &rb, &gb, &bb)
	rm := float64(ra+rb) / 2
	dr, dg, db := float64(ra-rb), float64(ga-gb), float64(ba-bb)
	return math.Sqrt((2+rm/256)*dr*dr + 4*dg*dg + (2+(255-rm)/256)*db*db)
}

// nearest is the distance from c to the nearest colour in used (+Inf when
// used is empty).
func nearest(c string, used map[string]bool) float64 {
	d := math.Inf(1)
	for u := range used {
		d = min(d, colourDistance(c, u))
	}
	return d
}

// pickColour returns the first palette colour from next on that is at
// least minColourDistance from every used colour, or, when none of the
// next 64 is, the one of them farthest from the used ones; and the
// palette index to go on from.
func pickColour(next int, used map[string]bool) (string, int) {
	best, bestAt, bestD := "", next, -1.0
	for k := next; k < next+64; k++ {
		c := paletteColour(k)
		d := nearest(c, used)
		if d >= minColourDistance {
			return c, k + 1
		}
		if d > bestD {
			best, bestAt, bestD = c, k, d
		}
	}
	return best, bestAt + 1
}

// loadCodes sets the codes of the snapshot in codebook order with
// their labels and colours: from the codebooks run.json records (the
// workspace's copies), else labels from contrasts.csv; codes that occur
// only in the codings come last, sorted.
func (v *view) loadCodes(auto []corpus.Coding) {
	var codes []corpus.Code
	if v.snap.Manifest != nil {
		if cbs, err := workspace.RecordedCodebooks(v.snap.Dir, v.snap.Manifest, nil); err == nil {
			codes = coding.Codable(cbs)
		}
	}
	v.codeIdx = map[string]int{}
	used, next := map[string]bool{}, 0
	add := func(c corpus.Code) {
		if _, ok := v.codeIdx[c.ID]; ok {
			return
		}
		info := codeInfo{ID: c.ID, Label: c.Label, Colour: c.Colour}
		if info.Label == "" {
			info.Label = v.labels[c.ID]
		}
		// Codebooks are written one at a time and reuse colours; on a page
		// two codes must not share one, nor two colours a reader cannot
		// tell apart in a legend, so a taken colour, or one too near a
		// taken one, is replaced.
		info.Colour = strings.ToLower(info.Colour)
		if !hexColour.MatchString(info.Colour) || nearest(info.Colour, used) < minColourDistance {
			info.Colour, next = pickColour(next, used)
		}
		used[info.Colour] = true
		v.codeIdx[c.ID] = len(v.codes)
		v.codes = append(v.codes, info)
	}
	for _, c := range codes {
		add(c)
	}
	var extra []string
	for _, c := range auto {
		if _, ok := v.codeIdx[c.CodeID]; !ok && !slices.Contains(extra, c.CodeID) {
			extra = append(extra, c.CodeID)
		}
	}
	slices.Sort(extra)
	for _, id := range extra {
		add(corpus.Code{ID: id})
	}
}

// code returns what the pages show of a code ID (one not in the
// codebooks gets a colour from the end of the palette).
func (v *view) code(id string) codeInfo {
	if i, ok := v.codeIdx[id]; ok {
		return v.codes[i]
	}
	return codeInfo{ID: id, Colour: paletteColour(len(v.codes) + len(id))}
}

// passageFn is the passage lookup review.State replays the log against.
func (v *view) passageFn() func(string) (corpus.Passage, bool) {
	return func(id string) (corpus.Passage, bool) {
		p, _, ok, err := v.snap.Passage(id)
		return p, ok && err == nil
	}
}

// filter is the review queue's selection: a code, a city and the highest
// model confidence (a coding without one is left out when it is set).
type filter struct {
	Code, City string
	MaxConf    *float64
}

func parseFilter(q url.Values) (filter, error) {
	f := filter{Code: q.Get("code"), City: q.Get("city")}
	if c := q.Get("confidence"); c != "" {
		x, err := strconv.ParseFloat(c, 64)
		if err != nil || x < 0 || x > 1 || math.IsNaN(x) {
			return f, fmt.Errorf("confidence %q: want a number from 0 to 1", c)
		}
		f.MaxConf = &x
	}
	return f, nil
}

// Values encodes the filter as query parameters.
func (f filter) Values() url.Values {
	q := url.Values{}
	if f.Code != "" {
		q.Set("code", f.Code)
	}
	if f.City != "" {
		q.Set("city", f.City)
	}
	if f.MaxConf != nil {
		q.Set("confidence", strconv.FormatFloat(*f.MaxConf, 'f', -1, 64))
	}
	return q
}

// Conf is the confidence bound as the form shows it.
func (f filter) Conf() string {
	if f.MaxConf == nil {
		return ""
	}
	return strconv.FormatFloat(*f.MaxConf, 'f', -1, 64)
}

func (f filter) keep(c corpus.Coding) bool {
	return (f.Code == "" || c.CodeID == f.Code) && (f.City == "" || c.City == f.City) &&
		(f.MaxConf == nil || (c.Confidence != nil && *c.Confidence <= *f.MaxConf))
}

// queueItem is a passage with auto codings nobody has judged yet.
type queueItem struct {
	PassageID, DocID, City string
	Page, Pos              int
	Conf                   float64 // lowest model confidence of the pending codings; +Inf without one
	Pending                int
}

func compareItems(a, b queueItem) int {
	if c := cmp.Compare(a.Conf, b.Conf); c != 0 {
		return c
	}
	if c := cmp.Compare(a.DocID, b.DocID); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Page, b.Page); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Pos, b.Pos); c != 0 {
		return c
	}
	return cmp.Compare(a.PassageID, b.PassageID)
}

// judged is the set of (passage, code) whose whole-passage coding has a
// decision in the merged state.
func judged(st *review.State) map[[2]string]bool {
	m := map[[2]string]bool{}
	for _, d := range st.Current() {
		if d.Span == nil {
			m[[2]string{d.PassageID, d.CodeID}] = true
		}
	}
	return m
}

// queue returns the passages left to review under f, in review order:
// lowest model confidence first (when the codings have one), then in
// document order.
func queue(auto []corpus.Coding, st *review.State, f filter) []queueItem {
	done := judged(st)
	by := map[string]*queueItem{}
	for _, c := range auto {
		if !f.keep(c) || done[[2]string{c.PassageID, c.CodeID}] {
			continue
		}
		it := by[c.PassageID]
		if it == nil {
			it = &queueItem{PassageID: c.PassageID, DocID: c.DocID, City: c.City, Page: c.Page, Pos: math.MaxInt, Conf: math.Inf(1)}
			by[c.PassageID] = it
		}
		it.Pending++
		if c.Confidence != nil {
			it.Conf = min(it.Conf, *c.Confidence)
		}
		for _, e := range c.Evidence {
			it.Pos = min(it.Pos, e.Start)
		}
	}
	items := make([]queueItem, 0, len(by))
	for _, it := range by {
		items = append(items, *it)
	}
	slices.SortFunc(items, compareItems)
	return items
}

// next returns the first item of the queue after the passage after (in
// queue order; from the start when after is not in it or is last).
func next(items []queueItem, auto []corpus.Coding, after string) (queueItem, bool) {
	if len(items) == 0 {
		return queueItem{}, false
	}
	if after == "" {
		return items[0], true
	}
	// Where after stands in the order, whether or not it is still queued.
	ref := queueItem{PassageID: after, Pos: math.MaxInt, Conf: math.Inf(1)}
	found := false
	for _, it := range items {
		if it.PassageID == after {
			ref, found = it, true
		}
	}
	if !found {
		known := false
		for _, c := range auto {
			if c.PassageID != after {
				continue
			}
			known = true
			if c.Confidence != nil {
				ref.Conf = min(ref.Conf, *c.Confidence)
			}
			ref.DocID, ref.City, ref.Page = c.DocID, c.City, c.Page
			for _, e := range c.Evidence {
				ref.Pos = min(ref.Pos, e.Start)
			}
		}
		if !known {
			return items[0], true
		}
	}
	for _, it := range items {
		if it.PassageID != after && compareItems(it, ref) > 0 {
			return it, true
		}
	}
	for _, it := range items {
		if it.PassageID != after {
			return it, true
		}
	}
	return queueItem{}, false
}

// segment is a run of passage text with one set of codes over it.
type segment struct {
	Start int // code points from the passage's start
	Text  string
	Mark  bool
	Codes string // IDs of the auto codes whose evidence covers it
	Added string // IDs of the codes added by hand over it
	Title string
	Style template.CSS
}

// interval is a byte range of the passage under a code.
type interval struct {
	from, to int
	code     string
	human    bool
}

// runeStart moves i back to the start of the rune it falls in.
func runeStart(s string, i int) int {
	for i > 0 && i < len(s) && !utf8.RuneStart(s[i]) {
		i--
	}
	return i
}

// runeEnd moves i forward to the start of the next rune when it falls
// inside one.
func runeEnd(s string, i int) int {
	for i > 0 && i < len(s) && !utf8.RuneStart(s[i]) {
		i++
	}
	return i
}

// byteAt is the byte offset of code point n of s (len(s) past its end).
func byteAt(s string, n int) int {
	i := 0
	for b := range s {
		if i == n {
			return b
		}
		i++
	}
	return len(s)
}

// segments cuts a passage's text where the evidence of its kept auto
// codings and the spans added by hand begin and end, and around every
// carriage return and NUL: an HTML parser turns those into a line feed or
// drops them, so each stands alone and the code-point offsets the browser
// computes within a segment stay right.
func segments(p corpus.Passage, auto []corpus.Coding, added []review.Decision, code func(string) codeInfo) []segment {
	text := p.Text
	n := len(text)
	var ivs []interval
	for _, c := range auto {
		for _, e := range c.Evidence {
			a, b := runeStart(text, min(max(e.Start-p.Start, 0), n)), runeEnd(text, min(max(e.End-p.Start, 0), n))
			if a < b {
				ivs = append(ivs, interval{a, b, c.CodeID, false})
			}
		}
	}
	for _, d := range added {
		a, b := 0, n
		if d.Span != nil {
			a, b = byteAt(text, d.Span.Start), byteAt(text, d.Span.End)
		}
		if a < b {
			ivs = append(ivs, interval{a, b, d.CodeID, true})
		}
	}
	cuts := []int{0, n}
	for _, iv := range ivs {
		cuts = append(cuts, iv.from, iv.to)
	}
	for i := 0; i < n; i++ {
		if text[i] == '\r' || text[i] == 0 {
			cuts = append(cuts, i, i+1)
		}
	}
	slices.Sort(cuts)
	cuts = slices.Compact(cuts)
	var out []segment
	cp := 0
	for i := 0; i+1 < len(cuts); i++ {
		a, b := cuts[i], cuts[i+1]
		var autoCodes, humanCodes []string
		for _, iv := range ivs {
			if iv.from <= a && b <= iv.to {
				if iv.human {
					if !slices.Contains(humanCodes, iv.code) {
						humanCodes = append(humanCodes, iv.code)
					}
				} else if !slices.Contains(autoCodes, iv.code) {
					autoCodes = append(autoCodes, iv.code)
				}
			}
		}
		seg := segment{Start: cp, Text: strings.ReplaceAll(text[a:b], "\x00", "\uFFFD"),
			Codes: strings.Join(autoCodes, " "), Added: strings.Join(humanCodes, " ")}
		cp += utf8.RuneCountInString(text[a:b])
		if len(autoCodes)+len(humanCodes) > 0 {
			seg.Mark = true
			seg.Style, seg.Title = markStyle(autoCodes, humanCodes, code)
		}
		out = append(out, seg)
	}
	return out
}

// markStyle colours a marked segment: the auto codes' colours as bands of
// background, a code added by hand as a thick underline in its colour.
func markStyle(autoCodes, humanCodes []string, code func(string) codeInfo) (template.CSS, string) {
	var css strings.Builder
	var names []string
	tint := func(c string, pct int) string { return fmt.Sprintf("color-mix(in srgb, %s %d%%, white)", c, pct) }
	switch len(autoCodes) {
	case 0:
		css.WriteString("background:" + tint(code(humanCodes[0]).Colour, 25) + ";")
	case 1:
		css.WriteString("background:" + tint(code(autoCodes[0]).Colour, 45) + ";")
	default:
		var stops []string
		for i, id := range autoCodes {
			from, to := 100*i/len(autoCodes), 100*(i+1)/len(autoCodes)
			stops = append(stops, fmt.Sprintf("%s %d%% %d%%", tint(code(id).Colour, 45), from, to))
		}
		css.WriteString("background:linear-gradient(" + strings.Join(stops, ", ") + ");")
	}
	for _, id := range autoCodes {
		names = append(names, code(id).Name())
	}
	if len(humanCodes) > 0 {
		css.WriteString("box-shadow:inset 0 -0.3em 0 " + code(humanCodes[0]).Colour + ";")
		for _, id := range humanCodes {
			names = append(names, code(id).Name()+" (added by hand)")
		}
	}
	return template.CSS(css.String()), strings.Join(names, "; ")
}

// codingRow is an auto coding with the review's verdict on it.
type codingRow struct {
	Code       codeInfo
	Score      float64
	Terms      string
	Source     string
	Confidence *float64
	State      string // accepted, rejected or empty
	By, At     string
}

// addedRow is a code added by hand on the passage (a span, or the whole
// passage when Whole).
type addedRow struct {
	Code   codeInfo
	Whole  bool
	Start  int
	End    int
	Text   string
	By, At string
}

// historyRow is one decision on the passage, for the page's log.
type historyRow struct {
	Seq          int64
	At, Coder    string
	Code         codeInfo
	Action, Span string
	Memo         string
}

type passageView struct {
	P         corpus.Passage
	Doc       corpus.Document
	Segments  []segment
	Chars     int
	Codings   []codingRow
	Added     []addedRow
	History   []historyRow
	Legend    []codeInfo
	AllCodes  []codeInfo
	Labels    map[string]string
	CSRF      string
	Coder     string
	Memo      string
	Last      *review.Decision // the coder's last decision on the passage, which a memo is saved with
	Filter    filter
	Next      string
	Orphans   int
	LoadError string
}

// LastSpan is the span of the coder's last decision as data attributes.
func (v passageView) LastSpan() (start, end string) {
	if v.Last == nil || v.Last.Span == nil {
		return "", ""
	}
	return strconv.Itoa(v.Last.Span.Start), strconv.Itoa(v.Last.Span.End)
}

func (s *Server) passagePage(w http.ResponseWriter, r *http.Request) {
	v := s.acquire()
	defer v.release()
	p, cs, ok, err := v.snap.Passage(r.PathValue("id"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if !ok {
		http.Error(w, "no passage "+r.PathValue("id"), http.StatusNotFound)
		return
	}
	f, _ := parseFilter(r.URL.Query())
	st, err := s.store.State(r.Context(), v.passageFn())
	if err != nil {
		http.Error(w, "read the review store: "+err.Error(), http.StatusInternalServerError)
		return
	}
	doc, _ := v.snap.Document(p.DocID)
	pv := passageView{P: p, Doc: doc, Chars: utf8.RuneCountInString(p.Text), Labels: v.labels, AllCodes: v.codes,
		CSRF: s.csrfToken(sessionOf(r)), Coder: s.coder, Filter: f}
	whole := map[string]review.Decision{}
	var added []review.Decision
	for _, d := range st.Current() {
		if d.PassageID != p.ID {
			continue
		}
		if d.Span == nil {
			whole[d.CodeID] = d
		}
		if d.Action == review.Add {
			added = append(added, d)
		}
	}
	var kept []corpus.Coding
	autoCoded := map[string]bool{}
	for _, c := range cs {
		autoCoded[c.CodeID] = true
		row := codingRow{Code: v.code(c.CodeID), Score: c.Score, Source: c.From(), Confidence: c.Confidence}
		var terms []string
		for _, e := range c.Evidence {
			terms = append(terms, e.Term)
		}
		row.Terms = strings.Join(terms, ", ")
		if d, ok := whole[c.CodeID]; ok {
			switch d.Action {
			case review.Accept, review.Add:
				row.State = "accepted"
			case review.Reject, review.Remove:
				row.State = "rejected"
			}
			row.By, row.At = d.Coder, d.At.Format("2006-01-02 15:04")
		}
		if row.State != "rejected" {
			kept = append(kept, c)
		}
		pv.Codings = append(pv.Codings, row)
	}
	var marks []review.Decision
	for _, d := range added {
		if d.Span == nil && autoCoded[d.CodeID] {
			continue // an accept in all but name: the coding row shows it
		}
		row := addedRow{Code: v.code(d.CodeID), Whole: d.Span == nil, By: d.Coder, At: d.At.Format("2006-01-02 15:04")}
		if d.Span != nil {
			row.Start, row.End = d.Span.Start, d.Span.End
			row.Text = p.Text[byteAt(p.Text, d.Span.Start):byteAt(p.Text, d.Span.End)]
		}
		pv.Added = append(pv.Added, row)
		marks = append(marks, d)
	}
	pv.Segments = segments(p, kept, marks, v.code)
	legend := map[string]bool{}
	for _, seg := range pv.Segments {
		for _, id := range strings.Fields(seg.Codes + " " + seg.Added) {
			legend[id] = true
		}
	}
	for _, c := range cs {
		legend[c.CodeID] = true
	}
	for id := range legend {
		pv.Legend = append(pv.Legend, v.code(id))
	}
	slices.SortFunc(pv.Legend, func(a, b codeInfo) int {
		ia, oka := v.codeIdx[a.ID]
		ib, okb := v.codeIdx[b.ID]
		if oka && okb {
			return cmp.Compare(ia, ib)
		}
		return cmp.Compare(a.ID, b.ID)
	})
	for _, d := range st.Log() {
		if d.PassageID != p.ID {
			continue
		}
		h := historyRow{Seq: d.Seq, At: d.At.Format("2006-01-02 15:04:05"), Coder: d.Coder, Code: v.code(d.CodeID),
			Action: string(d.Action), Memo: d.Memo}
		if d.Span != nil {
			h.Span = fmt.Sprintf("%d–%d", d.Span.Start, d.Span.End)
			if d.Span.End <= pv.Chars {
				h.Span += " “" + p.Text[byteAt(p.Text, d.Span.Start):byteAt(p.Text, d.Span.End)] + "”"
			}
		}
		pv.History = append(pv.History, h)
		if d.Coder == s.coder {
			last := d
			pv.Last, pv.Memo = &last, d.Memo
		}
	}
	slices.Reverse(pv.History)
	nq := f.Values()
	nq.Set("after", p.ID)
	pv.Next = "/review/next?" + nq.Encode()
	s.render(w, http.StatusOK, "passage.html", pv)
}

type reviewView struct {
	Filter    filter
	Error     string
	Codes     []codeInfo
	Cities    []string
	Left      int
	Done      bool
	Start     string
	Progress  []progressRow
	Orphans   []review.Orphan
	MoreOrphs int
	Total     progressRow
	Labels    map[string]string // code ID → label, for the orphans
}

// progressRow is one code's line of the progress table: its auto
// codings, how many were reviewed (accepted or rejected), the codings
// that exist only because a coder added the code, and the spans coded by
// hand.
type progressRow struct {
	Code                                             codeInfo
	Auto, Reviewed, Accepted, Rejected, Added, Spans int
	Percent                                          float64
}

// maxOrphansShown bounds the orphaned decisions listed on the review page.
const maxOrphansShown = 50

func (s *Server) reviewPage(w http.ResponseWriter, r *http.Request) {
	v := s.acquire()
	defer v.release()
	f, err := parseFilter(r.URL.Query())
	rv := reviewView{Filter: f, Codes: v.codes, Cities: v.cities, Done: r.URL.Query().Get("done") != ""}
	if err != nil {
		rv.Error = err.Error()
		s.render(w, http.StatusBadRequest, "review.html", rv)
		return
	}
	st, err := s.store.State(r.Context(), v.passageFn())
	if err != nil {
		http.Error(w, "read the review store: "+err.Error(), http.StatusInternalServerError)
		return
	}
	rv.Left = len(queue(v.auto, st, f))
	rv.Start = "/review/next"
	if q := f.Values(); len(q) > 0 {
		rv.Start += "?" + q.Encode()
	}
	for _, t := range review.Tallies(v.auto, st) {
		row := progressRow{Code: v.code(t.CodeID), Auto: t.Auto, Reviewed: t.Reviewed(), Accepted: t.Accepted,
			Rejected: t.Rejected, Added: t.Added, Spans: t.Spans}
		if t.Auto > 0 {
			row.Percent = 100 * float64(row.Reviewed) / float64(t.Auto)
		}
		rv.Total.Auto += row.Auto
		rv.Total.Reviewed += row.Reviewed
		rv.Total.Accepted += row.Accepted
		rv.Total.Rejected += row.Rejected
		rv.Total.Added += row.Added
		rv.Total.Spans += row.Spans
		rv.Progress = append(rv.Progress, row)
	}
	if rv.Total.Auto > 0 {
		rv.Total.Percent = 100 * float64(rv.Total.Reviewed) / float64(rv.Total.Auto)
	}
	slices.SortStableFunc(rv.Progress, func(a, b progressRow) int {
		ia, oka := v.codeIdx[a.Code.ID]
		ib, okb := v.codeIdx[b.Code.ID]
		if oka && okb {
			return cmp.Compare(ia, ib)
		}
		return 0
	})
	rv.Orphans = st.Orphans()
	rv.Labels = v.labels
	if len(rv.Orphans) > maxOrphansShown {
		rv.MoreOrphs = len(rv.Orphans) - maxOrphansShown
		rv.Orphans = rv.Orphans[:maxOrphansShown]
	}
	s.render(w, http.StatusOK, "review.html", rv)
}

// reviewNext sends the browser to the next passage of the queue, or back
// to the review page when none is left.
func (s *Server) reviewNext(w http.ResponseWriter, r *http.Request) {
	v := s.acquire()
	defer v.release()
	f, err := parseFilter(r.URL.Query())
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	st, err := s.store.State(r.Context(), v.passageFn())
	if err != nil {
		http.Error(w, "read the review store: "+err.Error(), http.StatusInternalServerError)
		return
	}
	it, ok := next(queue(v.auto, st, f), v.auto, r.URL.Query().Get("after"))
	q := f.Values()
	if !ok {
		q.Set("done", "1")
		http.Redirect(w, r, "/review?"+q.Encode(), http.StatusSeeOther)
		return
	}
	u := "/passages/" + url.PathEscape(it.PassageID)
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	http.Redirect(w, r, u, http.StatusSeeOther)
}

// decisionStatus maps an error of the decision path to an HTTP status.
func decisionStatus(err error) int {
	switch {
	case errors.Is(err, review.ErrRequestReused):
		return http.StatusConflict
	case errors.Is(err, review.ErrInvalid):
		return http.StatusBadRequest
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// errNoPassage and errUnknownCode are the decision checks that need the
// workspace.
var (
	errNoPassage   = errors.New("no such passage in the workspace (a rerun may have changed it: reload the page)")
	errUnknownCode = errors.New("neither the workspace's codebooks nor its codings have such a code")
)

// checkDecision checks a parsed decision against the snapshot: the passage
// exists, the span lies within it, an added code is one of the codebooks'
// (or, when they cannot be read, of the codings'), and an accept or reject
// judges a coding the auto-coder made.
func (v *view) checkDecision(d review.Decision) (int, error) {
	p, cs, ok, err := v.snap.Passage(d.PassageID)
	switch {
	case err != nil:
		return http.StatusInternalServerError, err
	case !ok:
		return http.StatusNotFound, fmt.Errorf("passage %q: %w", d.PassageID, errNoPassage)
	}
	if d.Span != nil {
		if n := utf8.RuneCountInString(p.Text); d.Span.End > n {
			return http.StatusBadRequest, fmt.Errorf("%w: span [%d, %d) runs past the passage's %d characters", review.ErrInvalid, d.Span.Start, d.Span.End, n)
		}
	}
	if d.Action == review.Add {
		if _, ok := v.codeIdx[d.CodeID]; !ok {
			return http.StatusBadRequest, fmt.Errorf("%w: code %q: %w", review.ErrInvalid, d.CodeID, errUnknownCode)
		}
	}
	err = d.CheckAuto(func(pid, code string) bool {
		return slices.ContainsFunc(cs, func(c corpus.Coding) bool { return c.PassageID == pid && c.CodeID == code })
	})
	if err != nil {
		return http.StatusBadRequest, err
	}
	return http.StatusOK, nil
}

// postDecision records one decision: parse, check against the snapshot,
// record, and answer only once the store has committed it.
func (s *Server) postDecision(w http.ResponseWriter, r *http.Request) {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(strings.ToLower(strings.TrimSpace(ct)), "application/json") {
		writeJSON(w, http.StatusUnsupportedMediaType, map[string]string{"error": "post the decision as application/json"})
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			writeJSON(w, http.StatusRequestEntityTooLarge, map[string]string{"error": fmt.Sprintf("a decision is at most %d bytes", review.MaxInputBytes)})
			return
		}
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "read the request: " + err.Error()})
		return
	}
	d, err := review.ParseDecision(body)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	d.Coder = s.coder
	v := s.acquire()
	status, err := v.checkDecision(d)
	v.release()
	if err != nil {
		writeJSON(w, status, map[string]string{"error": err.Error()})
		return
	}
	d, err = s.store.Record(r.Context(), d)
	if err != nil {
		writeJSON(w, decisionStatus(err), map[string]string{"error": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"decision": d})
}

// apiCSRF gives a script the session's CSRF token (and sets the session
// cookie it belongs to); another site's page cannot read the answer.
func (s *Server) apiCSRF(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"csrf_token": s.csrfToken(sessionOf(r)), "header": CSRFHeader, "coder": s.coder})
}
