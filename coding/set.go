package coding

import (
	"regexp/syntax"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/lcity/lcity/corpus"
)

// set is codebooks compiled together into one matcher, so that a passage
// is tokenised once and scanned once, whatever the number of codebooks,
// codes and terms; NEAR rules, exclusions, overlaps and min_matches are
// then decided on the matches collected. It is safe for concurrent use.
//
// A scan visits each token once and, from it:
//
//   - walks the word trie: every term made of words (plain words with
//     their plurals, stems, prefixes, exact forms, phrases) is a path of
//     the trie, so a phrase is followed only as long as the passage goes on
//     with one of the terms;
//   - walks the literal trie over the text's bytes (ASCII lower-cased):
//     a regular expression whose language is finite (see finiteStrings)
//     is the set of its strings with their order of preference, so its
//     match at the token is the first of its strings the text continues
//     with, which is what regexp would return;
//   - tries the other expressions that can begin a match there (anchored,
//     by their first strings), as regexp does.
//
// The expressions that may begin with a non-word character are searched
// over the whole text, as regexp's FindAll would: the finite ones by a
// second literal trie walked from every byte, the others (and those that
// look behind, ^ or \b) by regexp, in passages that hold a string they
// need. A passage holding a character that case folding makes an ASCII
// letter (ſ, the Kelvin sign) is matched by regexp alone (foldSafe).
type set struct {
	cbs   []*Codebook
	rules []setRule
	refs  []setRef
	// byID lists each codebook's rules (indexes into rules) in code ID
	// order: the order Code returns codings in.
	byID  [][]int32
	nears int // number of NEAR terms; setRef.near numbers them
	stems bool

	words []wordNode // the word trie; words[0] is the root
	// atLits holds the expressions tried at words, wholeLits those
	// searched over the whole text (see compileSet).
	atLits, wholeLits litTrie

	regexes []setRegex
	// firstAt indexes the anchored expressions that are not in the
	// literal trie by the first byte of each of their first strings.
	firstAt map[byte][]firstRef

	pool sync.Pool // *scratch
}

type setRule struct {
	cb int
	r  *rule
	// rank orders the rule's terms by text: equal texts, equal ranks.
	rank []int32
}

// setRef is one term of one rule: of its terms (side 0), one side of a
// NEAR term (side 1 or 2, near numbering the NEAR term), or an exclude
// term.
type setRef struct {
	rule, term int32
	near       int32
	side       int8
	exclude    bool
}

type wordNode struct {
	refs []int32 // terms ending here
	// Children by the token's word form (several word patterns can share
	// a form: city and cities both take "cities"), stem, exact form, and
	// first prefixKey bytes of a prefix.
	word   map[string][]int32
	stem   map[string]int32
	exact  map[string]int32
	prefix map[string][]prefixEdge
}

type prefixEdge struct {
	val   string
	child int32
}

// litTrie is a trie of the strings of regular expressions (litString),
// over bytes.
type litTrie struct {
	nodes []litNode  // nodes[0] is the root
	root  [256]int32 // the root's children by byte, 0 for none
}

type litNode struct {
	edges []litEdge
	// dense holds the children by byte of a node with many.
	dense *[256]int32
	acc   []litAcc // expressions one of whose strings ends here
}

// denseEdges is how many children make a node of the literal trie dense.
const denseEdges = 4

type litEdge struct {
	b     byte
	child int32
}

// litAcc says that the string ending at a node, followed by a run of
// word characters when tail is set (see litString), is the rank-th
// preferred string of expression re.
type litAcc struct {
	re, rank int32
	tail     byte
}

// setRegex is one distinct regular expression of the codebooks.
type setRegex struct {
	regexRefs
	refs []int32
	// lit: the expression is in the literal trie.
	lit bool
}

