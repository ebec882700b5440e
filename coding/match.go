package coding

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lcity/lcity/corpus"
)

// tokKind says how a term token is compared with a text token.
type tokKind uint8

const (
	byWord   tokKind = iota // the word or a regular plural of it, case-insensitive (the default)
	byStem                  // Snowball stem of the lower-cased word (stem: true)
	byPrefix                // lower-cased word starts with val (term ended in *)
	byExact                 // word as written, case-sensitive (term in double quotes)
)

type tokPat struct {
	kind tokKind
	val  string
}

func (p tokPat) match(t token) bool {
	switch p.kind {
	case byPrefix:
		return strings.HasPrefix(t.lower, p.val)
	case byExact:
		return t.raw == p.val
	case byStem:
		return t.stem == p.val
	default:
		return inflects(t.word, p.val)
	}
}

// term is a compiled codebook term: a sequence of token patterns, a
// regular expression, or a proximity rule "A NEAR/n B".
type term struct {
	text string
	seq  []tokPat
	re   *regexp.Regexp
	near *nearRule
}

type nearRule struct {
	a, b term
	n    int
}

// rule is a compiled codable code.
type rule struct {
	code    int // index into Codebook.Codes
	terms   []term
	exclude []term
	min     int
	weight  float64
	// sentence: both sides of a NEAR rule must be in the same sentence of
	// the passage (near_scope: sentence), not only within n words.
	sentence bool
	// opts is the code's matching settings as written, for Matching.
	opts Matching
}

var nearRE = regexp.MustCompile(`^(.+?)\s+NEAR/(\d+)\s+(.+)$`)

// parseTerm compiles one term string: words and phrases matched as the
// word and its regular plurals (on Snowball stems when stem is set), a
// trailing * for a prefix, "double quotes" for an exact case-sensitive
// form, /…/ for a regular expression, and "A NEAR/n B" for two terms at
// most n words apart in a passage.
func parseTerm(s string, stem bool) (term, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return term{}, fmt.Errorf("empty term")
	}
	if body, ok := regexBody(s); ok {
		return parseRegex(s, body)
	}
	if m := nearRE.FindStringSubmatch(s); m != nil {
		n, err := strconv.Atoi(m[2])
		if err != nil || n < 1 || n > 1000 {
			return term{}, fmt.Errorf("%q: NEAR distance must be 1..1000", s)
		}
		a, err := parseTerm(m[1], stem)
		if err != nil {
			return term{}, err
		}
		b, err := parseTerm(m[3], stem)
		if err != nil {
			return term{}, err
		}
		if a.near != nil || b.near != nil {
			return term{}, fmt.Errorf("%q: NEAR cannot be nested", s)
		}
		return term{text: s, near: &nearRule{a: a, b: b, n: n}}, nil
	}
	if strings.Contains(s, "NEAR/") {
		return term{}, fmt.Errorf("%q: want A NEAR/n B", s)
	}
	if strings.HasPrefix(s, "/") || strings.HasSuffix(s, "/") {
		return term{}, fmt.Errorf("%q: unbalanced /: a regular expression is written /…/, with any / inside it written \\/", s)
	}
	if c, ok := regexLike(s); ok {
		return term{}, fmt.Errorf("%q contains %q and looks like a regular expression: write /%s/ for a regular expression, or leave the character out to match words", s, c, s)
	}
	exact := false
	body := s
	if strings.HasPrefix(s, `"`) || strings.HasSuffix(s, `"`) {
		if len(s) < 3 || !strings.HasPrefix(s, `"`) || !strings.HasSuffix(s, `"`) {
			return term{}, fmt.Errorf("%q: unbalanced double quote", s)
		}
		exact = true
		body = s[1 : len(s)-1]
	}
	words := strings.Fields(body)
	if len(words) == 0 {
		return term{}, fmt.Errorf("%q: no words", s)
	}
	t := term{text: s}
	for _, w := range words {
		wild := strings.HasSuffix(w, "*")
		w = strings.TrimSuffix(w, "*")
		if strings.Contains(w, "*") {
			return term{}, fmt.Errorf("%q: * is allowed only at the end of a word", s)
		}
		toks := tokenize(w, 0, stem)
		if len(toks) == 0 {
			if wild {
				return term{}, fmt.Errorf("%q: * needs a word before it", s)
			}
			continue
		}
		for ti, tk := range toks {
			switch {
			case exact:
				t.seq = append(t.seq, tokPat{kind: byExact, val: tk.raw})
			case wild && ti == len(toks)-1:
				if len([]rune(tk.lower)) < 3 {
					return term{}, fmt.Errorf("%q: a wildcard needs at least 3 letters before *", s)
				}
				t.seq = append(t.seq, tokPat{kind: byPrefix, val: tk.lower})
			case stem:
				t.seq = append(t.seq, tokPat{kind: byStem, val: tk.stem})
			default:
				t.seq = append(t.seq, tokPat{kind: byWord, val: tk.word})
			}
		}
	}
	if len(t.seq) == 0 {
		return term{}, fmt.Errorf("%q: no words", s)
	}
	return t, nil
}

