package ingest

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lcity/lcity/corpus"
)

// TestSampleGoldIDs: every passage ID in the sample's gold files is a
// passage of the sample's extraction, and where a file has a text_start
// column, that passage's text begins with it (so a wrong old → new ID
// mapping, or an ID scheme change without migrating the gold files, is
// caught here).
func TestSampleGoldIDs(t *testing.T) {
	c := corpus.Sample()
	text := map[string]string{}
	for _, in := range Inputs(c) {
		res := File(context.Background(), c.FS, in, Options{})
		for _, d := range res.Docs {
			for _, p := range d.Passages {
				text[p.ID] = p.Text
			}
		}
	}
	if len(text) != 340 {
		t.Fatalf("the sample gave %d passages, want 340", len(text))
	}
	dir := filepath.Join("..", "corpus", "sample", "gold")
	for _, name := range []string{"gold.csv", "readers/reader-a.csv", "readers/reader-b.csv", "readers/adjudication.csv"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
			if err != nil {
				t.Fatal(err)
			}
			var body []string
			for _, l := range strings.SplitAfter(string(data), "\n") {
				if !strings.HasPrefix(l, "#") {
					body = append(body, l)
				}
			}
			rows, err := csv.NewReader(strings.NewReader(strings.Join(body, ""))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			start := -1
			for i, h := range rows[0] {
				if h == "text_start" {
					start = i
				}
			}
			seen := map[string]bool{}
			for i, r := range rows[1:] {
				pt, ok := text[r[0]]
				if !ok {
					t.Errorf("row %d: passage %s is not in the sample", i+2, r[0])
					continue
				}
				seen[r[0]] = true
				if start >= 0 && !strings.HasPrefix(pt, r[start]) {
					t.Errorf("row %d: passage %s begins %.40q, not %q", i+2, r[0], pt, r[start])
				}
			}
			if name != "readers/adjudication.csv" && len(seen) != len(text) {
				t.Errorf("%d passages listed, want all %d", len(seen), len(text))
			}
		})
	}
}
