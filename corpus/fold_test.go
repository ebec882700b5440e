package corpus

import (
	"testing"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

func TestFoldAndMatchKey(t *testing.T) {
	tests := []struct {
		in, fold, key string
	}{
		{"Pécs", "Pecs", "pecs"},
		{"Câmara de Lobos", "Camara de Lobos", "camara de lobos"},
		{"Gelsenkirchen", "Gelsenkirchen", "gelsenkirchen"},
		{"  Cork (Ireland) — 2015 ", "  Cork (Ireland) — 2015 ", "cork ireland 2015"},
		{"Namyangju-si", "Namyangju-si", "namyangju si"},
		{"Łódź", "Łodz", "łodz"},
		{"杭州 Hangzhou", "杭州 Hangzhou", "杭州 hangzhou"},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.fold {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.fold)
		}
		if got := MatchKey(tt.in); got != tt.key {
			t.Errorf("MatchKey(%q) = %q, want %q", tt.in, got, tt.key)
		}
	}
}

// FuzzFold holds Fold's ASCII shortcut to the normaliser it skips.
func FuzzFold(f *testing.F) {
	for _, s := range []string{"Pécs", "Cork", "e\u0301", "\xff", "Łódź"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), s)
		if err != nil {
			want = s
		}
		if got := Fold(s); got != want {
			t.Errorf("Fold(%q) = %q, normaliser %q", s, got, want)
		}
	})
}
