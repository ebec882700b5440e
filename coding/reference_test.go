package coding

// The matcher lcity used before the set (set.go): each codebook matched on
// its own, candidate terms looked up by their first token, every regular
// expression tried with regexp. It stays here, for tests only, as the
// oracle the set must agree with (TestSetAgreesOnSample, FuzzSetAgrees).

import (
	"sort"
	"strings"
	"sync"

	"github.com/lcity/lcity/corpus"
)

// refMatchers holds each codebook's reference matcher, compiled on first
// use.
var refMatchers sync.Map // *Codebook → *refMatcher

func refMatcherOf(cb *Codebook) *refMatcher {
	if m, ok := refMatchers.Load(cb); ok {
		return m.(*refMatcher)
	}
	m, _ := refMatchers.LoadOrStore(cb, compileRef(cb.rules))
	return m.(*refMatcher)
}

// matcher finds every term of every rule in one pass over a passage's
// tokens. Candidate terms are looked up by their first token — by each
// word form a plain word matches (the word and its plurals), by stem, by
// exact form, or by the first three bytes of a wildcard word — so the
// work per token does not grow with the number of terms. Each
// distinct regular expression makes one more pass, over the text.
type refMatcher struct {
	word, stem, exact map[string][]termRef
	// prefix holds the terms starting with a wildcard word, by its first
	// prefixKey bytes (every wildcard has at least 3 letters).
	prefix  map[string][]termRef
	regexes []refRegex
	// anyStem: some term compares a word, first or not, on its stem.
	anyStem bool
	// firstAt indexes the anchored regular expressions by the first byte
	// of each of their first strings.
	firstAt map[byte][]firstRef
}

// stems reports whether some term compares words on their stems, so that
// the tokens need them. (Before the set, only a term's first word
// counted here: a stem compared later in a phrase found nothing unless
// another term began with one. The reference is corrected, not copied.)
func (m *refMatcher) stems() bool { return m.anyStem }

// refRegex is a regular expression and the terms that share it.
type refRegex struct {
	regexRefs
	refs []termRef
}

// termRef points at a term: rule index, term index, and whether it is an
// exclude term or one side of a NEAR rule (side 0 = plain term).
type termRef struct {
	rule, term int
	exclude    bool
	side       int
	pat        term
}

func compileRef(rules []rule) *refMatcher {
	m := &refMatcher{word: map[string][]termRef{}, stem: map[string][]termRef{}, exact: map[string][]termRef{}, prefix: map[string][]termRef{}}
	reAt := map[string]int{}
	add := func(t term, ref termRef) {
		ref.pat = t
		if t.re != nil {
			i, ok := reAt[t.re.String()]
			if !ok {
				i = len(m.regexes)
				reAt[t.re.String()] = i
				m.regexes = append(m.regexes, refRegex{regexRefs: newRegexRefs(t.re)})
			}
			m.regexes[i].refs = append(m.regexes[i].refs, ref)
			return
		}
		for _, p := range t.seq {
			m.anyStem = m.anyStem || p.kind == byStem
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

// hit is a term found at a span.
type hit struct {
	ref *termRef
	span
}

// scan calls visit for every match of every term in a passage: text is
// its text, starting at byte base of the document, and toks its tokens.
func (m *refMatcher) scan(text string, base int, toks []token, visit func(hit)) {
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

// scanRegexes finds the matches of the regular expressions. Go's regexp
// costs time in proportion to the text times the size of the expression,
// for every expression on every passage, so an expression is tried only
// where it can match: anchored at the start of each word that begins with
// one of its first strings, and only in passages that hold one of the
// strings it needs. Case folding maps ſ (long s) to s and the Kelvin sign
// to k, which lower-casing and byte comparison do not see: a text with
// either is not filtered. An expression that looks behind its match is
// searched over the whole text instead, left to right.
func (m *refMatcher) scanRegexes(text string, base int, toks []token, visit func(hit)) {
	if len(m.regexes) == 0 {
		return
	}
	filter := !strings.Contains(text, "ſ") && !strings.Contains(text, "\u212a")
	lower := "" // text lower-cased, once a whole-text expression needs it
	found := func(rr *refRegex, s, e int) {
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
func refMatches(cb *Codebook, p corpus.Passage, toks []token) (terms, exclude map[int][]termHit) {
	terms, exclude = map[int][]termHit{}, map[int][]termHit{}
	nearSides := map[[2]int][2][]span{}
	refMatcherOf(cb).scan(p.Text, p.Start, toks, func(h hit) {
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
func refCode(cb *Codebook, p corpus.Passage) []corpus.Coding {
	return refCodeToks(cb, p, tokenize(p.Text, p.Start, refMatcherOf(cb).stems()))
}

func refCodeToks(cb *Codebook, p corpus.Passage, toks []token) []corpus.Coding {
	terms, excluded := refMatches(cb, p, toks)
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

// Explain returns every match of every term and exclude term of cb's
// codes in a passage, before min_matches, exclusion and overlaps are
// applied: what Code decides from. A NEAR term gives one match per pair
// of its sides within reach. Matches are sorted by start, end, code,
// exclude terms after terms, term and sides.
func refExplain(cb *Codebook, p corpus.Passage) []TermMatch {
	terms, exclude := refMatches(cb, p, tokenize(p.Text, p.Start, refMatcherOf(cb).stems()))
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

// CodeAll codes a passage with every codebook, sorted by code ID.
func refCodeAll(cbs []*Codebook, p corpus.Passage) []corpus.Coding {
	stems := false
	for _, cb := range cbs {
		stems = stems || refMatcherOf(cb).stems()
	}
	toks := tokenize(p.Text, p.Start, stems)
	var out []corpus.Coding
	for _, cb := range cbs {
		out = append(out, refCodeToks(cb, p, toks)...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].CodeID < out[j].CodeID })
	return out
}
