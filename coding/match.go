package coding

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/lcity/lcity/corpus"
)

// tokKind says how a term token is compared with a text token.
type tokKind uint8

const (
	byStem   tokKind = iota // Snowball stem of the lower-cased word
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
	default:
		return t.stem == p.val
	}
}

// term is a compiled codebook term: a sequence of token patterns, or a
// proximity rule "A NEAR/n B".
type term struct {
	text string
	seq  []tokPat
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
}

var nearRE = regexp.MustCompile(`^(.+?)\s+NEAR/(\d+)\s+(.+)$`)

// parseTerm compiles one term string: words and phrases matched on stems,
// a trailing * for a prefix, "double quotes" for an exact case-sensitive
// form, and "A NEAR/n B" for two terms at most n words apart in a passage.
func parseTerm(s string) (term, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return term{}, fmt.Errorf("empty term")
	}
	if m := nearRE.FindStringSubmatch(s); m != nil {
		n, err := strconv.Atoi(m[2])
		if err != nil || n < 1 || n > 1000 {
			return term{}, fmt.Errorf("%q: NEAR distance must be 1..1000", s)
		}
		a, err := parseTerm(m[1])
		if err != nil {
			return term{}, err
		}
		b, err := parseTerm(m[3])
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
	for wi, w := range words {
		wild := strings.HasSuffix(w, "*")
		w = strings.TrimSuffix(w, "*")
		if strings.Contains(w, "*") {
			return term{}, fmt.Errorf("%q: * is allowed only at the end of a word", s)
		}
		toks := tokenize(w, 0)
		if len(toks) == 0 {
			if wild {
				return term{}, fmt.Errorf("%q: * needs a word before it", s)
			}
			continue
		}
		for ti, tk := range toks {
			last := wi == len(words)-1 && ti == len(toks)-1
			_ = last
			switch {
			case exact:
				t.seq = append(t.seq, tokPat{kind: byExact, val: tk.raw})
			case wild && ti == len(toks)-1:
				if len([]rune(tk.lower)) < 3 {
					return term{}, fmt.Errorf("%q: a wildcard needs at least 3 letters before *", s)
				}
				t.seq = append(t.seq, tokPat{kind: byPrefix, val: tk.lower})
			default:
				t.seq = append(t.seq, tokPat{kind: byStem, val: tk.stem})
			}
		}
	}
	if len(t.seq) == 0 {
		return term{}, fmt.Errorf("%q: no words", s)
	}
	return t, nil
}

// matcher finds every term of every rule in one pass over a passage's
// tokens. Candidate terms are looked up by their first token — by stem,
// exact form, or by each prefix of the word up to the longest wildcard — so
// the work per token does not grow with the number of terms.
type matcher struct {
	stem, exact, prefix map[string][]termRef
	maxPrefix           int
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
	m := &matcher{stem: map[string][]termRef{}, exact: map[string][]termRef{}, prefix: map[string][]termRef{}}
	add := func(t term, ref termRef) {
		ref.pat = t
		first := t.seq[0]
		switch first.kind {
		case byExact:
			m.exact[first.val] = append(m.exact[first.val], ref)
		case byPrefix:
			m.prefix[first.val] = append(m.prefix[first.val], ref)
			if len(first.val) > m.maxPrefix {
				m.maxPrefix = len(first.val)
			}
		default:
			m.stem[first.val] = append(m.stem[first.val], ref)
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
	return m
}

// hit is a term found at tokens [from, to).
type hit struct {
	ref      termRef
	from, to int
}

func (m *matcher) scan(toks []token, visit func(hit)) {
	try := func(refs []termRef, i int) {
		for _, ref := range refs {
			seq := ref.pat.seq
			if i+len(seq) > len(toks) {
				continue
			}
			ok := true
			for k := 1; k < len(seq); k++ {
				if !seq[k].match(toks[i+k]) {
					ok = false
					break
				}
			}
			if ok {
				visit(hit{ref: ref, from: i, to: i + len(seq)})
			}
		}
	}
	for i, t := range toks {
		try(m.stem[t.stem], i)
		try(m.exact[t.raw], i)
		if m.maxPrefix > 0 {
			for l := 1; l <= len(t.lower) && l <= m.maxPrefix; l++ {
				if refs, ok := m.prefix[t.lower[:l]]; ok {
					try(refs, i)
				}
			}
		}
	}
}

// Code codes one passage: for every code whose terms match at least
// min_matches times and none of whose exclude terms match, a Coding with
// the matches as evidence (offsets into the document text), sorted by
// start. Overlapping matches of one code count once (the longest wins).
func (cb *Codebook) Code(p corpus.Passage) []corpus.Coding {
	return cb.code(p, tokenize(p.Text, p.Start))
}

func (cb *Codebook) code(p corpus.Passage, toks []token) []corpus.Coding {
	type found struct {
		from, to int
		term     string
	}
	perRule := map[int][]found{}
	excluded := map[int]bool{}
	nearSides := map[[2]int][2][]hit{}
	cb.matcher.scan(toks, func(h hit) {
		switch {
		case h.ref.exclude:
			excluded[h.ref.rule] = true
		case h.ref.side != 0:
			k := [2]int{h.ref.rule, h.ref.term}
			s := nearSides[k]
			s[h.ref.side-1] = append(s[h.ref.side-1], h)
			nearSides[k] = s
		default:
			perRule[h.ref.rule] = append(perRule[h.ref.rule], found{h.from, h.to, h.ref.pat.text})
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
		text := cb.rules[k[0]].terms[k[1]].text
		sameSentence := cb.rules[k[0]].sentence && len(p.Sentences) > 0
		for _, a := range sides[0] {
			for _, b := range sides[1] {
				if dist(a, b) <= n && (!sameSentence || sentenceOf(toks[a.from].start) == sentenceOf(toks[b.from].start)) {
					from, to := min(a.from, b.from), max(a.to, b.to)
					perRule[k[0]] = append(perRule[k[0]], found{from, to, text})
				}
			}
		}
	}
	var out []corpus.Coding
	for ri, fs := range perRule {
		if excluded[ri] {
			continue
		}
		r := cb.rules[ri]
		// Longest match first at each start, then drop overlaps.
		sort.Slice(fs, func(i, j int) bool {
			if fs[i].from != fs[j].from {
				return fs[i].from < fs[j].from
			}
			if fs[i].to != fs[j].to {
				return fs[i].to > fs[j].to
			}
			return fs[i].term < fs[j].term
		})
		var ev []corpus.Evidence
		end := -1
		for _, f := range fs {
			if f.from < end {
				continue
			}
			end = f.to
			ev = append(ev, corpus.Evidence{Term: f.term, Start: toks[f.from].start, End: toks[f.to-1].end})
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

// dist is the number of words between two hits (0 when they touch or overlap).
func dist(a, b hit) int {
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
	toks := tokenize(p.Text, p.Start)
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
