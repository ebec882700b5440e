package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lcity/lcity/workspace"
)

// TestEval compares the sample's codings with gold files made from them:
// the same codings agree fully (kappa 1); a copy without every third row
// agrees partly (0 < kappa < 1); bad gold files are usage errors.
func TestEval(t *testing.T) {
	out := sampleRun(t)
	cs, err := workspace.ReadCodings(filepath.Join(out, workspace.CodingsFile))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, keep func(i int) bool) string {
		var b strings.Builder
		b.WriteString("passage_id,code_id\n")
		n := 0
		for _, c := range cs {
			if strings.HasPrefix(c.CodeID, "charter.") {
				if keep(n) {
					fmt.Fprintf(&b, "%s,%s\n", c.PassageID, c.CodeID)
				}
				n++
			}
		}
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(b.String()), 0o644)
		return p
	}
	kappa := func(gold string) float64 {
		t.Helper()
		code, stdout, stderr := lcity(t, "eval", "--out", out, "--gold", gold, "--json")
		if code != 0 {
			t.Fatalf("eval: exit %d: %s", code, stderr)
		}
		var rep struct {
			Codes   map[string]json.RawMessage                        `json:"codes"`
			Overall struct{ Kappa, Alpha, PercentAgreement *float64 } `json:"overall"`
		}
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
			t.Fatal(err)
		}
		if len(rep.Codes) != 10 || rep.Overall.Kappa == nil || rep.Overall.Alpha == nil {
			t.Fatalf("eval JSON: %s", stdout)
		}
		return *rep.Overall.Kappa
	}
	if k := kappa(write("same.csv", func(int) bool { return true })); k != 1 {
		t.Errorf("kappa against its own codings = %v, want 1", k)
	}
	if k := kappa(write("thin.csv", func(i int) bool { return i%3 != 0 })); k <= 0 || k >= 1 {
		t.Errorf("kappa against a thinned copy = %v, want strictly between 0 and 1", k)
	}
	unknown := filepath.Join(dir, "unknown.csv")
	os.WriteFile(unknown, []byte("passage_id,code_id\nnowhere-p0001,charter.inclusion\n"), 0o644)
	badCode := filepath.Join(dir, "badcode.csv")
	os.WriteFile(badCode, []byte("passage_id,code_id\n"+cs[0].PassageID+",charter.nosuch\n"), 0o644)
	for _, tt := range []struct{ gold, want string }{{unknown, "unknown.csv:2"}, {badCode, "badcode.csv:2"}, {filepath.Join(dir, "missing.csv"), "missing.csv"}} {
		if code, _, stderr := lcity(t, "eval", "--out", out, "--gold", tt.gold); code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("eval --gold %s: exit %d %q, want 2 naming %s", tt.gold, code, stderr, tt.want)
		}
	}
}

// TestEvalSampleGold evaluates the embedded codebooks against the sample
// gold set (340 passages, 25 codes, two AI readers and an AI adjudicator;
// see its header): the dictionary, and with --cv 10 a model learned in
// folds and the union, next to the readers' agreement with each other, the
// ceiling. The figures are pinned: a change to a codebook, to the learner
// or to ingest that moves them must be noticed, and CODEBOOK.md and
// BENCHMARKS.md updated with it.
func TestEvalSampleGold(t *testing.T) {
	out := sampleRun(t)
	dir := filepath.Join("..", "..", "corpus", "sample", "gold")
	type overall struct{ Kappa, Alpha *float64 }
	figures := func(o overall) string {
		t.Helper()
		if o.Kappa == nil || o.Alpha == nil {
			t.Fatalf("kappa %v, alpha %v; want both", o.Kappa, o.Alpha)
		}
		return fmt.Sprintf("%.3f/%.3f", *o.Kappa, *o.Alpha)
	}
	eval := func(args ...string) (rep struct {
		Passages int     `json:"passages"`
		Overall  overall `json:"overall"`
		CV       *struct {
			Dictionary, Model, Union struct {
				Overall overall `json:"overall"`
			}
		} `json:"cross_validation"`
	}) {
		t.Helper()
		code, stdout, stderr := lcity(t, append([]string{"eval", "--out", out, "--json"}, args...)...)
		if code != 0 {
			t.Fatalf("eval %v: exit %d: %s", args, code, stderr)
		}
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
			t.Fatal(err)
		}
		return rep
	}
	gold := filepath.Join(dir, "gold.csv")
	rep := eval("--gold", gold, "--listed-only", "--cv", "10")
	if rep.CV == nil {
		t.Fatal("no cross-validation in the report")
	}
	got := fmt.Sprintf("%d dictionary %s cv: dictionary %s model %s union %s", rep.Passages, figures(rep.Overall),
		figures(rep.CV.Dictionary.Overall), figures(rep.CV.Model.Overall), figures(rep.CV.Union.Overall))
	const want = "340 dictionary 0.678/0.689 cv: dictionary 0.678/0.689 model 0.691/0.707 union 0.680/0.691"
	if got != want {
		t.Errorf("sample gold, kappa/alpha:\n got %s\nwant %s", got, want)
	}
	readers := eval("--gold", filepath.Join(dir, "readers", "reader-a.csv"), "--against", filepath.Join(dir, "readers", "reader-b.csv"))
	if got, want := fmt.Sprintf("%d %s", readers.Passages, figures(readers.Overall)), "340 0.869/0.874"; got != want {
		t.Errorf("reader A against reader B, kappa/alpha = %s; want %s", got, want)
	}
}

// TestEvalLearningCurve pins the learning curve of the model on the sample
// gold (eval --cv 10 --curve): the model's and the union's mean kappa when
// each fold's model learns from 25, 50, 75 and 100 % of its training
// passages. The figures are the evidence for how much a bigger gold set
// would help; BENCHMARKS.md and CODEBOOK.md quote them.
func TestEvalLearningCurve(t *testing.T) {
	if testing.Short() {
		t.Skip("ten cross-validations of the sample gold")
	}
	out := sampleRun(t)
	gold := filepath.Join("..", "..", "corpus", "sample", "gold", "gold.csv")
	code, stdout, stderr := lcity(t, "eval", "--out", out, "--json", "--gold", gold, "--listed-only", "--cv", "10", "--curve")
	if code != 0 {
		t.Fatalf("eval --curve: exit %d: %s", code, stderr)
	}
	var rep struct {
		CV struct {
			Curve []struct {
				Fraction   float64
				Train      int       `json:"train_passages"`
				ModelKappa []float64 `json:"model_kappa"`
				UnionKappa []float64 `json:"union_kappa"`
			} `json:"learning_curve"`
		} `json:"cross_validation"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range rep.CV.Curve {
		s := fmt.Sprintf("%g %d model", p.Fraction, p.Train)
		for _, k := range p.ModelKappa {
			s += fmt.Sprintf(" %.3f", k)
		}
		s += " union"
		for _, k := range p.UnionKappa {
			s += fmt.Sprintf(" %.3f", k)
		}
		got = append(got, s)
	}
	want := []string{
		"0.25 77 model 0.664 0.667 0.659 union 0.679 0.679 0.678",
		"0.5 153 model 0.678 0.685 0.683 union 0.680 0.678 0.678",
		"0.75 230 model 0.690 0.689 0.685 union 0.678 0.680 0.678",
		"1 306 model 0.691 union 0.680",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("learning curve:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
	if code, _, stderr := lcity(t, "eval", "--out", out, "--gold", gold, "--curve"); code != 2 || !strings.Contains(stderr, "--curve needs --cv") {
		t.Errorf("eval --curve without --cv: exit %d %q, want 2", code, stderr)
	}
}
