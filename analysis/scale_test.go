package analysis

import (
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/internal/testenv"
)

// sampleResult reads testdata/sample/profiles.csv, the profiles.csv of a
// default run on the embedded sample corpus (17 cities, the three embedded
// codebooks: `lcity run --out DIR` and copy DIR/profiles.csv), into a
// Result with its cities, weighted matrix and similarity, as the analysis
// would hold it (weights rounded to the file's six decimals).
func sampleResult(t testing.TB) *Result {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "sample", "profiles.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	r := &Result{Options: Options{Seed: DefaultSeed, Permutations: DefaultPermutations}}
	var vals []float64
	codes := map[string]bool{}
	for _, row := range rows[1:] {
		if n := len(r.Cities); n == 0 || r.Cities[n-1].Name != row[0] {
			r.Cities = append(r.Cities, City{Name: row[0], Region: row[1]})
		}
		if !codes[row[2]] {
			codes[row[2]] = true
			r.Codes = append(r.Codes, corpus.Code{ID: row[2]})
		}
		v, err := strconv.ParseFloat(row[7], 64)
		if err != nil {
			t.Fatal(err)
		}
		vals = append(vals, v)
	}
	if len(r.Cities) != 17 || len(vals) != 17*len(r.Codes) {
		t.Fatalf("sample profiles: %d cities, %d values for %d codes", len(r.Cities), len(vals), len(r.Codes))
	}
	r.Matrix = mat.NewDense(len(r.Cities), len(r.Codes), vals)
	r.Similarity = Cosine(r.Matrix)
	return r
}

// generatedResult is a seeded city × code matrix of n cities (alternately
// Europe and Asia-Pacific) and k codes: rates drawn from an exponential
// with a region-dependent mean per code, a third of the cells zero, and
// every 50th city with no codings at all (a zero row).
func generatedResult(n, k int, seed uint64) *Result {
	g := rand.New(rand.NewPCG(seed, 1))
	r := &Result{Options: Options{Seed: seed, Permutations: 999}}
	m := mat.NewDense(n, k, nil)
	for i := 0; i < n; i++ {
		region := corpus.RegionEurope
		if i%2 == 1 {
			region = corpus.RegionAsiaPacific
		}
		r.Cities = append(r.Cities, City{Name: fmt.Sprintf("City %05d", i), Region: region})
		if i%50 == 49 {
			continue
		}
		for j := 0; j < k; j++ {
			if g.IntN(3) == 0 {
				continue
			}
			mean := 1 + float64((j*7+i%2*3)%5)
			m.Set(i, j, g.ExpFloat64()*mean)
		}
	}
	for j := 0; j < k; j++ {
		r.Codes = append(r.Codes, corpus.Code{ID: fmt.Sprintf("g.c%02d", j)})
	}
	r.Matrix = m
	r.Similarity = Cosine(m)
	return r
}

// regionTestPairs is the region test over all pairs of cities of the
// similarity matrix: the definition, and the computation before issue 19.
func regionTestPairs(r *Result) RegionTest {
	eu, ap := r.regionIdx()
	t := RegionTest{Permutations: r.Options.Permutations}
	idx := append(append([]int{}, eu...), ap...)
	labels := make([]bool, len(idx))
	for i := range eu {
		labels[i] = true
	}
	stat := func(lab []bool) (we, wa, bt, s float64) {
		var nwe, nwa, nbt int
		for a := 0; a < len(idx); a++ {
			for b := a + 1; b < len(idx); b++ {
				v := r.Similarity.At(idx[a], idx[b])
				switch {
				case lab[a] && lab[b]:
					we += v
					nwe++
				case !lab[a] && !lab[b]:
					wa += v
					nwa++
				default:
					bt += v
					nbt++
				}
			}
		}
		we, wa, bt = we/float64(nwe), wa/float64(nwa), bt/float64(nbt)
		within := (we*float64(nwe) + wa*float64(nwa)) / float64(nwe+nwa)
		return we, wa, bt, within - bt
	}
	t.WithinEurope, t.WithinAsia, t.Between, t.Statistic = stat(labels)
	g := rng(r.Options.Seed, "region-test")
	perm := append([]bool(nil), labels...)
	ge := 0
	for k := 0; k < t.Permutations; k++ {
		g.Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		if _, _, _, s := stat(perm); s >= t.Statistic-1e-12 {
			ge++
		}
	}
	t.P = float64(ge+1) / float64(t.Permutations+1)
	return t
}

