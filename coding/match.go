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

// firstRef is one of the first strings of the regular expression
// with index re.
type firstRef struct {
	first string
	re    int
}

// prefixKey is how many bytes of a wildcard word index its terms: the
// fewest a wildcard may have.
const prefixKey = 3

// regexRefs is a regular expression prepared for matching.
type regexRefs struct {
	re *regexp.Regexp
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

// span is where a match is: tokens [from, to), bytes [start, end) of the
// document.
type span struct {
	from, to   int
	start, end int
}

// newRegexRefs prepares a regular expression: anchored at words that
// begin with one of its first strings, or searched over the whole text.
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

// Code codes one passage: for every code whose terms match at least
// min_matches times and none of whose exclude terms match, a Coding with
// the matches as evidence (offsets into the document text), sorted by
// start. Overlapping matches of one code count once (the longest wins).
// Codings are sorted by code ID.
func (cb *Codebook) Code(p corpus.Passage) []corpus.Coding {
	return cb.set.code(p)
}

// Explain returns every match of every term and exclude term of cb's
// codes in a passage, before min_matches, exclusion and overlaps are
// applied: what Code decides from. A NEAR term gives one match per pair
// of its sides within reach. Matches are sorted by start, end, code,
// exclude terms after terms, term and sides.
func (cb *Codebook) Explain(p corpus.Passage) []TermMatch {
	return cb.set.explain(p)
}

// sortTermMatches sorts matches as Explain returns them.
func sortTermMatches(out []TermMatch) {
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
}

// CodeAll codes a passage with every codebook, sorted by code ID. The
// codebooks are compiled together once, on the first call with them (see
// setFor), so the passage is scanned once for all of them.
func CodeAll(cbs []*Codebook, p corpus.Passage) []corpus.Coding {
	return setFor(cbs).code(p)
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
