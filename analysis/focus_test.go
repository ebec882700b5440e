package analysis

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/lcity/lcity/corpus"
)

// focusInput builds an input whose city i ("City 00", ...) has counts[i][j]
// matches of code c.j in 1,000 words, so that its rate profile is
// counts[i], with the focus table focus.
func focusInput(counts [][]int, focus []FocusCity) *Input {
	in := &Input{Focus: focus}
	for j := range counts[0] {
		in.Codes = append(in.Codes, corpus.Code{ID: fmt.Sprintf("c.%d", j), Label: fmt.Sprintf("Code %d", j)})
	}
	for i, row := range counts {
		name, region := cityName(i), corpus.RegionEurope
		if i%2 == 1 {
			region = corpus.RegionAsiaPacific
		}
		in.Documents = append(in.Documents, corpus.Document{ID: name, City: name, Region: region, Pages: 1})
		pid := name + "-p1"
		in.Passages = append(in.Passages, corpus.Passage{ID: pid, DocID: name, City: name, Region: region, Words: 1000, Text: "t"})
		for j, n := range row {
			if n > 0 {
				in.Codings = append(in.Codings, corpus.Coding{PassageID: pid, City: name, Region: region, CodeID: in.Codes[j].ID,
					Score: float64(n), Evidence: make([]corpus.Evidence, n)})
			}
		}
	}
	return in
}

func cityName(i int) string { return fmt.Sprintf("City %02d", i) }

// label is a focus label coded with codes c.j for j in js.
func label(name string, js ...int) FocusLabel {
	l := FocusLabel{Label: name}
	for _, j := range js {
		l.Codes = append(l.Codes, fmt.Sprintf("c.%d", j))
	}
	return l
}

