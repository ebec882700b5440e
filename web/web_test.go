package web

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lcity/lcity/corpus"
	"github.com/lcity/lcity/review"
)

func TestSafeSnippet(t *testing.T) {
	tests := map[string]string{
		"a <mark>kominkan</mark> b":          "a <mark>kominkan</mark> b",
		"&lt;script&gt; <mark>x</mark>":      "&lt;script&gt; <mark>x</mark>",
		"<script>alert(1)</script>":          "&lt;script&gt;alert(1)&lt;/script&gt;",
		"<mark><img src=x onerror=1></mark>": "<mark>&lt;img src=x onerror=1&gt;</mark>",
	}
	for in, want := range tests {
		if got := string(safeSnippet(in)); got != want {
			t.Errorf("safeSnippet(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSegments(t *testing.T) {
	code := func(id string) codeInfo { return codeInfo{ID: id, Label: "label of " + id, Colour: "#336699"} }
	// The passage starts at byte 100 of its document; 𝔗 is four bytes,
	// one code point (two UTF-16 units in a browser).
	text := "𝔗he kominkan hold festivals.\r\nAgain\x00."
	p := corpus.Passage{ID: "p", Start: 100, End: 100 + len(text), Text: text}
	kom := strings.Index(text, "kominkan")
	fest := strings.Index(text, "festivals")
	cs := []corpus.Coding{
		{CodeID: "a.x", Evidence: []corpus.Evidence{{Term: "kominkan", Start: 100 + kom, End: 100 + kom + 8}}},
		{CodeID: "b.y", Evidence: []corpus.Evidence{{Term: "festival", Start: 100 + fest, End: 100 + fest + 9}, {Term: "out", Start: 90, End: 95}}},
	}
	added := []review.Decision{{CodeID: "c.z", Action: review.Add, Span: &review.Span{Start: 4, End: 17}}}
	tests := []struct {
		name  string
		auto  []corpus.Coding
		added []review.Decision
		want  string
	}{
		{"auto", cs, nil, "0:𝔗he |4:kominkan=a.x/|12: hold |18:festivals=b.y/|27:.|28:\r|29:\nAgain|35:\ufffd|36:."},
		{"added", cs[:1], added, "0:𝔗he |4:kominkan=a.x/c.z|12: hold=/c.z|17: festivals.|28:\r|29:\nAgain|35:\ufffd|36:."},
	}
	for _, tt := range tests {
		var got []string
		n := 0
		for _, s := range segments(p, tt.auto, tt.added, code) {
			if s.Start != n {
				t.Errorf("%s: segment %q starts at %d, want %d", tt.name, s.Text, s.Start, n)
			}
			n += utf8.RuneCountInString(s.Text)
			g := fmt.Sprintf("%d:%s", s.Start, s.Text)
			if s.Mark {
				g += "=" + s.Codes + "/" + s.Added
				if s.Style == "" || !strings.Contains(s.Title, "label of") {
					t.Errorf("%s: marked segment %q has style %q, title %q", tt.name, s.Text, s.Style, s.Title)
				}
			}
			got = append(got, g)
		}
		if g := strings.Join(got, "|"); g != tt.want {
			t.Errorf("segments(%s) =\n%q\nwant\n%q", tt.name, g, tt.want)
		}
		if n != utf8.RuneCountInString(text) {
			t.Errorf("%s: segments hold %d code points, want %d", tt.name, n, utf8.RuneCountInString(text))
		}
	}
}

func TestQueryLimits(t *testing.T) {
	tests := []struct {
		url string
		ok  bool
	}{
		{"/search?q=kominkan&from=20&limit=50", true},
		{"/search?q=x&from=-1", false},
		{"/search?q=x&limit=1000", false},
		{"/search?q=" + strings.Repeat("a", MaxQuery+1), false},
	}
	for _, tt := range tests {
		_, err := query(httptest.NewRequest("GET", tt.url, nil))
		if (err == nil) != tt.ok {
			t.Errorf("query(%s): %v", tt.url[:min(len(tt.url), 40)], err)
		}
	}
}

func TestLoopbackHost(t *testing.T) {
	for host, want := range map[string]bool{"127.0.0.1:8080": true, "localhost:8080": true, "[::1]:80": true, "LOCALHOST": true,
		"evil.example:8080": false, "192.168.0.2": false, "": false} {
		if got := loopbackHost(host); got != want {
			t.Errorf("loopbackHost(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestCityRows(t *testing.T) {
	docs := []corpus.Document{
		{City: "Cork", Region: "Europe", Country: "Ireland", Year: 2017, Passages: 5, Words: 300},
		{City: "Bristol", Region: "Europe", Country: "England, UK", Year: 2017, Passages: 2, Words: 100},
		{City: "Cork", Region: "Europe", Country: "Ireland", Year: 2015, Passages: 3, Words: 200},
	}
	got := cityRows(docs)
	tests := []struct {
		city, years               string
		documents, passages, word int
	}{
		{"Bristol", "2017", 1, 2, 100},
		{"Cork", "2015, 2017", 2, 8, 500},
	}
	if len(got) != len(tests) {
		t.Fatalf("cityRows = %+v, want %d cities", got, len(tests))
	}
	for i, tt := range tests {
		r := got[i]
		if r.City != tt.city || r.YearText() != tt.years || r.Documents != tt.documents || r.Passages != tt.passages || r.Words != tt.word {
			t.Errorf("cityRows[%d] = %+v (years %q), want %+v", i, r, r.YearText(), tt)
		}
	}
}

// TestPickColour: a code's colour is kept unless it is taken or too near
// a taken one; every colour picked is then far enough from the others
// while the palette allows it.
func TestPickColour(t *testing.T) {
	tests := []struct {
		name   string
		used   []string
		colour string // a codebook's colour
		keep   bool
	}{
		{"free", []string{"#1f77b4"}, "#ff7f0e", true},
		{"taken", []string{"#1f77b4"}, "#1f77b4", false},
		{"too near", []string{"#17becf"}, "#2bafca", false},
		{"near enough apart", []string{"#d62728"}, "#2ca02c", true},
	}
	for _, tt := range tests {
		used := map[string]bool{}
		for _, u := range tt.used {
			used[u] = true
		}
		keep := nearest(tt.colour, used) >= minColourDistance
		if keep != tt.keep {
			t.Errorf("%s: %s next to %v kept = %v, want %v", tt.name, tt.colour, tt.used, keep, tt.keep)
		}
	}
	used, next := map[string]bool{}, 0
	for i := range 24 {
		var c string
		c, next = pickColour(next, used)
		if d := nearest(c, used); d < minColourDistance {
			t.Errorf("colour %d = %s, %.0f from the nearest of %d before it, want at least %d", i, c, d, len(used), minColourDistance)
		}
		used[c] = true
	}
}
