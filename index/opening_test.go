package index

import (
	"strings"
	"testing"
)

func TestOpening(t *testing.T) {
	long := strings.Repeat("word ", 100)
	tests := []struct {
		name, in, want string
	}{
		{"short", "  A short passage.\n", "A short passage."},
		{"cut at a space", long, strings.TrimSpace(long[:OpeningRunes]) + " …"},
		{"not inside a word", strings.Repeat("a", 200) + " " + strings.Repeat("b", 200), strings.Repeat("a", 200) + " …"},
		{"runes, not bytes", strings.Repeat("é", OpeningRunes), strings.Repeat("é", OpeningRunes)},
	}
	for _, tt := range tests {
		if got := Opening(tt.in); got != tt.want {
			t.Errorf("Opening(%s) = %q, want %q", tt.name, got, tt.want)
		}
	}
}
