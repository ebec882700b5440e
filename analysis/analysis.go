package analysis

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"

	"github.com/lcity/lcity/corpus"
)

// Weightings of the city × code matrix.
const (
	WeightRate   = "rate"   // matches per 1,000 words
	WeightShare  = "share"  // share of the city's passages coded
	WeightTFIDF  = "tfidf"  // rate × log(N cities / cities coded)
	WeightBinary = "binary" // 1 when the city has the code at all
)

// Weights lists the valid weightings.
var Weights = []string{WeightRate, WeightShare, WeightTFIDF, WeightBinary}

// Options set the analysis.
type Options struct {
	Weight       string
	Seed         uint64
	Permutations int
	Alpha        float64
}

// Defaults for Options.
const (
	DefaultSeed         = 20150917
	DefaultPermutations = 10000
	DefaultAlpha        = 0.05
)

func (o Options) withDefaults() (Options, error) {
	if o.Weight == "" {
		o.Weight = WeightRate
	}
	ok := false
	for _, w := range Weights {
		ok = ok || w == o.Weight
	}
	if !ok {
		return o, fmt.Errorf("weight %q: want one of %v", o.Weight, Weights)
	}
	if o.Permutations <= 0 {
		o.Permutations = DefaultPermutations
	}
	if o.Alpha <= 0 {
		o.Alpha = DefaultAlpha
	}
	return o, nil
}

// Input is what the analysis needs from the earlier stages.
type Input struct {
	Documents []corpus.Document
	Passages  []corpus.Passage
	Codings   []corpus.Coding
	Codes     []corpus.Code // codable codes, in the order to report them
	Codebooks []string
	// Hypotheses to test (nil: none); Focus is the human-named focus of
	// cities, each label with its codes (nil: no focus-table check).
	Hypotheses *Hypotheses
	Focus      []FocusCity
}

// City is one row of the profile matrix: the documents of a city pooled.
type City struct {
	Name     string
	Country  string
	Region   string
	Year     int
	Pages    int
	Passages int
	Words    int
}

// Contrast compares a code between Europe and Asia-Pacific.
type Contrast struct {
	CodeID       string
	Label        string
	EuropeMean   float64
	AsiaMean     float64
	Diff         float64 // EuropeMean - AsiaMean
	CliffDelta   float64 // P(Europe > Asia) - P(Europe < Asia), in [-1, 1]
	EuropeCities int     // cities of Europe with the code at all
	AsiaCities   int
	P            float64 // two-sided permutation p of Cliff's delta (rank-sum test)
	PAdj         float64 // Benjamini–Hochberg adjusted
}

// RegionTest is the permutation test of "regions differ" on the similarity
// matrix: the statistic is the mean within-region similarity minus the mean
// between-region similarity.
type RegionTest struct {
	WithinEurope float64
	WithinAsia   float64
	Between      float64
	Statistic    float64
	P            float64
	Permutations int
	CentroidCos  float64 // cosine between the two region centroids
}

// Result is the whole analysis.
type Result struct {
	Options  Options
	Summary  *Summary
	Cities   []City
	Codes    []corpus.Code
	Profiles []corpus.Profile // city-major, in Cities × Codes order
	// Matrix holds the weighted profile: rows Cities, columns Codes.
	Matrix     *mat.Dense
	Similarity *mat.SymDense
	Region     RegionTest
	Contrasts  []Contrast
	// Clusters is the average-linkage clustering of the cities; PCA their
	// map on the first two principal components.
	Clusters        Cluster
	PCA             PCAMap
	Crosstabs       []Crosstab
	CoOccurrences   []CoOccurrence
	Hypotheses      *Hypotheses
	HypothesisTests []HypothesisResult
	// FocusChecks compare each city of the focus table with its profile,
	// theme by theme; FocusTest sums them up against chance.
	FocusChecks []FocusCheck
	FocusTest   FocusTest
}

// Analyze computes profiles, the similarity matrix, the region test and
// the per-code contrasts of a corpus held in memory. It is deterministic
// for a given Options.Seed.
func Analyze(in *Input, opt Options) (*Result, error) {
	return AnalyzeSummary(in.Summarise(), opt)
}

