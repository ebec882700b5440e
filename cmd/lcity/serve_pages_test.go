package main

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/workspace"
)

// TestServePages checks what the pages show a reader of the sample
// workspace: every city on /cities, code labels rather than IDs (the ID
// only in a tooltip or small print), and a city's code linked to that
// city's passages coded with it, in reading order.
func TestServePages(t *testing.T) {
	out := sampleCopy(t)
	base := startServer(t, out)
	tests := []struct {
		name, path string
		want       []string // substrings of the page
		notWant    []*regexp.Regexp
	}{
		{"navigation", "/", []string{`<a href="/cities">Cities</a>`}, nil},
		{"cities", "/cities", []string{
			`<tr data-city="Okayama"><td><a href="/cities/Okayama">Okayama</a></td><td>Asia-Pacific</td><td>Japan</td><td>2017</td>`,
			`<a href="/cities/C%C3%A2mara%20de%20Lobos">Câmara de Lobos</a>`,
			`<strong>17 cities</strong>`,
		}, nil},
		{"facets and hits", "/search?q=kominkan", []string{
			`title="keyfeatures.families-communities"><span class="swatch" style="background:`,
			`>Learning in families and communities (16)</a>`,
			`<span class="code" data-code="keyfeatures.families-communities" title="keyfeatures.families-communities">`,
		}, []*regexp.Regexp{
			regexp.MustCompile(`>keyfeatures\.families-communities \(`), // a facet named by its ID
			regexp.MustCompile(`codes: keyfeatures\.`),                  // a hit's codes as IDs
		}},
		{"code filter shown by label", "/search?q=kominkan&code=charter.inclusion", []string{
			`code: <span class="swatch"`, `Inclusion and equity ✕</a>`,
		}, nil},
		{"city page", "/cities/Okayama", []string{
			`<a class="coded" href="/search?city=Okayama&amp;code=keyfeatures.families-communities" title="keyfeatures.families-communities">Learning in families and communities</a>`,
			`<code class="id">keyfeatures.families-communities</code>`,
		}, []*regexp.Regexp{regexp.MustCompile(`<td><code>[a-z]+\.`)}},
		{"a city's passages for a code", "/search?city=Okayama&code=keyfeatures.families-communities", []string{
			`passages under these filters, in reading order.`,
			`Learning in families and communities ✕</a>`,
		}, []*regexp.Regexp{
			regexp.MustCompile(`class="passage" href="[^"]*"><strong>(?:[^O]|O[^k])`), // only Okayama's passages
			regexp.MustCompile(`<div class="snippet">\s*</div>`),                      // each with the start of its text
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := get(t, base+tt.path)
			if code != 200 {
				t.Fatalf("GET %s: %d", tt.path, code)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("GET %s: no %q in the page", tt.path, w)
				}
			}
			for _, re := range tt.notWant {
				if m := re.FindString(body); m != "" {
					t.Errorf("GET %s: the page has %q", tt.path, m)
				}
			}
		})
	}

	// The city page's link lists exactly the city's passages coded with
	// the code, in the order of the document.
	var want []string
	if _, err := workspace.Scan(out, true, func(p corpus.Passage, cs []corpus.Coding) error {
		for _, c := range cs {
			if p.City == "Okayama" && c.CodeID == "keyfeatures.families-communities" {
				want = append(want, p.ID)
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	q := url.Values{"city": {"Okayama"}, "code": {"keyfeatures.families-communities"}, "limit": {"200"}}
	code, body := get(t, base+"/api/search?"+q.Encode())
	var res struct {
		Total int
		Hits  []struct {
			PassageID string `json:"passage_id"`
		}
	}
	if err := json.Unmarshal([]byte(body), &res); err != nil || code != 200 {
		t.Fatalf("/api/search?%s: %d %v\n%s", q.Encode(), code, err, body)
	}
	var got []string
	for _, h := range res.Hits {
		got = append(got, h.PassageID)
	}
	if len(want) == 0 || strings.Join(got, " ") != strings.Join(want, " ") || res.Total != len(want) {
		t.Errorf("Okayama's passages coded keyfeatures.families-communities: got %d %v, want %v", res.Total, got, want)
	}
	for _, u := range []string{"/api/search", "/api/search?city=Okayam", "/search?city=Okayam&code=keyfeatures.families-communities"} {
		if code, body := get(t, base+u); code != 400 {
			t.Errorf("GET %s: %d, want 400\n%s", u, code, body)
		} else if strings.Contains(u, "Okayam") && !strings.Contains(body, "Okayama") {
			t.Errorf("GET %s: the error does not suggest Okayama\n%s", u, body)
		}
	}
}
