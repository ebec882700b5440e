package analysis

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot/vg"

	"github.com/lcity/lcity/corpus"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func TestAverageLinkage(t *testing.T) {
	// Cities 0,1 are close (cos 0.9), 2,3 too (0.8), the pairs far apart
	// (0.1, 0.2 across). By hand: join {0,1} at 0.1, {2,3} at 0.2, then
	// the two at the mean distance of the four cross pairs:
	// 1 − (0.1 + 0.2 + 0.1 + 0.2)/4 = 0.85.
	sim := mat.NewSymDense(4, []float64{
		1, 0.9, 0.1, 0.2,
		0.9, 1, 0.2, 0.1,
		0.1, 0.2, 1, 0.8,
		0.2, 0.1, 0.8, 1,
	})
	c := AverageLinkage(sim)
	want := []Merge{{A: 0, B: 1, Height: 0.1, Size: 2}, {A: 2, B: 3, Height: 0.2, Size: 2}, {A: 4, B: 5, Height: 0.85, Size: 4}}
	if len(c.Merges) != len(want) {
		t.Fatalf("merges = %+v", c.Merges)
	}
	for i, m := range want {
		g := c.Merges[i]
		if g.A != m.A || g.B != m.B || g.Size != m.Size || math.Abs(g.Height-m.Height) > 1e-12 {
			t.Errorf("merge %d = %+v, want %+v", i, g, m)
		}
	}
	if got := c.Order; len(got) != 4 || got[0] != 0 || got[1] != 1 || got[2] != 2 || got[3] != 3 {
		t.Errorf("order = %v", got)
	}
}

func TestPCA(t *testing.T) {
	// Points on the line y = 2x (plus a constant third column): one
	// component explains everything, and the map keeps their order.
	m := mat.NewDense(4, 3, []float64{
		0, 0, 5,
		1, 2, 5,
		2, 4, 5,
		3, 6, 5,
	})
	p := PCA(m)
	if !p.OK || math.Abs(p.Explained[0]-1) > 1e-9 {
		t.Fatalf("PCA = %+v, want PC1 explaining all", p)
	}
	for i := 1; i < 4; i++ {
		if p.X[i] <= p.X[i-1] {
			t.Errorf("PC1 scores %v not increasing with the data", p.X)
		}
	}
	// The distance along PC1 between the first and last point is the
	// length of (3, 6): 3√5.
	if d := p.X[3] - p.X[0]; math.Abs(d-3*math.Sqrt(5)) > 1e-9 {
		t.Errorf("PC1 span = %v, want %v", d, 3*math.Sqrt(5))
	}
}

func TestOneSidedP(t *testing.T) {
	hi, lo := []float64{10, 11, 12, 13}, []float64{0, 1, 2, 3}
	if p := OneSidedP(hi, lo, 5000, rng(3, "h")); p > 0.03 {
		t.Errorf("OneSidedP(higher, lower) = %v, want about 1/70", p)
	}
	if p := OneSidedP(lo, hi, 5000, rng(3, "h")); p < 0.95 {
		t.Errorf("OneSidedP(lower, higher) = %v, want near 1", p)
	}
	if p := OneSidedP(nil, lo, 10, rng(3, "h")); !math.IsNaN(p) {
		t.Errorf("OneSidedP of an empty group = %v, want NaN", p)
	}
}

func TestParseHypotheses(t *testing.T) {
	good := `hypotheses:
  - id: h1
    title: T
    higher_in: Europe
    a: {label: A, codes: [c.a]}
    b: {label: B, codes: [c.b]}
`
	if _, err := ParseHypotheses([]byte(good), "h.yaml"); err != nil {
		t.Fatalf("good file: %v", err)
	}
	if h := DefaultHypotheses(); len(h.List) != 2 || h.Source != DefaultHypothesesSource {
		t.Errorf("default hypotheses = %+v", h)
	}
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown key", strings.Replace(good, "title: T", "title: T\n    colour: red", 1), "h.yaml:4"},
		{"bad region", strings.Replace(good, "Europe", "Africa", 1), "h.yaml:2: higher_in"},
		{"empty group", strings.Replace(good, "codes: [c.b]", "codes: []", 1), "h.yaml:2: b.codes"},
		{"code in both", strings.Replace(good, "codes: [c.b]", "codes: [c.a]", 1), "in both groups"},
		{"bad code", strings.Replace(good, "[c.a]", "[nodot]", 1), "a.codes"},
		{"duplicate id", good + strings.Replace(good, "hypotheses:\n", "", 1), "h.yaml:7: id"},
		{"no title", strings.Replace(good, "title: T", "title: ''", 1), "title"},
		{"not yaml", "hypotheses: [", "h.yaml:1"},
		{"empty", "alpha: 0.1\n", "no hypotheses"},
		{"bad alpha", "alpha: 2\n" + good, "alpha"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseHypotheses([]byte(tt.yaml), "h.yaml")
			var he *HypothesisError
			if err == nil || !errors.As(err, &he) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want a HypothesisError containing %q", err, tt.want)
			}
		})
	}
}

