package pipeline

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/ingest"
	"github.com/lcity/lcity/internal/testenv"
	"github.com/lcity/lcity/workspace"
)

// workspaceFiles reads every file of a workspace but the lock and the
// index (whose internal files are not byte-stable), by relative path.
func workspaceFiles(t *testing.T, out string) map[string][]byte {
	t.Helper()
	return testenv.Files(t, out, workspace.IndexDir, workspace.LockFile)
}

// noWorkersLeft fails the test when a worker process of this one still
// runs (where the system tells).
func noWorkersLeft(t *testing.T) {
	t.Helper()
	if pids, ok := testenv.Children(ingest.WorkerArg); ok && len(pids) > 0 {
		t.Errorf("worker processes %v outlived the run", pids)
	}
}

// TestSupervisedEqualsInProcess runs the sample corpus and the PDFs of
// ../shared/pdfs in process and in worker processes (one and three):
// every file of the workspace, the extraction cache included, is
// byte-identical, and no worker outlives a run.
func TestSupervisedEqualsInProcess(t *testing.T) {
	corpora := []struct{ name, path string }{{"sample", ""}, {"shared", testenv.Shared(t, "pdfs")}}
	for _, c := range corpora {
		t.Run(c.name, func(t *testing.T) {
			var want map[string][]byte
			for _, v := range []struct {
				name      string
				inProcess bool
				workers   int
			}{{"in process", true, 2}, {"1 worker", false, 1}, {"3 workers", false, 3}} {
				cfg := testConfig(filepath.Join(t.TempDir(), "out"))
				cfg.Corpus.Path, cfg.Ingest.InProcess, cfg.Workers = c.path, v.inProcess, v.workers
				if _, err := Run(context.Background(), cfg); err != nil && !errors.Is(err, ErrPartial) {
					t.Fatalf("%s: %v", v.name, err)
				}
				noWorkersLeft(t)
				got := workspaceFiles(t, cfg.Out)
				if want == nil {
					want = got
					continue
				}
				for name, b := range want {
					if g, ok := got[name]; !ok {
						t.Errorf("%s: %s missing", v.name, name)
					} else if !bytes.Equal(g, b) {
						t.Errorf("%s: %s differs from in process", v.name, name)
					}
				}
				for name := range got {
					if _, ok := want[name]; !ok {
						t.Errorf("%s: %s written, not in process", v.name, name)
					}
				}
			}
			cached := 0
			for name := range want {
				if strings.HasPrefix(name, workspace.CacheDir+"/extract/") {
					cached++
				}
			}
			if cached == 0 {
				t.Error("no extraction cache compared")
			}
		})
	}
}

// TestWorkerFailuresNotCached: an input whose worker crashed fails as
// crashed, the others are written, and the failure is not cached (a
// rerun tries the input again).
func TestWorkerFailuresNotCached(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "cork.md"), []byte("# Cork\n\nThe learning festival of Cork brings generations together.\n"), 0o644)
	os.WriteFile(filepath.Join(dir, testenv.FaultExit+"espoo.md"), []byte("# Espoo\n\nLearning in Espoo.\n"), 0o644)
	cfg := testConfig(filepath.Join(t.TempDir(), "out"))
	cfg.Corpus.Path = dir
	for _, force := range []bool{false, true} {
		cfg.Force = force
		res, err := Run(context.Background(), cfg)
		if !errors.Is(err, ErrPartial) || res.Documents != 1 || len(res.Failures) != 1 || res.Failures[0].Reason != corpus.ReasonCrashed {
			t.Fatalf("Run (force %v) = %+v, %v; want 1 document and 1 crashed failure", force, res, err)
		}
		entries, _ := os.ReadDir(filepath.Join(cfg.Out, workspace.CacheDir, "extract"))
		if len(entries) != 1 {
			t.Errorf("force %v: %d cache entries, want 1 (the crash is not cached)", force, len(entries))
		}
	}
	noWorkersLeft(t)
}