// regexBody returns the pattern of a term written /…/: it starts and ends
// with / and holds no other / that is not escaped as \/.
func regexBody(s string) (string, bool) {
	if len(s) < 2 || s[0] != '/' || s[len(s)-1] != '/' {
		return "", false
	}
	body := s[1 : len(s)-1]
	for i := 0; i < len(body); i++ {
		switch body[i] {
		case '\\':
			i++
		case '/':
			return "", false
		}
	}
	return body, true
}

// parseRegex compiles the body of a /…/ term: RE2 syntax, case-insensitive
// unless the pattern turns it off with (?-i).
func parseRegex(s, body string) (term, error) {
	if body == "" {
		return term{}, fmt.Errorf("%q: empty regular expression", s)
	}
	re, err := regexp.Compile("(?i)" + body)
	if err != nil {
		return term{}, fmt.Errorf("%s: invalid regular expression: %w", s, err)
	}
	return term{text: s, re: re}, nil
}

// regexLike returns the first character or sequence of s that belongs to
// regular expressions, not to words: ^ $ ? [ ] { } ( ) | \ + or .*.
func regexLike(s string) (string, bool) {
	if i := strings.IndexAny(s, `^$?[]{}()|\+`); i >= 0 {
		return s[i : i+1], true
	}
	if strings.Contains(s, ".*") {
		return ".*", true
	}
	return "", false
}

// matcher finds every term of every rule in one pass over a passage's
// tokens. Candidate terms are looked up by their first token — by each
// word form a plain word matches (the word and its plurals), by stem, by
// exact form, or by the first three bytes of a wildcard word — so the
// work per token does not grow with the number of terms. Each
// distinct regular expression makes one more pass, over the text.
type matcher struct {
	word, stem, exact map[string][]termRef
	// prefix holds the terms starting with a wildcard word, by its first
	// prefixKey bytes (every wildcard has at least 3 letters).
	prefix  map[string][]termRef
	regexes []regexRefs
	// firstAt indexes the anchored regular expressions by the first byte
	// of each of their first strings.
	firstAt map[byte][]firstRef
}

// firstRef is one of the first strings of the regular expression
// m.regexes[re].
type firstRef struct {
	first string
	re    int
}

// prefixKey is how many bytes of a wildcard word index its terms: the
// fewest a wildcard may have.
const prefixKey = 3

// stems reports whether some term compares words on their stems, so that
// the tokens need them.
func (m *matcher) stems() bool { return len(m.stem) > 0 }

// regexRefs are the terms that share one regular expression.
type regexRefs struct {
	re   *regexp.Regexp
	refs []termRef
	// at is re anchored at the start of its input, tried at the words that
	// begin with one of firsts: lower-case ASCII strings one of which every
	// match starts with, in some case. Both are nil when no such strings
	// are known or re looks behind its match (^, \b, \B): then re is
	// searched over the whole text.
	at     *regexp.Regexp
	firsts []string
	// need, for an expression searched over the whole text, are lower-case
	// strings one of which every match contains; nil when the expression
	// has no such set (see required).
	need []string
}

// termRef points at a term: rule index, term index, and whether it is an
// exclude term or one side of a NEAR rule (side 0 = plain term).
type termRef struct {
	rule, term int
	exclude    bool
	side       int
	pat        term
}

