package analysis

import (
	"math"
	"sort"
)

// FocusLabel is one focus theme as people named it, with the codes the
// codebooks give it (none: the codebooks do not cover it).
type FocusLabel struct {
	Label string
	Codes []string
}

// FocusCity is a city's focus themes as people named them
// (corpus/focus.csv), each label with its own codes.
type FocusCity struct {
	City   string
	Labels []FocusLabel
}

// Statuses of a focus label, as focus_check.csv writes them.
const (
	FocusFound      = "found"       // a code of the label is in the city's top third
	FocusNotFound   = "not found"   // none of its codes is
	FocusUncovered  = "uncovered"   // the label has no code of the profile
	FocusNotChecked = "not checked" // the city is not in the corpus
)

// FocusLabelCheck is one focus theme checked against its city's profile.
type FocusLabelCheck struct {
	Label string
	// Codes are the label's codes that are in the profile, sorted; none
	// means the label is uncovered.
	Codes  []string
	Status string // FocusFound, FocusNotFound, FocusUncovered or FocusNotChecked
}

// FocusCheck compares a city's named focus themes with its text-derived
// profile, theme by theme.
type FocusCheck struct {
	City     string
	InCorpus bool
	Labels   []FocusLabelCheck
	Covered  int // labels with at least one code of the profile
	Found    int // covered labels with a code in the city's top third
	// FoundShare is Found / Covered; NaN when the city is not in the
	// corpus or none of its labels is covered.
	FoundShare float64
	// Cosine is between the binary vector of the labels' codes and the
	// city's weighted profile row; NaN when the city is not in the corpus.
	Cosine float64
}

// FocusTest is the focus-table check over all the cities compared (in the
// corpus, with at least one covered label) and its chance baseline: the
// same statistics with the focus rows permuted across those cities.
type FocusTest struct {
	Cities   int // cities compared
	TopThird int // codes in a city's top third: ceil(codes / 3)
	// Labels, Covered and Found add up the cities in the corpus.
	Labels, Covered, Found int
	FoundShare             float64 // Found / Covered; NaN when nothing is covered
	// BaselineFoundShare is the mean found share over the permutations;
	// PFound is (permutations with a found share ≥ the observed + 1) /
	// (Permutations + 1). Both are NaN with fewer than two cities.
	BaselineFoundShare float64
	PFound             float64
	// AUC is the share of comparisons (city i, other city j) in which the
	// cosine between i's profile and i's own focus vector exceeds that
	// with j's focus vector, ties counting 1/2; PAUC is its permutation
	// p-value from the same permutations. NaN with fewer than two cities.
	AUC          float64
	PAUC         float64
	Permutations int
}

// focusTie is how close two cosines must be to count as a tie.
const focusTie = 1e-12

// focusEntry is a compared city: its row of the profile and its focus
// rows' covered labels as code indexes, and their binary code vector.
type focusEntry struct {
	city   int
	labels [][]int
	vec    []float64
}

func (r *Result) focusChecks() {
	n, k := len(r.Cities), len(r.Codes)
	nan := math.NaN()
	t := &r.FocusTest
	*t = FocusTest{TopThird: (k + 2) / 3, Permutations: r.Options.Permutations,
		FoundShare: nan, BaselineFoundShare: nan, PFound: nan, AUC: nan, PAUC: nan}
	ci := r.cityIndex()
	ki := make(map[string]int, k)
	for j, c := range r.Codes {
		ki[c.ID] = j
	}
	rows, top := make([][]float64, n), make([][]bool, n)
	for i := range r.Cities {
		rows[i] = r.Matrix.RawRowView(i)
		top[i] = topThird(rows[i], t.TopThird)
	}
	var es []focusEntry
	for _, fc := range r.Summary.Focus {
		c := FocusCheck{City: fc.City, FoundShare: nan, Cosine: nan}
		i, in := ci[fc.City]
		c.InCorpus = in
		e := focusEntry{city: i, vec: make([]float64, k)}
		for _, l := range fc.Labels {
			lc := FocusLabelCheck{Label: l.Label}
			js := codeIndexes(l.Codes, ki)
			for _, j := range js {
				lc.Codes = append(lc.Codes, r.Codes[j].ID)
				e.vec[j] = 1
			}
			sort.Strings(lc.Codes)
			switch {
			case len(js) == 0:
				lc.Status = FocusUncovered
			case !in:
				lc.Status = FocusNotChecked
			case anyIn(top[i], js):
				lc.Status = FocusFound
				c.Found++
			default:
				lc.Status = FocusNotFound
			}
			if len(js) > 0 {
				c.Covered++
				e.labels = append(e.labels, js)
			}
			c.Labels = append(c.Labels, lc)
		}
		if in {
			c.Cosine = cosine(e.vec, rows[i])
			if c.Covered > 0 {
				c.FoundShare = float64(c.Found) / float64(c.Covered)
				es = append(es, e)
			}
			t.Labels += len(c.Labels)
			t.Covered += c.Covered
			t.Found += c.Found
		}
		r.FocusChecks = append(r.FocusChecks, c)
	}
	t.Cities = len(es)
	if t.Covered > 0 {
		t.FoundShare = float64(t.Found) / float64(t.Covered)
	}
	if len(es) >= 2 {
		r.focusPermutations(es, rows, top)
	}
}