// compileSet compiles codebooks into one set.
func compileSet(cbs []*Codebook) *set {
	s := &set{cbs: cbs, words: make([]wordNode, 1), firstAt: map[byte][]firstRef{}}
	s.atLits.nodes, s.wholeLits.nodes = make([]litNode, 1), make([]litNode, 1)
	s.pool.New = func() any { return new(scratch) }
	type edgeKey struct {
		node int32
		pat  tokPat
	}
	edges := map[edgeKey]int32{}
	reAt := map[string]int{}
	add := func(t term, ref setRef) {
		id := int32(len(s.refs))
		s.refs = append(s.refs, ref)
		if t.re != nil {
			i, ok := reAt[t.re.String()]
			if !ok {
				i = len(s.regexes)
				reAt[t.re.String()] = i
				s.regexes = append(s.regexes, setRegex{regexRefs: newRegexRefs(t.re)})
			}
			s.regexes[i].refs = append(s.regexes[i].refs, id)
			return
		}
		n := int32(0)
		for _, p := range t.seq {
			k := edgeKey{n, p}
			c, ok := edges[k]
			if !ok {
				c = int32(len(s.words))
				s.words = append(s.words, wordNode{})
				edges[k] = c
				w := &s.words[n]
				switch p.kind {
				case byExact:
					if w.exact == nil {
						w.exact = map[string]int32{}
					}
					w.exact[p.val] = c
				case byPrefix:
					if w.prefix == nil {
						w.prefix = map[string][]prefixEdge{}
					}
					w.prefix[p.val[:prefixKey]] = append(w.prefix[p.val[:prefixKey]], prefixEdge{p.val, c})
				case byStem:
					s.stems = true
					if w.stem == nil {
						w.stem = map[string]int32{}
					}
					w.stem[p.val] = c
				default:
					if w.word == nil {
						w.word = map[string][]int32{}
					}
					for _, f := range forms(p.val) {
						w.word[f] = append(w.word[f], c)
					}
				}
			}
			n = c
		}
		s.words[n].refs = append(s.words[n].refs, id)
	}
	for ci, cb := range cbs {
		first := int32(len(s.rules))
		for ri := range cb.rules {
			r := &cb.rules[ri]
			g := int32(len(s.rules))
			s.rules = append(s.rules, setRule{cb: ci, r: r, rank: textRanks(r.terms)})
			for ti, t := range r.terms {
				if t.near != nil {
					near := int32(s.nears)
					s.nears++
					add(t.near.a, setRef{rule: g, term: int32(ti), near: near, side: 1})
					add(t.near.b, setRef{rule: g, term: int32(ti), near: near, side: 2})
					continue
				}
				add(t, setRef{rule: g, term: int32(ti)})
			}
			for ti, t := range r.exclude {
				add(t, setRef{rule: g, term: int32(ti), exclude: true})
			}
		}
		ids := make([]int32, 0, len(s.rules)-int(first))
		for g := first; g < int32(len(s.rules)); g++ {
			ids = append(ids, g)
		}
		sort.Slice(ids, func(i, j int) bool {
			return cb.Codes[s.rules[ids[i]].r.code].ID < cb.Codes[s.rules[ids[j]].r.code].ID
		})
		s.byID = append(s.byID, ids)
	}
	for i := range s.regexes {
		rr := &s.regexes[i]
		// A string must begin with a character for a trie to find it
		// from its first byte.
		if tree, err := syntax.Parse(rr.re.String(), syntax.Perl); err == nil {
			if strs, ok := finiteStrings(tree.Simplify()); ok && !slices.ContainsFunc(strs, func(l litString) bool { return l.s == "" }) {
				if rr.at != nil {
					s.atLits.add(int32(i), strs)
				} else {
					s.wholeLits.add(int32(i), strs)
				}
				rr.lit = true
				continue
			}
		}
		for _, f := range rr.firsts {
			s.firstAt[f[0]] = append(s.firstAt[f[0]], firstRef{f, i})
		}
	}
	s.atLits.finish()
	s.wholeLits.finish()
	return s
}

// textRanks numbers terms in the order of their texts.
func textRanks(terms []term) []int32 {
	idx := make([]int, len(terms))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return terms[idx[a]].text < terms[idx[b]].text })
	rank := make([]int32, len(terms))
	for k, i := range idx {
		if k > 0 && terms[i].text == terms[idx[k-1]].text {
			rank[i] = rank[idx[k-1]]
			continue
		}
		rank[i] = int32(k)
	}
	return rank
}

// add adds the strings of expression re, most preferred first.
func (t *litTrie) add(re int32, strs []litString) {
	for rank, ls := range strs {
		str := ls.s
		n := int32(0)
		for i := 0; i < len(str); i++ {
			b := str[i]
			var c int32
			if n == 0 {
				c = t.root[b]
			} else {
				for _, e := range t.nodes[n].edges {
					if e.b == b {
						c = e.child
						break
					}
				}
			}
			if c == 0 {
				c = int32(len(t.nodes))
				t.nodes = append(t.nodes, litNode{})
				if n == 0 {
					t.root[b] = c
				} else {
					t.nodes[n].edges = append(t.nodes[n].edges, litEdge{b, c})
				}
			}
			n = c
		}
		t.nodes[n].acc = append(t.nodes[n].acc, litAcc{re, int32(rank), ls.tail})
	}
}