func FuzzParseHypotheses(f *testing.F) {
	f.Add(defaultHypotheses)
	f.Add([]byte("hypotheses:\n  - id: x\n    title: y\n    higher_in: Europe\n    a: {label: a, codes: [a.b]}\n    b: {label: b, codes: [c.d]}\n"))
	f.Add([]byte("alpha: [\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := ParseHypotheses(data, "fuzz.yaml")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.yaml:") {
				t.Fatalf("error without file:line: %v", err)
			}
			return
		}
		for _, x := range h.List {
			if len(x.A.Codes) == 0 || len(x.B.Codes) == 0 || x.Line < 1 {
				t.Fatalf("accepted hypothesis %+v", x)
			}
		}
	})
}

// hypInput extends sampleInput (c.a high in Europe, c.b in Asia-Pacific)
// with hypotheses whose expectations hold, fail, or cannot be tested.
func hypInput() *Input {
	in := sampleInput()
	in.Hypotheses = &Hypotheses{Source: "test", List: []Hypothesis{
		{ID: "holds", Title: "B over A in Asia-Pacific", HigherIn: corpus.RegionAsiaPacific,
			A: CodeSet{Label: "b", Codes: []string{"c.b"}}, B: CodeSet{Label: "a", Codes: []string{"c.a"}}},
		{ID: "fails", Title: "B over A in Europe", HigherIn: corpus.RegionEurope,
			A: CodeSet{Label: "b", Codes: []string{"c.b"}}, B: CodeSet{Label: "a", Codes: []string{"c.a"}}},
		{ID: "untested", Title: "Unknown codes", HigherIn: corpus.RegionEurope,
			A: CodeSet{Label: "x", Codes: []string{"x.x"}}, B: CodeSet{Label: "a", Codes: []string{"c.a"}}},
	}}
	in.Focus = []FocusCity{
		{City: "E1", Labels: []FocusLabel{{Label: "a theme", Codes: []string{"c.a"}}, {Label: "a theme no codebook names"}}},
		{City: "A1", Labels: []FocusLabel{{Label: "b theme", Codes: []string{"c.b"}}, {Label: "a theme", Codes: []string{"c.a"}}}},
		{City: "E2", Labels: []FocusLabel{{Label: "learning: both, (a and b)", Codes: []string{"c.b", "c.a"}}}},
		{City: "Nowhere", Labels: []FocusLabel{{Label: "x", Codes: []string{"c.a"}}}},
	}
	return in
}

