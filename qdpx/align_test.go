package qdpx

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// cp is the code-point offset of the first sub in s.
func cp(s, sub string) int { return utf8.RuneCountInString(s[:strings.Index(s, sub)]) }

// TestAlign maps selections of a source onto a document's bytes, for the
// same text and for text that differs in white space only.
func TestAlign(t *testing.T) {
	doc := "Pécs 杭州市 learns 🎉 together.\n\nSecond paragraph."
	tests := []struct {
		name      string
		src       string
		m         Match
		sel       string // the selected text, found in src
		want      string // what the document's bytes hold
		wantMatch bool
	}{
		{"exact ASCII after non-ASCII", doc, Exact, "learns", "learns", true},
		{"exact CJK", doc, Exact, "杭州市", "杭州市", true},
		{"exact emoji outside the BMP", doc, Exact, "🎉 together", "🎉 together", true},
		{"exact across the paragraph break", doc, Exact, "together.\n\nSecond", "together.\n\nSecond", true},
		{"exact refuses other text", doc + " ", Exact, "", "", false},
		{"CRLF and double spaces", "Pécs  杭州市 learns 🎉 together.\r\n\r\nSecond   paragraph.", Whitespace, "learns 🎉", "learns 🎉", true},
		{"leading white space and a tab", "\n\t Pécs 杭州市\tlearns 🎉 together. Second paragraph.\n", Whitespace, "Second paragraph", "Second paragraph", true},
		{"selection ending in white space", "Pécs 杭州市 learns 🎉 together.\r\n\r\nSecond paragraph.", Whitespace, "together.\r\n", "together.\n", true},
		{"selection starting inside white space", "Pécs 杭州市 learns 🎉 together.\r\n\r\nSecond paragraph.", Whitespace, "\n\r\nSecond", "Second", true},
		{"white space refuses other words", "Pécs 杭州 learns 🎉 together. Second paragraph.", Whitespace, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Align(tt.src, doc, tt.m)
			if (a != nil) != tt.wantMatch {
				t.Fatalf("Align = %v, want a match: %v", a, tt.wantMatch)
			}
			if a == nil {
				return
			}
			start := cp(tt.src, tt.sel)
			end := start + utf8.RuneCountInString(tt.sel)
			from, to, ok := a.Bytes(start, end)
			if !ok || doc[from:to] != tt.want {
				t.Errorf("Bytes(%d, %d) = %d, %d, %v (%q), want %q", start, end, from, to, ok, doc[from:min(to, len(doc))], tt.want)
			}
		})
	}
	a := Align(doc, doc, Exact)
	for _, r := range [][2]int{{-1, 2}, {3, 3}, {4, 2}, {0, a.Len() + 1}} {
		if _, _, ok := a.Bytes(r[0], r[1]); ok {
			t.Errorf("Bytes(%d, %d) ok, want refused", r[0], r[1])
		}
	}
	ws := Align("a \n\n b", "a b", Whitespace)
	if _, _, ok := ws.Bytes(2, 4); ok {
		t.Error("a selection of white space alone mapped")
	}
}

func TestNormalise(t *testing.T) {
	for in, want := range map[string]string{"": "", " \n ": "", "a\r\n\r\nb\u00a0 c ": "a b c", "杭州\u3000市": "杭州 市"} {
		if got := Normalise(in); got != want {
			t.Errorf("Normalise(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzAlign(f *testing.F) {
	f.Add("Pécs  杭州\r\n🎉 x", "Pécs 杭州\n🎉 x", 1, 5)
	f.Fuzz(func(t *testing.T, src, doc string, start, end int) {
		if !utf8.ValidString(src) || !utf8.ValidString(doc) {
			return
		}
		for _, m := range []Match{Exact, Whitespace} {
			a := Align(src, doc, m)
			if a == nil {
				continue
			}
			from, to, ok := a.Bytes(start, end)
			if !ok {
				continue
			}
			if from < 0 || to > len(doc) || from >= to || !utf8.ValidString(doc[from:to]) {
				t.Fatalf("%s: Bytes(%d, %d) = %d, %d on %q", m, start, end, from, to, doc)
			}
			// The mapped text is the selection up to white space.
			sel := string([]rune(src)[start:end])
			if got, want := Normalise(doc[from:to]), Normalise(sel); got != want {
				t.Fatalf("%s: %q maps to %q", m, sel, doc[from:to])
			}
		}
	})
}

// BenchmarkAlign aligns a 1 MB text that differs from the document in
// white space only (go test ./qdpx -bench Align).
func BenchmarkAlign(b *testing.B) {
	doc := strings.Repeat("Learning in Pécs and 杭州 🎉 for everyone.\n\n", 20000)
	src := strings.ReplaceAll(doc, "\n", "\r\n")
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if Align(src, doc, Whitespace) == nil {
			b.Fatal("no alignment")
		}
	}
}