// AnalyzeSummary is Analyze over aggregated counts (see Summary), for
// corpora too large to hold in memory.
func AnalyzeSummary(s *Summary, opt Options) (*Result, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	if len(s.Codes) == 0 {
		return nil, fmt.Errorf("analyze: no codes")
	}
	r := &Result{Options: opt, Summary: s, Codes: s.Codes, Hypotheses: s.Hypotheses}
	r.cities()
	if len(r.Cities) == 0 {
		return nil, fmt.Errorf("analyze: no documents")
	}
	r.profiles()
	r.Matrix = weighted(r.Profiles, len(r.Cities), len(r.Codes), opt.Weight)
	r.Similarity = Cosine(r.Matrix)
	r.regionTest()
	r.contrasts()
	r.Clusters = AverageLinkage(r.Similarity)
	r.PCA = PCA(r.Matrix)
	r.crosstabs()
	r.cooccurrence()
	r.testHypotheses()
	r.focusChecks()
	return r, nil
}

func (r *Result) cities() {
	for _, c := range r.Summary.cities {
		r.Cities = append(r.Cities, *c)
	}
	sort.Slice(r.Cities, func(i, j int) bool {
		a, b := r.Cities[i], r.Cities[j]
		if a.Region != b.Region {
			return a.Region < b.Region
		}
		return a.Name < b.Name
	})
}

func (r *Result) cityIndex() map[string]int {
	m := map[string]int{}
	for i, c := range r.Cities {
		m[c.Name] = i
	}
	return m
}

func (r *Result) profiles() {
	n, k := len(r.Cities), len(r.Codes)
	r.Profiles = make([]corpus.Profile, n*k)
	for i, c := range r.Cities {
		cells := r.Summary.cells[c.Name]
		for j, code := range r.Codes {
			r.Profiles[i*k+j] = corpus.Profile{City: c.Name, Region: c.Region, CodeID: code.ID,
				Passages: cells[j].passages, Matches: cells[j].matches}
		}
	}
	for i, c := range r.Cities {
		for j := 0; j < k; j++ {
			p := &r.Profiles[i*k+j]
			if c.Words > 0 {
				p.Rate = 1000 * float64(p.Matches) / float64(c.Words)
			}
			if c.Passages > 0 {
				p.Share = float64(p.Passages) / float64(c.Passages)
			}
		}
	}
}

func weighted(ps []corpus.Profile, n, k int, weight string) *mat.Dense {
	m := mat.NewDense(n, k, nil)
	df := make([]int, k)
	for i := 0; i < n; i++ {
		for j := 0; j < k; j++ {
			if ps[i*k+j].Matches > 0 {
				df[j]++
			}
		}
	}
	for i := 0; i < n; i++ {
		for j := 0; j < k; j++ {
			p := ps[i*k+j]
			var v float64
			switch weight {
			case WeightShare:
				v = p.Share
			case WeightBinary:
				if p.Matches > 0 {
					v = 1
				}
			case WeightTFIDF:
				if df[j] > 0 {
					v = p.Rate * math.Log(float64(n)/float64(df[j]))
				}
			default:
				v = p.Rate
			}
			m.Set(i, j, v)
		}
	}
	return m
}

// Cosine returns the cosine similarity of the rows of m. A row of zeros has
// similarity 0 with every other row and 1 with itself.
func Cosine(m *mat.Dense) *mat.SymDense {
	n, _ := m.Dims()
	s := mat.NewSymDense(n, nil)
	norms := make([]float64, n)
	for i := 0; i < n; i++ {
		norms[i] = floats.Norm(m.RawRowView(i), 2)
	}
	for i := 0; i < n; i++ {
		s.SetSym(i, i, 1)
		for j := i + 1; j < n; j++ {
			var v float64
			if norms[i] > 0 && norms[j] > 0 {
				v = floats.Dot(m.RawRowView(i), m.RawRowView(j)) / (norms[i] * norms[j])
			}
			s.SetSym(i, j, v)
		}
	}
	return s
}