// focusPermutations computes the AUC and the chance baseline of the
// compared cities es. Focus row a placed at city i finds found[a*m+i]
// labels and wins wins[a*m+i] half-comparisons against the other rows
// (2 per win, 1 per tie); since a permutation assigns every row once, the
// statistics of any assignment are sums of these, and each permutation
// costs O(cities).
func (r *Result) focusPermutations(es []focusEntry, rows [][]float64, top [][]bool) {
	t := &r.FocusTest
	m := len(es)
	cos := make([]float64, m*m)
	found := make([]int, m*m)
	for a, ea := range es {
		for i, ei := range es {
			cos[a*m+i] = cosine(ea.vec, rows[ei.city])
			for _, js := range ea.labels {
				if anyIn(top[ei.city], js) {
					found[a*m+i]++
				}
			}
		}
	}
	wins := make([]int, m*m)
	for i := 0; i < m; i++ {
		for a := 0; a < m; a++ {
			x := cos[a*m+i]
			for b := 0; b < m; b++ {
				if b == a {
					continue
				}
				switch y := cos[b*m+i]; {
				case math.Abs(x-y) <= focusTie:
					wins[a*m+i]++
				case x > y:
					wins[a*m+i] += 2
				}
			}
		}
	}
	perm := make([]int, m)
	for i := range perm {
		perm[i] = i
	}
	stat := func() (f, w int) {
		for i, a := range perm {
			f += found[a*m+i]
			w += wins[a*m+i]
		}
		return f, w
	}
	obsF, obsW := stat()
	t.AUC = float64(obsW) / float64(2*m*(m-1))
	g := rng(r.Options.Seed, "focus-check")
	var geF, geW, sumF int
	for range t.Permutations {
		g.Shuffle(m, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		f, w := stat()
		sumF += f
		if f >= obsF {
			geF++
		}
		if w >= obsW {
			geW++
		}
	}
	n := float64(t.Permutations)
	t.BaselineFoundShare = float64(sumF) / n / float64(t.Covered)
	t.PFound = float64(geF+1) / (n + 1)
	t.PAUC = float64(geW+1) / (n + 1)
}

// topThird marks the first n codes of a profile row sorted by weight
// descending, ties in the order of the codes; a code of weight 0 is never
// marked. Ties never widen it beyond n codes.
func topThird(row []float64, n int) []bool {
	idx := make([]int, len(row))
	for j := range idx {
		idx[j] = j
	}
	sort.SliceStable(idx, func(a, b int) bool { return row[idx[a]] > row[idx[b]] })
	in := make([]bool, len(row))
	for _, j := range idx[:min(n, len(idx))] {
		if row[j] > 0 {
			in[j] = true
		}
	}
	return in
}

// codeIndexes returns the indexes of the codes that are in the profile,
// once each, in report order.
func codeIndexes(codes []string, ki map[string]int) []int {
	var js []int
	seen := map[int]bool{}
	for _, c := range codes {
		if j, ok := ki[c]; ok && !seen[j] {
			seen[j] = true
			js = append(js, j)
		}
	}
	sort.Ints(js)
	return js
}

func anyIn(set []bool, js []int) bool {
	for _, j := range js {
		if set[j] {
			return true
		}
	}
	return false
}

func cosine(a, b []float64) float64 {
	var dot, na, nb float64
	for i := range a {
		dot += a[i] * b[i]
		na += a[i] * a[i]
		nb += b[i] * b[i]
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}