func compile(rules []rule) *matcher {
	m := &matcher{word: map[string][]termRef{}, stem: map[string][]termRef{}, exact: map[string][]termRef{}, prefix: map[string][]termRef{}}
	reAt := map[string]int{}
	add := func(t term, ref termRef) {
		ref.pat = t
		if t.re != nil {
			i, ok := reAt[t.re.String()]
			if !ok {
				i = len(m.regexes)
				reAt[t.re.String()] = i
				m.regexes = append(m.regexes, newRegexRefs(t.re))
			}
			m.regexes[i].refs = append(m.regexes[i].refs, ref)
			return
		}
		first := t.seq[0]
		switch first.kind {
		case byExact:
			m.exact[first.val] = append(m.exact[first.val], ref)
		case byPrefix:
			k := first.val[:prefixKey]
			m.prefix[k] = append(m.prefix[k], ref)
		case byStem:
			m.stem[first.val] = append(m.stem[first.val], ref)
		default:
			for _, f := range forms(first.val) {
				m.word[f] = append(m.word[f], ref)
			}
		}
	}
	for ri, r := range rules {
		for ti, t := range r.terms {
			if t.near != nil {
				add(t.near.a, termRef{rule: ri, term: ti, side: 1})
				add(t.near.b, termRef{rule: ri, term: ti, side: 2})
				continue
			}
			add(t, termRef{rule: ri, term: ti})
		}
		for ti, t := range r.exclude {
			add(t, termRef{rule: ri, term: ti, exclude: true})
		}
	}
	m.firstAt = map[byte][]firstRef{}
	for i, rr := range m.regexes {
		for _, f := range rr.firsts {
			m.firstAt[f[0]] = append(m.firstAt[f[0]], firstRef{f, i})
		}
	}
	return m
}

// span is where a match is: tokens [from, to), bytes [start, end) of the
// document.
type span struct {
	from, to   int
	start, end int
}

// hit is a term found at a span.
type hit struct {
	ref *termRef
	span
}

// scan calls visit for every match of every term in a passage: text is
// its text, starting at byte base of the document, and toks its tokens.
func (m *matcher) scan(text string, base int, toks []token, visit func(hit)) {
	// try checks the candidates refs at token i, from their word k0 on
	// (the words before it matched when the candidates were looked up).
	try := func(refs []termRef, i, k0 int) {
		for r := range refs {
			ref := &refs[r]
			seq := ref.pat.seq
			if i+len(seq) > len(toks) {
				continue
			}
			ok := true
			for k := k0; k < len(seq); k++ {
				if !seq[k].match(toks[i+k]) {
					ok = false
					break
				}
			}
			if ok {
				to := i + len(seq)
				visit(hit{ref, span{i, to, toks[i].start, toks[to-1].end}})
			}
		}
	}
	for i, t := range toks {
		try(m.word[t.word], i, 1)
		if len(m.stem) > 0 {
			try(m.stem[t.stem], i, 1)
		}
		try(m.exact[t.raw], i, 1)
		if len(m.prefix) > 0 && len(t.lower) >= prefixKey {
			try(m.prefix[t.lower[:prefixKey]], i, 0)
		}
	}
	m.scanRegexes(text, base, toks, visit)
}

// newRegexRefs prepares a regular expression for scanRegexes.
func newRegexRefs(re *regexp.Regexp) regexRefs {
	rr := regexRefs{re: re}
	tree, err := syntax.Parse(re.String(), syntax.Perl)
	if err == nil && !looksBehind(tree) {
		// The parsed form, not the source, is wrapped: a source can end in
		// an unterminated \Q quote that would swallow the closing bracket.
		if f := firsts(tree.Simplify()); f != nil && len(f) <= maxNeed {
			if at, err := regexp.Compile(`^(?:` + tree.String() + `)`); err == nil {
				rr.at, rr.firsts = at, f
				return rr
			}
		}
	}
	rr.need = required(re)
	return rr
}