// diagonal is n cities over n codes, city i coded only with code i;
// focus row i names code i, so every city's focus matches its text.
func diagonal(n int) ([][]int, []FocusCity) {
	counts := make([][]int, n)
	var focus []FocusCity
	for i := range counts {
		counts[i] = make([]int, n)
		counts[i][i] = 10
		focus = append(focus, FocusCity{City: cityName(i), Labels: []FocusLabel{label(fmt.Sprintf("theme %d", i), i)}})
	}
	return counts, focus
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

func TestFocusChecks(t *testing.T) {
	perfect, perfectFocus := diagonal(8)
	same := make([][]int, 8)
	var sameFocus []FocusCity
	for i := range same {
		same[i] = []int{5, 3, 2, 1, 1, 0}
		sameFocus = append(sameFocus, FocusCity{City: cityName(i), Labels: []FocusLabel{label("one", i%6), label("two", (i+2)%6)}})
	}
	tests := []struct {
		name   string
		counts [][]int
		focus  []FocusCity
		check  func(t *testing.T, r *Result)
	}{
		{"perfect match", perfect, perfectFocus, func(t *testing.T, r *Result) {
			ft := r.FocusTest
			// Each profile is closest to its own row: AUC 1, reached only by
			// the identity among 8! permutations, so p is near 1/1000.
			if ft.AUC != 1 || ft.PAUC > 0.01 {
				t.Errorf("AUC = %v, p = %v; want 1 and p < 0.01", ft.AUC, ft.PAUC)
			}
			// Every label found; a shuffled row is found only at its own
			// city, 1 in 8 on average.
			if ft.FoundShare != 1 || ft.PFound > 0.01 || math.Abs(ft.BaselineFoundShare-0.125) > 0.03 {
				t.Errorf("found share = %v (baseline %v, p %v); want 1, about 0.125, p < 0.01", ft.FoundShare, ft.BaselineFoundShare, ft.PFound)
			}
		}},
		{"identical profiles", same, sameFocus, func(t *testing.T, r *Result) {
			// With one profile for all, city i's own row beats row j exactly
			// when city j's row loses to row i: half of all comparisons, under
			// every permutation.
			if ft := r.FocusTest; !near(ft.AUC, 0.5) || ft.PAUC != 1 || ft.PFound != 1 || !near(ft.BaselineFoundShare, ft.FoundShare) {
				t.Errorf("focus test = %+v, want AUC 0.5, p 1 and the baseline equal to the found share", ft)
			}
		}},
		{"ties do not widen the top third", [][]int{{2, 2, 2, 2, 2, 2}, {1, 0, 0, 0, 0, 0}},
			[]FocusCity{{City: cityName(0), Labels: []FocusLabel{label("l0", 0), label("l1", 1), label("l2", 2), label("l3", 3), label("l4", 4), label("l5", 5)}}},
			func(t *testing.T, r *Result) {
				// Six codes tie: the top third is the first two in report order.
				c := r.FocusChecks[0]
				var got []string
				for _, l := range c.Labels {
					got = append(got, l.Status)
				}
				want := []string{FocusFound, FocusFound, FocusNotFound, FocusNotFound, FocusNotFound, FocusNotFound}
				if fmt.Sprint(got) != fmt.Sprint(want) || c.Found != 2 || c.Covered != 6 || r.FocusTest.TopThird != 2 {
					t.Errorf("statuses = %q (found %d/%d, top third %d), want %q", got, c.Found, c.Covered, r.FocusTest.TopThird, want)
				}
			}},
		{"weight 0 is never in the top third", [][]int{{3, 0, 0, 0, 0, 0}, {0, 1, 0, 0, 0, 0}},
			[]FocusCity{{City: cityName(0), Labels: []FocusLabel{label("top", 0), label("absent", 1)}}},
			func(t *testing.T, r *Result) {
				if c := r.FocusChecks[0]; c.Labels[0].Status != FocusFound || c.Labels[1].Status != FocusNotFound {
					t.Errorf("labels = %+v, want the code of weight 0 not found", c.Labels)
				}
			}},
		{"a label counts once", [][]int{{3, 2, 1, 0, 0, 0}, {0, 0, 0, 0, 0, 1}},
			[]FocusCity{{City: cityName(0), Labels: []FocusLabel{label("wide", 0, 1, 2), label("narrow", 4)}}},
			func(t *testing.T, r *Result) {
				if c := r.FocusChecks[0]; c.Found != 1 || c.Covered != 2 || c.FoundShare != 0.5 {
					t.Errorf("found %d/%d (%v), want the three-code label counted once: 1/2", c.Found, c.Covered, c.FoundShare)
				}
			}},
		{"uncovered labels are listed", [][]int{{3, 1, 0}, {0, 1, 3}},
			[]FocusCity{
				{City: cityName(0), Labels: []FocusLabel{label("covered", 0), {Label: "no code"}, {Label: "codes of another codebook", Codes: []string{"x.y"}}}},
				{City: cityName(1), Labels: []FocusLabel{{Label: "nothing at all"}}},
				{City: "Elsewhere", Labels: []FocusLabel{label("absent", 0)}},
			},
			func(t *testing.T, r *Result) {
				c := r.FocusChecks[0]
				if c.Covered != 1 || c.Found != 1 || c.FoundShare != 1 || c.Labels[1].Status != FocusUncovered || c.Labels[2].Status != FocusUncovered {
					t.Errorf("check = %+v, want 1 of 1 covered label found and 2 uncovered", c)
				}
				if c := r.FocusChecks[1]; !math.IsNaN(c.FoundShare) || c.Covered != 0 {
					t.Errorf("city without covered label: %+v, want found share NaN", c)
				}
				if ft := r.FocusTest; ft.Labels != 4 || ft.Covered != 1 || ft.Cities != 1 || !math.IsNaN(ft.AUC) || !math.IsNaN(ft.PFound) {
					t.Errorf("focus test = %+v, want 4 labels, 1 covered, 1 city compared, no baseline", ft)
				}
				rows := focusRows(t, r)
				if got := rows[1][6]; got != "no code | codes of another codebook" {
					t.Errorf("uncovered = %q, want both uncovered labels", got)
				}
				if got := rows[2][5]; got != "NA" {
					t.Errorf("found_share without covered label = %q, want NA", got)
				}
				if got := rows[3][4] + " " + rows[3][8]; got != "NA NA" {
					t.Errorf("found and cosine of a city not in the corpus = %q, want NA NA", got)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Analyze(focusInput(tt.counts, tt.focus), Options{Seed: 11, Permutations: 999})
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, r)
		})
	}
}

func focusRows(t *testing.T, r *Result) [][]string {
	t.Helper()
	var b bytes.Buffer
	if err := r.WriteFocus(&b); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatalf("focus_check.csv: %v", err)
	}
	return rows
}

