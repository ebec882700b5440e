package pipeline

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/workspace"
)

const sampleGold = "../corpus/sample/gold/gold.csv"

// smallGold writes the rows of the sample gold whose passages are among
// the first six of each document (102 of 340 passages), so the tests that
// train models stay quick under -race; the full gold is measured by
// cmd/lcity's TestEvalSampleGold.
func smallGold(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(sampleGold)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	header := false
	// The gold file lists each document's passages in reading order: keep
	// the first six of each.
	kept := map[string]map[string]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		id, _, _ := strings.Cut(line, ",")
		if !header || strings.HasPrefix(line, "#") || line == "" {
			header = header || !strings.HasPrefix(line, "#")
			b.WriteString(line + "\n")
			continue
		}
		doc := id[:strings.LastIndex(id, "-")]
		if kept[doc] == nil {
			kept[doc] = map[string]bool{}
		}
		if !kept[doc][id] && len(kept[doc]) < 6 {
			kept[doc][id] = true
		}
		if kept[doc][id] {
			b.WriteString(line + "\n")
		}
	}
	f := filepath.Join(t.TempDir(), "gold.csv")
	if err := os.WriteFile(f, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestCombine(t *testing.T) {
	p := corpus.Passage{ID: "x-p0001", DocID: "x", City: "X"}
	dict := []corpus.Coding{
		{PassageID: p.ID, CodeID: "k.a", Score: 2, Evidence: []corpus.Evidence{{Term: "a"}, {Term: "a"}}},
		{PassageID: p.ID, CodeID: "k.b", Score: 1, Evidence: []corpus.Evidence{{Term: "b"}}},
		{PassageID: p.ID, CodeID: "other.z", Score: 1, Evidence: []corpus.Evidence{{Term: "z"}}},
	}
	probs := map[string]float64{"k.a": 0.9, "k.b": 0.2, "k.c": 0.7, "k.d": 0.1}
	summary := func(cs []corpus.Coding) map[string]string {
		out := map[string]string{}
		for _, c := range cs {
			out[c.CodeID] = c.From()
		}
		return out
	}
	tests := []struct {
		how  string
		want map[string]string
	}{
		{CombineUnion, map[string]string{"k.a": "both", "k.b": "dictionary", "k.c": "model", "other.z": "dictionary"}},
		{CombineModel, map[string]string{"k.a": "both", "k.c": "model", "other.z": "dictionary"}},
	}
	for _, tt := range tests {
		got := combine(p, dict, probs, tt.how)
		if s := summary(got); !reflect.DeepEqual(s, tt.want) {
			t.Errorf("combine(%s) = %v, want %v", tt.how, s, tt.want)
		}
		for _, c := range got {
			switch c.CodeID {
			case "other.z":
				if c.Confidence != nil {
					t.Errorf("combine(%s): a code the model does not know got confidence %v", tt.how, *c.Confidence)
				}
			case "k.c":
				if len(c.Evidence) != 0 || c.Score != 0.7 || *c.Confidence != 0.7 {
					t.Errorf("combine(%s): model-only coding %+v", tt.how, c)
				}
			default:
				if c.Confidence == nil || *c.Confidence != probs[c.CodeID] {
					t.Errorf("combine(%s): %s confidence %v", tt.how, c.CodeID, c.Confidence)
				}
			}
		}
	}
}

// TestLearnAndVerify: coding with a gold file learns model.json, codes
// with the terms and the model (sources and confidences in codings.csv),
// records the gold, and verify reproduces the model and the codings.
func TestLearnAndVerify(t *testing.T) {
	ws := copyWorkspace(t, sample(t))
	cfg := testConfig(ws)
	cfg.Coding.Gold = smallGold(t)
	res, err := Code(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !res.IndexRebuilt || len(res.Cleared) != 1 {
		t.Errorf("Code = %+v; want the index rebuilt and the analysis cleared", res)
	}
	m, err := workspace.ReadManifest(ws)
	if err != nil {
		t.Fatal(err)
	}
	if o, ok := m.Output(workspace.ModelFile); !ok || o.Stage != workspace.StageCode || m.Settings.GoldSHA256 == "" || m.Settings.Lambda == 0 {
		t.Errorf("run.json: model %+v, settings %+v", o, m.Settings)
	}
	sources := map[string]int{}
	cs, err := workspace.ReadCodings(filepath.Join(ws, workspace.CodingsFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		sources[c.From()]++
		if c.Confidence == nil {
			t.Fatalf("coding %s/%s: confidence %v", c.PassageID, c.CodeID, c.Confidence)
		}
	}
	if sources["both"] == 0 || sources["model"] == 0 || sources["dictionary"] == 0 {
		t.Errorf("sources = %v", sources)
	}
	if _, err := Analyze(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	v, err := Verify(context.Background(), filepath.Join(ws, workspace.RunFile), VerifyOptions{})
	if err != nil || len(v.Differences) > 0 {
		t.Errorf("verify a learned workspace: %v, %v", v, err)
	}

	// The model applies to another workspace coded with the same codebooks.
	other := copyWorkspace(t, sample(t))
	cfg2 := testConfig(other)
	cfg2.Coding.Model = filepath.Join(ws, workspace.ModelFile)
	if _, err := Code(context.Background(), cfg2); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(filepath.Join(ws, workspace.CodingsFile))
	b, _ := os.ReadFile(filepath.Join(other, workspace.CodingsFile))
	if string(a) != string(b) {
		t.Error("applying the model file gives other codings than learning it")
	}
	// … but not with other codebooks.
	cfg2.Coding.Codebooks = []string{"charter"}
	if _, err := Code(context.Background(), cfg2); !isUsage(err) {
		t.Errorf("model with other codebooks: %v, want a usage error", err)
	}
}

func isUsage(err error) bool {
	var u *UsageError
	return errors.As(err, &u)
}

func TestLearnConfigErrors(t *testing.T) {
	ws := copyWorkspace(t, sample(t))
	bad := filepath.Join(t.TempDir(), "gold.csv")
	os.WriteFile(bad, []byte("passage_id,code_id\nnowhere-p0001,keyfeatures.quality\n"), 0o644)
	tests := map[string]func(*Config){
		"gold and model":  func(c *Config) { c.Coding.Gold, c.Coding.Model = sampleGold, "m.json" },
		"combine":         func(c *Config) { c.Coding.Combine = "both" },
		"lambda":          func(c *Config) { c.Coding.Lambda = -1 },
		"missing model":   func(c *Config) { c.Coding.Model = filepath.Join(ws, "none.json") },
		"unknown passage": func(c *Config) { c.Coding.Gold = bad },
	}
	for name, set := range tests {
		cfg := testConfig(ws)
		set(&cfg)
		if _, err := Code(context.Background(), cfg); !isUsage(err) {
			t.Errorf("%s: Code = %v, want a usage error", name, err)
		}
	}
}

// TestEvalCrossValidation: --cv gives the same figures with the same seed
// and reports the three codings; --against compares two readers.
func TestEvalCrossValidation(t *testing.T) {
	ws := sample(t)
	opt := EvalOptions{ListedOnly: true, Folds: 5, Seed: 3}
	gold := smallGold(t)
	a, err := Evaluate(ws, gold, opt)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Evaluate(ws, gold, opt)
	if a.Passages != 102 {
		t.Errorf("small gold: %d passages, want 102", a.Passages)
	}
	if !reflect.DeepEqual(a.CV, b.CV) || a.CV == nil {
		t.Fatal("the same seed gave different cross-validations")
	}
	if a.CV.Dictionary.Overall.Kappa == nil || a.CV.Model.Overall.Kappa == nil || a.CV.Union.Overall.Kappa == nil {
		t.Fatalf("cv = %+v", a.CV)
	}
	if *a.CV.Dictionary.Overall.Kappa != *a.Overall.Kappa {
		t.Errorf("cross-validated dictionary kappa %v differs from the workspace's %v", *a.CV.Dictionary.Overall.Kappa, *a.Overall.Kappa)
	}
	if _, err := Evaluate(ws, sampleGold, EvalOptions{Folds: 1000}); !isUsage(err) {
		t.Errorf("1000 folds: %v, want a usage error", err)
	}
	same, err := Evaluate(ws, sampleGold, EvalOptions{Against: sampleGold})
	if err != nil || same.Passages != 340 || *same.Overall.Kappa != 1 {
		t.Errorf("a gold file against itself: %+v, %v", same, err)
	}
}