func TestHypothesesAndTables(t *testing.T) {
	res, err := Analyze(hypInput(), Options{Seed: 7, Permutations: 999})
	if err != nil {
		t.Fatal(err)
	}
	verdicts := map[string]string{}
	for _, h := range res.HypothesisTests {
		verdicts[h.Hypothesis.ID] = h.Verdict
		if h.Hypothesis.ID == "holds" && (len(h.Evidence[corpus.RegionAsiaPacific]) != 3 || h.Evidence[corpus.RegionAsiaPacific][0].Text != "t") {
			t.Errorf("evidence = %+v, want the three Asia-Pacific passages quoted", h.Evidence)
		}
	}
	// With 3 against 3 cities, perfect separation has a one-sided p of
	// 1/20 = 0.05 (one of the 20 splits), not below alpha 0.05; at alpha
	// 0.1 it is supported.
	if verdicts["fails"] != VerdictNotSupported || verdicts["untested"] != VerdictNotTested {
		t.Errorf("verdicts = %v", verdicts)
	}
	res, _ = Analyze(hypInput(), Options{Seed: 7, Permutations: 999, Alpha: 0.1})
	if v := res.HypothesisTests[0].Verdict; v != VerdictSupported {
		t.Errorf("perfectly separated groups at alpha 0.1: verdict %q, want supported", v)
	}
	for _, x := range res.Crosstabs {
		if x.CodeID == "c.a" && x.By == "region" && x.Group == corpus.RegionEurope && (x.Cities != 3 || x.WithCode != 3 || x.Matches != 15 || x.Rate != 5) {
			t.Errorf("crosstab c.a Europe = %+v, want 3 cities, 15 matches, 5 per 1,000", x)
		}
	}
	// c.a codes E1, E2, E3, A2; c.b codes E2, A1, A2, A3: both on E2 and
	// A2, Jaccard 2/6.
	if c := res.CoOccurrences; len(c) != 1 || c[0].Both != 2 || c[0].OnlyA != 2 || c[0].OnlyB != 2 || math.Abs(c[0].Jaccard-1.0/3) > 1e-12 {
		t.Errorf("cooccurrence = %+v", c)
	}
	// Two codes: each city's top third is its one highest code, c.a in
	// E1 and E2, c.b in A1.
	fc := res.FocusChecks
	if len(fc) != 4 || !fc[0].InCorpus || fc[0].Found != 1 || fc[0].Covered != 1 || fc[0].Labels[1].Status != FocusUncovered || fc[0].Cosine != 1 ||
		fc[1].Found != 1 || fc[1].Covered != 2 || fc[2].Found != 1 || fc[3].InCorpus || fc[3].Labels[0].Status != FocusNotChecked {
		t.Errorf("focus checks = %+v", fc)
	}
	if ft := res.FocusTest; ft.Cities != 3 || ft.Labels != 5 || ft.Covered != 4 || ft.Found != 3 || ft.FoundShare != 0.75 {
		t.Errorf("focus test = %+v, want 3 of 4 covered labels of 3 cities found", ft)
	}
}

// TestReportGolden checks the analysis outputs of a small fixed input
// against testdata/ (rewrite with go test ./analysis -update and review
// the diff).
func TestReportGolden(t *testing.T) {
	res, err := Analyze(hypInput(), Options{Seed: 7, Permutations: 999})
	if err != nil {
		t.Fatal(err)
	}
	meta := ReportMeta{CorpusSource: "test", Codebooks: []CodebookInfo{{Name: "c", Title: "C", SHA256: strings.Repeat("0", 64), Codes: 2}}}
	outputs := map[string]func(*bytes.Buffer) error{
		"report.md":        func(b *bytes.Buffer) error { return res.WriteMarkdown(b, meta) },
		"contrasts.csv":    func(b *bytes.Buffer) error { return res.WriteContrasts(b) },
		"similarity.csv":   func(b *bytes.Buffer) error { return res.WriteSimilarity(b) },
		"crosstab.csv":     func(b *bytes.Buffer) error { return res.WriteCrosstab(b) },
		"cooccurrence.csv": func(b *bytes.Buffer) error { return res.WriteCoOccurrence(b) },
		"clusters.csv":     func(b *bytes.Buffer) error { return res.WriteClusters(b) },
		"hypotheses.csv":   func(b *bytes.Buffer) error { return res.WriteHypotheses(b) },
		"focus_check.csv":  func(b *bytes.Buffer) error { return res.WriteFocus(b) },
		"dendrogram.svg":   func(b *bytes.Buffer) error { return res.WriteDendrogramSVG(b) },
	}
	for name, write := range outputs {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		checkGolden(t, name, b.Bytes())
	}
}

// checkGolden compares got with testdata/golden/name, or rewrites that
// file under -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden := filepath.Join("testdata", "golden", filepath.FromSlash(name))
	if *update {
		os.MkdirAll(filepath.Dir(golden), 0o755)
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./analysis -update to create)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s; if the change is intended, rerun with -update and review the diff", name, golden)
	}
}

