package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lcity/lcity/corpus"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

const extractionGolden = "testdata/golden/sample-extraction.golden"

// TestExtractionVersion guards Version: it extracts the embedded sample
// corpus (and extraFixtures) and compares a digest of every document with the golden file,
// which records the Version it was made with. An extraction change under
// the same Version fails (bump Version, then -update); a new Version
// fails until its golden is recorded with -update.
func TestExtractionVersion(t *testing.T) {
	got := sampleExtraction(t)
	if *update {
		if err := os.MkdirAll(filepath.Dir(extractionGolden), 0o755); err != nil {
			t.Fatal(err)
		}
		data := "version " + Version + "\n" + strings.Join(got, "\n") + "\n"
		if err := os.WriteFile(extractionGolden, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(extractionGolden)
	if errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("%v: run go test ./ingest -run TestExtractionVersion -update to record it", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	head, body, _ := strings.Cut(string(data), "\n")
	recorded, ok := strings.CutPrefix(head, "version ")
	if !ok {
		t.Fatalf("%s: first line %q, want \"version <ingest.Version>\"; run go test ./ingest -run TestExtractionVersion -update", extractionGolden, head)
	}
	if recorded != Version {
		t.Fatalf("%s was recorded with ingest.Version %q, now %q: run go test ./ingest -run TestExtractionVersion -update to record the new golden", extractionGolden, recorded, Version)
	}
	want := strings.Split(strings.TrimSuffix(body, "\n"), "\n")
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("the extraction of the sample corpus or testdata/extraction changed under ingest.Version %q, so cached extractions would be served stale: "+
			"bump ingest.Version (ingest/ingest.go), then run go test ./ingest -run TestExtractionVersion -update\n--- %s\n+++ extraction now\n%s",
			Version, extractionGolden, lineDiff(want, got))
	}
}

// extraFixtures are extracted after the sample corpus: the sample's
// single-column pages leave column detection unguarded. two-column.pdf is
// synthetic text written by go run ./cmd/lcity-gen --docs 1 --pages 3
// --two-column. The font fixtures guard the CFF built-in encoding and
// slide decks (CID TrueType without /ToUnicode, bullets); the missing file,
// its failure reason. Files are named under testdata.
var extraFixtures = []Input{{
	File: "extraction/two-column.pdf", Source: "testdata/extraction/two-column.pdf",
	Entries: []corpus.Entry{{File: "two-column.pdf", City: "Gen City 1", Region: corpus.RegionEurope, Year: 2015}},
}, {
	File: "fonts/cff-builtin-greek.pdf", Source: "testdata/fonts/cff-builtin-greek.pdf",
	Entries: []corpus.Entry{{File: "cff-builtin-greek.pdf", City: "Athens", Region: corpus.RegionEurope, Year: 2015}},
}, {
	File: "fonts/slides-cid-truetype.pdf", Source: "testdata/fonts/slides-cid-truetype.pdf",
	Entries: []corpus.Entry{{File: "slides-cid-truetype.pdf", City: "Melton", Region: corpus.RegionAsiaPacific, Year: 2015}},
}, {
	File: "fonts/not-there.pdf", Source: "testdata/fonts/not-there.pdf",
	Entries: []corpus.Entry{{File: "not-there.pdf", City: "Nowhere", Region: corpus.RegionEurope, Year: 2015}},
}}

// sampleExtraction extracts the sample corpus and the extra fixtures and
// returns one line per document and failure, in input order, and a final
// line with the hash of the others.
func sampleExtraction(t *testing.T) []string {
	t.Helper()
	c := corpus.Sample()
	type job struct {
		fsys fs.FS
		in   Input
	}
	var jobs []job
	for _, in := range Inputs(c) {
		jobs = append(jobs, job{c.FS, in})
	}
	for _, in := range extraFixtures {
		jobs = append(jobs, job{os.DirFS("testdata"), in})
	}
	for _, in := range mixedInputs(t) {
		jobs = append(jobs, job{os.DirFS(mixedDir), in})
	}
	var lines []string
	for _, j := range jobs {
		res := File(context.Background(), j.fsys, j.in, Options{})
		for _, d := range res.Docs {
			pj, err := json.Marshal(d.Passages)
			if err != nil {
				t.Fatal(err)
			}
			lines = append(lines, fmt.Sprintf("%s pages=%d-%d passages=%d text=%s passages-json=%s",
				d.ID, d.FirstPage, d.LastPage, len(d.Passages), hashHex([]byte(d.Text)), hashHex(pj)))
		}
		for _, f := range res.Failures {
			lines = append(lines, fmt.Sprintf("failure %s reason=%s detail=%q", f.Source, f.Reason, f.Detail))
		}
	}
	if len(lines) == 0 {
		t.Fatal("the sample corpus gave no documents")
	}
	return append(lines, "total "+hashHex([]byte(strings.Join(lines, "\n"))))
}

func hashHex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// lineDiff returns a minimal line diff of a and b: common lines with two
// spaces, removed ones with "- ", added ones with "+ ".
func lineDiff(a, b []string) string {
	// lcs[i][j] is the length of the longest common subsequence of a[i:] and b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out strings.Builder
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			out.WriteString("  " + a[i] + "\n")
			i, j = i+1, j+1
		case j < len(b) && (i == len(a) || lcs[i][j+1] > lcs[i+1][j]):
			out.WriteString("+ " + b[j] + "\n")
			j++
		default:
			out.WriteString("- " + a[i] + "\n")
			i++
		}
	}
	return out.String()
}

func TestLineDiff(t *testing.T) {
	tests := []struct {
		name string
		a, b []string
		want string
	}{
		{"same", []string{"x", "y"}, []string{"x", "y"}, "  x\n  y\n"},
		{"removed", []string{"x", "y", "z"}, []string{"x", "z"}, "  x\n- y\n  z\n"},
		{"added", []string{"x"}, []string{"x", "w"}, "  x\n+ w\n"},
		{"changed", []string{"x", "y"}, []string{"x", "q"}, "  x\n- y\n+ q\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := lineDiff(tt.a, tt.b); got != tt.want {
				t.Errorf("lineDiff(%q, %q) = %q, want %q", tt.a, tt.b, got, tt.want)
			}
		})
	}
}