// finish gives the nodes with many children a table of them.
func (t *litTrie) finish() {
	for n := range t.nodes {
		if l := &t.nodes[n]; len(l.edges) >= denseEdges {
			l.dense = new([256]int32)
			for _, e := range l.edges {
				l.dense[e.b] = e.child
			}
		}
	}
}

// walk follows the trie over text from byte off and leaves in sc.touched
// the expressions one of whose strings the text continues with there,
// each with its preferred one in sc.best.
func (t *litTrie) walk(sc *scratch, text string, off int) {
	sc.touched = sc.touched[:0]
	n := t.root[lowerASCII(text[off])]
	if n == 0 {
		return
	}
	stamp := sc.next()
	for i := off + 1; ; i++ {
		l := &t.nodes[n]
		run := -1 // the word characters from i on, once a tail needs them
		for _, a := range l.acc {
			end := i
			if a.tail != 0 {
				if run < 0 {
					run = 0
					for i+run < len(text) && isASCIIWord(text[i+run]) {
						run++
					}
				}
				if a.tail == '+' && run == 0 {
					continue
				}
				end += run
			}
			b := &sc.best[a.re]
			if b.at != stamp {
				sc.touched = append(sc.touched, a.re)
				*b = litBest{stamp, a.rank, int32(end)}
			} else if a.rank < b.rank {
				b.rank, b.end = a.rank, int32(end)
			}
		}
		if i == len(text) {
			break
		}
		c := lowerASCII(text[i])
		next := int32(0)
		if l.dense != nil {
			next = l.dense[c]
		} else {
			for _, e := range l.edges {
				if e.b == c {
					next = e.child
					break
				}
			}
		}
		if next == 0 {
			break
		}
		n = next
	}
}

// rawHit is a match of s.refs[ref].
type rawHit struct {
	ref int32
	span
}

// ruleHit is a match of term (an index into the rule's terms or
// exclude) of rule; for a NEAR term, sides holds the match of each side.
type ruleHit struct {
	rule, term int32
	m          span
	near       bool
	sides      [2]span
}

// scratch is the per-passage working memory of a set, pooled.
type scratch struct {
	hits  []rawHit
	terms []ruleHit
	sides []rawHit
	// byKey and keys are sortSides' working memory.
	byKey []rawHit
	keys  []int32
	toks  []token
	// excluded[rule] == stamp: an exclude term of the rule matched.
	excluded []uint32
	// best[re] is the preferred literal match of expression re at the
	// current token, when bestAt[re] == the token's stamp.
	best    []litBest
	touched []int32
	tried   []int
	stamp   uint32
}

type litBest struct {
	at        uint32
	rank, end int32
}

func (s *set) get() *scratch {
	sc := s.pool.Get().(*scratch)
	if len(sc.excluded) < len(s.rules) {
		sc.excluded = make([]uint32, len(s.rules))
	}
	if len(sc.best) < len(s.regexes) {
		sc.best = make([]litBest, len(s.regexes))
		sc.tried = make([]int, len(s.regexes))
	}
	sc.hits, sc.terms, sc.sides = sc.hits[:0], sc.terms[:0], sc.sides[:0]
	return sc
}

// next returns a fresh stamp, clearing the stamped arrays when the
// stamps wrap around.
func (sc *scratch) next() uint32 {
	sc.stamp++
	if sc.stamp == 0 {
		clear(sc.excluded)
		clear(sc.best)
		sc.stamp = 1
	}
	return sc.stamp
}