// rng returns a generator seeded from the analysis seed and a label, so
// that each test draws its own reproducible stream whatever the order.
func rng(seed uint64, label string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(label))
	return rand.New(rand.NewPCG(seed, h.Sum64()))
}

// regionIdx returns the indexes of the Europe and Asia-Pacific cities.
func (r *Result) regionIdx() (eu, ap []int) {
	for i, c := range r.Cities {
		switch c.Region {
		case corpus.RegionEurope:
			eu = append(eu, i)
		case corpus.RegionAsiaPacific:
			ap = append(ap, i)
		}
	}
	return eu, ap
}

func (r *Result) regionTest() {
	eu, ap := r.regionIdx()
	t := &r.Region
	t.Permutations = r.Options.Permutations
	if len(eu) < 2 || len(ap) < 2 {
		t.P = math.NaN()
		return
	}
	idx := append(append([]int{}, eu...), ap...)
	labels := make([]bool, len(idx)) // true = Europe
	for i := range eu {
		labels[i] = true
	}
	rs := newRegionSums(r.Matrix, idx)
	t.WithinEurope, t.WithinAsia, t.Between, t.Statistic = rs.stat(labels)
	g := rng(r.Options.Seed, "region-test")
	perm := append([]bool(nil), labels...)
	ge := 0
	for k := 0; k < t.Permutations; k++ {
		g.Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		if _, _, _, s := rs.stat(perm); s >= t.Statistic-1e-12 {
			ge++
		}
	}
	t.P = float64(ge+1) / float64(t.Permutations+1)
	_, k := r.Matrix.Dims()
	ce, ca := make([]float64, k), make([]float64, k)
	for j := 0; j < k; j++ {
		for _, i := range eu {
			ce[j] += r.Matrix.At(i, j) / float64(len(eu))
		}
		for _, i := range ap {
			ca[j] += r.Matrix.At(i, j) / float64(len(ap))
		}
	}
	if ne, na := floats.Norm(ce, 2), floats.Norm(ca, 2); ne > 0 && na > 0 {
		t.CentroidCos = floats.Dot(ce, ca) / (ne * na)
	}
}

// regionSums computes the region test's statistic from per-group sums of
// unit-normalised profile rows instead of from all pairs of cities. With
// u_i the row of city i divided by its length (a zero row stays zero, so
// its cosine with any other row is 0, as in Cosine) and S_G = Σ_{i∈G} u_i,
// the sum of the cosines over the pairs i < j of a group G is
// (|S_G|² − Σ_{i∈G} |u_i|²) / 2, where |u_i|² is 1 or 0, and the sum over
// the pairs between groups A and B is S_A · S_B. A relabelling then costs
// O(cities × codes) instead of O(cities²) (issue 19): at 1,600 cities and
// 10,000 permutations that is 0.4 G multiply-adds instead of 13 G. The
// pairwise sums stay in the tests as the reference (regionStatPairs).
type regionSums struct {
	k    int
	unit []float64 // len(idx) × k, row-major, in the order of idx
	nz   []bool    // row is not zero
	se   []float64 // scratch: S_Europe
	sa   []float64 // scratch: S_Asia
}

func newRegionSums(m *mat.Dense, idx []int) *regionSums {
	_, k := m.Dims()
	rs := &regionSums{k: k, unit: make([]float64, len(idx)*k), nz: make([]bool, len(idx)), se: make([]float64, k), sa: make([]float64, k)}
	for a, i := range idx {
		row := m.RawRowView(i)
		n := floats.Norm(row, 2)
		if n == 0 {
			continue
		}
		rs.nz[a] = true
		u := rs.unit[a*k : (a+1)*k]
		for j, v := range row {
			u[j] = v / n
		}
	}
	return rs
}