// TestRegionSumsMatchPairs checks the region test computed from region
// sums of unit vectors against the pairwise reference: the same means to
// 1e-12 and the same p-value with the same seed, on the sample (10,000
// permutations, as a default run) and on generated profiles with zero
// rows.
func TestRegionSumsMatchPairs(t *testing.T) {
	cases := []struct {
		name string
		r    *Result
	}{
		{"sample", sampleResult(t)},
		{"generated-40x25", generatedResult(40, 25, 1)},
		{"generated-101x7", generatedResult(101, 7, 2)},
		{"generated-300x25", generatedResult(300, 25, 3)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := regionTestPairs(c.r)
			c.r.regionTest()
			got := c.r.Region
			for _, v := range []struct {
				name      string
				got, want float64
			}{
				{"WithinEurope", got.WithinEurope, want.WithinEurope},
				{"WithinAsia", got.WithinAsia, want.WithinAsia},
				{"Between", got.Between, want.Between},
				{"Statistic", got.Statistic, want.Statistic},
			} {
				if math.Abs(v.got-v.want) > 1e-12 {
					t.Errorf("%s = %.17g, want %.17g (pairwise)", v.name, v.got, v.want)
				}
			}
			if got.P != want.P {
				t.Errorf("P = %v, want %v (pairwise, same seed)", got.P, want.P)
			}
		})
	}
}

// cliffPairs is Cliff's delta by its definition, over all pairs.
func cliffPairs(a, b []float64) float64 {
	var gt, lt int
	for _, x := range a {
		for _, y := range b {
			switch {
			case x > y:
				gt++
			case x < y:
				lt++
			}
		}
	}
	return float64(gt-lt) / float64(len(a)*len(b))
}

// TestCliffDeltaMatchesPairs checks the rank-sum Cliff's delta against
// the pairwise count, bit for bit, on seeded draws with many ties.
func TestCliffDeltaMatchesPairs(t *testing.T) {
	g := rand.New(rand.NewPCG(19, 5))
	for trial := 0; trial < 300; trial++ {
		na, nb := 1+g.IntN(40), 1+g.IntN(40)
		levels := 1 + g.IntN(12)
		draw := func(n int) []float64 {
			x := make([]float64, n)
			for i := range x {
				x[i] = float64(g.IntN(levels)) * 0.37
			}
			return x
		}
		a, b := draw(na), draw(nb)
		if got, want := CliffDelta(a, b), cliffPairs(a, b); got != want {
			t.Fatalf("CliffDelta(%v, %v) = %v, want %v (pairwise)", a, b, got, want)
		}
	}
}

// TestChainLinkageMatchesDirect checks the nearest-neighbour chain against
// the direct average linkage: the same merges in the same order, heights
// within 1e-9, the same leaf order.
func TestChainLinkageMatchesDirect(t *testing.T) {
	cases := []struct {
		name string
		sim  *mat.SymDense
	}{
		{"sample", sampleResult(t).Similarity},
		{"generated-2x3", generatedResult(2, 3, 4).Similarity},
		{"generated-60x25", generatedResult(60, 25, 5).Similarity},
		{"generated-200x25", generatedResult(200, 25, 6).Similarity},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want, got := directLinkage(c.sim), chainLinkage(c.sim)
			if len(got.Merges) != len(want.Merges) {
				t.Fatalf("%d merges, want %d", len(got.Merges), len(want.Merges))
			}
			for k := range want.Merges {
				g, w := got.Merges[k], want.Merges[k]
				if g.A != w.A || g.B != w.B || g.Size != w.Size || math.Abs(g.Height-w.Height) > 1e-9 {
					t.Fatalf("merge %d = %+v, want %+v", k, g, w)
				}
			}
			if fmt.Sprint(got.Order) != fmt.Sprint(want.Order) {
				t.Errorf("order = %v, want %v", got.Order, want.Order)
			}
		})
	}
}

