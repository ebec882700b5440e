package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/internal/testenv"
	"github.com/lcity/lcity/workspace"
)

func TestFolderWithoutManifest(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "okayama.md"), []byte("# Okayama\n\n## Making learning accessible\n\nThe kominkan are community learning centres for families.\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "scan.pdf"), []byte("%PDF-1.4\ngarbage"), 0o644)
	out := filepath.Join(t.TempDir(), "out")
	code, _, stderr := lcity(t, "ingest", "--corpus", dir, "--out", out)
	if code != 1 {
		t.Fatalf("ingest exit %d, want 1: %s", code, stderr)
	}
	docs, _ := workspace.ReadJSONL[corpus.Document](filepath.Join(out, workspace.DocumentsFile))
	if len(docs) != 1 || docs[0].City != "Okayama" || docs[0].Region != corpus.RegionUnknown {
		t.Errorf("documents = %+v", docs)
	}
	// The stages run one by one on the same workspace.
	for _, args := range [][]string{{"code"}, {"index"}, {"analyze", "--permutations", "9"}} {
		if code, _, stderr := lcity(t, append(args, "--out", out)...); code != 0 {
			t.Errorf("lcity %v: exit %d: %s", args, code, stderr)
		}
	}
	if code, stdout, _ := lcity(t, "search", "--out", out, "kominkan"); code != 0 || !strings.Contains(stdout, "Okayama") {
		t.Errorf("search after stages: exit %d\n%s", code, stdout)
	}
}

// TestIngestSharedPDFs runs `lcity ingest` on the real-world PDFs of
// ../shared/pdfs (a failure under CI when absent): exit 0 or 1, and every file is in
// documents.jsonl or in failures.csv, never both.
func TestIngestSharedPDFs(t *testing.T) {
	dir := testenv.Shared(t, "pdfs")
	files, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
	if len(files) == 0 {
		t.Fatalf("no PDFs in %s", dir)
	}
	out := filepath.Join(t.TempDir(), "out")
	code, _, stderr := lcity(t, "ingest", "--corpus", dir, "--out", out)
	if code != 0 && code != 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	_, fails, seen := sourceRows(t, out)
	for _, f := range files {
		if n := seen[filepath.Base(f)]; n != 1 {
			t.Errorf("%s: in documents and failures %d times, want once", filepath.Base(f), n)
		}
	}
	if (len(fails) > 0) != (code == 1) {
		t.Errorf("exit %d with %d failures", code, len(fails))
	}
}

// sourceRows reads a workspace's documents and failures and counts, per
// input file name, the rows that name it in either.
func sourceRows(t *testing.T, out string) ([]corpus.Document, []corpus.Failure, map[string]int) {
	t.Helper()
	docs, err := workspace.ReadJSONL[corpus.Document](filepath.Join(out, workspace.DocumentsFile))
	if err != nil {
		t.Fatal(err)
	}
	fails, err := workspace.ReadFailures(filepath.Join(out, workspace.FailuresFile))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, d := range docs {
		seen[filepath.Base(d.Source)]++
	}
	for _, f := range fails {
		seen[filepath.Base(f.Source)]++
	}
	return docs, fails, seen
}
