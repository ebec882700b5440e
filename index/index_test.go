package index

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lcity/lcity/corpus"
)

func buildTest(t testing.TB) *Index {
	t.Helper()
	ps := []corpus.Passage{
		{ID: "okayama-2017-p0001", DocID: "okayama-2017", City: "Okayama", Region: corpus.RegionAsiaPacific, Year: 2017, Page: 12, Section: "Making learning accessible",
			Text: "Okayama's kominkan are community learning centres in every junior high school district."},
		{ID: "cork-2015-p0001", DocID: "cork-2015", City: "Cork", Region: corpus.RegionEurope, Year: 2015, Page: 30, Section: "Celebrating learning",
			Text: "The Cork Lifelong Learning Festival welcomes migrants and families."},
		{ID: "espoo-2015-p0001", DocID: "espoo-2015", City: "Espoo", Region: corpus.RegionEurope, Year: 2015, Page: 20, Section: "Vision and plan",
			Text: "Espoo plans quality learning paths for every learner."},
		{ID: "suwon-2017-p0001", DocID: "suwon-2017", City: "Suwon", Region: corpus.RegionAsiaPacific, Year: 2017, Page: 5, Section: "Digital learning",
			Text: "Suwon's e-learning portal opens courses to every resident."},
	}
	codes := map[string][]string{"cork-2015-p0001": {"charter.celebration", "charter.inclusion"}, "okayama-2017-p0001": {"keyfeatures.families-communities"}}
	// Building twice: building again replaces the index.
	return buildOpen(t, ps, codes, 2)
}