// scanRegexes finds the matches of the regular expressions. Go's regexp
// costs time in proportion to the text times the size of the expression,
// for every expression on every passage, so an expression is tried only
// where it can match: anchored at the start of each word that begins with
// one of its first strings, and only in passages that hold one of the
// strings it needs. Case folding maps ſ (long s) to s and the Kelvin sign
// to k, which lower-casing and byte comparison do not see: a text with
// either is not filtered. An expression that looks behind its match is
// searched over the whole text instead, left to right.
func (m *matcher) scanRegexes(text string, base int, toks []token, visit func(hit)) {
	if len(m.regexes) == 0 {
		return
	}
	filter := !strings.Contains(text, "ſ") && !strings.Contains(text, "\u212a")
	lower := "" // text lower-cased, once a whole-text expression needs it
	found := func(rr *regexRefs, s, e int) {
		from, to, ok := wordAligned(text, base, toks, s, e)
		if !ok {
			return
		}
		for r := range rr.refs {
			visit(hit{&rr.refs[r], span{from, to, base + s, base + e}})
		}
	}
	for i := range m.regexes {
		rr := &m.regexes[i]
		if rr.at != nil {
			continue
		}
		if filter && rr.need != nil {
			if lower == "" {
				lower = strings.ToLower(text)
			}
			if !containsAny(lower, rr.need) {
				continue
			}
		}
		for _, loc := range rr.re.FindAllStringIndex(text, -1) {
			found(rr, loc[0], loc[1])
		}
	}
	try := func(i, off int) {
		rr := &m.regexes[i]
		if loc := rr.at.FindStringIndex(text[off:]); loc != nil {
			found(rr, off, off+loc[1])
		}
	}
	tried := make([]int, len(m.regexes))
	for k, t := range toks {
		off := t.start - base
		if !filter {
			for i := range m.regexes {
				if m.regexes[i].at != nil {
					try(i, off)
				}
			}
			continue
		}
		c := text[off]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		for _, f := range m.firstAt[c] {
			if tried[f.re] == k+1 || len(text)-off < len(f.first) || !strings.EqualFold(text[off:off+len(f.first)], f.first) {
				continue
			}
			tried[f.re] = k + 1
			try(f.re, off)
		}
	}
}

// looksBehind reports whether re has an assertion about the text before a
// match: ^ (of the text or a line), \b or \B.
func looksBehind(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpBeginLine, syntax.OpBeginText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return true
	}
	for _, sub := range re.Sub {
		if looksBehind(sub) {
			return true
		}
	}
	return false
}

// firsts returns lower-case ASCII strings, each starting with a letter or
// digit, one of which every match of re starts with (in some case), or
// nil when it finds none.
func firsts(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		lit := strings.ToLower(string(re.Rune))
		n := 0
		for n < len(lit) && lit[n] < utf8.RuneSelf {
			n++
		}
		if n == 0 || !isWordRune(rune(lit[0])) {
			return nil
		}
		return []string{lit[:n]}
	case syntax.OpCapture, syntax.OpPlus:
		return firsts(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return firsts(re.Sub[0])
		}
	case syntax.OpConcat:
		if len(re.Sub) > 0 {
			return firsts(re.Sub[0])
		}
	case syntax.OpAlternate:
		var all []string
		for _, sub := range re.Sub {
			f := firsts(sub)
			if f == nil {
				return nil
			}
			all = append(all, f...)
		}
		return all
	}
	return nil
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// maxNeed bounds the strings required keeps for one expression: past it,
// checking them would cost more than it saves.
const maxNeed = 64

// required returns lower-case ASCII strings one of which every match of
// re contains (a match may hold it in another case), or nil when it finds
// no such set: a literal needs itself, a concatenation the most selective
// set of its parts, an alternation the union of its branches' sets (nil if
// one branch has none), a repetition of at least one its operand's set.
// Literals with letters outside ASCII are not used, so that case folding
// beyond ASCII never hides a match.
func required(re *regexp.Regexp) []string {
	tree, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return nil
	}
	need := requiredIn(tree.Simplify())
	if len(need) == 0 || len(need) > maxNeed {
		return nil
	}
	return need
}

func requiredIn(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		lit := strings.ToLower(string(re.Rune))
		for i := 0; i < len(lit); i++ {
			if lit[i] >= utf8.RuneSelf {
				return nil
			}
		}
		return []string{lit}
	case syntax.OpCapture:
		return requiredIn(re.Sub[0])
	case syntax.OpPlus:
		return requiredIn(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return requiredIn(re.Sub[0])
		}
		return nil
	case syntax.OpConcat:
		var best []string
		for _, sub := range re.Sub {
			if s := requiredIn(sub); s != nil && len(s) <= maxNeed && (best == nil || shortest(s) > shortest(best)) {
				best = s
			}
		}
		return best
	case syntax.OpAlternate:
		var all []string
		for _, sub := range re.Sub {
			s := requiredIn(sub)
			if s == nil {
				return nil
			}
			all = append(all, s...)
		}
		return all
	}
	return nil
}

