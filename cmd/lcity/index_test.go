package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lcity/lcity/workspace"
)

// TestIndex: index builds a searchable index of an ingested workspace
// with the permissions of the other outputs; re-ingesting removes it
// (it described the old passages); an index of edited codings is refused.
func TestIndex(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := lcity(t, "ingest", "--out", out); code != 0 {
		t.Fatalf("ingest: exit %d: %s", code, stderr)
	}
	if code, _, stderr := lcity(t, "index", "--out", out); code != 0 || !strings.Contains(stderr, "indexed") {
		t.Fatalf("index: exit %d: %s", code, stderr)
	}
	if code, stdout, _ := lcity(t, "search", "--out", out, "kominkan"); code != 0 || !strings.Contains(stdout, "Okayama") {
		t.Errorf("search: exit %d\n%s", code, stdout)
	}
	st, err := os.Stat(filepath.Join(out, workspace.IndexDir))
	if err != nil || st.Mode().Perm() != 0o755 {
		t.Errorf("index.bleve mode %v, %v; want 0755", st.Mode(), err)
	}
	code, _, stderr := lcity(t, "ingest", "--out", out)
	if code != 0 || !strings.Contains(stderr, "removed the outputs of index") {
		t.Errorf("re-ingest: exit %d %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, workspace.IndexDir)); err == nil {
		t.Error("re-ingesting kept an index of the old passages")
	}
	if code, _, stderr := lcity(t, "code", "--out", out); code != 0 {
		t.Fatalf("code: exit %d: %s", code, stderr)
	}
	f, _ := os.OpenFile(filepath.Join(out, workspace.CodingsFile), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("zz-p0001,zz,Z,unknown,1,charter.partnerships,1,0,\n")
	f.Close()
	if code, _, stderr := lcity(t, "index", "--out", out); code != exitUsage || !strings.Contains(stderr, "codings.csv") {
		t.Errorf("index of an edited codings.csv: exit %d %q", code, stderr)
	}
}
