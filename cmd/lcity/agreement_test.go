package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lcity/lcity/coding"
	"github.com/lcity/lcity/pipeline"
	"github.com/lcity/lcity/review"
	"github.com/lcity/lcity/workspace"
)

// TestEvalCoders: eval --coders over a store with a coder of the browser
// (who sees the passages she decided on, per codebook) and an imported
// one (who saw the whole document with the codebooks he used); the alphas
// are those of the units the rules give, written out here unit by unit.
func TestEvalCoders(t *testing.T) {
	out, _, ps := handWorkspace(t)
	if code, _, _ := lcity(t, "eval", "--coders", "--out", out); code != 2 {
		t.Errorf("eval --coders without decisions: exit %d, want 2", code)
	}
	s, err := review.Open(filepath.Join(out, review.FileName))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, d := range []review.Decision{
		{Coder: "ana", PassageID: ps[1].ID, CodeID: "charter.partnerships", Action: review.Add},
		{Coder: "ana", PassageID: ps[1].ID, CodeID: "charter.celebration", Action: review.Remove},
		{Coder: "ana", PassageID: ps[2].ID, CodeID: "keyfeatures.quality", Action: review.Add, Span: &review.Span{Start: 0, End: 5}},
		{Coder: "ana", PassageID: ps[2].ID, CodeID: "elsewhere.code", Action: review.Add},
		{Coder: "li", PassageID: ps[3].ID, CodeID: "charter.celebration", Action: review.Add, Span: &review.Span{Start: 2, End: 9}, RequestID: "qdpx:test"},
	} {
		if _, err := s.Record(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	code, stdout, stderr := lcity(t, "eval", "--coders", "--json", "--out", out)
	if code != 0 {
		t.Fatalf("eval --coders: exit %d: %s", code, stderr)
	}
	var ag pipeline.Agreement
	if err := json.Unmarshal([]byte(stdout), &ag); err != nil {
		t.Fatal(err)
	}
	if strings.Join(ag.Codebooks, ",") != "charter,keyfeatures" || ag.Ignored != 1 {
		t.Errorf("codebooks %v, ignored %d; want charter,keyfeatures and 1", ag.Codebooks, ag.Ignored)
	}
	want := []pipeline.AgreementCoder{{Name: pipeline.AutoCoder, Auto: true, Passages: 4}, {Name: "ana", Decisions: 3, Passages: 2}, {Name: "li", Decisions: 1, Passages: 4}}
	if len(ag.Coders) != 3 || ag.Coders[0] != want[0] || ag.Coders[1] != want[1] || ag.Coders[2] != want[2] {
		t.Errorf("coders %+v, want %+v", ag.Coders, want)
	}
	auto := map[[2]string]bool{}
	for _, r := range readCSV(t, filepath.Join(out, workspace.CodingsFile))[1:] {
		auto[[2]string{r[0], r[5]}] = true
	}
	val := func(b bool) int {
		if b {
			return 1
		}
		return 0
	}
	// The units: every passage × code with the auto-coder's value; ana's
	// on passage 2 (charter: partnerships 1, the rest 0) and passage 3
	// (keyfeatures: quality 1); li's on all four passages for charter
	// (celebration on passage 4 only).
	var pooled, pooledHuman coding.Reliability
	for _, c := range ag.Codes {
		var all, human coding.Reliability
		for i, p := range ps {
			vs := []int{val(auto[[2]string{p.ID, c.Code}])}
			var hv []int
			if strings.HasPrefix(c.Code, "charter.") {
				if i == 1 {
					hv = append(hv, val(c.Code == "charter.partnerships"))
				}
				hv = append(hv, val(i == 3 && c.Code == "charter.celebration"))
			}
			if strings.HasPrefix(c.Code, "keyfeatures.") && i == 2 {
				hv = append(hv, val(c.Code == "keyfeatures.quality"))
			}
			all.Add(append(vs, hv...)...)
			human.Add(hv...)
		}
		if c.Units != all.Units() || c.Values != all.Values() || !sameAlpha(c.Alpha, all.Alpha()) ||
			c.HumanUnits != human.Units() || !sameAlpha(c.HumanAlpha, human.Alpha()) {
			t.Errorf("%s: %+v; want %d units, %d values, alpha %v, human units %d, human alpha %v", c.Code, c,
				all.Units(), all.Values(), all.Alpha(), human.Units(), human.Alpha())
		}
		pooled.Merge(all)
		pooledHuman.Merge(human)
	}
	if o := ag.Overall; o.Units != pooled.Units() || !sameAlpha(o.Alpha, pooled.Alpha()) || !sameAlpha(o.HumanAlpha, pooledHuman.Alpha()) {
		t.Errorf("overall %+v, want alpha %v, human alpha %v over %d units", o, pooled.Alpha(), pooledHuman.Alpha(), pooled.Units())
	}
	// By hand: ana and li share only passage 2 with charter, 10 units;
	// they differ on partnerships alone (ana 1, li 0): n = 20, n1 = 1,
	// n0 = 19, observed Σ o_01 + o_10 = 2, expected Σ n_c·n_k = 2·19 = 38,
	// alpha = 1 − 19·2/38 = 0.
	if o := ag.Overall; o.HumanUnits != 10 || o.HumanValues != 20 || o.HumanAlpha == nil || *o.HumanAlpha != 0 {
		t.Errorf("human units %d, values %d, alpha %v; want 10, 20, 0", o.HumanUnits, o.HumanValues, o.HumanAlpha)
	}
	// Text output: the table and the coders.
	code, stdout, _ = lcity(t, "eval", "--coders", "--out", out)
	for _, w := range []string{"charter.partnerships", "(all codes)", "ana (3 decisions, 2 passages seen)", "li (1 decisions, 4 passages seen)", "1 decisions left out"} {
		if code != 0 || !strings.Contains(stdout, w) {
			t.Errorf("eval --coders: exit %d, output lacks %q:\n%s", code, w, stdout)
		}
	}
	if code, _, _ := lcity(t, "eval", "--coders", "--gold", "x.csv", "--out", out); code != 2 {
		t.Errorf("eval --coders --gold: exit %d, want 2", code)
	}
}

func sameAlpha(got *float64, want float64) bool {
	if got == nil {
		return want != want // NaN
	}
	return *got-want < 1e-12 && want-*got < 1e-12
}