// scan appends to sc.hits every match of every term in a passage: text
// is its text, starting at byte base of the document, toks its tokens.
func (s *set) scan(sc *scratch, text string, base int, toks []token) {
	filter := foldSafe(text)
	for k := range toks {
		s.walkWords(sc, toks, k, 0, k)
		if !filter {
			for i := range s.regexes {
				if s.regexes[i].at != nil {
					s.tryAt(sc, i, text, base, toks, k)
				}
			}
			continue
		}
		off := toks[k].start - base
		if len(s.atLits.nodes) > 1 {
			s.atLits.walk(sc, text, off)
			for _, re := range sc.touched {
				e := int(sc.best[re].end)
				if to, ok := alignedFrom(text, base, toks, k, e); ok {
					s.emit(sc, s.regexes[re].refs, span{k, to, base + off, base + e})
				}
			}
		}
		if len(s.firstAt) == 0 {
			continue
		}
		c := lowerASCII(text[off])
		for _, f := range s.firstAt[c] {
			if sc.tried[f.re] == k+1 || len(text)-off < len(f.first) || !equalFoldASCII(text[off:off+len(f.first)], f.first) {
				continue
			}
			sc.tried[f.re] = k + 1
			s.tryAt(sc, f.re, text, base, toks, k)
		}
	}
	clear(sc.tried)
	if filter && len(s.wholeLits.nodes) > 1 {
		// regexp's FindAll: the leftmost match, then the leftmost one
		// from its end on (sc.tried holds the ends), with matches inside
		// words dropped after.
		for p := range len(text) {
			if s.wholeLits.root[lowerASCII(text[p])] == 0 {
				continue
			}
			s.wholeLits.walk(sc, text, p)
			for _, re := range sc.touched {
				if p < sc.tried[re] {
					continue
				}
				e := int(sc.best[re].end)
				sc.tried[re] = e
				if from, to, ok := wordAligned(text, base, toks, p, e); ok {
					s.emit(sc, s.regexes[re].refs, span{from, to, base + p, base + e})
				}
			}
		}
		clear(sc.tried)
	}
	lower := ""
	for i := range s.regexes {
		rr := &s.regexes[i]
		if rr.at != nil || rr.lit && filter {
			continue
		}
		if filter && rr.need != nil {
			if lower == "" {
				lower = toLower(text)
			}
			if !containsAny(lower, rr.need) {
				continue
			}
		}
		for _, loc := range rr.re.FindAllStringIndex(text, -1) {
			if from, to, ok := wordAligned(text, base, toks, loc[0], loc[1]); ok {
				s.emit(sc, rr.refs, span{from, to, base + loc[0], base + loc[1]})
			}
		}
	}
}

func (s *set) emit(sc *scratch, refs []int32, m span) {
	for _, r := range refs {
		sc.hits = append(sc.hits, rawHit{r, m})
	}
}

// walkWords follows the word trie from node n, which the tokens from..i-1
// reached.
func (s *set) walkWords(sc *scratch, toks []token, from int, n int32, i int) {
	w := &s.words[n]
	if len(w.refs) > 0 {
		s.emit(sc, w.refs, span{from, i, toks[from].start, toks[i-1].end})
	}
	if i == len(toks) {
		return
	}
	t := &toks[i]
	if w.word != nil {
		for _, c := range w.word[t.word] {
			s.walkWords(sc, toks, from, c, i+1)
		}
	}
	if w.stem != nil {
		if c, ok := w.stem[t.stem]; ok {
			s.walkWords(sc, toks, from, c, i+1)
		}
	}
	if w.exact != nil {
		if c, ok := w.exact[t.raw]; ok {
			s.walkWords(sc, toks, from, c, i+1)
		}
	}
	if w.prefix != nil && len(t.lower) >= prefixKey {
		for _, e := range w.prefix[t.lower[:prefixKey]] {
			if len(t.lower) >= len(e.val) && t.lower[:len(e.val)] == e.val {
				s.walkWords(sc, toks, from, e.child, i+1)
			}
		}
	}
}

// alignedFrom is wordAligned for a match from the start of token k to
// byte e of text: it ends on a word boundary, and covers tokens [k, to).
func alignedFrom(text string, base int, toks []token, k, e int) (to int, ok bool) {
	if r, _ := utf8.DecodeRuneInString(text[e:]); e < len(text) && isWordRune(r) {
		return 0, false
	}
	to = k + 1
	for to < len(toks) && toks[to].start < base+e {
		to++
	}
	return to, true
}

