package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lcity/lcity/workspace"
)

// TestVerify: a fresh run verifies; after similarity.csv is edited, verify
// exits 1 naming it; a damaged run.json is a usage error.
func TestVerify(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := lcity(t, "run", "--out", out, "--permutations", "99"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	runJSON := filepath.Join(out, workspace.RunFile)
	if code, stdout, stderr := lcity(t, "verify", runJSON); code != 0 || !strings.Contains(stdout, "verified") {
		t.Fatalf("verify a fresh run: exit %d\n%s%s", code, stdout, stderr)
	}
	f, _ := os.OpenFile(filepath.Join(out, workspace.SimilarityFile), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("edited\n")
	f.Close()
	code, stdout, _ := lcity(t, "verify", runJSON)
	if code != 1 || !strings.Contains(stdout, "similarity.csv") {
		t.Errorf("verify after editing similarity.csv: exit %d\n%s", code, stdout)
	}
	bad := filepath.Join(t.TempDir(), "run.json")
	os.WriteFile(bad, []byte(`{"tool":"lcity","bogus":1}`), 0o644)
	if code, _, stderr := lcity(t, "verify", bad); code != 2 || !strings.Contains(stderr, "bogus") {
		t.Errorf("verify a damaged run.json: exit %d %q, want 2", code, stderr)
	}
}

// TestVerifyRelativeCorpus: a run on a corpus given as a relative path
// verifies from another working directory (documents record sources
// relative to the corpus as given).
func TestVerifyRelativeCorpus(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "corp"), 0o755)
	os.WriteFile(filepath.Join(root, "corp", "cork.md"), []byte("# Cork\n\n## Intro\n\nThe learning festival welcomes migrants and families.\n"), 0o644)
	t.Chdir(root)
	if code, _, stderr := lcity(t, "run", "--corpus", "corp", "--out", "ws", "--permutations", "9"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	t.Chdir(t.TempDir())
	if code, stdout, stderr := lcity(t, "verify", filepath.Join(root, "ws", workspace.RunFile)); code != 0 {
		t.Errorf("verify from elsewhere: exit %d\n%s%s", code, stdout, stderr)
	}
}
