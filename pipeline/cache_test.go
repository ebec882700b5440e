package pipeline

import (
	"bytes"
	"os"
	"testing"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/ingest"
)

// TestStoreLeavesPasswordsOut checks that a cached result does not hold
// the manifest's PDF password, and that the caller's result keeps it.
func TestStoreLeavesPasswordsOut(t *testing.T) {
	out := t.TempDir()
	in := ingest.Input{File: "a.pdf", Entries: []corpus.Entry{{File: "a.pdf", City: "Espoo", Password: "s3cret-pw"}}}
	res := ingest.Result{Input: in}
	if err := store(out, "k", res); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(cachePath(out, "k"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte("s3cret-pw")) {
		t.Error("the cache file holds the password")
	}
	if res.Input.Entries[0].Password != "s3cret-pw" {
		t.Error("store changed the caller's entries")
	}
	if got, ok := cached(out, "k"); !ok || got.Input.Entries[0].City != "Espoo" {
		t.Errorf("cached = %+v, %v", got.Input, ok)
	}
}
