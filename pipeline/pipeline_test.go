package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/lcity/lcity/ingest"
	"github.com/lcity/lcity/internal/testenv"
	"github.com/lcity/lcity/internal/workerfault"
	"github.com/lcity/lcity/workspace"
)

var (
	sampleOnce sync.Once
	sampleDir  string
	sampleErr  error
)

// testConfig is the default configuration with few permutations, into out.
func testConfig(out string) Config {
	cfg := Default()
	cfg.Out = out
	cfg.Analysis.Permutations = 99
	cfg.LockWait = 0
	return cfg
}

// sample runs the embedded sample once for the package's tests; tests
// that change the workspace work on a copy (copyWorkspace).
func sample(t *testing.T) string {
	t.Helper()
	sampleOnce.Do(func() {
		dir, err := os.MkdirTemp("", "lcity-pipeline-")
		if err != nil {
			sampleErr = err
			return
		}
		sampleDir = filepath.Join(dir, "out")
		_, sampleErr = Run(context.Background(), testConfig(sampleDir))
	})
	if sampleErr != nil {
		t.Fatal(sampleErr)
	}
	return sampleDir
}

// TestMain serves as an ingest worker when the supervisor of a run
// started this test binary as one, with the test faults
// (testenv.WorkerFault) armed; else it runs the tests.
func TestMain(m *testing.M) {
	if ingest.IsWorker() {
		workerfault.Hook = testenv.WorkerFault
		if err := ingest.ServeWorker(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	code := m.Run()
	if sampleDir != "" {
		os.RemoveAll(filepath.Dir(sampleDir))
	}
	os.Exit(code)
}

// copyWorkspace copies a workspace (with its extraction cache) to a new
// folder.
func copyWorkspace(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "ws")
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.Create(target)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func contains(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// TestOneTruth edits every output of a run by hand, one at a time, and
// checks that run, verify and diff agree about it: run does not call the
// workspace up to date (and writes the file again), verify lists it, and
// diff against the untouched workspace lists it.
func TestOneTruth(t *testing.T) {
	clean := sample(t)
	m, err := workspace.ReadManifest(clean)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Outputs) < 30 {
		t.Fatalf("run.json records %d outputs, want every file of the workspace", len(m.Outputs))
	}
	stages := map[string]bool{}
	for _, o := range m.Outputs {
		stages[o.Stage] = true
		t.Run(o.Path, func(t *testing.T) {
			t.Parallel()
			ws := copyWorkspace(t, clean)
			name := filepath.Join(ws, filepath.FromSlash(strings.TrimSuffix(o.Path, "/")))
			if o.SHA256 == "" {
				if err := os.RemoveAll(name); err != nil { // the index is not hashed: remove it
					t.Fatal(err)
				}
			} else {
				f, err := os.OpenFile(name, os.O_APPEND|os.O_WRONLY, 0)
				if err != nil {
					t.Fatal(err)
				}
				f.WriteString("edited by hand\n")
				f.Close()
			}
			ctx := context.Background()
			v, err := Verify(ctx, filepath.Join(ws, workspace.RunFile), VerifyOptions{NoRerun: true})
			if err != nil {
				t.Fatal(err)
			}
			if !contains(v.Differences, "output "+o.Path+":") {
				t.Errorf("verify does not list the edited %s: %q", o.Path, v.Differences)
			}
			d, err := DiffWorkspaces(clean, ws, DiffOptions{Tolerance: 0.01, Alpha: 0.05})
			if err != nil {
				t.Fatal(err)
			}
			if !contains(d.Integrity, "B: output "+o.Path+":") || d.Empty() {
				t.Errorf("diff does not list the edited %s: %q", o.Path, d.Integrity)
			}
			res, err := Run(ctx, testConfig(ws))
			if err != nil {
				t.Fatal(err)
			}
			if res.UpToDate {
				t.Fatalf("run calls the workspace up to date with %s edited", o.Path)
			}
			if bad, err := m.Check(ws); err != nil || len(bad) > 0 {
				t.Errorf("after the rerun: %v %v, want every output as recorded", bad, err)
			}
		})
	}
	for _, st := range []string{workspace.StageIngest, workspace.StageCode, workspace.StageIndex, workspace.StageAnalyze} {
		if !stages[st] {
			t.Errorf("no output of stage %s in run.json", st)
		}
	}
}

// TestStagesRefuseEditedInputs: a stage does not derive anything from a
// file edited after lcity wrote it, and leaves the workspace as it was.
func TestStagesRefuseEditedInputs(t *testing.T) {
	clean := sample(t)
	tests := []struct {
		edit string
		run  func(ws string) error
	}{
		{workspace.CodingsFile, func(ws string) error { _, err := Analyze(context.Background(), testConfig(ws)); return err }},
		{workspace.DocumentsFile, func(ws string) error { _, err := Analyze(context.Background(), testConfig(ws)); return err }},
		{workspace.PassagesFile, func(ws string) error { _, err := Code(context.Background(), testConfig(ws)); return err }},
		{workspace.CodingsFile, func(ws string) error { _, err := Index(context.Background(), testConfig(ws)); return err }},
		{workspace.CodingsFile, func(ws string) error {
			_, err := Export(ws, FormatCSV, filepath.Join(t.TempDir(), "x.csv"))
			return err
		}},
		{workspace.CodingsFile, func(ws string) error { _, err := KWIC(context.Background(), ws, "kominkan", 40); return err }},
		{workspace.TextFile("okayama-2017"), func(ws string) error {
			_, err := KWIC(context.Background(), ws, "keyfeatures.families-communities", 40)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.edit, func(t *testing.T) {
			ws := copyWorkspace(t, clean)
			name := filepath.Join(ws, filepath.FromSlash(tt.edit))
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			// An edit that keeps the file well-formed: a changed word.
			i := strings.Index(string(data), "learning")
			if i < 0 {
				t.Fatalf("%s has no word 'learning' to change", tt.edit)
			}
			edited := string(data[:i]) + "LEARNING" + string(data[i+len("learning"):])
			os.WriteFile(name, []byte(edited), 0o644)
			before, _ := os.ReadFile(filepath.Join(ws, workspace.RunFile))
			err = tt.run(ws)
			var u *UsageError
			if !errors.Is(err, workspace.ErrModified) || !errors.As(err, &u) || !strings.Contains(err.Error(), tt.edit) {
				t.Fatalf("error = %v, want a usage error wrapping ErrModified naming %s", err, tt.edit)
			}
			after, _ := os.ReadFile(filepath.Join(ws, workspace.RunFile))
			if string(before) != string(after) {
				t.Error("run.json changed")
			}
		})
	}
}

// TestLockBeforeUpToDate: even a run with nothing to do takes the lock
// first, so it cannot call a workspace up to date while another writer is
// replacing its files.
func TestLockBeforeUpToDate(t *testing.T) {
	ws := copyWorkspace(t, sample(t))
	l, err := workspace.Acquire(ws, workspace.Exclusive, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Run(context.Background(), testConfig(ws))
	if !errors.Is(err, workspace.ErrLocked) {
		t.Errorf("Run on a workspace another writer holds = %v, want ErrLocked", err)
	}
	l.Release()
	res, err := Run(context.Background(), testConfig(ws))
	if err != nil || !res.UpToDate {
		t.Errorf("Run after the writer released = %+v, %v; want up to date", res, err)
	}
}
