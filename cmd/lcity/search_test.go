package main

import (
	"encoding/json"
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
}
