package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/ingest"
	"github.com/lcity/lcity/internal/testenv"
	"github.com/lcity/lcity/workspace"
)

// TestRunContainsKillerInput: in a folder with the sample corpus and one
// input that makes its worker process take memory without bound (on Linux;
// elsewhere, exit), lcity run writes every document of the sample, and
// failures.csv with that input alone, exits 1, and leaves no worker
// running. The workers are this test binary run as `lcity __ingest-worker`
// (TestMain).
func TestRunContainsKillerInput(t *testing.T) {
	killer, reason := testenv.FaultOOM+"atlantis.md", corpus.ReasonTooMuchMemory
	if runtime.GOOS != "linux" {
		killer, reason = testenv.FaultExit+"atlantis.md", corpus.ReasonCrashed
	}
	dir := writeSampleCorpus(t)
	os.WriteFile(filepath.Join(dir, killer), []byte("# Atlantis\n\nThe learning festival of Atlantis.\n"), 0o644)
	manifest, _ := os.ReadFile(filepath.Join(dir, corpus.ManifestName))
	os.WriteFile(filepath.Join(dir, corpus.ManifestName), append(manifest, "  - {file: "+killer+", city: Atlantis, region: Europe, year: 2015}\n"...), 0o644)
	out := filepath.Join(t.TempDir(), "out")
	code, _, stderr := lcity(t, "run", "--corpus", dir, "--out", out, "--max-memory", "268435456", "--permutations", "99", "--workers", "2")
	if code != exitFailed {
		t.Fatalf("exit %d, want %d: %s", code, exitFailed, stderr)
	}
	if want := "failed: " + filepath.Join(dir, killer) + ": " + reason; !strings.Contains(stderr, want) {
		t.Errorf("stderr does not say %q:\n%s", want, stderr)
	}
	docs, err := workspace.ReadJSONL[corpus.Document](filepath.Join(out, workspace.DocumentsFile))
	if err != nil || len(docs) != 17 {
		t.Errorf("documents.jsonl: %d documents, %v; want the 17 of the sample", len(docs), err)
	}
	fails, err := workspace.ReadFailures(filepath.Join(out, workspace.FailuresFile))
	if err != nil || len(fails) != 1 || fails[0].Reason != reason || filepath.Base(fails[0].Source) != killer {
		t.Errorf("failures.csv = %+v, %v; want %s as %s", fails, err, killer, reason)
	}
	for _, f := range []string{workspace.CodingsFile, workspace.RunFile, workspace.ReportMD} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	if pids, ok := testenv.Children(ingest.WorkerArg); ok && len(pids) > 0 {
		t.Errorf("worker processes %v outlived lcity run", pids)
	}
}

// TestWorkerCommandHidden: the worker command is not in the help, and the
// in-process path gives the same documents.
func TestWorkerCommandHidden(t *testing.T) {
	code, stdout, _ := lcity(t, "--help")
	if code != 0 || strings.Contains(stdout, ingest.WorkerArg) {
		t.Errorf("lcity --help: exit %d, mentions %s:\n%s", code, ingest.WorkerArg, stdout)
	}
	code, stdout, _ = lcity(t, "run", "--help")
	if code != 0 || !strings.Contains(stdout, "--in-process") || !strings.Contains(stdout, "--max-memory") {
		t.Errorf("lcity run --help: exit %d, lacks --in-process or --max-memory:\n%s", code, stdout)
	}
	checkCommands(t, []commandCase{
		{[]string{"ingest", "--max-memory", "-1", "--out", t.TempDir()}, exitUsage, "max-memory"},
	})
}

// TestIngestHostileFolder: lcity ingest over a folder holding every
// hostile, encrypted and font test PDF of package ingest and the two
// sample books accounts for each file once (a document or a failure),
// exits 1 because some fail, and leaves no worker running. A short
// --timeout keeps a file that hangs from holding the test up.
func TestIngestHostileFolder(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for _, pat := range []string{"../../ingest/testdata/hostile/*.pdf", "../../ingest/testdata/encrypted/*.pdf", "../../ingest/testdata/fonts/*.pdf", "../../corpus/sample/*.pdf"} {
		m, _ := filepath.Glob(pat)
		files = append(files, m...)
	}
	if len(files) < 30 {
		t.Fatalf("the hostile, encrypted and font test PDFs: found %d, want 30 or more", len(files))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		// The three folders may share a base name; keep each file.
		name := filepath.Base(filepath.Dir(f)) + "-" + filepath.Base(f)
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "out")
	code, _, stderr := lcity(t, "ingest", "--corpus", dir, "--out", out, "--timeout", "5s", "--workers", "2")
	if code != exitFailed {
		t.Fatalf("exit %d, want %d (some failed): %s", code, exitFailed, stderr)
	}
	docs, fails, seen := sourceRows(t, out)
	if len(seen) != len(files) {
		t.Errorf("%d of %d files accounted for", len(seen), len(files))
	}
	for name, n := range seen {
		if n != 1 {
			t.Errorf("%s: %d rows, want 1", name, n)
		}
	}
	if len(docs) == 0 || len(fails) == 0 {
		t.Errorf("%d documents, %d failures; want some of each", len(docs), len(fails))
	}
	if pids, ok := testenv.Children(ingest.WorkerArg); ok && len(pids) > 0 {
		t.Errorf("worker processes %v outlived lcity ingest", pids)
	}
}