// shortest is the length of the shortest string of need.
func shortest(need []string) int {
	n := -1
	for _, s := range need {
		if n < 0 || len(s) < n {
			n = len(s)
		}
	}
	return n
}

// wordAligned reports whether text[s:e] starts and ends on word
// boundaries (no letter or digit just before s or just at e) and holds a
// word, and returns the tokens [from, to) it covers.
func wordAligned(text string, base int, toks []token, s, e int) (from, to int, ok bool) {
	if s >= e {
		return 0, 0, false
	}
	if r, _ := utf8.DecodeLastRuneInString(text[:s]); s > 0 && isWordRune(r) {
		return 0, 0, false
	}
	if r, _ := utf8.DecodeRuneInString(text[e:]); e < len(text) && isWordRune(r) {
		return 0, 0, false
	}
	from = sort.Search(len(toks), func(i int) bool { return toks[i].end > base+s })
	to = sort.Search(len(toks), func(i int) bool { return toks[i].start >= base+e })
	return from, to, from < to
}

// termHit is a match of term (an index into a rule's terms or exclude) at
// m; for a NEAR term, sides holds the match of each side.
type termHit struct {
	term  int
	m     span
	sides *[2]span
}

// matches collects the matches of a passage: per rule, those of its terms
// (a NEAR term's pairs of sides within n words, and in one sentence with
// near_scope: sentence) and those of its exclude terms.
func (cb *Codebook) matches(p corpus.Passage, toks []token) (terms, exclude map[int][]termHit) {
	terms, exclude = map[int][]termHit{}, map[int][]termHit{}
	nearSides := map[[2]int][2][]span{}
	cb.matcher.scan(p.Text, p.Start, toks, func(h hit) {
		switch {
		case h.ref.exclude:
			exclude[h.ref.rule] = append(exclude[h.ref.rule], termHit{term: h.ref.term, m: h.span})
		case h.ref.side != 0:
			k := [2]int{h.ref.rule, h.ref.term}
			s := nearSides[k]
			s[h.ref.side-1] = append(s[h.ref.side-1], h.span)
			nearSides[k] = s
		default:
			terms[h.ref.rule] = append(terms[h.ref.rule], termHit{term: h.ref.term, m: h.span})
		}
	})
	sentenceOf := func(off int) int {
		for i, s := range p.Sentences {
			if off >= s.Start && off < s.End {
				return i
			}
		}
		return -1
	}
	for k, sides := range nearSides {
		n := cb.rules[k[0]].terms[k[1]].near.n
		sameSentence := cb.rules[k[0]].sentence && len(p.Sentences) > 0
		for _, a := range sides[0] {
			for _, b := range sides[1] {
				if dist(a, b) <= n && (!sameSentence || sentenceOf(a.start) == sentenceOf(b.start)) {
					m := span{min(a.from, b.from), max(a.to, b.to), min(a.start, b.start), max(a.end, b.end)}
					terms[k[0]] = append(terms[k[0]], termHit{term: k[1], m: m, sides: &[2]span{a, b}})
				}
			}
		}
	}
	return terms, exclude
}

// Code codes one passage: for every code whose terms match at least
// min_matches times and none of whose exclude terms match, a Coding with
// the matches as evidence (offsets into the document text), sorted by
// start. Overlapping matches of one code count once (the longest wins).
func (cb *Codebook) Code(p corpus.Passage) []corpus.Coding {
	return cb.code(p, tokenize(p.Text, p.Start, cb.matcher.stems()))
}

func (cb *Codebook) code(p corpus.Passage, toks []token) []corpus.Coding {
	terms, excluded := cb.matches(p, toks)
	var out []corpus.Coding
	for ri, hs := range terms {
		if len(excluded[ri]) > 0 {
			continue
		}
		r := &cb.rules[ri]
		// Longest match first at each start, then drop overlaps.
		sort.Slice(hs, func(i, j int) bool {
			a, b := hs[i], hs[j]
			if a.m.start != b.m.start {
				return a.m.start < b.m.start
			}
			if a.m.end != b.m.end {
				return a.m.end > b.m.end
			}
			return r.terms[a.term].text < r.terms[b.term].text
		})
		var ev []corpus.Evidence
		end := -1
		for _, h := range hs {
			if h.m.start < end {
				continue
			}
			end = h.m.end
			ev = append(ev, corpus.Evidence{Term: r.terms[h.term].text, Start: h.m.start, End: h.m.end})
		}
		if len(ev) < r.min {
			continue
		}
		out = append(out, corpus.Coding{
			PassageID: p.ID, DocID: p.DocID, City: p.City, Region: p.Region, Page: p.Page,
			CodeID: cb.Codes[r.code].ID, Score: r.weight * float64(len(ev)), Evidence: ev,
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].CodeID < out[j].CodeID })
	return out
}

