package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/ingest"
	"github.com/lcity/lcity/workspace"
)

// settle waits for the goroutines a run started to end and reports how
// many more there are than before it.
func settle(before int) int {
	for range 100 {
		if n := runtime.NumGoroutine(); n <= before {
			return 0
		}
		time.Sleep(20 * time.Millisecond)
	}
	return runtime.NumGoroutine() - before
}

// leftovers lists staging files and folders left in a workspace.
func leftovers(t *testing.T, out string) []string {
	t.Helper()
	var found []string
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		name := d.Name()
		if strings.HasSuffix(name, ".spool") || strings.Contains(name, ".tmp") || strings.HasSuffix(name, ".old") {
			found = append(found, p)
		}
		return nil
	})
	return found
}

// TestStepFailuresStopTheRun injects a failure into each step of the
// stream: the run ends with that error, every goroutine it started ends,
// and the workspace holds no staging files and no outputs.
func TestStepFailuresStopTheRun(t *testing.T) {
	boom := errors.New("injected failure")
	tests := []struct {
		name  string
		setup func() func()
	}{
		{"sink", func() func() {
			n := 0
			testHookSink = func(ingest.Doc) error {
				if n++; n == 3 {
					return boom
				}
				return nil
			}
			return func() { testHookSink = nil }
		}},
		{"indexer after the workers started", func() func() {
			n := 0
			testHookIndex = func(corpus.Passage) error {
				if n++; n == 20 {
					return boom
				}
				return nil
			}
			return func() { testHookIndex = nil }
		}},
		{"indexer panics", func() func() {
			testHookIndex = func(corpus.Passage) error { panic("indexer bug") }
			return func() { testHookIndex = nil }
		}},
	}
	sample(t) // a run has started the goroutine that starts workers
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			before := runtime.NumGoroutine()
			defer tt.setup()()
			cfg := testConfig(out)
			cfg.Workers = 4
			_, err := Run(context.Background(), cfg)
			if err == nil || (!errors.Is(err, boom) && !strings.Contains(err.Error(), "indexer bug")) {
				t.Fatalf("Run = %v, want the injected failure", err)
			}
			if n := settle(before); n > 0 {
				t.Errorf("%d goroutines still running after the run failed", n)
			}
			if l := leftovers(t, out); len(l) > 0 {
				t.Errorf("staging files left: %v", l)
			}
			for _, f := range []string{workspace.PassagesFile, workspace.RunFile, workspace.IndexDir} {
				if _, err := os.Stat(filepath.Join(out, f)); err == nil {
					t.Errorf("%s written by a failed run", f)
				}
			}
			if l, err := workspace.Acquire(out, workspace.Exclusive, 0); err != nil {
				t.Errorf("lock not released: %v", err)
			} else {
				l.Release()
			}
		})
	}
}

// TestCodingPanicFailsOneDocument: a panic while coding one document
// makes that document a failure (internal-error) and the rest of the
// corpus, its own book included, is processed and written.
func TestCodingPanicFailsOneDocument(t *testing.T) {
	testHookCode = func(p corpus.Passage) {
		if p.City == "Cork" {
			panic("coder bug")
		}
	}
	defer func() { testHookCode = nil }()
	out := filepath.Join(t.TempDir(), "out")
	res, err := Run(context.Background(), testConfig(out))
	if !errors.Is(err, ErrPartial) {
		t.Fatalf("Run = %v, want ErrPartial", err)
	}
	if res.Documents != 16 || len(res.Failures) != 1 || res.Failures[0].Reason != corpus.ReasonInternal ||
		!strings.Contains(res.Failures[0].Detail, "Cork") || !strings.Contains(res.Failures[0].Detail, "coder bug") {
		t.Errorf("documents %d, failures %+v; want 16 and Cork's internal error", res.Documents, res.Failures)
	}
	fails, _ := workspace.ReadFailures(filepath.Join(out, workspace.FailuresFile))
	if len(fails) != 1 {
		t.Errorf("failures.csv = %v", fails)
	}
}

// TestCancel: a cancelled run returns the context's error, leaves no
// staging files and no worker processes, and releases the lock.
func TestCancel(t *testing.T) {
	sample(t) // a run has started the goroutine that starts workers
	out := filepath.Join(t.TempDir(), "out")
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	testHookSink = func(ingest.Doc) error {
		if n++; n == 2 {
			cancel()
		}
		return nil
	}
	defer func() { testHookSink = nil }()
	before := runtime.NumGoroutine()
	_, err := Run(ctx, testConfig(out))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v, want context.Canceled", err)
	}
	if n := settle(before); n > 0 {
		t.Errorf("%d goroutines still running", n)
	}
	noWorkersLeft(t)
	if l := leftovers(t, out); len(l) > 0 {
		t.Errorf("staging files left: %v", l)
	}
	if _, err := os.Stat(filepath.Join(out, workspace.RunFile)); err == nil {
		t.Error("run.json written by a cancelled run")
	}
	// Cancelled before it starts: nothing is hashed or extracted.
	_, err = Run(ctx, testConfig(out))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Run with a cancelled context = %v", err)
	}
}