// tryAt tries expression i anchored at token k.
func (s *set) tryAt(sc *scratch, i int, text string, base int, toks []token, k int) {
	off := toks[k].start - base
	rr := &s.regexes[i]
	if loc := rr.at.FindStringIndex(text[off:]); loc != nil {
		if from, to, ok := wordAligned(text, base, toks, off, off+loc[1]); ok {
			s.emit(sc, rr.refs, span{from, to, base + off, base + off + loc[1]})
		}
	}
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// equalFoldASCII reports whether s equals the lower-case ASCII string
// lower but for the case of ASCII letters.
func equalFoldASCII(s, lower string) bool {
	for i := 0; i < len(lower); i++ {
		if lowerASCII(s[i]) != lower[i] {
			return false
		}
	}
	return true
}

// toLower lower-cases the ASCII letters of s (the strings it is searched
// for are ASCII).
func toLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		b[i] = lowerASCII(c)
	}
	return string(b)
}

// collect sorts the hits of a passage into the rules' matches: per rule,
// those of its terms (a NEAR term's pairs of sides within n words, and in
// one sentence with near_scope: sentence), and whether an exclude term
// matched (sc.excluded[rule] == the returned stamp). sc.terms ends up
// sorted by rule, start, longest first and term text.
func (s *set) collect(sc *scratch, p corpus.Passage, toks []token, withExcluded bool) uint32 {
	s.scan(sc, p.Text, p.Start, toks)
	stamp := sc.next()
	for _, h := range sc.hits {
		ref := &s.refs[h.ref]
		switch {
		case ref.exclude:
			sc.excluded[ref.rule] = stamp
			if withExcluded {
				sc.terms = append(sc.terms, ruleHit{rule: ref.rule, term: -1 - ref.term, m: h.span})
			}
		case ref.side != 0:
			sc.sides = append(sc.sides, h)
		default:
			sc.terms = append(sc.terms, ruleHit{rule: ref.rule, term: ref.term, m: h.span})
		}
	}
	if len(sc.sides) > 0 {
		s.sortSides(sc)
		sentenceOf := func(off int) int {
			for i, s := range p.Sentences {
				if off >= s.Start && off < s.End {
					return i
				}
			}
			return -1
		}
		for i := 0; i < len(sc.sides); {
			ref := &s.refs[sc.sides[i].ref]
			j, mid := i, -1
			for j < len(sc.sides) && s.refs[sc.sides[j].ref].near == ref.near {
				if mid < 0 && s.refs[sc.sides[j].ref].side == 2 {
					mid = j
				}
				j++
			}
			if mid >= 0 && mid > i {
				r := s.rules[ref.rule].r
				n := r.terms[ref.term].near.n
				sameSentence := r.sentence && len(p.Sentences) > 0
				for _, a := range sc.sides[i:mid] {
					for _, b := range sc.sides[mid:j] {
						if dist(a.span, b.span) <= n && (!sameSentence || sentenceOf(a.start) == sentenceOf(b.start)) {
							m := span{min(a.from, b.from), max(a.to, b.to), min(a.start, b.start), max(a.end, b.end)}
							sc.terms = append(sc.terms, ruleHit{rule: ref.rule, term: ref.term, m: m, near: true, sides: [2]span{a.span, b.span}})
						}
					}
				}
			}
			i = j
		}
	}
	slices.SortFunc(sc.terms, func(a, b ruleHit) int {
		switch {
		case a.rule != b.rule:
			return int(a.rule - b.rule)
		case a.m.start != b.m.start:
			return a.m.start - b.m.start
		case a.m.end != b.m.end:
			return b.m.end - a.m.end
		}
		return int(s.rank(a) - s.rank(b))
	})
	return stamp
}

// sortSides sorts the matches of NEAR sides in sc.sides by NEAR term
// and side (a counting sort: there are many matches, few keys).
func (s *set) sortSides(sc *scratch) {
	nk := 2*s.nears + 1
	if len(sc.keys) < nk {
		sc.keys = make([]int32, nk)
	}
	keys := sc.keys[:nk]
	clear(keys)
	key := func(h rawHit) int32 {
		r := &s.refs[h.ref]
		return 2*r.near + int32(r.side) - 1
	}
	for _, h := range sc.sides {
		keys[key(h)+1]++
	}
	for k := 1; k < nk; k++ {
		keys[k] += keys[k-1]
	}
	sc.byKey = slices.Grow(sc.byKey[:0], len(sc.sides))[:len(sc.sides)]
	for _, h := range sc.sides {
		k := key(h)
		sc.byKey[keys[k]] = h
		keys[k]++
	}
	sc.sides, sc.byKey = sc.byKey, sc.sides
}