// TestManyCitiesFigures checks that figures of a large corpus stay small:
// beyond MaxFigureCities the heat maps show regions, not cities.
func TestManyCitiesFigures(t *testing.T) {
	in := &Input{Codes: []corpus.Code{{ID: "c.a", Label: "A"}, {ID: "c.b", Label: "B"}}}
	for i := 0; i < MaxFigureCities+10; i++ {
		name := "City " + strconv.Itoa(i)
		region := corpus.RegionEurope
		if i%2 == 1 {
			region = corpus.RegionAsiaPacific
		}
		in.Documents = append(in.Documents, corpus.Document{ID: name, City: name, Region: region, Pages: 1})
		pid := name + "-p1"
		in.Passages = append(in.Passages, corpus.Passage{ID: pid, City: name, Region: region, Words: 100, Text: "t"})
		in.Codings = append(in.Codings, corpus.Coding{PassageID: pid, City: name, Region: region, CodeID: []string{"c.a", "c.b"}[i%3%2],
			Score: 1, Evidence: make([]corpus.Evidence, 1+i%4)})
	}
	res, err := Analyze(in, Options{Seed: 1, Permutations: 99})
	if err != nil {
		t.Fatal(err)
	}
	for name, write := range map[string]func(io.Writer) error{"similarity": res.WriteSimilaritySVG, "heatmap": res.WriteHeatmapSVG, "pca": res.WritePCASVG, "dendrogram": res.WriteDendrogramSVG} {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatal(err)
		}
		if b.Len() > 300<<10 || !strings.Contains(b.String(), "<svg") {
			t.Errorf("%s.svg is %d bytes for %d cities", name, b.Len(), len(res.Cities))
		}
	}
}

func TestColumnLabel(t *testing.T) {
	for _, c := range []struct{ label, id, want string }{
		{"Quality in learning", "keyfeatures.quality", "Quality in learning"},
		{"", "charter.demand", "charter.demand"},
		{"  Learning providers ", "charter.providers", "Learning providers"},
		{"A vibrant culture of learning throughout life", "keyfeatures.culture-of-learning", "A vibrant culture of learning…"},
		{"Governance and participation of all stakeholders", "keyfeatures.governance", "Governance and participation of…"},
		{"Supercalifragilisticexpialidociouslylonglabel", "x.y", "Supercalifragilisticexpialidociou…"},
	} {
		if got := columnLabel(c.label, c.id); got != c.want {
			t.Errorf("columnLabel(%q, %q) = %q, want %q", c.label, c.id, got, c.want)
		}
		if n := len([]rune(columnLabel(c.label, c.id))); n > maxColumnLabel {
			t.Errorf("columnLabel(%q) has %d runes, more than %d", c.label, n, maxColumnLabel)
		}
	}
}

func TestPlaceLabels(t *testing.T) {
	bounds := vg.Rectangle{Max: vg.Point{X: 400, Y: 300}}
	size := vg.Point{X: 60, Y: 10}
	for _, c := range []struct {
		name string
		at   []vg.Point
	}{
		{"apart", []vg.Point{{X: 50, Y: 50}, {X: 200, Y: 200}}},
		// Two points closer than a label's width: a right-hand label on
		// each would cover the other.
		{"side by side", []vg.Point{{X: 150, Y: 150}, {X: 170, Y: 150}}},
		{"a cluster", []vg.Point{{X: 150, Y: 150}, {X: 160, Y: 152}, {X: 155, Y: 140}, {X: 148, Y: 160}}},
		// A point at the right edge: its label goes left, inside.
		{"at the edge", []vg.Point{{X: 395, Y: 150}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			sizes := make([]vg.Point, len(c.at))
			for i := range sizes {
				sizes[i] = size
			}
			got := placeLabels(c.at, sizes, bounds)
			for i, r := range got {
				if r.Min.X < bounds.Min.X || r.Max.X > bounds.Max.X || r.Min.Y < bounds.Min.Y || r.Max.Y > bounds.Max.Y {
					t.Errorf("label %d at %v is outside %v", i, r, bounds)
				}
				for j := range i {
					if a := overlap(r, got[j]); a > 0 {
						t.Errorf("labels %d and %d overlap by %v", i, j, a)
					}
				}
				for j, p := range c.at {
					if j != i && p.X > r.Min.X && p.X < r.Max.X && p.Y > r.Min.Y && p.Y < r.Max.Y {
						t.Errorf("label %d at %v covers point %d at %v", i, r, j, p)
					}
				}
			}
		})
	}
}