// TestLeftoversRemoved: what a killed run leaves (spools, temporary
// files, staging folders) is removed by the next writer and reported;
// other files are left alone.
func TestLeftoversRemoved(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	left := []string{".passages-123.spool", ".codings-77.spool", ".documents.jsonl.tmp4021", "texts.tmp/cork.txt",
		"index.bleve.tmp/shard-0000/x", "index.bleve.old/y", "texts/.cork.txt.tmp99", "codebooks/.charter.yaml.tmp1"}
	keep := []string{"notes.txt", ".hidden", "texts.md"}
	for _, f := range append(append([]string{}, left...), keep...) {
		p := filepath.Join(out, filepath.FromSlash(f))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte("x"), 0o644)
	}
	res, err := Run(context.Background(), testConfig(out))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{".codings-77.spool", ".documents.jsonl.tmp4021", ".passages-123.spool", "codebooks/.charter.yaml.tmp1",
		"index.bleve.old", "index.bleve.tmp", "texts.tmp", "texts/.cork.txt.tmp99"}
	if strings.Join(res.Removed, " ") != strings.Join(want, " ") {
		t.Errorf("Removed = %v, want %v", res.Removed, want)
	}
	if l := leftovers(t, out); len(l) > 0 {
		t.Errorf("left after the run: %v", l)
	}
	for _, f := range keep {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("%s removed: %v", f, err)
		}
	}
}

// TestUnusableOut: a workspace that cannot be created is not the user's
// usage error (exit 2) nor a failed input (exit 1).
func TestUnusableOut(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, []byte("x"), 0o644)
	for _, out := range []string{file, filepath.Join(file, "sub")} {
		_, err := Run(context.Background(), testConfig(out))
		var u *UsageError
		if err == nil || errors.As(err, &u) || errors.Is(err, ErrPartial) {
			t.Errorf("Run --out %s = %v, want an environment error", out, err)
		}
	}
}

// TestDeterministicNearDuplicateNames runs a folder of 30 files whose
// names differ only in case, accents, punctuation or extension with 1 and
// with 8 workers: the outputs are the same bytes.
func TestDeterministicNearDuplicateNames(t *testing.T) {
	dir := t.TempDir()
	names := []string{"Pécs.md", "pecs.md", "Pécs city.txt", "Cork.md", "cork-city.md", "Cork_City.rst.md", "CORK.txt",
		"Espoo.md", "espoo.txt", "Espoo (2).md", "Espoo 2.md", "Suwon.md", "suwon-1.md", "Suwon_1.txt", "Bristol.md",
		"bristol.txt", "BRISTOL report.md", "Limerick.md", "limerick.txt", "Lárissa.md", "Larissa.md", "Melton.md",
		"melton.txt", "Melton-2015.md", "Okayama.md", "okayama.txt", "Balanga.md", "balanga.txt", "Beijing.md", "beijing.txt"}
	for i, n := range names {
		text := fmt.Sprintf("# %s\n\n## Learning\n\nDocument %d: the learning festival brings families and partners together in %s.\n", n, i, n)
		if err := os.WriteFile(filepath.Join(dir, n), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var outs []string
	for _, workers := range []int{1, 8, 8} {
		out := filepath.Join(t.TempDir(), "out")
		cfg := testConfig(out)
		cfg.Corpus.Path = dir
		cfg.Workers = workers
		res, err := Run(context.Background(), cfg)
		if err != nil {
			t.Fatalf("workers %d: %v", workers, err)
		}
		if res.Documents != len(names) {
			t.Fatalf("workers %d: %d documents, want %d", workers, res.Documents, len(names))
		}
		outs = append(outs, out)
	}
	n := 0
	filepath.WalkDir(outs[0], func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(outs[0], p)
		if d.IsDir() {
			if rel == workspace.IndexDir || rel == workspace.CacheDir {
				return fs.SkipDir
			}
			return nil
		}
		a, _ := os.ReadFile(p)
		for _, other := range outs[1:] {
			if b, err := os.ReadFile(filepath.Join(other, rel)); err != nil || !bytes.Equal(a, b) {
				t.Errorf("%s differs between --workers 1 and 8", rel)
			}
		}
		n++
		return nil
	})
	if n < len(names)+10 {
		t.Errorf("compared %d files", n)
	}
}

// TestPageWorkers checks the share of workers an input's pages get: all of
// them for a lone book, none extra while inputs outnumber workers.
func TestPageWorkers(t *testing.T) {
	for _, tt := range []struct{ workers, left, want int }{
		{1, 1, 1},
		{2, 1, 2},
		{2, 2, 1},
		{2, 17, 1},
		{8, 2, 4},
		{8, 3, 2},
		{8, 100, 1},
		{3, 2, 1},
		{0, 0, 1}, // never fewer than one
	} {
		if got := pageWorkers(tt.workers, tt.left); got != tt.want {
			t.Errorf("pageWorkers(%d, %d) = %d, want %d", tt.workers, tt.left, got, tt.want)
		}
	}
}