// rank orders a rule's hits with equal spans: terms by text (exclude
// terms, marked by a negative term, are never compared with them by
// Code).
func (s *set) rank(h ruleHit) int32 {
	if h.term < 0 {
		return h.term
	}
	return s.rules[h.rule].rank[h.term]
}

// code codes a passage with every codebook of s: for every code whose
// terms match at least min_matches times and none of whose exclude terms
// match, a Coding with the matches as evidence, sorted by start; codings
// sorted by code ID. Overlapping matches of one code count once (the
// longest wins).
func (s *set) code(p corpus.Passage) []corpus.Coding {
	if len(s.rules) == 0 {
		return nil
	}
	sc := s.get()
	defer s.pool.Put(sc)
	toks := tokenizeInto(sc.toks[:0], p.Text, p.Start, s.stems)
	defer func() { sc.toks = toks[:0] }()
	stamp := s.collect(sc, p, toks, false)
	var out []corpus.Coding
	hits := sc.terms
	// at returns rule g's hits (sc.terms is sorted by rule).
	at := func(g int32) []ruleHit {
		i := sort.Search(len(hits), func(i int) bool { return hits[i].rule >= g })
		j := i
		for j < len(hits) && hits[j].rule == g {
			j++
		}
		return hits[i:j]
	}
	for ci, ids := range s.byID {
		cb := s.cbs[ci]
		for _, g := range ids {
			if sc.excluded[g] == stamp {
				continue
			}
			hs := at(g)
			if len(hs) == 0 {
				continue
			}
			r := s.rules[g].r
			if len(hs) < r.min {
				continue
			}
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
	}
	if len(s.cbs) > 1 {
		sort.Slice(out, func(i, j int) bool { return out[i].CodeID < out[j].CodeID })
	}
	return out
}

// explain returns every match of every term and exclude term in a
// passage (see Codebook.Explain).
func (s *set) explain(p corpus.Passage) []TermMatch {
	if len(s.rules) == 0 {
		return nil
	}
	sc := s.get()
	defer s.pool.Put(sc)
	s.collect(sc, p, tokenize(p.Text, p.Start, s.stems), true)
	var out []TermMatch
	for _, h := range sc.terms {
		sr := &s.rules[h.rule]
		code := s.cbs[sr.cb].Codes[sr.r.code].ID
		if h.term < 0 {
			out = append(out, TermMatch{CodeID: code, Term: sr.r.exclude[-1-h.term].text, Exclude: true, Start: h.m.start, End: h.m.end})
			continue
		}
		tm := TermMatch{CodeID: code, Term: sr.r.terms[h.term].text, Start: h.m.start, End: h.m.end}
		if h.near {
			near := sr.r.terms[h.term].near
			tm.Near = []corpus.Evidence{
				{Term: near.a.text, Start: h.sides[0].start, End: h.sides[0].end},
				{Term: near.b.text, Start: h.sides[1].start, End: h.sides[1].end},
			}
		}
		out = append(out, tm)
	}
	sortTermMatches(out)
	return out
}

// maxSets is how many sets of codebooks a codebook keeps for CodeAll.
const maxSets = 8

// setCache holds the sets compiled for CodeAll from lists of codebooks
// that begin with the codebook holding it, most recent last.
type setCache struct {
	mu   sync.Mutex
	sets atomic.Pointer[[]*set]
}

// setFor returns the codebooks compiled together: a codebook's own set, or
// the set kept by the first codebook for this list of codebooks (the same
// codebooks in the same order), compiled on first use. Codebooks do not
// change once parsed, so a set stays valid; a codebook keeps maxSets.
func setFor(cbs []*Codebook) *set {
	switch {
	case len(cbs) == 0:
		return &set{}
	case len(cbs) == 1 && cbs[0].set != nil:
		return cbs[0].set
	case cbs[0].sets == nil: // not made by Parse
		return compileSet(slices.Clone(cbs))
	}
	c := cbs[0].sets
	find := func() *set {
		if l := c.sets.Load(); l != nil {
			for _, s := range *l {
				if slices.Equal(s.cbs, cbs) {
					return s
				}
			}
		}
		return nil
	}
	if s := find(); s != nil {
		return s
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if s := find(); s != nil {
		return s
	}
	s := compileSet(slices.Clone(cbs))
	var l []*set
	if old := c.sets.Load(); old != nil {
		l = append(l, *old...)
	}
	if len(l) >= maxSets {
		l = l[1:]
	}
	l = append(l, s)
	c.sets.Store(&l)
	return s
}