// goldenFocus is a constructed focus table over 6 cities and 6 codes:
// covered, uncovered, multi-code and not-found labels and a city that is
// not in the corpus.
func goldenFocus() *Input {
	counts := [][]int{
		{9, 4, 1, 0, 0, 0},
		{0, 8, 5, 1, 0, 0},
		{0, 0, 7, 7, 7, 1},
		{1, 0, 0, 6, 3, 0},
		{0, 1, 0, 0, 5, 5},
		{2, 2, 2, 2, 2, 2},
	}
	focus := []FocusCity{
		{City: cityName(0), Labels: []FocusLabel{label("economic development", 0), label("inclusion: migrants, families (and others)", 1, 5), {Label: "demography"}}},
		{City: cityName(1), Labels: []FocusLabel{label("quality of life", 1), label("environment", 4)}},
		{City: cityName(2), Labels: []FocusLabel{label("learning communities", 3, 4), label("celebration", 2)}},
		{City: cityName(3), Labels: []FocusLabel{label("competitiveness", 3), {Label: "digitalisation"}}},
		{City: cityName(4), Labels: []FocusLabel{label("sustainability", 5), label("culture", 0)}},
		{City: cityName(5), Labels: []FocusLabel{label("everything", 0, 1, 2, 3, 4, 5)}},
		{City: "Elsewhere", Labels: []FocusLabel{label("economic development", 0)}},
	}
	return focusInput(counts, focus)
}

// TestFocusGolden checks focus_check.csv and the report's focus section of
// goldenFocus against testdata/golden/focus/ (rewrite with go test
// ./analysis -update and review the diff).
func TestFocusGolden(t *testing.T) {
	r, err := Analyze(goldenFocus(), Options{Seed: 5, Permutations: 10000})
	if err != nil {
		t.Fatal(err)
	}
	var csvOut bytes.Buffer
	if err := r.WriteFocus(&csvOut); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "focus/focus_check.csv", csvOut.Bytes())
	var md bytes.Buffer
	r.focusText(&md)
	checkGolden(t, "focus/report_section.md", md.Bytes())
}

// TestFocusDeterministic expects the same bytes from the same seed.
func TestFocusDeterministic(t *testing.T) {
	meta := ReportMeta{CorpusSource: "test"}
	var outs [2]string
	for i := range outs {
		r, err := Analyze(goldenFocus(), Options{Seed: 5, Permutations: 2000})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := r.WriteFocus(&b); err != nil {
			t.Fatal(err)
		}
		if err := r.WriteHTML(&b, meta); err != nil {
			t.Fatal(err)
		}
		outs[i] = b.String()
	}
	if outs[0] != outs[1] {
		t.Error("focus_check.csv and report.html differ between two runs with the same seed")
	}
}

// TestFocusDetailParses reads the detail column back with the rule
// WriteFocus documents.
func TestFocusDetailParses(t *testing.T) {
	r, err := Analyze(goldenFocus(), Options{Seed: 5, Permutations: 99})
	if err != nil {
		t.Fatal(err)
	}
	rows := focusRows(t, r)
	item := regexp.MustCompile(`^(.*): ((?:\S+ )*)\[(found|not found|uncovered|not checked)\]$`)
	for x, c := range r.FocusChecks {
		items := strings.Split(rows[x+1][7], " | ")
		if len(items) != len(c.Labels) {
			t.Fatalf("%s: detail %q has %d items, want %d", c.City, rows[x+1][7], len(items), len(c.Labels))
		}
		for y, it := range items {
			m := item.FindStringSubmatch(it)
			l := c.Labels[y]
			if m == nil || m[1] != l.Label || strings.Join(strings.Fields(m[2]), " ") != strings.Join(l.Codes, " ") || m[3] != l.Status {
				t.Errorf("%s: detail item %q does not parse back to %+v", c.City, it, l)
			}
		}
	}
	if last := rows[len(rows)-1]; last[0] != "(all)" || last[13] != "99" {
		t.Errorf("summary row = %q, want (all) with 99 permutations", last)
	}
}

