package workspace_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/lcity/lcity/index"
	"github.com/lcity/lcity/pipeline"
	"github.com/lcity/lcity/workspace"
)

func run(t *testing.T, out, corpus string) {
	t.Helper()
	cfg := pipeline.Default()
	cfg.Out, cfg.Corpus.Path, cfg.Analysis.Permutations, cfg.Force = out, corpus, 9, true
	if _, err := pipeline.Run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
}

// TestSnapshotOutlivesARun: a snapshot keeps answering with the passages,
// codings and index it was opened on while a run replaces the workspace
// with another corpus; it says it is stale; a new snapshot sees the new
// run.
func TestSnapshotOutlivesARun(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	run(t, out, "")
	old, err := workspace.OpenSnapshot(out, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	const id = "okayama-2017-c4963c4fe1" // the fifth passage of Okayama
	p1, cs1, ok, err := old.Passage(id)
	if err != nil || !ok || p1.ID != id || p1.City != "Okayama" {
		t.Fatalf("Passage(%q) = %+v, %v, %v", id, p1, ok, err)
	}
	if old.Stale() {
		t.Error("a fresh snapshot is stale")
	}
	all1, err := old.Codings()
	if err != nil || len(all1) == 0 {
		t.Fatalf("Codings() = %d codings, %v", len(all1), err)
	}

	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "cork.md"), []byte("# Cork\n\n## Learning\n\nThe learning festival welcomes migrants and families.\n"), 0o644)
	run(t, out, dir)

	if !old.Stale() {
		t.Error("the snapshot does not notice the new run")
	}
	p2, cs2, ok, err := old.Passage(id)
	if err != nil || !ok || p2.Text != p1.Text || len(cs2) != len(cs1) {
		t.Errorf("after the rerun the old snapshot gives %+v (%d codings), %v, %v; want the passage it had", p2, len(cs2), ok, err)
	}
	if all2, err := old.Codings(); err != nil || len(all2) != len(all1) || all2[0].PassageID != all1[0].PassageID {
		t.Errorf("after the rerun the old snapshot's Codings() = %d codings, %v; want its %d", len(all2), err, len(all1))
	}
	res, err := old.Index.Search(context.Background(), index.Query{Q: "kominkan", Limit: 5})
	if err != nil || res.Total == 0 {
		t.Errorf("the old snapshot's index: %v, %v", res, err)
	}
	if d, ok := old.Document("okayama-2017"); !ok || d.City != "Okayama" {
		t.Errorf("Document = %+v, %v", d, ok)
	}

	cur, err := workspace.OpenSnapshot(out, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer cur.Close()
	if _, _, ok, _ := cur.Passage(id); ok {
		t.Errorf("the new snapshot has %s", id)
	}
	if len(cur.Documents) != 1 || cur.Documents[0].City != "Cork" {
		t.Errorf("new snapshot documents = %+v", cur.Documents)
	}
}

func TestSnapshotRefuses(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	run(t, out, "")
	l, err := workspace.Acquire(out, workspace.Exclusive, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := workspace.OpenSnapshot(out, 0); !errors.Is(err, workspace.ErrLocked) {
		t.Errorf("OpenSnapshot while a writer holds the workspace = %v, want ErrLocked", err)
	}
	l.Release()
	f, _ := os.OpenFile(filepath.Join(out, workspace.CodingsFile), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("x,y,z,w,1,c,1,0,\n")
	f.Close()
	if _, err := workspace.OpenSnapshot(out, 0); !errors.Is(err, workspace.ErrModified) {
		t.Errorf("OpenSnapshot on an edited codings.csv = %v, want ErrModified", err)
	}
	if _, err := workspace.OpenSnapshot(filepath.Join(out, "nothing"), 0); err == nil {
		t.Error("OpenSnapshot of a missing workspace succeeded")
	}
}
