package analysis

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/lcity/lcity/corpus"
)

func TestCosine(t *testing.T) {
	m := mat.NewDense(3, 3, []float64{
		1, 2, 0,
		2, 4, 0,
		0, 0, 0,
	})
	s := Cosine(m)
	// By hand: rows 0 and 1 are parallel; (1,2,0)·(0,1,3)... row 2 is zero.
	want := [][]float64{{1, 1, 0}, {1, 1, 0}, {0, 0, 1}}
	for i := range want {
		for j := range want[i] {
			if got := s.At(i, j); math.Abs(got-want[i][j]) > 1e-12 {
				t.Errorf("Cosine[%d][%d] = %v, want %v", i, j, got, want[i][j])
			}
		}
	}
	m2 := mat.NewDense(2, 2, []float64{3, 4, 4, 3})
	// (3*4 + 4*3) / (5*5) = 24/25
	if got := Cosine(m2).At(0, 1); math.Abs(got-0.96) > 1e-12 {
		t.Errorf("Cosine((3,4),(4,3)) = %v, want 0.96", got)
	}
}

func TestBenjaminiHochberg(t *testing.T) {
	// Worked example: p = 0.01, 0.04, 0.03, 0.005 (m = 4).
	// Sorted 0.005,0.01,0.03,0.04 → ×4/rank = 0.02, 0.02, 0.04, 0.04.
	got := BenjaminiHochberg([]float64{0.01, 0.04, 0.03, 0.005, math.NaN()})
	want := []float64{0.02, 0.04, 0.04, 0.02}
	for i, w := range want {
		if math.Abs(got[i]-w) > 1e-12 {
			t.Errorf("BH[%d] = %v, want %v", i, got[i], w)
		}
	}
	if !math.IsNaN(got[4]) {
		t.Errorf("BH of NaN = %v, want NaN", got[4])
	}
}

func TestCliffDelta(t *testing.T) {
	tests := []struct {
		a, b []float64
		want float64
	}{
		{[]float64{3, 4}, []float64{1, 2}, 1},
		{[]float64{1, 2}, []float64{3, 4}, -1},
		{[]float64{1, 3}, []float64{2, 2}, 0},
		{[]float64{2, 3}, []float64{1, 3}, 0.25}, // pairs: 2>1, 2<3, 3>1, 3=3 → (2-1)/4
	}
	for _, tt := range tests {
		if got := CliffDelta(tt.a, tt.b); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("CliffDelta(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestPermutationP(t *testing.T) {
	a := []float64{10, 11, 12, 13, 14}
	b := []float64{0, 1, 2, 3, 4}
	p := PermutationP(a, b, 2000, rng(1, "x"))
	// Only 2 of the 252 splits are as extreme: p ≈ 0.008.
	if p > 0.03 {
		t.Errorf("PermutationP of separated groups = %v, want < 0.03", p)
	}
	if q := PermutationP(a, b, 2000, rng(1, "x")); q != p {
		t.Errorf("PermutationP not reproducible with the same seed: %v then %v", p, q)
	}
	same := PermutationP([]float64{1, 2, 3}, []float64{1, 2, 3}, 500, rng(1, "y"))
	if same != 1 {
		t.Errorf("PermutationP of equal groups = %v, want 1", same)
	}
}

func sampleInput() *Input {
	in := &Input{Codes: []corpus.Code{{ID: "c.a", Label: "A"}, {ID: "c.b", Label: "B"}}}
	cities := []struct {
		name, region string
		a, b         int
	}{
		{"E1", corpus.RegionEurope, 5, 0}, {"E2", corpus.RegionEurope, 6, 1}, {"E3", corpus.RegionEurope, 4, 0},
		{"A1", corpus.RegionAsiaPacific, 0, 5}, {"A2", corpus.RegionAsiaPacific, 1, 6}, {"A3", corpus.RegionAsiaPacific, 0, 4},
	}
	for _, c := range cities {
		in.Documents = append(in.Documents, corpus.Document{ID: c.name, City: c.name, Region: c.region, Pages: 1})
		pid := c.name + "-p1"
		in.Passages = append(in.Passages, corpus.Passage{ID: pid, DocID: c.name, City: c.name, Region: c.region, Words: 1000, Text: "t"})
		for code, n := range map[string]int{"c.a": c.a, "c.b": c.b} {
			if n > 0 {
				in.Codings = append(in.Codings, corpus.Coding{PassageID: pid, City: c.name, Region: c.region, CodeID: code,
					Score: float64(n), Evidence: make([]corpus.Evidence, n)})
			}
		}
	}
	return in
}

func TestAnalyze(t *testing.T) {
	res, err := Analyze(sampleInput(), Options{Seed: 7, Permutations: 999})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Cities) != 6 || res.Cities[0].Region != corpus.RegionAsiaPacific {
		t.Fatalf("cities = %+v", res.Cities)
	}
	// E1 has rate 5 per 1,000 words for c.a.
	for _, p := range res.Profiles {
		if p.City == "E1" && p.CodeID == "c.a" && (p.Rate != 5 || p.Share != 1 || p.Matches != 5) {
			t.Errorf("profile E1 c.a = %+v", p)
		}
	}
	if res.Region.WithinEurope < 0.9 || res.Region.Between > 0.3 {
		t.Errorf("region similarity = %+v", res.Region)
	}
	if res.Contrasts[0].CliffDelta != 1 || res.Contrasts[1].CliffDelta != -1 {
		t.Errorf("contrasts = %+v", res.Contrasts)
	}
	var a, b bytes.Buffer
	if err := res.WriteSimilarity(&a); err != nil {
		t.Fatal(err)
	}
	res2, _ := Analyze(sampleInput(), Options{Seed: 7, Permutations: 999})
	res2.WriteSimilarity(&b)
	if a.String() != b.String() {
		t.Error("similarity.csv differs between identical runs")
	}
	var md, html bytes.Buffer
	meta := ReportMeta{CorpusSource: "test", Codebooks: []CodebookInfo{{Name: "c", Title: "C", SHA256: strings.Repeat("0", 64), Codes: 2}}}
	if err := res.WriteMarkdown(&md, meta); err != nil {
		t.Fatal(err)
	}
	if err := res.WriteHTML(&html, meta); err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"E1", "E2", "E3", "A1", "A2", "A3"} {
		if !strings.Contains(md.String(), c) {
			t.Errorf("report.md does not name %s", c)
		}
	}
	if !strings.Contains(html.String(), "<svg") || strings.Contains(html.String(), "src=\"http") {
		t.Error("report.html should inline the SVG and load nothing external")
	}
	if _, err := Analyze(sampleInput(), Options{Weight: "bogus"}); err == nil {
		t.Error("Analyze accepted weight bogus")
	}
}

