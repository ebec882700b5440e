package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/lcity/lcity/internal/testenv"
)

// TestBenchmarksProvenance checks the repository's BENCHMARKS.md: every
// table and result block follows, in its section, a provenance line
// naming a commit that git knows. Regenerate the file with
// scripts/benchmarks.sh --write.
func TestBenchmarksProvenance(t *testing.T) {
	root, err := testenv.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, "BENCHMARKS.md"))
	if err != nil {
		t.Fatal(err)
	}
	figs := figures(string(data))
	if len(figs) == 0 {
		t.Fatal("BENCHMARKS.md has no tables or result blocks")
	}
	for _, p := range unprovenanced("BENCHMARKS.md", figs) {
		t.Error(p)
	}
	t.Run("commits exist", func(t *testing.T) {
		git := testenv.Tool(t, "git", "git")
		if _, err := os.Stat(filepath.Join(root, ".git")); err != nil {
			if testenv.CI() {
				t.Fatalf("no .git in %s; CI needs the repository to check the provenance commits", root)
			}
			t.Skipf("no .git in %s (not a clone); provenance commits not checked", root)
		}
		for _, c := range commits(figs) {
			cmd := exec.Command(git, "rev-parse", "--verify", "--quiet", c+"^{commit}")
			cmd.Dir = root
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("BENCHMARKS.md: provenance commit %s: git rev-parse --verify %s^{commit}: %v %s", c, c, err, out)
			}
		}
	})
}
