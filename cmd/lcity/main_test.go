package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/ingest"
	"github.com/lcity/lcity/internal/testenv"
	"github.com/lcity/lcity/internal/workerfault"
)

// lcity runs the CLI in-process and returns its exit code and output.
func lcity(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

var (
	sampleOnce sync.Once
	sampleDir  string
	sampleErr  string
)

// sampleRun runs `lcity run` on the embedded sample once for all tests.
func sampleRun(t *testing.T) string {
	t.Helper()
	sampleOnce.Do(func() {
		dir, err := os.MkdirTemp("", "lcity-e2e-")
		if err != nil {
			sampleErr = err.Error()
			return
		}
		sampleDir = filepath.Join(dir, "out")
		code, _, stderr := lcity(t, "run", "--out", sampleDir)
		if code != 0 {
			sampleErr = "lcity run exit " + strconv.Itoa(code) + ": " + stderr
		}
	})
	if sampleErr != "" {
		t.Fatal(sampleErr)
	}
	return sampleDir
}

// TestMain runs the CLI as an ingest worker (its hidden command) when the
// supervisor of a run started this test binary as one, with the test
// faults (testenv.WorkerFault) armed; as lcity itself when a test started it
// as a child process (cliChildEnv); else it runs the tests.
func TestMain(m *testing.M) {
	if ingest.IsWorker() {
		workerfault.Hook = testenv.WorkerFault
		os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	if os.Getenv(cliChildEnv) == "1" {
		os.Exit(cliChild())
	}
	code := m.Run()
	if sampleDir != "" {
		os.RemoveAll(filepath.Dir(sampleDir))
	}
	os.Exit(code)
}

func readCSV(t *testing.T, name string) [][]string {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// writeSampleCorpus copies the embedded sample into a folder.
func writeSampleCorpus(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	c := corpus.Sample()
	err := fs.WalkDir(c.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(c.FS, p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, p), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// commandCase is a command line with its exit code and a piece of its
// output.
type commandCase struct {
	args []string
	code int
	msg  string
}

// checkCommands runs each case as a subtest.
func checkCommands(t *testing.T, tests []commandCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, stdout, stderr := lcity(t, tt.args...)
			if code != tt.code || !strings.Contains(stdout+stderr, tt.msg) {
				t.Errorf("lcity %v = exit %d, %q%q; want exit %d mentioning %q", tt.args, code, stdout, stderr, tt.code, tt.msg)
			}
		})
	}
}

// badCodebook writes a codebook with an empty term (line 5).
func badCodebook(t *testing.T) string {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("name: x\ncodes:\n  - id: a\n    label: A\n    terms: [\"\"]\n"), 0o644)
	return bad
}

func TestUsageErrors(t *testing.T) {
	bad := badCodebook(t)
	checkCommands(t, []commandCase{
		{[]string{"run", "--bogus"}, exitUsage, "unknown flag"},
		{[]string{"frobnicate"}, exitUsage, "unknown command"},
		{[]string{"run", "--weight", "bogus", "--out", t.TempDir()}, exitUsage, "weight"},
		{[]string{"run", "--corpus", "/no/such/dir", "--out", t.TempDir()}, exitUsage, "no/such/dir"},
		{[]string{"ingest", "--fallback", "xpdf", "--out", t.TempDir()}, exitUsage, "want pdftotext"},
		{[]string{"run", "--hypotheses", bad, "--out", t.TempDir()}, exitUsage, "bad.yaml:"},
		{[]string{"search", "--out", t.TempDir(), "x"}, exitUsage, "no index"},
		{[]string{"code", "--out", t.TempDir()}, exitUsage, "not an lcity workspace"},
		{[]string{"kwic", "--out", t.TempDir(), "x"}, exitUsage, "not an lcity workspace"},
		{[]string{"kwic", "--out", filepath.Join(t.TempDir(), "none"), "x"}, exitUsage, "not an lcity workspace"},
	})
}

// TestProfileFlags: --cpuprofile and --memprofile write pprof files.
func TestProfileFlags(t *testing.T) {
	dir := t.TempDir()
	cpu, mem := filepath.Join(dir, "cpu.prof"), filepath.Join(dir, "mem.prof")
	if code, _, stderr := lcity(t, "codebook", "list", "--cpuprofile", cpu, "--memprofile", mem); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, f := range []string{cpu, mem} {
		if st, err := os.Stat(f); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v, want a profile", f, err)
		}
	}
}

// TestExitStatus: each exit code of the README's table.
func TestExitStatus(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, []byte("x"), 0o644)
	broken := writeSampleCorpus(t)
	os.WriteFile(filepath.Join(broken, "broken.pdf"), []byte("%PDF-1.4\nnot really"), 0o644)
	manifest, _ := os.ReadFile(filepath.Join(broken, corpus.ManifestName))
	os.WriteFile(filepath.Join(broken, corpus.ManifestName), append(manifest, "  - {file: broken.pdf, city: Atlantis}\n"...), 0o644)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		args []string
		code int
	}{
		{"success", context.Background(), []string{"codebook", "list"}, exitOK},
		{"some inputs failed", context.Background(), []string{"ingest", "--corpus", broken, "--out", filepath.Join(t.TempDir(), "o")}, exitFailed},
		{"bad usage", context.Background(), []string{"run", "--workers", "-1"}, exitUsage},
		{"--out is a file", context.Background(), []string{"ingest", "--out", file}, exitEnv},
		{"--out under a file", context.Background(), []string{"ingest", "--out", filepath.Join(file, "ws")}, exitEnv},
		{"interrupted", cancelled, []string{"ingest", "--out", filepath.Join(t.TempDir(), "o")}, exitInterrupted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(tt.ctx, tt.args, &stdout, &stderr); code != tt.code {
				t.Errorf("lcity %v = exit %d (%s), want %d", tt.args, code, stderr.String(), tt.code)
			}
		})
	}
}
