package analysis

import (
	"sort"

	"github.com/lcity/lcity/corpus"
)

// Summary is what the analysis needs of a corpus, aggregated: per city its
// size, per city and code the passages and matches, per pair of codes the
// passages coded with both, and the few passages the report quotes. Its
// size depends on the number of cities and codes, not on the number of
// passages or codings, so corpora of any length are analysed in bounded
// memory. Feed it with AddDocument and AddPassage in any order; the result
// does not depend on the order.
type Summary struct {
	Codes      []corpus.Code
	Codebooks  []string
	Hypotheses *Hypotheses
	Focus      []FocusCity
	Documents  int

	cities    map[string]*City
	codeIndex map[string]int
	cells     map[string][]cell // city → per code
	codeCount []int             // passages coded, per code
	pairs     []int             // passages coded with both, k × k (upper triangle)
	strongest map[[2]string]Quote
	hypBest   map[[3]string]Quote // hypothesis, region, city → best passage
	hypCodes  map[string]map[string]bool
}

type cell struct{ passages, matches int }

// NewSummary starts an empty summary for the codable codes (in report
// order) and the hypotheses to test (nil: none).
func NewSummary(codes []corpus.Code, codebooks []string, hyp *Hypotheses, focus []FocusCity) *Summary {
	s := &Summary{Codes: codes, Codebooks: codebooks, Hypotheses: hyp, Focus: focus,
		cities: map[string]*City{}, codeIndex: map[string]int{}, cells: map[string][]cell{},
		codeCount: make([]int, len(codes)), pairs: make([]int, len(codes)*len(codes)),
		strongest: map[[2]string]Quote{}, hypBest: map[[3]string]Quote{}, hypCodes: map[string]map[string]bool{}}
	for j, c := range codes {
		s.codeIndex[c.ID] = j
	}
	if hyp != nil {
		for _, h := range hyp.List {
			set := map[string]bool{}
			for _, c := range append(append([]string{}, h.A.Codes...), h.B.Codes...) {
				set[c] = true
			}
			s.hypCodes[h.ID] = set
		}
	}
	return s
}

func (s *Summary) city(name string) *City {
	c, ok := s.cities[name]
	if !ok {
		c = &City{Name: name}
		s.cities[name] = c
		s.cells[name] = make([]cell, len(s.Codes))
	}
	return c
}

// AddDocument counts a document towards its city.
func (s *Summary) AddDocument(d corpus.Document) {
	s.Documents++
	c := s.city(d.City)
	if c.Country == "" {
		c.Country = d.Country
	}
	if c.Region == "" {
		c.Region = d.Region
	}
	c.Pages += d.Pages
	if d.Year > c.Year {
		c.Year = d.Year
	}
}

// AddPassage counts a passage and its codings (those whose PassageID is
// p.ID; others are ignored).
func (s *Summary) AddPassage(p corpus.Passage, codings []corpus.Coding) {
	c := s.city(p.City)
	if c.Region == "" {
		c.Region = p.Region
	}
	c.Passages++
	c.Words += p.Words
	cells := s.cells[p.City]
	var js []int
	for _, cd := range codings {
		j, ok := s.codeIndex[cd.CodeID]
		if !ok || cd.PassageID != p.ID {
			continue
		}
		cells[j].passages++
		// A coding a model made has no term matches; it counts as one,
		// so that rate profiles see it.
		cells[j].matches += max(cd.Matches(), 1)
		js = append(js, j)
		key := [2]string{cd.CodeID, p.Region}
		if q, ok := s.strongest[key]; !ok || better(cd.Score, p.DocID, p.Start, q) {
			s.strongest[key] = quoteOf(p, cd.Score, []string{cd.CodeID})
		}
	}
	sort.Ints(js)
	k := len(s.Codes)
	for x, a := range js {
		if x > 0 && js[x-1] == a {
			continue
		}
		s.codeCount[a]++
		for _, b := range js[x+1:] {
			if b != a {
				s.pairs[a*k+b]++
			}
		}
	}
	for id, set := range s.hypCodes {
		score := 0.0
		var codes []string
		for _, cd := range codings {
			if set[cd.CodeID] && cd.PassageID == p.ID {
				score += cd.Score
				codes = append(codes, cd.CodeID)
			}
		}
		if len(codes) == 0 {
			continue
		}
		key := [3]string{id, p.Region, p.City}
		if q, ok := s.hypBest[key]; !ok || better(score, p.DocID, p.Start, q) {
			sort.Strings(codes)
			s.hypBest[key] = quoteOf(p, score, codes)
		}
	}
}

// better orders candidate quotes: higher score, then the earlier passage
// by document ID and offset in the document (reading order, which does
// not depend on the order the passages were added in).
func better(score float64, doc string, start int, q Quote) bool {
	if score != q.Score {
		return score > q.Score
	}
	if doc != q.doc {
		return doc < q.doc
	}
	return start < q.start
}

func quoteOf(p corpus.Passage, score float64, codes []string) Quote {
	return Quote{City: p.City, PassageID: p.ID, Text: p.Text, Page: p.Page, Codes: codes, Score: score, doc: p.DocID, start: p.Start}
}

// Summarise aggregates a corpus held in memory.
func (in *Input) Summarise() *Summary {
	s := NewSummary(in.Codes, in.Codebooks, in.Hypotheses, in.Focus)
	for _, d := range in.Documents {
		s.AddDocument(d)
	}
	by := map[string][]corpus.Coding{}
	for _, c := range in.Codings {
		by[c.PassageID] = append(by[c.PassageID], c)
	}
	for _, p := range in.Passages {
		s.AddPassage(p, by[p.ID])
	}
	return s
}