// TermMatch is one match of one term of a code in a passage, as Explain
// reports it. Start and End are byte offsets into the document's text.
type TermMatch struct {
	CodeID  string `json:"code_id"`
	Term    string `json:"term"`
	Exclude bool   `json:"exclude,omitempty"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
	// Near holds, for a NEAR term, the match of each side (A, then B);
	// Start and End then span both.
	Near []corpus.Evidence `json:"near,omitempty"`
}

// Explain returns every match of every term and exclude term of cb's
// codes in a passage, before min_matches, exclusion and overlaps are
// applied: what Code decides from. A NEAR term gives one match per pair
// of its sides within reach. Matches are sorted by start, end, code,
// exclude terms after terms, term and sides.
func (cb *Codebook) Explain(p corpus.Passage) []TermMatch {
	terms, exclude := cb.matches(p, tokenize(p.Text, p.Start, cb.matcher.stems()))
	var out []TermMatch
	for ri, hs := range terms {
		r := &cb.rules[ri]
		for _, h := range hs {
			tm := TermMatch{CodeID: cb.Codes[r.code].ID, Term: r.terms[h.term].text, Start: h.m.start, End: h.m.end}
			if near := r.terms[h.term].near; near != nil {
				tm.Near = []corpus.Evidence{
					{Term: near.a.text, Start: h.sides[0].start, End: h.sides[0].end},
					{Term: near.b.text, Start: h.sides[1].start, End: h.sides[1].end},
				}
			}
			out = append(out, tm)
		}
	}
	for ri, hs := range exclude {
		r := &cb.rules[ri]
		for _, h := range hs {
			out = append(out, TermMatch{CodeID: cb.Codes[r.code].ID, Term: r.exclude[h.term].text, Exclude: true, Start: h.m.start, End: h.m.end})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		switch {
		case a.Start != b.Start:
			return a.Start < b.Start
		case a.End != b.End:
			return a.End < b.End
		case a.CodeID != b.CodeID:
			return a.CodeID < b.CodeID
		case a.Exclude != b.Exclude:
			return !a.Exclude
		case a.Term != b.Term:
			return a.Term < b.Term
		}
		for k := 0; k < len(a.Near) && k < len(b.Near); k++ {
			if a.Near[k].Start != b.Near[k].Start {
				return a.Near[k].Start < b.Near[k].Start
			}
			if a.Near[k].End != b.Near[k].End {
				return a.Near[k].End < b.Near[k].End
			}
		}
		return false
	})
	return out
}

// dist is the number of words between two spans (0 when they touch or overlap).
func dist(a, b span) int {
	if a.from > b.from {
		a, b = b, a
	}
	if b.from <= a.to {
		return 0
	}
	return b.from - a.to
}

// CodeAll codes a passage with every codebook, sorted by code ID.
func CodeAll(cbs []*Codebook, p corpus.Passage) []corpus.Coding {
	stems := false
	for _, cb := range cbs {
		stems = stems || cb.matcher.stems()
	}
	toks := tokenize(p.Text, p.Start, stems)
	var out []corpus.Coding
	for _, cb := range cbs {
		out = append(out, cb.code(p, toks)...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].CodeID < out[j].CodeID })
	return out
}

// Codable returns the codes of the codebooks that can be assigned (not
// groups), in codebook then file order.
func Codable(cbs []*Codebook) []corpus.Code {
	var out []corpus.Code
	for _, cb := range cbs {
		for _, c := range cb.Codes {
			if !c.Group {
				out = append(out, c)
			}
		}
	}
	return out
}

// NumCodable is the number of codes of cb that can be assigned.
func (cb *Codebook) NumCodable() int {
	return len(Codable([]*Codebook{cb}))
}