// TestFocusCSVLabels guards the detail encoding: no label of the embedded
// focus table may contain its separator.
func TestFocusCSVLabels(t *testing.T) {
	rows, err := csv.NewReader(bytes.NewReader(corpus.FocusCSV())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows[1:] {
		for _, l := range row[1:] {
			if strings.Contains(l, " | ") {
				t.Errorf("focus.csv: %s label %q contains \" | \"", row[0], l)
			}
		}
	}
}

// TestFocusHTML checks that the focus section leaks no Markdown into the
// HTML, and that a label with Markdown characters is shown as written.
func TestFocusHTML(t *testing.T) {
	in := goldenFocus()
	in.Focus[1].Labels[0].Label = "a | `code` and *stars* **bold**"
	r, err := Analyze(in, Options{Seed: 5, Permutations: 99})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := r.WriteHTML(&b, ReportMeta{CorpusSource: "test"}); err != nil {
		t.Fatal(err)
	}
	h := b.String()
	start := strings.Index(h, "<h2>Focus-table check</h2>")
	end := strings.Index(h[start:], "<h2>Limits</h2>")
	if start < 0 || end < 0 {
		t.Fatalf("report.html has no focus section")
	}
	section := h[start : start+end]
	for _, leak := range []string{"---", "##", "<em>", "<strong>", "<code>code</code>"} {
		if strings.Contains(section, leak) {
			t.Errorf("focus section of report.html contains %q:\n%s", leak, section)
		}
	}
	// The label is shown as written, its Markdown characters literal.
	if !strings.Contains(section, "a | `code` and *stars* **bold**") {
		t.Errorf("focus section of report.html does not show the label as written:\n%s", section)
	}
	if strings.Count(section, "<tr>") != 7 {
		t.Errorf("focus table has %d rows, want a header and 6 cities:\n%s", strings.Count(section, "<tr>"), section)
	}
}

// BenchmarkFocusChecks measures the focus-table check at the size of the
// sample: 17 cities, 25 codes, 10,000 permutations.
func BenchmarkFocusChecks(b *testing.B) {
	counts := make([][]int, 17)
	var focus []FocusCity
	for i := range counts {
		counts[i] = make([]int, 25)
		for j := range counts[i] {
			counts[i][j] = (i*7 + j*13) % 11
		}
		focus = append(focus, FocusCity{City: cityName(i), Labels: []FocusLabel{label("a", i%25), label("b", (i+3)%25, (i+9)%25), label("c", (i*5)%25), {Label: "d"}}})
	}
	res, err := Analyze(focusInput(counts, focus), Options{Seed: 1, Permutations: 10000})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		res.FocusChecks = nil
		res.focusChecks()
	}
}

// TestFocusAUCByDefinition recomputes the AUC of goldenFocus straight from
// its definition: for each compared city i and other city j, does i's
// profile have a larger cosine with i's focus vector than with j's?
func TestFocusAUCByDefinition(t *testing.T) {
	r, err := Analyze(goldenFocus(), Options{Seed: 5, Permutations: 99})
	if err != nil {
		t.Fatal(err)
	}
	ci := r.cityIndex()
	var rows, vecs [][]float64
	for _, c := range r.FocusChecks {
		if !c.InCorpus || c.Covered == 0 {
			continue
		}
		vec := make([]float64, len(r.Codes))
		for _, l := range c.Labels {
			for _, code := range l.Codes {
				for j, k := range r.Codes {
					if k.ID == code {
						vec[j] = 1
					}
				}
			}
		}
		rows = append(rows, r.Matrix.RawRowView(ci[c.City]))
		vecs = append(vecs, vec)
	}
	score, pairs := 0.0, 0
	for i := range rows {
		for j := range rows {
			if i == j {
				continue
			}
			own, other := cosine(rows[i], vecs[i]), cosine(rows[i], vecs[j])
			switch {
			case near(own, other):
				score += 0.5
			case own > other:
				score++
			}
			pairs++
		}
	}
	if want := score / float64(pairs); !near(r.FocusTest.AUC, want) || r.FocusTest.Cities != len(rows) {
		t.Errorf("AUC = %v over %d cities, want %v over %d", r.FocusTest.AUC, r.FocusTest.Cities, want, len(rows))
	}
}