// scaleSummary is a seeded corpus summary of n cities with one report
// each, coded with the default hypotheses' codes (so that the hypothesis
// tests run too): what AnalyzeSummary gets from a run of n reports.
func scaleSummary(n int, seed uint64) *Summary {
	h := DefaultHypotheses()
	var codes []corpus.Code
	seen := map[string]bool{}
	for _, x := range h.List {
		for _, id := range append(append([]string{}, x.A.Codes...), x.B.Codes...) {
			if !seen[id] {
				seen[id] = true
				codes = append(codes, corpus.Code{ID: id, Label: id})
			}
		}
	}
	s := NewSummary(codes, []string{"charter", "keyfeatures", "drivers"}, h, nil)
	g := rand.New(rand.NewPCG(seed, 2))
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("City %05d", i)
		region := corpus.RegionEurope
		if i%2 == 1 {
			region = corpus.RegionAsiaPacific
		}
		s.AddDocument(corpus.Document{ID: name, City: name, Region: region, Year: 2015 + 2*(i%2), Pages: 40})
		for p := 0; p < 4; p++ {
			pass := corpus.Passage{ID: fmt.Sprintf("%s-p%d", name, p), DocID: name, City: name, Region: region, Page: p + 1, Words: 200 + g.IntN(300), Text: "t"}
			var cds []corpus.Coding
			for j, c := range codes {
				if g.IntN(2+(j+i%2)%4) != 0 {
					continue
				}
				cds = append(cds, corpus.Coding{PassageID: pass.ID, City: name, Region: region, CodeID: c.ID,
					Score: 1, Evidence: make([]corpus.Evidence, 1+g.IntN(4))})
			}
			s.AddPassage(pass, cds)
		}
	}
	return s
}

var scaleSizes = []int{100, 400, 1600, 6400}

// BenchmarkAnalyzeScale is the whole analysis (default 10,000
// permutations) of generated summaries of 100 to 6,400 cities; it
// should grow about linearly in cities (issue 19), apart from the
// cosine matrix, which is quadratic but cheap (one dot product per
// pair). Bytes are the city × code matrix, 8 per cell.
//
//	go test ./analysis -run '^$' -bench AnalyzeScale -benchtime 1x
func BenchmarkAnalyzeScale(b *testing.B) {
	for _, n := range scaleSizes {
		s := scaleSummary(n, 1)
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.SetBytes(int64(n * len(s.Codes) * 8))
			testenv.CPULoop(b, func() {
				if _, err := AnalyzeSummary(s, Options{Seed: DefaultSeed}); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// BenchmarkRegionTest, BenchmarkContrasts and BenchmarkLinkage time the
// parts of the analysis that grow with the cities, at 1,000 permutations.
//
//	go test ./analysis -run '^$' -bench 'RegionTest|Contrasts|Linkage'
func BenchmarkRegionTest(b *testing.B) {
	for _, n := range scaleSizes {
		r := generatedResult(n, 25, 1)
		r.Options.Permutations = 1000
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.SetBytes(int64(n * 25 * 8))
			testenv.CPULoop(b, func() { r.regionTest() })
		})
	}
}

func BenchmarkContrasts(b *testing.B) {
	for _, n := range scaleSizes {
		r := generatedResult(n, 25, 1)
		r.Options.Permutations = 1000
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.SetBytes(int64(n * 25 * 8))
			testenv.CPULoop(b, func() {
				r.Contrasts = nil
				r.contrasts()
			})
		})
	}
}

func BenchmarkLinkage(b *testing.B) {
	for _, n := range scaleSizes {
		sim := generatedResult(n, 25, 1).Similarity
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.SetBytes(int64(n * 25 * 8))
			testenv.CPULoop(b, func() { AverageLinkage(sim) })
		})
	}
}

// BenchmarkRegionTestPairs and BenchmarkLinkageDirect time the pairwise
// region test (up to 1,600 cities) and the direct clustering (up to 400:
// at 1,600 it takes minutes), the computations before issue 19 kept as
// references, for ratios in one run:
//
//	go test ./analysis -run '^$' -bench 'RegionTest|Linkage' -benchtime 1x
func BenchmarkRegionTestPairs(b *testing.B) {
	for _, n := range scaleSizes[:3] {
		r := generatedResult(n, 25, 1)
		r.Options.Permutations = 1000
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.SetBytes(int64(n * 25 * 8))
			testenv.CPULoop(b, func() { regionTestPairs(r) })
		})
	}
}

func BenchmarkLinkageDirect(b *testing.B) {
	for _, n := range scaleSizes[:2] {
		sim := generatedResult(n, 25, 1).Similarity
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.SetBytes(int64(n * 25 * 8))
			testenv.CPULoop(b, func() { directLinkage(sim) })
		})
	}
}
