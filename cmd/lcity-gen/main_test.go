package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/ingest"
)

func TestGenerateDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if err := generate(config{docs: 3, pages: 2, twoColumn: true, seed: 7, out: dir}); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"report-1.pdf", "report-3.pdf", corpus.ManifestName} {
		x, _ := os.ReadFile(filepath.Join(a, name))
		y, _ := os.ReadFile(filepath.Join(b, name))
		if len(x) == 0 || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with the same seed (%d, %d bytes)", name, len(x), len(y))
		}
	}
}

// TestGeneratedReportsReadBack ingests generated one- and two-column
// reports: the manifest loads, each report has the pages asked for, and
// every passage consists of whole generated sentences, which a column
// read across its neighbour would break.
func TestGeneratedReportsReadBack(t *testing.T) {
	alt := func(s []string) string {
		q := make([]string, len(s))
		for i, x := range s {
			q[i] = regexp.QuoteMeta(x)
		}
		return "(?:" + strings.Join(q, "|") + ")"
	}
	sentenceRE := regexp.MustCompile(`^` + alt(subjects) + ` ` + alt(verbs) + ` ` + alt(objects) + `(?: on [A-Za-z' -]+)? ` + alt(tails) + `\.$`)
	for _, two := range []bool{false, true} {
		dir := t.TempDir()
		if err := generate(config{docs: 2, pages: 3, twoColumn: two, seed: 1, out: dir}); err != nil {
			t.Fatal(err)
		}
		c, err := corpus.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Manifest.Entries) != 2 || c.Manifest.Entries[1].Region != corpus.RegionAsiaPacific {
			t.Fatalf("manifest entries %+v", c.Manifest.Entries)
		}
		for _, in := range ingest.Inputs(c) {
			res := ingest.File(context.Background(), c.FS, in, ingest.Options{})
			if len(res.Docs) != 1 {
				t.Fatalf("two-column %v: %s: failures %+v", two, in.File, res.Failures)
			}
			d := res.Docs[0]
			if d.Pages != 3 {
				t.Errorf("two-column %v: %s has %d pages, want 3", two, in.File, d.Pages)
			}
			if strings.Contains(d.Text, "Synthetic text generated") {
				t.Errorf("two-column %v: running header left in the text", two)
			}
			body := 0
			for _, p := range d.Passages {
				if p.Section == "" || len(strings.Fields(p.Text)) < 12 {
					continue // the title and headings
				}
				body++
				for _, s := range regexp.MustCompile(`[^.]+\.`).FindAllString(p.Text, -1) {
					if s = strings.TrimSpace(s); !sentenceRE.MatchString(s) {
						t.Errorf("two-column %v: %s page %d: broken sentence %q", two, in.File, p.Page, s)
					}
				}
			}
			if body < 10 {
				t.Errorf("two-column %v: only %d body passages", two, body)
			}
		}
	}
}

func TestConfigCheck(t *testing.T) {
	for _, tt := range []struct {
		c  config
		ok bool
	}{
		{config{docs: 10, pages: 20, out: "x"}, true},
		{config{docs: 10, pages: 20}, false},
		{config{docs: 0, pages: 20, out: "x"}, false},
		{config{docs: 10, pages: 0, out: "x"}, false},
		{config{docs: 10, pages: 5000, out: "x"}, false},
	} {
		if err := tt.c.check(); (err == nil) != tt.ok {
			t.Errorf("check(%+v) = %v", tt.c, err)
		}
	}
}