// stat returns the mean cosine within Europe (lab true), within
// Asia-Pacific, between them, and the statistic: the mean over all
// within-region pairs minus the mean between.
func (rs *regionSums) stat(lab []bool) (we, wa, bt, s float64) {
	k := rs.k
	clear(rs.se)
	clear(rs.sa)
	var ne, na, ze, za int
	for a, eu := range lab {
		u := rs.unit[a*k : (a+1)*k]
		if eu {
			floats.Add(rs.se, u)
			ne++
			if rs.nz[a] {
				ze++
			}
		} else {
			floats.Add(rs.sa, u)
			na++
			if rs.nz[a] {
				za++
			}
		}
	}
	nwe, nwa, nbt := ne*(ne-1)/2, na*(na-1)/2, ne*na
	we = (floats.Dot(rs.se, rs.se) - float64(ze)) / 2
	wa = (floats.Dot(rs.sa, rs.sa) - float64(za)) / 2
	bt = floats.Dot(rs.se, rs.sa)
	within := (we + wa) / float64(nwe+nwa)
	we, wa, bt = we/float64(nwe), wa/float64(nwa), bt/float64(nbt)
	return we, wa, bt, within - bt
}

func (r *Result) contrasts() {
	eu, ap := r.regionIdx()
	for j, code := range r.Codes {
		c := Contrast{CodeID: code.ID, Label: code.Label, P: math.NaN(), PAdj: math.NaN()}
		xe, xa := column(r.Matrix, j, eu), column(r.Matrix, j, ap)
		for _, v := range xe {
			if v > 0 {
				c.EuropeCities++
			}
		}
		for _, v := range xa {
			if v > 0 {
				c.AsiaCities++
			}
		}
		if len(xe) > 0 && len(xa) > 0 {
			c.EuropeMean, c.AsiaMean = stat.Mean(xe, nil), stat.Mean(xa, nil)
			c.Diff = c.EuropeMean - c.AsiaMean
			c.CliffDelta = CliffDelta(xe, xa)
			c.P = DeltaP(xe, xa, r.Options.Permutations, rng(r.Options.Seed, "contrast:"+code.ID))
		}
		r.Contrasts = append(r.Contrasts, c)
	}
	ps := make([]float64, len(r.Contrasts))
	for i, c := range r.Contrasts {
		ps[i] = c.P
	}
	adj := BenjaminiHochberg(ps)
	for i := range r.Contrasts {
		r.Contrasts[i].PAdj = adj[i]
	}
}

func column(m *mat.Dense, j int, rows []int) []float64 {
	out := make([]float64, len(rows))
	for k, i := range rows {
		out[k] = m.At(i, j)
	}
	return out
}

// CliffDelta is Cliff's delta of a against b: the share of pairs where a is
// larger minus the share where it is smaller. It is computed from the
// pooled mid-ranks in O((|a|+|b|) log(|a|+|b|)) rather than over all
// |a|·|b| pairs: with U = R_a − |a|(|a|+1)/2 (R_a the rank sum of a, ties
// at their mean rank), #(a > b) − #(a < b) = 2U − |a|·|b|, an integer held
// exactly (mid-ranks are halves), so the result equals the pairwise count.
func CliffDelta(a, b []float64) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	ra, _ := midranks(a, b)
	na, nb := float64(len(a)), float64(len(b))
	u := floats.Sum(ra) - na*(na+1)/2
	return (2*u - na*nb) / (na * nb)
}

// DeltaP is the two-sided permutation p-value of Cliff's delta of a
// against b: the Wilcoxon–Mann–Whitney rank-sum test. Delta is a linear
// function of the rank sum of a (δ = 2U/(|a|·|b|) − 1, U = R_a −
// |a|(|a|+1)/2 with tied values given their mean rank), so permuting the
// pooled ranks and comparing |mean rank of a − mean rank of b| is
// comparing |δ|: the p-value reported beside an effect size is the
// p-value of that effect size, not of another statistic (a difference of
// means can be far from significant where δ is large, and the reverse,
// when a few cities have extreme rates). Exact when every split is
// enumerated (see splitP).
func DeltaP(a, b []float64, n int, g *rand.Rand) float64 {
	ra, rb := midranks(a, b)
	return PermutationP(ra, rb, n, g)
}

// OneSidedDeltaP is DeltaP's one-sided form: the p-value of Cliff's delta
// of a against b being at least the observed one (a tends to be higher).
func OneSidedDeltaP(a, b []float64, n int, g interface{ Shuffle(int, func(int, int)) }) float64 {
	ra, rb := midranks(a, b)
	return OneSidedP(ra, rb, n, g)
}

