package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/index"
)

func TestSearchSample(t *testing.T) {
	out := sampleRun(t)
	code, stdout, stderr := lcity(t, "search", "--out", out, "--json", "kominkan")
	if code != 0 {
		t.Fatalf("search exit %d: %s", code, stderr)
	}
	var res index.Result
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("search --json output: %v\n%s", err, stdout)
	}
	if res.Total == 0 || res.Hits[0].City != "Okayama" || res.Hits[0].Page < 2 || res.Hits[0].PassageID == "" {
		t.Fatalf("search kominkan = %+v", res)
	}
	for _, f := range []string{"region", "city", "codes", "section"} {
		if _, ok := res.Facets[f]; !ok {
			t.Errorf("facets lack %s", f)
		}
	}

	code, stdout, _ = lcity(t, "search", "--out", out, "--json", "--region", "Europe", "learn*")
	if code != 0 {
		t.Fatalf("search --region exit %d", code)
	}
	res = index.Result{}
	json.Unmarshal([]byte(stdout), &res)
	if res.Total == 0 {
		t.Fatal("no European hits for learn*")
	}
	for _, h := range res.Hits {
		if h.Region != corpus.RegionEurope {
			t.Errorf("hit %s from %s, want Europe only", h.PassageID, h.Region)
		}
	}

	code, stdout, _ = lcity(t, "search", "--out", out, "kominkan")
	if code != 0 || !strings.Contains(stdout, "Okayama") || !strings.Contains(stdout, "[kominkan]") {
		t.Errorf("search text output (exit %d):\n%s", code, stdout)
	}
	if code, stdout, _ := lcity(t, "search", "--out", out, "--kwic", "kominkan"); code != 0 || !strings.Contains(stdout, "[kominkan]") || !strings.Contains(stdout, "Okayama") {
		t.Errorf("search --kwic: exit %d\n%s", code, stdout)
	}
	if code, _, _ := lcity(t, "search", "--out", out, "a:"); code != 2 {
		t.Errorf("bad query exit %d, want 2", code)
	}

	// Paging: which hits are shown, of how many, under which filters, and
	// how to see more; the year is a number in JSON, like the page.
	code, stdout, _ = lcity(t, "search", "--out", out, "--region", "Europe", "--limit", "3", "learning")
	if code != 0 || !regexp.MustCompile(`^showing 1–3 of \d+ hits for "learning" \(region Europe\) — --from 3 for more\n`).MatchString(stdout) {
		t.Errorf("search header (exit %d):\n%s", code, stdout)
	}
	code, stdout, _ = lcity(t, "search", "--out", out, "--json", "kominkan")
	if code != 0 || !regexp.MustCompile(`"year": 20\d\d,`).MatchString(stdout) {
		t.Errorf("search --json year is not a number (exit %d):\n%s", code, stdout)
	}

	// A misspelled filter value or an unknown code is an error with the
	// nearest value, not 0 hits and exit 0; NEAR is refused with a hint.
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--region", "Eurpoe", "learning"}, `no passage has region "Eurpoe" (did you mean "Europe"?)`},
		{[]string{"--code", "charter.nope", "learning"}, `no passage has code "charter.nope"`},
		{[]string{"--code", "charter.inclusoin", "learning"}, `(did you mean "charter.inclusion"?)`},
		{[]string{"festival NEAR families"}, "NEAR is not an operator in this syntax"},
	} {
		code, _, stderr := lcity(t, append([]string{"search", "--out", out}, tt.args...)...)
		if code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("search %q: exit %d %q, want 2 and %q", tt.args, code, stderr, tt.want)
		}
	}

	// A filter and no words: every passage the filters keep, in reading
	// order, each with its opening and no score; no words and no filter is
	// a usage error.
	code, stdout, stderr = lcity(t, "search", "--out", out, "--json", "--city", "Okayama", "--limit", "1000")
	if code != 0 {
		t.Fatalf("filter-only search: exit %d: %s", code, stderr)
	}
	res = index.Result{}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatal(err)
	}
	if res.Total == 0 || uint64(len(res.Hits)) != res.Total {
		t.Fatalf("filter-only search: %d hits of %d", len(res.Hits), res.Total)
	}
	for i, h := range res.Hits {
		if h.City != "Okayama" || h.Snippet == "" || strings.Contains(h.Snippet, "<mark>") {
			t.Errorf("filter-only hit %d = %+v, want an Okayama passage with its opening", i, h)
		}
		if i > 0 && h.DocID == res.Hits[i-1].DocID && h.Page < res.Hits[i-1].Page {
			t.Errorf("filter-only hits not in reading order: page %d after page %d", h.Page, res.Hits[i-1].Page)
		}
	}
	code, stdout, _ = lcity(t, "search", "--out", out, "--city", "Okayama", "--limit", "2")
	if code != 0 || !strings.HasPrefix(stdout, "showing 1–2 of ") || !strings.Contains(stdout, "with city Okayama, in reading order") || strings.Contains(stdout, "score") {
		t.Errorf("filter-only search text (exit %d):\n%s", code, stdout)
	}
	if code, _, stderr := lcity(t, "search", "--out", out); code != 2 || !strings.Contains(stderr, "search needs a QUERY, a filter") {
		t.Errorf("search with no query and no filter: exit %d %q, want 2 and a hint", code, stderr)
	}
}