// buildOpen builds an index of ps and codes in a new folder, times times
// over the same folder, opens it and closes it when t ends.
func buildOpen(t testing.TB, ps []corpus.Passage, codes map[string][]string, times int) *Index {
	t.Helper()
	dir := filepath.Join(t.TempDir(), DirName)
	for range times {
		if err := Build(context.Background(), dir, ps, codes); err != nil {
			t.Fatal(err)
		}
	}
	x, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

func TestSearch(t *testing.T) {
	x := buildTest(t)
	ctx := context.Background()
	tests := []struct {
		q    Query
		want []string
	}{
		{Query{Q: "kominkan"}, []string{"okayama-2017-p0001"}},
		{Query{Q: "learn*", Region: "europe"}, []string{"cork-2015-p0001", "espoo-2015-p0001"}},
		{Query{Q: "learning", City: "CORK"}, []string{"cork-2015-p0001"}},
		{Query{Q: "learning", Code: "charter.inclusion"}, []string{"cork-2015-p0001"}},
		{Query{Q: `"learning festival"`}, []string{"cork-2015-p0001"}},
		{Query{Q: "learning -migrants", Region: "Europe"}, []string{"espoo-2015-p0001"}},
		{Query{Q: "festivl~1"}, []string{"cork-2015-p0001"}},
		{Query{Q: "learning", Year: "2017"}, []string{"okayama-2017-p0001", "suwon-2017-p0001"}},
		// A hyphenated word is the phrase, not "e OR learning".
		{Query{Q: "e-learning"}, []string{"suwon-2017-p0001"}},
		{Query{Q: "learning -e-learning", Region: "Asia-Pacific"}, []string{"okayama-2017-p0001"}},
		{Query{Q: "text:e-learning"}, []string{"suwon-2017-p0001"}},
		// A filter value that exists but meets no hit is an empty answer.
		{Query{Q: "kominkan", City: "cork"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.q.Q, func(t *testing.T) {
			res, err := x.Search(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range res.Hits {
				got = append(got, h.PassageID)
			}
			if strings.Join(sorted(got), ",") != strings.Join(tt.want, ",") {
				t.Errorf("Search(%+v) = %v, want %v", tt.q, got, tt.want)
			}
			if int(res.Total) != len(tt.want) {
				t.Errorf("total = %d, want %d", res.Total, len(tt.want))
			}
		})
	}
	res, err := x.Search(ctx, Query{Q: "kominkan"})
	if err != nil {
		t.Fatal(err)
	}
	h := res.Hits[0]
	if h.City != "Okayama" || h.Page != 12 || h.Region != corpus.RegionAsiaPacific || !strings.Contains(h.Snippet, "<mark>kominkan</mark>") ||
		len(h.Codes) != 1 || h.Section != "Making learning accessible" {
		t.Errorf("hit = %+v", h)
	}
	if c := res.Facets["region"]; len(c) != 1 || c[0].Term != corpus.RegionAsiaPacific || c[0].Count != 1 {
		t.Errorf("region facet = %+v", c)
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestBadQuery(t *testing.T) {
	x := buildTest(t)
	for _, q := range []string{"", "a:", "+", `"unclosed`, "B~7", "/[a/", "kominkan AND festival", "festival NOT music", "! music",
		"festival NEAR families", "festival NEAR/3 families", "festival W/3 families"} {
		_, err := x.Search(context.Background(), Query{Q: q})
		var qe *QueryError
		if !errors.As(err, &qe) {
			t.Errorf("Search(%q) error = %v, want *QueryError", q, err)
		}
	}
	for _, q := range []string{`"learning AND festival"`, `"festival NEAR families"`, "kominkan OR festival", "festivl~2", "/fest.*/"} {
		if _, err := x.Search(context.Background(), Query{Q: q}); err != nil {
			t.Errorf("Search(%q): %v", q, err)
		}
	}
	if _, err := Open(t.TempDir()); !errors.Is(err, ErrNoIndex) {
		t.Errorf("Open(empty dir) = %v, want ErrNoIndex", err)
	}
}

func TestQuoteHyphenated(t *testing.T) {
	for in, want := range map[string]string{
		"e-learning":                  `"e-learning"`,
		"+world-class -third-level":   `+"world-class" -"third-level"`,
		"text:co-operation festival":  `text:"co-operation" festival`,
		`"already-quoted phrase" x-y`: `"already-quoted phrase" "x-y"`,
		"650-year-old":                `"650-year-old"`,
		"-festival":                   "-festival",
		"e-learn* fest-ival~1 /a-b/":  "e-learn* fest-ival~1 /a-b/",
		`co\-operation`:               `co\-operation`,
		"a--b -a- x- -":               "a--b -a- x- -",
		`"unclosed e-learning`:        `"unclosed e-learning`,
		"céad-míle  kominkan-style":   `"céad-míle"  "kominkan-style"`,
		`"esc \" quote" e-learning`:   `"esc \" quote" "e-learning"`,
	} {
		if got := quoteHyphenated(in); got != want {
			t.Errorf("quoteHyphenated(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestFilterErrors: a filtered search that finds nothing because no
// passage has the filter's value says so, with the nearest value.
func TestFilterErrors(t *testing.T) {
	x := buildTest(t)
	tests := []struct {
		q             Query
		field, sugg   string
		validContains string
	}{
		{Query{Q: "learning", Region: "Eurpoe"}, "region", "Europe", "Asia-Pacific, Europe"},
		{Query{Q: "learning", Code: "charter.nope"}, "code", "", "charter.celebration, charter.inclusion"},
		{Query{Q: "learning", Code: "charter.inclusoin"}, "code", "charter.inclusion", ""},
		{Query{Q: "learning", City: "Ork"}, "city", "Cork", ""},
		{Query{Q: "learning", Year: "2016"}, "year", "2015", "2015, 2017"},
		{Query{Q: "learning", Section: "Digital lerning"}, "section", "Digital learning", ""},
	}
	for _, tt := range tests {
		_, err := x.Search(context.Background(), tt.q)
		var fe *FilterError
		if !errors.As(err, &fe) {
			t.Errorf("Search(%+v) error = %v, want *FilterError", tt.q, err)
			continue
		}
		if fe.Field != tt.field || fe.Suggest != tt.sugg || !strings.Contains(err.Error(), tt.validContains) {
			t.Errorf("Search(%+v) error = %q (field %q, suggestion %q), want field %q, suggestion %q, listing %q", tt.q, err, fe.Field, fe.Suggest, tt.field, tt.sugg, tt.validContains)
		}
	}
}

func TestPlainSnippet(t *testing.T) {
	s := "a &amp; <mark>b</mark>"
	if got := PlainSnippet(s, false); got != "a & [b]" {
		t.Errorf("PlainSnippet = %q", got)
	}
	if got := PlainSnippet(s, true); got != "a & \x1b[1;33mb\x1b[0m" {
		t.Errorf("PlainSnippet colour = %q", got)
	}
}

// FuzzSearch runs arbitrary queries on a small index: a query that
// ParseQuery accepts must not make the search fail, and every failure is
// a *QueryError (the user's, exit 2 / HTTP 400), never an index error.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{"kominkan", "B~7", "/[a/", "a*", `"learning festival"~2`, "kominkan AND festival"} {
		f.Add(s)
	}
	x := buildTest(f)
	f.Fuzz(func(t *testing.T, q string) {
		_, err := x.Search(context.Background(), Query{Q: q, Limit: 5})
		var qe *QueryError
		if err != nil && !errors.As(err, &qe) {
			t.Fatalf("Search(%q) failed with %v, not a *QueryError", q, err)
		}
	})
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"kominkan", `"learning festival" +migrants -youth`, "city:Cork learn*", "festivl~2", "a AND (b OR c)", "year:>2015"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		if err := ParseQuery(q); err != nil {
			var qe *QueryError
			if !errors.As(err, &qe) {
				t.Fatalf("ParseQuery(%q) error %v is not a *QueryError", q, err)
			}
		}
	})
}

// TestShards builds an index of many shards and checks that searching
// them together finds every passage and counts facets over all shards.
func TestShards(t *testing.T) {
	old := ShardSize
	ShardSize = 3
	t.Cleanup(func() { ShardSize = old })
	var ps []corpus.Passage
	for i := 0; i < 10; i++ {
		region := corpus.RegionEurope
		if i%2 == 1 {
			region = corpus.RegionAsiaPacific
		}
		ps = append(ps, corpus.Passage{ID: "city-" + string(rune('a'+i)) + "-p0001", DocID: "d", City: "City " + string(rune('A'+i)),
			Region: region, Page: 1, Section: "S", Text: "Learning festivals in the city."})
	}
	dir := filepath.Join(t.TempDir(), DirName)
	if err := Build(context.Background(), dir, ps, nil); err != nil {
		t.Fatal(err)
	}
	shards, _ := filepath.Glob(filepath.Join(dir, "shard-*"))
	if len(shards) != 4 {
		t.Fatalf("%d shards, want 4 of at most 3 passages", len(shards))
	}
	x, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	res, err := x.Search(context.Background(), Query{Q: "festival", Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 10 || len(res.Hits) != 10 {
		t.Errorf("total %d, %d hits; want 10", res.Total, len(res.Hits))
	}
	counts := map[string]int{}
	for _, f := range res.Facets["region"] {
		counts[f.Term] = f.Count
	}
	if counts[corpus.RegionEurope] != 5 || counts[corpus.RegionAsiaPacific] != 5 {
		t.Errorf("region facet = %v, want 5 and 5 across the shards", res.Facets["region"])
	}
}

// TestFilterOnly lists the passages a filter keeps, without words to
// search for, in reading order: by document, then by position in it,
// whatever the passage IDs.
func TestFilterOnly(t *testing.T) {
	doc := func(id, docID, city string, start int, text string) corpus.Passage {
		return corpus.Passage{ID: id, DocID: docID, City: city, Region: corpus.RegionEurope, Year: 2015, Page: 1 + start/1000,
			Section: "S", Start: start, End: start + len(text), Text: text}
	}
	ps := []corpus.Passage{
		doc("cork-zz", "cork-2015", "Cork", 10, "First passage of Cork."),
		doc("cork-aa", "cork-2015", "Cork", 2500, "Third passage of Cork."),
		doc("cork-mm", "cork-2015", "Cork", 900, "Second passage of Cork."),
		doc("espoo-aa", "espoo-2015", "Espoo", 0, "Espoo's passage."),
	}
	codes := map[string][]string{"cork-zz": {"charter.inclusion"}, "cork-aa": {"charter.inclusion"}, "espoo-aa": {"charter.inclusion"}}
	dir := filepath.Join(t.TempDir(), DirName)
	if err := Build(context.Background(), dir, ps, codes); err != nil {
		t.Fatal(err)
	}
	x, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	tests := []struct {
		name string
		q    Query
		want string
	}{
		{"city", Query{City: "cork"}, "cork-zz,cork-mm,cork-aa"},
		{"city and code", Query{City: "Cork", Code: "charter.inclusion"}, "cork-zz,cork-aa"},
		{"code", Query{Code: "charter.inclusion"}, "cork-zz,cork-aa,espoo-aa"},
		{"paged", Query{City: "Cork", Limit: 1, From: 1}, "cork-mm"},
		{"blank query", Query{Q: "  ", Region: "europe", Limit: 2}, "cork-zz,cork-mm"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.q.FilterOnly() {
				t.Fatalf("%+v.FilterOnly() = false", tt.q)
			}
			res, err := x.Search(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range res.Hits {
				got = append(got, h.PassageID)
				if h.Snippet != "" {
					t.Errorf("hit %s has snippet %q, want none", h.PassageID, h.Snippet)
				}
			}
			if g := strings.Join(got, ","); g != tt.want {
				t.Errorf("Search(%+v) = %s, want %s", tt.q, g, tt.want)
			}
		})
	}
	// Without a filter, an empty query is still the user's error; a
	// misspelt filter still names the nearest value.
	var qe *QueryError
	if _, err := x.Search(context.Background(), Query{}); !errors.As(err, &qe) {
		t.Errorf("Search(empty) error = %v, want *QueryError", err)
	}
	var fe *FilterError
	if _, err := x.Search(context.Background(), Query{City: "Corck"}); !errors.As(err, &fe) {
		t.Errorf("Search(city Corck) error = %v, want *FilterError", err)
	}
}
