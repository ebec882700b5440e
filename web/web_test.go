package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/lcity/lcity/corpus"
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

func TestMarkEvidence(t *testing.T) {
	// The passage starts at byte 100 of its document.
	p := corpus.Passage{ID: "p", Start: 100, End: 100 + 28, Text: "The kominkan hold festivals."}
	cs := []corpus.Coding{
		{CodeID: "a.x", Evidence: []corpus.Evidence{{Term: "kominkan", Start: 104, End: 112}}},
		{CodeID: "b.y", Evidence: []corpus.Evidence{{Term: "festival", Start: 118, End: 127}, {Term: "out", Start: 90, End: 95}}},
	}
	var got []string
	for _, s := range markEvidence(p, cs) {
		if s.Mark {
			got = append(got, s.Text+"="+s.Codes)
		}
	}
	if strings.Join(got, "|") != "kominkan=a.x|festivals=b.y" {
		t.Errorf("marks = %v", got)
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
