package pipeline

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/lcity/lcity/coding"
	"github.com/lcity/lcity/workspace"
)

// tinyWorkspace ingests two short texts of our own into a new workspace.
func tinyWorkspace(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"corpus.yaml": "documents:\n" +
			"  - {file: north.txt, city: North, country: Nowhere, region: Europe, year: 2020}\n" +
			"  - {file: south.txt, city: South, country: Nowhere, region: Europe, year: 2021}\n",
		"north.txt": "Families and one family's garden. Learners of all ages join the Learning Festival.\n\n" +
			"An ageing population, with support for people with learning disabilities.\n",
		"south.txt": "FAMILIES meet at the festival, and the city is providing courses for families.\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := testConfig(filepath.Join(t.TempDir(), "ws"))
	cfg.Corpus.Path = dir
	if _, err := Ingest(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	return cfg.Out
}

func TestForms(t *testing.T) {
	out := tinyWorkspace(t)
	cb, err := coding.Parse([]byte(`name: tiny
codes:
  - id: g
    label: Group
    group: true
  - id: families
    label: Families
    parent: g
    terms: [family, provider, "festival NEAR/6 family", '/learn(er|ing)s?/', family]
    exclude: [learning disability, kominkan]
  - id: age
    label: Age
    terms: [ageing, family]
`), "tiny.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// family, written twice in tiny.families, is counted once; provider
	// does not find "providing"; the exclude terms are counted too.
	got, err := Forms(context.Background(), out, cb)
	if err != nil {
		t.Fatal(err)
	}
	want := &FormsReport{Codebook: "tiny", Passages: 3, Terms: []TermForms{
		{CodeID: "tiny.families", Term: "family", Matches: 4, Forms: []FormCount{{"families", 3}, {"family's", 1}}},
		{CodeID: "tiny.families", Term: "provider", Forms: []FormCount{}},
		{CodeID: "tiny.families", Term: "festival NEAR/6 family", Matches: 1, Forms: []FormCount{{"festival … FAMILIES", 1}}},
		{CodeID: "tiny.families", Term: "/learn(er|ing)s?/", Matches: 3, Forms: []FormCount{{"learning", 2}, {"Learners", 1}}},
		{CodeID: "tiny.families", Term: "learning disability", Exclude: true, Matches: 1, Forms: []FormCount{{"learning disabilities", 1}}},
		{CodeID: "tiny.families", Term: "kominkan", Exclude: true, Forms: []FormCount{}},
		{CodeID: "tiny.age", Term: "ageing", Matches: 1, Forms: []FormCount{{"ageing", 1}}},
		{CodeID: "tiny.age", Term: "family", Matches: 4, Forms: []FormCount{{"families", 3}, {"family's", 1}}},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Forms =\n%+v\nwant\n%+v", got, want)
	}
}

func TestFormsErrors(t *testing.T) {
	cb, err := coding.Load("charter")
	if err != nil {
		t.Fatal(err)
	}
	var u *UsageError
	if _, err := Forms(context.Background(), t.TempDir(), cb); !errors.As(err, &u) {
		t.Errorf("Forms on an empty folder = %v, want a UsageError", err)
	}
	out := tinyWorkspace(t)
	l, err := workspace.Acquire(out, workspace.Exclusive, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	if _, err := Forms(context.Background(), out, cb); !errors.Is(err, workspace.ErrLocked) {
		t.Errorf("Forms on a workspace a writer holds = %v, want ErrLocked", err)
	}
	l.Release()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Forms(ctx, out, cb); !errors.Is(err, context.Canceled) {
		t.Errorf("Forms cancelled = %v, want context.Canceled", err)
	}
}
