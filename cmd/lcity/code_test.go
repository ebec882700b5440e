package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lcity/lcity/workspace"
)

// TestCodeWithDictionary codes the sample with a LIWC dictionary: its
// categories become codes named <file stem>.<category>.
func TestCodeWithDictionary(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := lcity(t, "ingest", "--out", out); code != 0 {
		t.Fatalf("ingest: exit %d: %s", code, stderr)
	}
	dic := filepath.Join("..", "..", "coding", "testdata", "mini.dic")
	if code, _, stderr := lcity(t, "code", "--out", out, "--codebook", dic); code != 0 {
		t.Fatalf("code --codebook mini.dic: exit %d: %s", code, stderr)
	}
	cs, err := workspace.ReadCodings(filepath.Join(out, workspace.CodingsFile))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int{}
	for _, c := range cs {
		ids[c.CodeID]++
	}
	if len(cs) == 0 || ids["mini.family"] == 0 || ids["mini.festival"] == 0 || len(ids) != 2 {
		t.Errorf("codings by code = %v, want only mini.family and mini.festival", ids)
	}
	if code, stdout, _ := lcity(t, "codebook", "validate", dic); code != 0 || !strings.Contains(stdout, "codebook mini") {
		t.Errorf("validate mini.dic: exit %d %q", code, stdout)
	}
}

// withoutEventTerm is the charter codebook without the celebration term
// that finds events (a NEAR rule on /events?/).
func withoutEventTerm(charter string) string {
	var keep []string
	for _, line := range strings.SplitAfter(charter, "\n") {
		if !strings.Contains(line, "'/events?/ NEAR/") {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "")
}

// TestCodeRefreshesIndex: recoding a workspace that has an index rebuilds
// it, so the --code filter sees the new codes.
func TestCodeRefreshesIndex(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := lcity(t, "run", "--out", out, "--permutations", "9"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	total := func() int {
		t.Helper()
		code, stdout, stderr := lcity(t, "search", "--out", out, "--json", "--code", "charter.celebration", "event")
		if code != 0 {
			t.Fatalf("search: exit %d: %s", code, stderr)
		}
		var res struct{ Total int }
		json.Unmarshal([]byte(stdout), &res)
		return res.Total
	}
	before := total()
	orig, _ := os.ReadFile(filepath.Join("..", "..", "coding", "codebooks", "charter.yaml"))
	cb := filepath.Join(t.TempDir(), "charter.yaml")
	os.WriteFile(cb, []byte(withoutEventTerm(string(orig))), 0o644)
	if code, _, stderr := lcity(t, "code", "--out", out, "--codebook", cb, "--codebook", "keyfeatures", "--codebook", "drivers"); code != 0 {
		t.Fatalf("code: exit %d: %s", code, stderr)
	}
	if after := total(); before == 0 || after >= before {
		t.Errorf("passages with 'event' coded charter.celebration: %d before, %d after recoding without 'event'; the index kept the old codes", before, after)
	}
}

// TestEditedCodebookAfterCoding: after the codebook file a workspace was
// coded with is edited, export and analyze use the workspace's copy of the
// codebook as it was, not the edited file.
func TestEditedCodebookAfterCoding(t *testing.T) {
	orig, _ := os.ReadFile(filepath.Join("..", "..", "coding", "codebooks", "charter.yaml"))
	cb := filepath.Join(t.TempDir(), "charter.yaml")
	os.WriteFile(cb, orig, 0o644)
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := lcity(t, "run", "--out", out, "--permutations", "9", "--codebook", cb, "--codebook", "keyfeatures", "--codebook", "drivers"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "codebooks", "charter.yaml")); err != nil {
		t.Fatalf("no codebook copy in the workspace: %v", err)
	}
	edited := strings.Replace(string(orig), "id: celebration", "id: festivals", 1)
	if edited == string(orig) {
		t.Fatal("charter.yaml has no code celebration; update the test")
	}
	os.WriteFile(cb, []byte(edited), 0o644)
	qdpx := filepath.Join(t.TempDir(), "x.qdpx")
	if code, _, stderr := lcity(t, "export", "qdpx", "--out", out, qdpx); code != 0 {
		t.Fatalf("export after the edit: exit %d: %s", code, stderr)
	}
	x, _ := os.ReadFile(qdpx)
	zr, _ := zip.NewReader(bytes.NewReader(x), int64(len(x)))
	rc, _ := zr.File[0].Open()
	qde, _ := io.ReadAll(rc)
	if !strings.Contains(string(qde), "charter.celebration") || strings.Contains(string(qde), "charter.festivals") {
		t.Error("export used the edited codebook instead of the one the workspace was coded with")
	}
	if code, _, stderr := lcity(t, "analyze", "--out", out, "--permutations", "9"); code != 0 {
		t.Errorf("analyze after the edit: exit %d: %s", code, stderr)
	}
	if p, _ := os.ReadFile(filepath.Join(out, workspace.ProfilesFile)); !strings.Contains(string(p), "charter.celebration") {
		t.Error("analyze used the edited codebook")
	}
}
