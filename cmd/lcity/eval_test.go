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

// TestEvalSampleGold evaluates the embedded keyfeatures codebook against
// the sample gold set of 153 passages (coded by one AI helper session,
// see its header). The figures are pinned:
// a change to the codebook or to ingest that moves them must be noticed
// (and the README's numbers updated).
func TestEvalSampleGold(t *testing.T) {
	out := sampleRun(t)
	gold := filepath.Join("..", "..", "corpus", "sample", "gold", "keyfeatures.csv")
	code, stdout, stderr := lcity(t, "eval", "--out", out, "--gold", gold, "--listed-only", "--json")
	if code != 0 {
		t.Fatalf("eval: exit %d: %s", code, stderr)
	}
	var rep struct {
		Passages int `json:"passages"`
		Overall  struct {
			Kappa, Alpha *float64
		} `json:"overall"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Overall.Kappa == nil || rep.Overall.Alpha == nil {
		t.Fatalf("gold set: kappa %v, alpha %v; want both", rep.Overall.Kappa, rep.Overall.Alpha)
	}
	if got := fmt.Sprintf("%d %.3f %.3f", rep.Passages, *rep.Overall.Kappa, *rep.Overall.Alpha); got != "153 0.474 0.434" {
		t.Errorf("gold set: passages, kappa, alpha = %s; want 153 0.474 0.434", got)
	}
}