// midranks ranks the values of a and b pooled, 1 for the smallest, tied
// values taking the mean of the ranks they span, and splits the ranks
// back into a's and b's.
func midranks(a, b []float64) ([]float64, []float64) {
	all := append(append([]float64{}, a...), b...)
	order := make([]int, len(all))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return all[order[i]] < all[order[j]] })
	ranks := make([]float64, len(all))
	for i := 0; i < len(order); {
		j := i
		for j+1 < len(order) && all[order[j+1]] == all[order[i]] {
			j++
		}
		r := float64(i+j)/2 + 1
		for k := i; k <= j; k++ {
			ranks[order[k]] = r
		}
		i = j + 1
	}
	return ranks[:len(a)], ranks[len(a):]
}

// PermutationP is the two-sided permutation p-value of the difference of
// means between a and b, with n random relabellings from g:
// (1 + #{|perm diff| >= |observed diff|}) / (1 + n).
func PermutationP(a, b []float64, n int, g *rand.Rand) float64 {
	return splitP(a, b, n, g, func(d float64) float64 { return math.Abs(d) })
}

// splitP is the permutation p-value of stat(mean(A) − mean(B)) being at
// least as large as observed when the pooled values are split at random
// into groups of the sizes of a and b. When there are at most n distinct
// splits it enumerates them all (an exact test: count / splits); otherwise
// it draws n random splits ((count + 1) / (n + 1)).
func splitP(a, b []float64, n int, g interface{ Shuffle(int, func(int, int)) }, stat func(float64) float64) float64 {
	na, nb := len(a), len(b)
	if na == 0 || nb == 0 || n <= 0 {
		return math.NaN()
	}
	all := append(append([]float64{}, a...), b...)
	total := floats.Sum(all)
	diff := func(sa float64) float64 { return sa/float64(na) - (total-sa)/float64(nb) }
	obs := stat(diff(floats.Sum(a)))
	if splits, ok := binomial(na+nb, na, n); ok {
		ge := 0
		idx := make([]int, na)
		for i := range idx {
			idx[i] = i
		}
		for {
			sa := 0.0
			for _, i := range idx {
				sa += all[i]
			}
			if stat(diff(sa)) >= obs-1e-12 {
				ge++
			}
			// Next combination in lexicographic order.
			i := na - 1
			for i >= 0 && idx[i] == na+nb-na+i {
				i--
			}
			if i < 0 {
				break
			}
			idx[i]++
			for j := i + 1; j < na; j++ {
				idx[j] = idx[j-1] + 1
			}
		}
		return float64(ge) / float64(splits)
	}
	ge := 0
	for k := 0; k < n; k++ {
		g.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
		if stat(diff(floats.Sum(all[:na]))) >= obs-1e-12 {
			ge++
		}
	}
	return float64(ge+1) / float64(n+1)
}

// binomial returns n choose k when it is at most limit.
func binomial(n, k, limit int) (int, bool) {
	if k > n-k {
		k = n - k
	}
	c := 1
	for i := 1; i <= k; i++ {
		c = c * (n - k + i) / i
		if c > limit {
			return 0, false
		}
	}
	return c, true
}

// BenjaminiHochberg returns the BH-adjusted p-values (false discovery
// rate) in the order of ps. NaN p-values stay NaN and are not counted.
func BenjaminiHochberg(ps []float64) []float64 {
	type ip struct {
		i int
		p float64
	}
	var v []ip
	for i, p := range ps {
		if !math.IsNaN(p) {
			v = append(v, ip{i, p})
		}
	}
	out := make([]float64, len(ps))
	for i := range out {
		out[i] = math.NaN()
	}
	sort.SliceStable(v, func(a, b int) bool { return v[a].p < v[b].p })
	m := float64(len(v))
	prev := 1.0
	for k := len(v) - 1; k >= 0; k-- {
		adj := math.Min(prev, v[k].p*m/float64(k+1))
		prev = adj
		out[v[k].i] = adj
	}
	return out
}
