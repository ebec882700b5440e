package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInit: lcity init lists a folder's files in a commented manifest and
// writes a starter codebook that validates, and the two run as written.
func TestInit(t *testing.T) {
	dir := t.TempDir()
	texts := map[string]string{
		"cork.md":   "# Cork\n\nThe city holds a learning festival every spring, and many families come to it.\n\nEvening classes in a second language are open to every newcomer and refugee.\n",
		"suwon.txt": "Suwon\n\nThe city runs an online course catalogue and e-learning for adults who work shifts.\n",
	}
	for name, text := range texts {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, stdout, stderr := lcity(t, "init", dir)
	if code != 0 || !strings.Contains(stdout, "2 documents listed") {
		t.Fatalf("init: exit %d\n%s%s", code, stdout, stderr)
	}
	manifest, err := os.ReadFile(filepath.Join(dir, "corpus.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`file: "cork.md"`, `city: "Cork"`, `file: "suwon.txt"`, "region: unknown", "#   outline:"} {
		if !strings.Contains(string(manifest), want) {
			t.Errorf("corpus.yaml lacks %q:\n%s", want, manifest)
		}
	}
	book := filepath.Join(dir, "codebook.yaml")
	if code, stdout, stderr := lcity(t, "codebook", "validate", book); code != 0 || !strings.Contains(stdout, "ok: codebook mycodes, 3 codable codes") {
		t.Fatalf("codebook validate: exit %d\n%s%s", code, stdout, stderr)
	}
	// An existing file is kept unless --force.
	if code, _, stderr := lcity(t, "init", dir); code != 2 || !strings.Contains(stderr, "corpus.yaml exists") {
		t.Errorf("second init: exit %d %q, want 2 naming corpus.yaml", code, stderr)
	}
	if code, _, stderr := lcity(t, "init", "--force", dir); code != 0 {
		t.Errorf("init --force: exit %d %s", code, stderr)
	}

	out := filepath.Join(t.TempDir(), "ws")
	if code, _, stderr := lcity(t, "run", "--corpus", dir, "--codebook", book, "--codebook", "charter", "--out", out); code != 0 {
		t.Fatalf("run on the initialised folder: exit %d\n%s", code, stderr)
	}
	codings, err := os.ReadFile(filepath.Join(out, "codings.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"mycodes.festivals", "mycodes.migration", "mycodes.digital"} {
		if !strings.Contains(string(codings), want) {
			t.Errorf("codings.csv has no %s:\n%s", want, codings)
		}
	}

	// An empty folder gets examples in comments and says what to do.
	empty := t.TempDir()
	code, stdout, _ = lcity(t, "init", empty)
	if code != 0 || !strings.Contains(stdout, "No documents (PDF, Word, HTML or text files)") {
		t.Errorf("init on an empty folder: exit %d\n%s", code, stdout)
	}
	if code, _, stderr := lcity(t, "run", "--corpus", empty, "--out", filepath.Join(empty, "ws")); code != 2 || !strings.Contains(stderr, "no documents listed") {
		t.Errorf("run on the empty manifest: exit %d %q, want 2 and 'no documents listed'", code, stderr)
	}
}
