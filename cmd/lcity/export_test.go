package main

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExport exports the sample: a .qdpx with one case per city, twice
// byte-identical; a .qdc; a tidy CSV; an unknown format is a usage error.
func TestExport(t *testing.T) {
	out := sampleRun(t)
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.qdpx"), filepath.Join(dir, "b.qdpx")
	for _, f := range []string{a, b} {
		if code, _, stderr := lcity(t, "export", "qdpx", "--out", out, f); code != 0 {
			t.Fatalf("export qdpx: exit %d: %s", code, stderr)
		}
	}
	x, _ := os.ReadFile(a)
	y, _ := os.ReadFile(b)
	if len(x) == 0 || !bytes.Equal(x, y) {
		t.Error("two exports of the same workspace differ")
	}
	zr, err := zip.NewReader(bytes.NewReader(x), int64(len(x)))
	if err != nil {
		t.Fatal(err)
	}
	rc, _ := zr.File[0].Open()
	qde, _ := io.ReadAll(rc)
	if n := strings.Count(string(qde), "<Case "); n != 17 {
		t.Errorf("project.qde has %d cases, want 17", n)
	}
	if len(zr.File) != 18 {
		t.Errorf("archive has %d entries, want project.qde and 17 sources", len(zr.File))
	}
	for _, format := range []string{"qdc", "csv"} {
		f := filepath.Join(dir, "export."+format)
		if code, _, stderr := lcity(t, "export", format, "--out", out, f); code != 0 {
			t.Errorf("export %s: exit %d: %s", format, code, stderr)
		}
	}
	if code, _, _ := lcity(t, "export", "nvivo", "--out", out, filepath.Join(dir, "x")); code != 2 {
		t.Errorf("export nvivo: exit %d, want 2", code)
	}
}
