package learn

import (
	"bytes"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/lcity/lcity/corpus"
)

// synthetic examples: code "x.fest" when a festival is described, "x.fam"
// when families are, with filler sentences around them.
func synthetic(n int) []Example {
	filler := []string{"The city council met in the spring.", "Residents read the new plan.", "A report was published.",
		"Buses ran late on Monday.", "The harbour was busy."}
	var out []Example
	for i := range n {
		var parts []string
		codes := map[string]bool{}
		parts = append(parts, filler[i%5])
		if i%2 == 0 {
			parts = append(parts, "The learning festival filled the square with stalls.")
			codes["x.fest"] = true
		}
		if i%3 == 0 {
			parts = append(parts, "Parents and their children learned together in family classes.")
			codes["x.fam"] = true
		}
		parts = append(parts, filler[(i/5+2)%5])
		out = append(out, Example{Passage: corpus.Passage{ID: fmt.Sprintf("d-p%04d", i), Text: strings.Join(parts, " ")}, Codes: codes})
	}
	return out
}

func TestTrainPredicts(t *testing.T) {
	codes := []string{"x.fest", "x.fam", "x.none"}
	m, err := Train(synthetic(40), codes, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text string
		want map[string]bool
	}{
		{"This year the learning festival filled the old square.", map[string]bool{"x.fest": true}},
		{"Parents and their children learned together in family classes.", map[string]bool{"x.fam": true}},
		{"The council published a report.", map[string]bool{}},
	}
	for _, tt := range tests {
		got := m.Predict(Features(corpus.Passage{Text: tt.text}, nil))
		for _, c := range codes {
			if (got[c] >= Threshold) != tt.want[c] {
				t.Errorf("Predict(%q)[%s] = %.3f, want coded %v", tt.text, c, got[c], tt.want[c])
			}
		}
	}
}

// TestDeterministic: the same examples give the same model bytes, and a
// model read back predicts the same.
func TestDeterministic(t *testing.T) {
	codes := []string{"x.fest", "x.fam"}
	var outs [2]bytes.Buffer
	for i := range outs {
		m, err := Train(synthetic(30), codes, Options{Lambda: 0.1})
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Write(&outs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(outs[0].Bytes(), outs[1].Bytes()) {
		t.Fatal("two fits of the same examples differ")
	}
	m, err := Read(bytes.NewReader(outs[0].Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	m2, _ := Train(synthetic(30), codes, Options{Lambda: 0.1})
	b := Features(corpus.Passage{Text: "The festival came."}, nil)
	if got, want := m.Predict(b), m2.Predict(b); !reflect.DeepEqual(got, want) {
		t.Errorf("read model predicts %v, fitted one %v", got, want)
	}
}

func TestDictionaryFeatures(t *testing.T) {
	b := Features(corpus.Passage{Text: "Kominkan's classes, the kominkan"}, []corpus.Coding{{CodeID: "k.c", Evidence: []corpus.Evidence{{}, {}}}})
	for _, f := range []string{"s:kominkan", "s:class", "b:kominkan class", "b:the kominkan", "d:k.c", "n:k.c"} {
		if _, ok := b[f]; !ok {
			t.Errorf("Features lacks %q: %v", f, b)
		}
	}
}

func TestCrossValidate(t *testing.T) {
	ex := synthetic(40)
	a, err := CrossValidate(ex, []string{"x.fest"}, 5, 7, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := CrossValidate(ex, []string{"x.fest"}, 5, 7, Options{})
	if !reflect.DeepEqual(a, b) {
		t.Error("the same seed gave different folds")
	}
	right := 0
	for i, e := range ex {
		if (a[i]["x.fest"] >= Threshold) == e.Codes["x.fest"] {
			right++
		}
	}
	if right < 38 {
		t.Errorf("cross-validated: %d of 40 right", right)
	}
	if _, err := CrossValidate(ex, []string{"x"}, 1, 1, Options{}); err == nil {
		t.Error("1 fold accepted")
	}
}

func TestReadRefuses(t *testing.T) {
	for _, in := range []string{``, `{}`, `{"version":1,"codes":["a"],"features":["b","a"],"classifiers":[]}`,
		`{"version":1,"codes":["a"],"features":["a"],"classifiers":[{"code":"a","weights":[]}]}`,
		`{"version":1,"codes":[],"features":[],"classifiers":[],"extra":1}`} {
		if _, err := Read(strings.NewReader(in)); err == nil {
			t.Errorf("Read(%q) accepted", in)
		}
	}
}

// FuzzRead: a model file is untrusted input; Read never panics and what
// it accepts predicts without panicking.
func FuzzRead(f *testing.F) {
	var b bytes.Buffer
	m, _ := Train(synthetic(12), []string{"x.fest"}, Options{})
	m.Write(&b)
	f.Add(b.Bytes())
	f.Add([]byte(`{"version":1,"codes":["a"],"features":["w:a"],"classifiers":[{"code":"a","intercept":1,"weights":[2]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Read(bytes.NewReader(data))
		if err != nil {
			return
		}
		m.Predict(Features(corpus.Passage{Text: "a b festival"}, []corpus.Coding{{CodeID: "a"}}))
	})
}

// TestLearningCurve checks the curve's contract on synthetic passages: the
// full share is CrossValidate itself, the same seed draws the same shares,
// smaller shares train on fewer passages, and bad settings are refused.
func TestLearningCurve(t *testing.T) {
	ex := synthetic(40)
	codes := []string{"x.fest", "x.fam"}
	full, err := CrossValidate(ex, codes, 5, 7, Options{})
	if err != nil {
		t.Fatal(err)
	}
	pts, err := LearningCurve(ex, codes, 5, 7, []float64{0.25, 0.5, 1}, 2, Options{})
	if err != nil {
		t.Fatal(err)
	}
	again, _ := LearningCurve(ex, codes, 5, 7, []float64{0.25, 0.5, 1}, 2, Options{})
	if !reflect.DeepEqual(pts, again) {
		t.Error("the same seed gave a different curve")
	}
	for i, want := range []struct {
		train, repeats int
	}{{8, 2}, {16, 2}, {32, 1}} {
		if pts[i].Train != want.train || len(pts[i].Probs) != want.repeats {
			t.Errorf("point %d: %d training passages, %d repeats; want %d, %d", i, pts[i].Train, len(pts[i].Probs), want.train, want.repeats)
		}
	}
	if !reflect.DeepEqual(pts[2].Probs[0], full) {
		t.Error("the curve at 1 differs from CrossValidate")
	}
	if reflect.DeepEqual(pts[0].Probs[0], pts[0].Probs[1]) {
		t.Error("two draws of a quarter of the passages gave the same probabilities")
	}
	for _, tt := range []struct {
		name      string
		fractions []float64
		repeats   int
	}{
		{"zero share", []float64{0}, 1},
		{"share above 1", []float64{1.5}, 1},
		{"NaN share", []float64{math.NaN()}, 1},
		{"no repeats", []float64{0.5}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := LearningCurve(ex, codes, 5, 7, tt.fractions, tt.repeats, Options{}); err == nil {
				t.Errorf("LearningCurve(%v, %d repeats) = nil error", tt.fractions, tt.repeats)
			}
		})
	}
}