// TestDeltaPIsTheTestOfDelta checks that DeltaP's p-value is about Cliff's
// delta itself: against a reference that enumerates every split of the
// pooled values and counts those whose |delta| is at least the observed
// one, on small groups with ties. It also shows the case that motivated
// it: one extreme city moves the mean difference but not delta.
func TestDeltaPIsTheTestOfDelta(t *testing.T) {
	ref := func(a, b []float64) float64 {
		all := append(append([]float64{}, a...), b...)
		obs := math.Abs(CliffDelta(a, b))
		n, ge, total := len(all), 0, 0
		for mask := 0; mask < 1<<n; mask++ {
			var xa, xb []float64
			for i := range all {
				if mask&(1<<i) != 0 {
					xa = append(xa, all[i])
				} else {
					xb = append(xb, all[i])
				}
			}
			if len(xa) != len(a) {
				continue
			}
			total++
			if math.Abs(CliffDelta(xa, xb)) >= obs-1e-12 {
				ge++
			}
		}
		return float64(ge) / float64(total)
	}
	g := rand.New(rand.NewPCG(7, 7))
	cases := [][2][]float64{
		{{1, 2, 3}, {4, 5, 6}},
		{{0, 0, 0, 0, 100}, {1, 1, 1, 1, 1}},
		{{2, 2, 3, 0}, {2, 1, 1, 0, 0}},
	}
	for range 20 {
		na, nb := 2+g.IntN(4), 2+g.IntN(4)
		var a, b []float64
		for range na {
			a = append(a, float64(g.IntN(4)))
		}
		for range nb {
			b = append(b, float64(g.IntN(4)))
		}
		cases = append(cases, [2][]float64{a, b})
	}
	for _, c := range cases {
		want := ref(c[0], c[1])
		if got := DeltaP(c[0], c[1], 10000, rng(1, "t")); math.Abs(got-want) > 1e-12 {
			t.Errorf("DeltaP(%v, %v) = %v, want %v (enumerated |delta| >= observed)", c[0], c[1], got, want)
		}
	}
	if got := DeltaP([]float64{1, 2, 3}, []float64{4, 5, 6}, 10000, rng(1, "t")); math.Abs(got-0.1) > 1e-12 {
		t.Errorf("DeltaP of fully separated groups of 3 = %v, want 2/20", got)
	}
}
