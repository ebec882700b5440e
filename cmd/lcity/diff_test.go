package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDiff recodes the sample with a charter that lost a term: diff
// reports the changed codebook and the passages that lost the code, and no
// passage changes between the two extractions of the same text.
func TestDiff(t *testing.T) {
	a := filepath.Join(t.TempDir(), "a")
	if code, _, stderr := lcity(t, "run", "--out", a, "--permutations", "99"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	if code, stdout, _ := lcity(t, "diff", a, a); code != 0 || strings.Count(stdout, "unchanged") != 9 {
		t.Errorf("diff of a workspace with itself: exit %d\n%s", code, stdout)
	}
	b := filepath.Join(t.TempDir(), "b")
	if code, _, stderr := lcity(t, "ingest", "--out", b); code != 0 {
		t.Fatalf("ingest: exit %d: %s", code, stderr)
	}
	orig, _ := os.ReadFile(filepath.Join("..", "..", "coding", "codebooks", "charter.yaml"))
	edited := withoutEventTerm(string(orig))
	if edited == string(orig) {
		t.Fatal("charter.yaml no longer has the celebration term for events; update withoutEventTerm")
	}
	cb := filepath.Join(t.TempDir(), "charter.yaml")
	os.WriteFile(cb, []byte(edited), 0o644)
	for _, args := range [][]string{{"code", "--codebook", cb, "--codebook", "keyfeatures", "--codebook", "drivers"}, {"analyze", "--permutations", "99"}} {
		if code, _, stderr := lcity(t, append(args, "--out", b)...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
	}
	code, stdout, stderr := lcity(t, "diff", a, b, "--json")
	if code != 0 {
		t.Fatalf("diff: exit %d: %s", code, stderr)
	}
	var d struct {
		Passages  passageDiff `json:"passages"`
		Codebooks []string    `json:"codebooks"`
		Codings   []struct {
			CodeID  string   `json:"code_id"`
			Added   []string `json:"added"`
			Removed []string `json:"removed"`
		} `json:"codings"`
	}
	if err := json.Unmarshal([]byte(stdout), &d); err != nil {
		t.Fatal(err)
	}
	if d.Passages.Same != 340 || len(d.Passages.Added)+len(d.Passages.Removed)+len(d.Passages.Changed) != 0 {
		t.Errorf("passages of two extractions of the sample: %+v, want 340 the same", d.Passages)
	}
	if len(d.Codebooks) != 1 || !strings.HasPrefix(d.Codebooks[0], "charter: changed") {
		t.Errorf("codebooks = %v", d.Codebooks)
	}
	if len(d.Codings) != 1 || d.Codings[0].CodeID != "charter.celebration" || len(d.Codings[0].Removed) == 0 || len(d.Codings[0].Added) != 0 {
		t.Errorf("codings = %+v", d.Codings)
	}
}
